package io.ticketkeeper.bench.paired;

import java.util.Arrays;

/**
 * The median of paired ratios and its distribution-free confidence interval from the sign test: with {@code n}
 * values, the interval between the k-th smallest and the k-th largest covers the true median with probability
 * 1 - 2 P(B <= k - 1), B binomial(n, 1/2). It assumes nothing about the ratios' distribution (a neighbour's burst
 * gives a long tail) beyond the pairs being independent, and is the same every time for the same data.
 *
 * @param coverage the interval's exact coverage, at least the confidence asked for when {@code n} allows it (n >= 6
 *     for 95 %); below that the interval is the whole range and its coverage says how little that is
 */
record MedianInterval(double median, double low, double high, int n, double coverage) {

    static MedianInterval of(double[] values, double confidence) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double tail = (1 - confidence) / 2;
        // k = 1 is the whole range; take the largest k whose two tails together stay within 1 - confidence.
        int k = 1;
        while (k < (n + 1) / 2 && binomialHalfCdf(n, k) <= tail) {
            k++;
        }
        double coverage = 1 - 2 * binomialHalfCdf(n, k - 1);
        return new MedianInterval(median, sorted[k - 1], sorted[n - k], n, coverage);
    }

    /** P(B <= k) for B binomial(n, 1/2), summed in logarithms so that large n does not underflow. */
    static double binomialHalfCdf(int n, int k) {
        if (k < 0) {
            return 0;
        }
        double logTerm = -n * Math.log(2);
        double sum = 0;
        for (int i = 0; i <= Math.min(k, n); i++) {
            sum += Math.exp(logTerm);
            logTerm += Math.log(n - i) - Math.log(i + 1);
        }
        return Math.min(1, sum);
    }

    /** Whether the whole interval is at or above {@code target}. */
    boolean atLeast(double target) {
        return low >= target;
    }

    /** Whether the whole interval is below {@code target}. */
    boolean below(double target) {
        return high < target;
    }
}
