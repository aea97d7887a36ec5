package io.ticketkeeper.bench.paired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MedianIntervalTest {
    /** 1, 2, ..., n in a shuffled order: the k-th smallest is k. */
    private static double[] shuffledRanks(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i + 1;
        }
        Random random = new Random(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }

    @Test
    void binomialTailsMatchTheTables() {
        // P(B <= 9) for B ~ binomial(30, 1/2) is 0.02139; P(B <= 13) for n = 40 is 0.01924.
        assertEquals(0.021387, MedianInterval.binomialHalfCdf(30, 9), 1e-6);
        assertEquals(0.019239, MedianInterval.binomialHalfCdf(40, 13), 1e-6);
        assertEquals(1.0, MedianInterval.binomialHalfCdf(10, 10), 1e-12);
        assertEquals(0.0, MedianInterval.binomialHalfCdf(10, -1));
        assertEquals(0.512612, MedianInterval.binomialHalfCdf(1000, 500), 1e-6); // no underflow at large n
    }

    @Test
    void thirtyPairsGiveTheTenthAndTwentyFirstValues() {
        MedianInterval interval = MedianInterval.of(shuffledRanks(30), 0.95);
        assertEquals(15.5, interval.median());
        assertEquals(10, interval.low());
        assertEquals(21, interval.high());
        assertEquals(1 - 2 * 0.021387, interval.coverage(), 1e-5);
    }

    @Test
    void fortyPairsGiveTheFourteenthAndTwentySeventhValues() {
        MedianInterval interval = MedianInterval.of(shuffledRanks(40), 0.95);
        assertEquals(14, interval.low());
        assertEquals(27, interval.high());
        assertTrue(interval.coverage() >= 0.95);
    }

    @Test
    void tooFewPairsGiveTheWholeRangeWithItsLowCoverage() {
        MedianInterval interval = MedianInterval.of(new double[] {1.02, 0.97, 1.05, 1.01, 0.99}, 0.95);
        assertEquals(1.01, interval.median());
        assertEquals(0.97, interval.low());
        assertEquals(1.05, interval.high());
        assertEquals(1 - 2.0 / 32, interval.coverage(), 1e-12);
    }

    @Test
    void aTargetIsMetOnlyByTheWholeInterval() {
        double[] ratios = new double[40];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = 0.99 + (i % 10) * 0.002; // 0.990 ... 1.008
        }
        MedianInterval interval = MedianInterval.of(ratios, 0.95); // from the 14th (0.996) to the 27th (1.004)
        assertTrue(interval.atLeast(0.98));
        assertFalse(interval.atLeast(0.997));
        assertFalse(interval.below(0.997));
        assertTrue(interval.below(1.01));
    }

    @Test
    void oneOutlierDoesNotMoveTheInterval() {
        double[] ratios = new double[31];
        java.util.Arrays.fill(ratios, 1.0);
        ratios[3] = 0.2; // a neighbour's burst in one batch
        MedianInterval interval = MedianInterval.of(ratios, 0.95);
        assertEquals(1.0, interval.median());
        assertEquals(1.0, interval.low());
    }

    @Test
    void refusesNoValues() {
        assertThrows(IllegalArgumentException.class, () -> MedianInterval.of(new double[0], 0.95));
    }
}
