package io.ticketkeeper.attacks;

import de.rub.nds.tlsattacker.core.config.Config;
import de.rub.nds.tlsattacker.core.connection.OutboundConnection;
import de.rub.nds.tlsattacker.core.constants.CipherSuite;
import de.rub.nds.tlsattacker.core.constants.HandshakeMessageType;
import de.rub.nds.tlsattacker.core.constants.NamedGroup;
import de.rub.nds.tlsattacker.core.constants.ProtocolVersion;
import de.rub.nds.tlsattacker.core.constants.SignatureAndHashAlgorithm;
import de.rub.nds.tlsattacker.core.protocol.ProtocolMessage;
import de.rub.nds.tlsattacker.core.protocol.message.AlertMessage;
import de.rub.nds.tlsattacker.core.constants.PskKeyExchangeMode;
import de.rub.nds.tlsattacker.core.protocol.message.CertificateMessage;
import de.rub.nds.tlsattacker.core.protocol.message.ChangeCipherSpecMessage;
import de.rub.nds.tlsattacker.core.protocol.message.NewSessionTicketMessage;
import de.rub.nds.tlsattacker.core.protocol.message.extension.psk.PskSet;
import de.rub.nds.tlsattacker.core.protocol.message.ClientHelloMessage;
import de.rub.nds.tlsattacker.core.protocol.message.ECDHClientKeyExchangeMessage;
import de.rub.nds.tlsattacker.core.protocol.message.FinishedMessage;
import de.rub.nds.tlsattacker.core.protocol.message.HandshakeMessage;
import de.rub.nds.tlsattacker.core.protocol.message.ServerHelloDoneMessage;
import de.rub.nds.tlsattacker.core.state.State;
import de.rub.nds.tlsattacker.core.workflow.DefaultWorkflowExecutor;
import de.rub.nds.tlsattacker.core.workflow.WorkflowTrace;
import de.rub.nds.tlsattacker.core.workflow.WorkflowTraceResultUtil;
import de.rub.nds.tlsattacker.core.workflow.action.ReceiveTillAction;
import de.rub.nds.tlsattacker.core.workflow.action.ReceivingAction;
import de.rub.nds.tlsattacker.core.workflow.action.SendAction;

import java.util.ArrayList;
import java.util.List;

/**
 * A TLS 1.2 or TLS 1.3 client made of TLS-Attacker, as the session ticket scanners of the 2023 study use it: one
 * full handshake that yields a real ticket, then resumption ClientHellos that carry whatever ticket bytes an attack
 * wants (TLS 1.2: the SessionTicket extension; TLS 1.3: the PSK identity), and the server's first flight
 * classified.
 */
final class AttackClient {
    /** How long a probe waits for the server's next record (only a resumption, which waits for us, hits it). */
    private static final int RECEIVE_TIMEOUT_MS = 1500;

    private final int port;
    private final Version version;
    /** Built once: TLS-Attacker reads its default configuration from XML, which costs more than a probe. */
    private final Config config;
    /** TLS 1.3: the PSK (resumption secret, nonce, age) of the last ticket received, which offers reuse. */
    private PskSet psk;

    /** The protocol a client speaks. */
    enum Version {
        TLS1_2, TLS1_3
    }

    AttackClient(int port, Version version) {
        this.port = port;
        this.version = version;
        this.config = version == Version.TLS1_2 ? newConfig() : newConfig13();
    }

    /** The ticket of a completed full handshake (TLS 1.3: the first NewSessionTicket's identity). */
    record Issued(byte[] ticket, Answer answer) {
    }

    /** A client of the same version for another server, offering what this one received (TLS 1.3: its PSK). */
    AttackClient toPort(int otherPort) {
        AttackClient other = new AttackClient(otherPort, version);
        other.psk = psk;
        return other;
    }

