/**
 * A session store in Redis for a fleet of servers ({@link io.ticketkeeper.session.redis.RedisSessionStore}, on
 * Lettuce, an optional dependency), its entries sealed with AES-256-GCM under rotating
 * {@link io.ticketkeeper.session.redis.SealingKey}s, since a session holds its master secret. A slow or failing Redis
 * turns lookups into misses (full handshakes) and stores into skipped ones, counted; it never holds a handshake past
 * the configured timeout.
 */
package io.ticketkeeper.session.redis;
