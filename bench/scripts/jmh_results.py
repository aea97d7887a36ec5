"""Reads a JMH JSON result file (the nanosecond benchmarks; handshakes are measured in pairs, see
paired_results.py) into the figures TicketKeeper's performance claims are made of.

Shared by report.py (ratios and tables) and chart.py (the PNG). Standard library only."""

import json

CALLBACK = "io.ticketkeeper.bench.TicketCallbackBenchmark"
CRYPTO_SETUP = "io.ticketkeeper.bench.CryptoSetupBenchmark"


def number(value):
    """A JMH figure as a float, or None where JMH wrote "NaN" (a single iteration has no error)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if value != value else value


# The upcall benchmarks' names before the shim said seal/open/stamp, so that results committed earlier still read.
OLD_METHOD_NAMES = {"encrypt": "seal", "decrypt": "open", "generate": "stamp"}


class Result:
    """One JMH result row: benchmark method, parameters, score and the metrics -prof gc adds."""

    def __init__(self, row):
        self.benchmark, _, method = row["benchmark"].rpartition(".")
        self.method = OLD_METHOD_NAMES.get(method, method) if self.benchmark == CALLBACK else method
        self.mode = row["mode"]
        self.threads = row["threads"]
        self.params = row.get("params", {})
        primary = row["primaryMetric"]
        self.score = primary["score"]
        self.error = number(primary.get("scoreError"))
        self.unit = primary["scoreUnit"]
        self.percentiles = primary.get("scorePercentiles", {})
        self.iterations = [value for fork in primary.get("rawData", []) for value in fork]
        self.secondary = {name.lstrip("\u00b7"): metric["score"]
                          for name, metric in row.get("secondaryMetrics", {}).items()}

    def best(self):
        """The best iteration's score (the highest rate, or the lowest time): the run least disturbed by other
        processes on a shared machine, which only ever slow a benchmark down."""
        if not self.iterations:
            return self.score
        return max(self.iterations) if self.unit.endswith("/s") else min(self.iterations)

    def alloc_per_op(self):
        """Bytes of Java heap per operation, or None when the run had no -prof gc."""
        return self.secondary.get("gc.alloc.rate.norm")

    def cpu_per_op(self):
        """CPU ns of the JVM per operation, or None when the run had no CpuTimeProfiler."""
        return self.secondary.get("cpu.time.norm")

    def percentile(self, p):
        return self.percentiles.get("%.1f" % p)


def load(path):
    with open(path) as f:
        return [Result(row) for row in json.load(f)]


def find(results, benchmark, method, **params):
    for result in results:
        if result.benchmark == benchmark and result.method == method and all(
                result.params.get(k) == str(v) for k, v in params.items()):
            return result
    return None