    private Config newConfig13() {
        Config config = new Config();
        OutboundConnection connection = new OutboundConnection("client", port, "127.0.0.1");
        connection.setTimeout(RECEIVE_TIMEOUT_MS);
        connection.setConnectionTimeout(5000);
        config.setDefaultClientConnection(connection);
        config.setHighestProtocolVersion(ProtocolVersion.TLS13);
        config.setDefaultSelectedProtocolVersion(ProtocolVersion.TLS13);
        config.setDefaultHighestClientProtocolVersion(ProtocolVersion.TLS13);
        config.setSupportedVersions(List.of(ProtocolVersion.TLS13));
        config.setAddSupportedVersionsExtension(true);
        config.setAddKeyShareExtension(true);
        config.setDefaultClientKeyShareNamedGroups(List.of(NamedGroup.ECDH_X25519));
        config.setDefaultClientNamedGroups(List.of(NamedGroup.ECDH_X25519, NamedGroup.SECP256R1));
        config.setDefaultSelectedNamedGroup(NamedGroup.ECDH_X25519);
        config.setDefaultClientSupportedCipherSuites(List.of(CipherSuite.TLS_AES_128_GCM_SHA256));
        config.setDefaultSelectedCipherSuite(CipherSuite.TLS_AES_128_GCM_SHA256);
        config.setDefaultClientSupportedSignatureAndHashAlgorithms(List.of(
                SignatureAndHashAlgorithm.RSA_PSS_RSAE_SHA256, SignatureAndHashAlgorithm.ECDSA_SHA256));
        config.setAddEllipticCurveExtension(true);
        config.setAddECPointFormatExtension(false);
        config.setAddSignatureAndHashAlgorithmsExtension(true);
        config.setAddRenegotiationInfoExtension(false);
        config.setAddExtendedMasterSecretExtension(false);
        config.setAddServerNameIndicationExtension(false);
        config.setAddSessionTicketTLSExtension(false);
        config.setAddPSKKeyExchangeModesExtension(true);
        config.setPSKKeyExchangeModes(List.of(PskKeyExchangeMode.PSK_DHE_KE));
        config.setAddPreSharedKeyExtension(false);
        config.setStopActionsAfterFatal(true);
        config.setStopReceivingAfterFatal(true);
        config.setStopActionsAfterIOException(true);
        config.setWorkflowExecutorShouldClose(true);
        return config;
    }

