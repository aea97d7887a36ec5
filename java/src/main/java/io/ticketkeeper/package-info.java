/**
 * The API: {@link io.ticketkeeper.TicketKeeper#install TicketKeeper.install} puts a server's {@code SSL_CTX} (a plain
 * address) under a {@link io.ticketkeeper.TicketKeeperHandle}, configured by {@link io.ticketkeeper.TicketKeeperOptions}:
 * the ticket keys and their schedule ({@link io.ticketkeeper.TicketKey}, {@link io.ticketkeeper.ScheduledKey},
 * {@link io.ticketkeeper.KeySource}, key files through {@link io.ticketkeeper.KeyFiles}), the
 * {@link io.ticketkeeper.TicketPolicy} that decides per handshake which key seals and whether a presented ticket is
 * used, renewed, ignored or the handshake aborted, and the counters a handle reports
 * ({@link io.ticketkeeper.TicketStats}). Nothing here names a {@code java.lang.foreign} type: the API runs on Java 17,
 * the backend (Panama FFM on 23+, JNA before) is chosen at run time.
 */
package io.ticketkeeper;
