/**
 * A handle's counters and key ring as a JMX MXBean on the platform MBean server
 * ({@link io.ticketkeeper.jmx.TicketKeeperJmx}, {@code io.ticketkeeper:type=TicketKeeper,name=<name>}), with a key
 * refresh as an operation.
 */
package io.ticketkeeper.jmx;