    private Config newConfig() {
        Config config = new Config();
        OutboundConnection connection = new OutboundConnection("client", port, "127.0.0.1");
        connection.setTimeout(RECEIVE_TIMEOUT_MS);
        connection.setConnectionTimeout(5000);
        config.setDefaultClientConnection(connection);
        config.setHighestProtocolVersion(ProtocolVersion.TLS12);
        config.setDefaultSelectedProtocolVersion(ProtocolVersion.TLS12);
        config.setDefaultHighestClientProtocolVersion(ProtocolVersion.TLS12);
        config.setSupportedVersions(List.of(ProtocolVersion.TLS12));
        config.setAddSupportedVersionsExtension(false);
        config.setAddKeyShareExtension(false);
        config.setAddPSKKeyExchangeModesExtension(false);
        config.setAddPreSharedKeyExtension(false);
        config.setDefaultClientSupportedCipherSuites(List.of(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));
        config.setDefaultSelectedCipherSuite(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        config.setDefaultClientNamedGroups(List.of(NamedGroup.ECDH_X25519, NamedGroup.SECP256R1));
        config.setDefaultSelectedNamedGroup(NamedGroup.ECDH_X25519);
        config.setDefaultClientSupportedSignatureAndHashAlgorithms(List.of(
                SignatureAndHashAlgorithm.RSA_PSS_RSAE_SHA256, SignatureAndHashAlgorithm.RSA_SHA256,
                SignatureAndHashAlgorithm.ECDSA_SHA256));
        config.setAddEllipticCurveExtension(true);
        config.setAddECPointFormatExtension(true);
        config.setAddSignatureAndHashAlgorithmsExtension(true);
        config.setAddRenegotiationInfoExtension(true);
        config.setAddExtendedMasterSecretExtension(true);
        config.setAddServerNameIndicationExtension(false);
        config.setAddSessionTicketTLSExtension(true);
        config.setStopActionsAfterFatal(true);
        config.setStopReceivingAfterFatal(true);
        config.setStopActionsAfterIOException(true);
        config.setWorkflowExecutorShouldClose(true);
        return config;
    }

    /** A full handshake (no ticket offered) that the server completes, with the ticket it sends. */
    Issued fullHandshake() {
        if (version == Version.TLS1_3) {
            return fullHandshake13();
        }
        config.setTlsSessionTicket(new byte[0]);
        // The server's last flight is NewSessionTicket, ChangeCipherSpec, Finished: receiving till Finished ends the
        // handshake at once (the factory's trace waits out a timeout for TLS 1.3 tickets that never come here).
        WorkflowTrace trace = new WorkflowTrace();
        trace.addTlsAction(new SendAction(new ClientHelloMessage(config)));
        trace.addTlsAction(new ReceiveTillAction(new ServerHelloDoneMessage()));
        trace.addTlsAction(new SendAction(new ECDHClientKeyExchangeMessage(), new ChangeCipherSpecMessage(),
                new FinishedMessage()));
        trace.addTlsAction(new ReceiveTillAction(new FinishedMessage()));
        State state = new State(config, trace);
        new DefaultWorkflowExecutor(state).executeWorkflow();
        Answer answer = Answer.of(received(trace));
        if (!WorkflowTraceResultUtil.didReceiveMessage(trace, HandshakeMessageType.FINISHED)) {
            throw new AssertionError("no full handshake with port " + port + ": " + answer);
        }
        byte[] ticket = state.getTlsContext().getLatestSessionTicket();
        if (ticket == null || ticket.length == 0) {
            throw new AssertionError("the full handshake with port " + port + " brought no ticket: " + answer);
        }
        return new Issued(ticket.clone(), answer);
    }

    private Issued fullHandshake13() {
        config.setAddPreSharedKeyExtension(false);
        config.setDefaultPskSets(new ArrayList<>());
        WorkflowTrace trace = new WorkflowTrace();
        trace.addTlsAction(new SendAction(new ClientHelloMessage(config)));
        trace.addTlsAction(new ReceiveTillAction(new FinishedMessage()));
        trace.addTlsAction(new SendAction(new FinishedMessage()));
        trace.addTlsAction(new ReceiveTillAction(new NewSessionTicketMessage()));
        State state = new State(config, trace);
        new DefaultWorkflowExecutor(state).executeWorkflow();
        Answer answer = Answer.of(received(trace));
        List<PskSet> sets = state.getTlsContext().getPskSets();
        if (sets == null || sets.isEmpty()) {
            throw new AssertionError("the TLS 1.3 handshake with port " + port + " brought no ticket: " + answer);
        }
        psk = sets.get(0);
        return new Issued(psk.getPreSharedKeyIdentity().clone(), answer);
    }

    /**
     * A ClientHello offering {@code ticket} (empty: asking for one), and the server's answer up to the message that
     * ends the answer {@code expected} (ServerHelloDone for a full handshake, ChangeCipherSpec for a resumption), an
     * alert, the end of the connection, or the receive timeout. The stop only saves time: an answer of the other
     * kind is read until the timeout and classified all the same (a resumption where a full handshake was expected
     * shows its ServerHello and ChangeCipherSpec, and no Certificate).
     */
    Answer offer(byte[] ticket, Answer.Kind expected) {
        return offer(ticket, expected, false);
    }

    /**
     * TLS 1.3: {@code ticket} offered with the binder of another PSK (random bytes): a server that opens the ticket
     * finds the binder wrong and must abort the handshake (RFC 8446 4.2.11; OpenSSL sends illegal_parameter).
     */
    Answer offerWithWrongBinder(byte[] ticket) {
        if (version != Version.TLS1_3) {
            throw new IllegalStateException("binders are TLS 1.3's");
        }
        return offer(ticket, Answer.Kind.ALERT, true);
    }

    private Answer offer(byte[] ticket, Answer.Kind expected, boolean wrongBinder) {
        WorkflowTrace trace = new WorkflowTrace();
        if (version == Version.TLS1_3) {
            // The ticket as the PSK identity, with the binder of the last real ticket's PSK: a server that cannot
            // open the identity ignores it (full handshake: Certificate); one that can checks the binder.
            if (psk == null) {
                throw new IllegalStateException("a TLS 1.3 offer needs a full handshake first");
            }
            byte[] secret = wrongBinder ? Tickets.random(psk.getPreSharedKey().length) : psk.getPreSharedKey();
            PskSet offered = new PskSet(ticket, secret, psk.getTicketAge(), psk.getTicketAgeAdd(),
                    psk.getTicketNonce(), psk.getCipherSuite());
            config.setDefaultPskSets(new ArrayList<>(List.of(offered)));
            config.setAddPreSharedKeyExtension(ticket.length > 0);
            trace.addTlsAction(new SendAction(new ClientHelloMessage(config)));
            trace.addTlsAction(new ReceiveTillAction(expected == Answer.Kind.RESUMED ? new FinishedMessage()
                    : new CertificateMessage()));
        } else {
            config.setTlsSessionTicket(ticket);
            trace.addTlsAction(new SendAction(new ClientHelloMessage(config)));
            trace.addTlsAction(new ReceiveTillAction(expected == Answer.Kind.RESUMED ? new ChangeCipherSpecMessage()
                    : new ServerHelloDoneMessage()));
        }
        State state = new State(config, trace);
        long start = System.nanoTime();
        new DefaultWorkflowExecutor(state).executeWorkflow();
        return Answer.of(received(trace)).took(System.nanoTime() - start);
    }

    private static List<String> received(WorkflowTrace trace) {
        List<String> messages = new ArrayList<>();
        for (ReceivingAction action : trace.getReceivingActions()) {
            List<ProtocolMessage> list = action.getReceivedMessages();
            if (list == null) {
                continue;
            }
            for (ProtocolMessage message : list) {
                messages.add(name(message));
            }
        }
        return messages;
    }

    private static String name(ProtocolMessage message) {
        if (message instanceof AlertMessage alert) {
            return "ALERT(" + alert.getLevel().getValue() + "," + alert.getDescription().getValue() + ")";
        }
        if (message instanceof HandshakeMessage handshake) {
            return String.valueOf(handshake.getHandshakeMessageType());
        }
        return String.valueOf(message.getProtocolMessageType());
    }
}
