package io.ticketkeeper.bench.paired;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A case's batches, and what they say: each contestant's figures and each comparison's median ratio. */
final class CaseResult {
    static final double CONFIDENCE = 0.95;

    private final HandshakeCase handshakeCase;
    private final List<Batch> batches;
    private final int rounds;
    private final String loadBefore;
    private final String loadAfter;

    CaseResult(HandshakeCase handshakeCase, List<Batch> batches, int rounds, String loadBefore, String loadAfter) {
        this.handshakeCase = handshakeCase;
        this.batches = List.copyOf(batches);
        this.rounds = rounds;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    HandshakeCase handshakeCase() {
        return handshakeCase;
    }

    /** The batches of one contestant, by round. */
    private Batch[] of(String contestant) {
        Batch[] byRound = new Batch[rounds];
        for (Batch batch : batches) {
            if (batch.contestant().equals(contestant)) {
                byRound[batch.round()] = batch;
            }
        }
        return byRound;
    }

    /** The ratio of the rates per round, and of the CPU time per handshake (against's over contestant's). */
    Ratios ratios(HandshakeCase.Comparison comparison) {
        Batch[] mine = of(comparison.contestant());
        Batch[] theirs = of(comparison.against());
        double[] rate = new double[rounds];
        double[] cpu = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            rate[round] = mine[round].handshakesPerSecond() / theirs[round].handshakesPerSecond();
            cpu[round] = theirs[round].cpuNanosPerHandshake() / mine[round].cpuNanosPerHandshake();
        }
        return new Ratios(comparison, MedianInterval.of(rate, CONFIDENCE), MedianInterval.of(cpu, CONFIDENCE));
    }

    /** A comparison's figures and verdict. */
    record Ratios(HandshakeCase.Comparison comparison, MedianInterval rate, MedianInterval cpu) {
        /** meets, misses or unresolved (the interval spans the target); null without a target. */
        String verdict() {
            if (!comparison.judged()) {
                return null;
            }
            if (rate.coverage() < CONFIDENCE) {
                return "unresolved";
            }
            return rate.atLeast(comparison.target()) ? "meets" : rate.below(comparison.target()) ? "misses"
                    : "unresolved";
        }

        String describe() {
            String line = String.format("%s / %s %.3f [%.3f, %.3f] (CPU %.3f [%.3f, %.3f])", comparison.contestant(),
                    comparison.against(), rate.median(), rate.low(), rate.high(), cpu.median(), cpu.low(),
                    cpu.high());
            String verdict = verdict();
            if (verdict == null) {
                return line;
            }
            String target = String.format("%.2f", comparison.target());
            return line + switch (verdict) {
                case "meets" -> " meets >= " + target;
                case "misses" -> " MISSES " + target;
                default -> " unresolved: the interval spans " + target;
            };
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        HandshakeCase c = handshakeCase;
        json.put("id", c.id());
        json.put("title", c.title());
        json.put("subject", c.subject());
        json.put("protocol", c.version().name());
        json.put("handshake", c.resumed() ? "resumed" : "full");
        json.put("threads", c.threads());
        json.put("rounds", rounds);
        json.put("loadBefore", loadBefore);
        json.put("loadAfter", loadAfter);
        List<Object> contestants = new ArrayList<>();
        for (HandshakeCase.Entry entry : c.entries()) {
            contestants.add(summary(entry.name()));
        }
        json.put("contestants", contestants);
        List<Object> comparisons = new ArrayList<>();
        for (HandshakeCase.Comparison comparison : c.comparisons()) {
            comparisons.add(toJson(ratios(comparison)));
        }
        json.put("comparisons", comparisons);
        List<Object> raw = new ArrayList<>();
        for (Batch batch : batches) {
            raw.add(List.of(batch.round(), batch.contestant(), batch.handshakes(), batch.wallNanos(), batch.cpuNanos(),
                    batch.allocatedBytes()));
        }
        json.put("batchColumns", List.of("round", "contestant", "handshakes", "wallNanos", "cpuNanos",
                "allocatedBytes"));
        json.put("batches", raw);
        return json;
    }

    /** A contestant's medians over the rounds (rate, CPU per handshake) and its heap per handshake over all. */
    private Map<String, Object> summary(String contestant) {
        Batch[] mine = of(contestant);
        double[] rate = new double[rounds];
        double[] cpu = new double[rounds];
        long handshakes = 0;
        long allocated = 0;
        for (int round = 0; round < rounds; round++) {
            rate[round] = mine[round].handshakesPerSecond();
            cpu[round] = mine[round].cpuNanosPerHandshake();
            handshakes += mine[round].handshakes();
            allocated += mine[round].allocatedBytes();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", contestant);
        json.put("handshakesPerSecond", MedianInterval.of(rate, CONFIDENCE).median());
        json.put("cpuNanosPerHandshake", MedianInterval.of(cpu, CONFIDENCE).median());
        json.put("allocatedBytesPerHandshake", (double) allocated / handshakes);
        json.put("handshakes", handshakes);
        return json;
    }

    private static Map<String, Object> toJson(Ratios ratios) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contestant", ratios.comparison().contestant());
        json.put("against", ratios.comparison().against());
        json.put("target", ratios.comparison().judged() ? ratios.comparison().target() : null);
        json.put("rate", toJson(ratios.rate()));
        json.put("cpu", toJson(ratios.cpu()));
        json.put("verdict", ratios.verdict());
        return json;
    }

    private static Map<String, Object> toJson(MedianInterval interval) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("median", interval.median());
        json.put("low", interval.low());
        json.put("high", interval.high());
        json.put("n", interval.n());
        json.put("coverage", interval.coverage());
        return json;
    }
}
