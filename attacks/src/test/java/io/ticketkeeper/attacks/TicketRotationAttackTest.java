package io.ticketkeeper.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.attacks.Answer.Kind;
import io.ticketkeeper.harness.NginxServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A ticket replayed after key rotation: within its key's open window it resumes (and is renewed under the new
 * key); past it, a full handshake. serve rotates generated keys every second and opens tickets for {@code --max-age}
 * (6 s) after a key stops sealing. nginx has no rotation of its own (a new key file and a reload): its reference is
 * the session timeout (6 s here), past which its tickets give a full handshake too.
 */
class TicketRotationAttackTest {
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Duration OPEN = Duration.ofSeconds(6);

    @Test
    void ticketReplayedPastItsKeysWindowGetsAFullHandshake() throws Exception {
        Assumptions.assumeTrue(NginxServer.available(), "nginx is not installed (/usr/sbin/nginx)");
        Path directory = Files.createTempDirectory("ticketkeeper-rotation");
        Path keyFile = directory.resolve("ticket.key");
        Files.write(keyFile, Tickets.random(80));
        List<Target> targets = new ArrayList<>();
        try {
            String[] rotating = {"--rotate-every", PERIOD.toMillis() + "ms", "--max-age", OPEN.toMillis() + "ms",
                    "--renew-after", OPEN.toMillis() + "ms"};
            targets.addAll(Target.startAll(
                    () -> Target.Serve.start("serve-ffm-rotating", false, directory, rotating),
                    () -> Target.Serve.start("serve-jna-rotating", true, directory, rotating),
                    () -> Target.Nginx.start("nginx-timeout", directory, keyFile, OPEN)));
            Map<Target, byte[]> tickets = new LinkedHashMap<>();
            for (Target target : targets) {
                byte[] ticket = target.client().fullHandshake().ticket();
                tickets.put(target, ticket);
                assertEquals(Kind.RESUMED, target.client().offer(ticket, Kind.RESUMED).kind(),
                        target + ": the control");
            }
            long issued = System.nanoTime();
            Thread.sleep(PERIOD.multipliedBy(2).toMillis());
            for (Target target : targets) {
                // Past a rotation, inside the window: still resumes (unless this machine stalled past the window).
                if (System.nanoTime() - issued < OPEN.minusMillis(500).toNanos()) {
                    assertEquals(Kind.RESUMED, target.client().offer(tickets.get(target), Kind.RESUMED).kind(),
                            target + ": after a rotation, inside the window\n" + target.log());
                }
            }
            Thread.sleep(Math.max(0, (PERIOD.plus(OPEN).plusSeconds(1).toNanos() - (System.nanoTime() - issued))
                    / 1_000_000));
            for (Target target : targets) {
                Answer answer = target.client().offer(tickets.get(target), Kind.FULL_HANDSHAKE);
                System.out.println(target + " | rotation: the ticket past its key's window | 1 | " + answer);
                assertEquals(Kind.FULL_HANDSHAKE, answer.kind(), target + ": past the window\n" + target.log());
                assertTrue(target.alive(), target.log());
            }
        } finally {
            targets.forEach(Target::close);
            TicketAttackTest.deleteOnExit(directory);
        }
    }
}
