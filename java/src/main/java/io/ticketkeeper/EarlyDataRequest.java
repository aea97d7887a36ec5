package io.ticketkeeper;

import java.util.Optional;

/**
 * A TLS 1.3 resumption that offers early data, as {@link TicketPolicy#decideEarlyData} sees it. OpenSSL asks only
 * once its own checks passed: a resumption of the client's first PSK, no HelloRetryRequest, and the client's
 * {@code obfuscated_ticket_age} within 10 s of OpenSSL's own view of the ticket's age (RFC 8446 section 8.3); so
 * {@link #fresh()} is always true here, and the policy need not check the age the client claimed again.
 *
 * @param hostName the attached context's host name, or empty for a context attached without one
 * @param serverName the server_name (SNI) the client sent, or empty
 * @param alpn the protocol ALPN selected for this connection, or empty
 * @param protocolVersion the session's protocol, {@link TicketSession#TLS1_3}
 * @param cipherSuite the session's cipher suite as on the wire, e.g. 0x1301 for TLS_AES_128_GCM_SHA256
 * @param maxEarlyData the most early data the ticket allows, in bytes
 * @param issuedAtMillis when the ticket's session was first issued a ticket (renewals keep it), or -1 unstamped
 * @param ticketAgeMillis the ticket's age by the handle's clock since then, or -1 unstamped
 * @param issuedUnderGeneration the key ring generation when the session was first ticketed, or -1 unstamped
 * @param fresh whether OpenSSL found the client's ticket age fresh: always true, see above
 * @param replay the anti-replay record's answer; only {@link ReplayAnswer#FIRST} is safe to accept
 * @param nowMillis the handle's clock time of this decision
 */
public record EarlyDataRequest(Optional<String> hostName, Optional<String> serverName, Optional<String> alpn,
        int protocolVersion, int cipherSuite, long maxEarlyData, long issuedAtMillis, long ticketAgeMillis,
        long issuedUnderGeneration, boolean fresh, ReplayAnswer replay, long nowMillis) {
}
