package io.ticketkeeper.bench.paired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs one case: makes every contestant and its clients (one per measuring thread), warms them up in alternating
 * rounds, then measures {@code rounds} rounds. Round r runs the contestants in their order when r is even and in
 * reverse when it is odd (A B, B A, A B, ...), so that drift, a neighbour's burst and the position in a round hit
 * every contestant alike.
 */
final class CaseRunner {
    private CaseRunner() {
    }

    /** {@code progress} hears the number of each round measured. */
    static CaseResult run(HandshakeCase handshakeCase, int rounds, long batchNanos, long warmupNanos,
            IntConsumer progress) {
        List<Contestant> contestants = new ArrayList<>();
        List<List<Contestant.Handshaker>> clients = new ArrayList<>();
        try (Workers workers = new Workers(handshakeCase.threads())) {
            for (HandshakeCase.Entry entry : handshakeCase.entries()) {
                Contestant contestant = entry.factory().get();
                contestants.add(contestant);
                List<Contestant.Handshaker> mine = new ArrayList<>();
                clients.add(mine);
                for (int i = 0; i < workers.count(); i++) {
                    mine.add(contestant.newHandshaker());
                }
            }
            long warmupEnd = System.nanoTime() + warmupNanos;
            for (int round = 0; System.nanoTime() < warmupEnd; round++) {
                runRound(workers, contestants, clients, round, batchNanos, new ArrayList<>());
            }
            String loadBefore = loadAverage();
            List<Batch> batches = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                runRound(workers, contestants, clients, round, batchNanos, batches);
                progress.accept(round + 1);
            }
            return new CaseResult(handshakeCase, batches, rounds, loadBefore, loadAverage());
        } finally {
            clients.forEach(mine -> mine.forEach(Contestant.Handshaker::close));
            contestants.forEach(Contestant::close);
        }
    }

    private static void runRound(Workers workers, List<Contestant> contestants,
            List<List<Contestant.Handshaker>> clients, int round, long batchNanos, List<Batch> into) {
        int count = contestants.size();
        for (int position = 0; position < count; position++) {
            int index = round % 2 == 0 ? position : count - 1 - position;
            into.add(workers.run(round, contestants.get(index).name(), clients.get(index), batchNanos));
        }
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }
}
