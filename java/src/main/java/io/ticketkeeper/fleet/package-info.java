/**
 * Ticket keys shared by a fleet through Redis ({@link io.ticketkeeper.fleet.FleetKeySource}): one schedule from time
 * alone, the next keys made by whichever server is first (no leader), staged a period ahead, wrapped at rest under
 * the fleet's wrapping keys, expiring with their keys; one Redis, Sentinel or Cluster. Nothing here runs on the
 * handshake path, and the ring in force stays when Redis is slow, down or emptied.
 */
package io.ticketkeeper.fleet;
