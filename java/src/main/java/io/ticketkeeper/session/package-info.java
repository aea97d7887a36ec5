/**
 * Stateful sessions: the {@link io.ticketkeeper.session.SessionStore} SPI behind OpenSSL's session cache callbacks
 * (session id to the session's DER bytes, with a time to live), the bounded in-memory store that is the default
 * ({@link io.ticketkeeper.session.InMemorySessionStore}), stores named by a one-word specification
 * ({@link io.ticketkeeper.session.SessionStores}), the options that install a cache on a handle
 * ({@link io.ticketkeeper.session.SessionCacheOptions}) and its counters. A store runs on the handshake thread and
 * must answer in bounded time; whatever it throws is counted and treated as a miss.
 */
package io.ticketkeeper.session;
