/**
 * Binds a handle's counters, key ring and key source health to a Micrometer registry
 * ({@link io.ticketkeeper.micrometer.TicketKeeperMeterBinder}); Micrometer is an optional dependency, needed only by
 * this package.
 */
package io.ticketkeeper.micrometer;
