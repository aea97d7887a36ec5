#!/usr/bin/env python3
"""Prints TicketKeeper's performance claims from result files: the paired handshake runner's JSON (every ratio
against OpenSSL's built-in ticket keys measured in alternating batches of one process, with its 95 % interval and
verdict) and JMH's JSON (the nanosecond benchmarks), each claim with its target and whether it was met.

usage: report.py RESULT.json... [--markdown] [--quick]

Each file is recognised by its content. --markdown prints the tables of docs/benchmarks.md instead of plain text.
--quick (for bin/bench --quick) judges no target: a run without warm-up is a smoke check, not a measurement. Any
benchmark run in JMH's sample-time mode (for example a session store's get and put) gets a latency table with p50
and p99 without changes here."""

import json
import sys

import jmh_results as jr
import paired_results as pr

UPCALL_TARGET_NS = 100.0
ALLOC_TARGET_BYTES = 1.0


JUDGE = True


def verdict(ok):
    if not JUDGE:
        return "-"
    return "ok" if ok else "MISSED"


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def interval(ratio):
    return f"{ratio['median']:.3f} [{ratio['low']:.3f}, {ratio['high']:.3f}]"


def judged(comparison):
    """The runner's verdict: met only when the whole 95 % interval is at or above the target."""
    verdict = comparison["verdict"]
    if not JUDGE or verdict is None:
        return "-"
    target = f"{comparison['target']:.2f}"
    return {"meets": f"meets >= {target}", "misses": f"MISSED {target}"}.get(verdict, f"unresolved ({target})")


def micros(nanos):
    return fmt(nanos / 1000, 1)


def tickets_rows(run, threads):
    """TicketKeeper (each backend) against the built-in keys, one row per handshake, on {threads} threads."""
    for case in run.cases:
        if case.threads != threads or pr.BUILTIN not in case.contestants:
            continue
        builtin = case.contestants[pr.BUILTIN]
        for comparison in case.comparisons:
            if comparison["against"] != pr.BUILTIN:
                continue
            keeper = case.contestants[comparison["contestant"]]
            extra = keeper["allocatedBytesPerHandshake"] - builtin["allocatedBytesPerHandshake"]
            yield [case.label(), comparison["contestant"], fmt(builtin["handshakesPerSecond"]),
                   fmt(keeper["handshakesPerSecond"]), interval(comparison["rate"]), judged(comparison),
                   micros(builtin["cpuNanosPerHandshake"]), micros(keeper["cpuNanosPerHandshake"]),
                   interval(comparison["cpu"]), fmt(extra, 0), case.rounds, case.load_before]


def scaling_rows(run):
    """Two threads against one, per contestant, from the medians of the one- and two-thread cases (two runs, so
    not paired), and the scaling the CPU time per handshake predicts with two free cores."""
    for one in run.cases:
        if one.threads != 1 or one.subject is not None:
            continue
        two = run.case(one.protocol, one.handshake, 2)
        if two is None:
            continue
        for name, mine in one.contestants.items():
            theirs = two.contestants.get(name)
            if theirs is None:
                continue
            yield [one.label(), name, fmt(mine["handshakesPerSecond"]), fmt(theirs["handshakesPerSecond"]),
                   fmt(theirs["handshakesPerSecond"] / mine["handshakesPerSecond"], 2),
                   micros(mine["cpuNanosPerHandshake"]), micros(theirs["cpuNanosPerHandshake"]),
                   fmt(2 * mine["cpuNanosPerHandshake"] / theirs["cpuNanosPerHandshake"], 2)]


def jsse_rows(run):
    for case in run.cases:
        for comparison in case.comparisons:
            if comparison["contestant"] != pr.JSSE:
                continue
            jsse = case.contestants[pr.JSSE]
            keeper = case.contestants[comparison["against"]]
            yield [case.label(), f"{case.threads}", fmt(jsse["handshakesPerSecond"]),
                   fmt(keeper["handshakesPerSecond"]), interval(comparison["rate"]),
                   micros(jsse["cpuNanosPerHandshake"]), micros(keeper["cpuNanosPerHandshake"]),
                   interval(comparison["cpu"]), fmt(jsse["allocatedBytesPerHandshake"], 0), case.rounds]


def key_rows(run):
    for case in run.cases:
        if case.subject != "key lookup":
            continue
        for name, contestant in case.contestants.items():
            keys = name.rpartition("/")[2]
            comparison = next((c for c in case.comparisons if c["contestant"] == name), None)
            yield [keys, fmt(contestant["handshakesPerSecond"]), micros(contestant["cpuNanosPerHandshake"]),
                   "(baseline)" if comparison is None else interval(comparison["rate"]),
                   "" if comparison is None else judged(comparison)]


def callback_rows(results):
    """Per key count: each upcall's round trip, and what a handshake pays (the round trip minus the downcall)."""
    for keys in sorted({r.params.get("keys") for r in results if r.benchmark == jr.CALLBACK}, key=int):
        downcall = jr.find(results, jr.CALLBACK, "downcallOnly", keys=keys)
        empty = jr.find(results, jr.CALLBACK, "emptyUpcall", keys=keys)
        for method in ("emptyUpcall", "seal", "open", "stamp", "session"):
            result = jr.find(results, jr.CALLBACK, method, keys=keys)
            if result is None or downcall is None or empty is None:
                continue
            paid = result.score - downcall.score
            decision = result.score - empty.score
            alloc = result.alloc_per_op()
            ok = paid < UPCALL_TARGET_NS and (alloc is None or alloc < ALLOC_TARGET_BYTES)
            yield [method, keys, fmt(result.score, 1), fmt(paid, 1), fmt(decision, 1), fmt(alloc, 3),
                   f"< {UPCALL_TARGET_NS:.0f} ns, ~0 B", verdict(ok) if method != "emptyUpcall" else "(baseline)"]


def whole_callback_rows(results):
    """The ticket key callback as a whole: the upcall a handshake pays plus the native crypto set-up."""
    downcall = jr.find(results, jr.CALLBACK, "downcallOnly", keys="10")
    for direction, upcall_method in (("Seal", "seal"), ("Open", "open")):
        builtin = jr.find(results, jr.CRYPTO_SETUP, "builtin" + direction)
        setup = jr.find(results, jr.CRYPTO_SETUP, "ticketkeeper" + direction)
        upcall = jr.find(results, jr.CALLBACK, upcall_method, keys="10")
        if builtin is None or setup is None or upcall is None or downcall is None:
            continue
        paid = upcall.score - downcall.score
        total = paid + setup.score
        yield [f"{upcall_method} (enc={1 if direction == 'Seal' else 0})", fmt(builtin.score, 0),
               fmt(setup.score, 0), fmt(paid, 0), fmt(total, 0), f"{total / builtin.score:.2f}"]


def latency_rows(results):
    for row in results:
        if row.mode != "sample":
            continue
        params = ", ".join(f"{k}={v}" for k, v in sorted(row.params.items()))
        name = row.benchmark.rpartition(".")[2] + "." + row.method
        yield [name, params, fmt(row.percentile(50), 1), fmt(row.percentile(99), 1), row.unit]


PAIRED_TABLES = [
    ("Handshakes per second, paired: TicketKeeper against OpenSSL's built-in ticket keys, 1 thread (median ratio "
     "of alternating batches, 95 % interval)",
     ["handshake", "tickets", "openssl-builtin /s", "tickets /s", "rate ratio [95 % interval]", "verdict",
      "openssl-builtin CPU µs", "tickets CPU µs", "CPU ratio [95 % interval]", "extra B/handshake", "pairs",
      "load"],
     lambda run: tickets_rows(run, 1)),
    ("Handshakes per second, paired: two threads on one server context, against the built-in keys on two threads",
     ["handshake", "tickets", "openssl-builtin /s", "tickets /s", "rate ratio [95 % interval]", "verdict",
      "openssl-builtin CPU µs", "tickets CPU µs", "CPU ratio [95 % interval]", "extra B/handshake", "pairs",
      "load"],
     lambda run: tickets_rows(run, 2)),
    ("Two threads against one (medians of two paired runs)",
     ["handshake", "tickets", "1 thread /s", "2 threads /s", "2t / 1t", "CPU µs 1t", "CPU µs 2t",
      "2 x CPU 1t / 2t"],
     scaling_rows),
    ("What a Java user would pick instead: the JDK's TLS (SSLEngine, stateless tickets) against OpenSSL with "
     "TicketKeeper, paired",
     ["handshake", "threads", "jsse /s", "ticketkeeper /s", "jsse / ticketkeeper [95 % interval]", "jsse CPU µs",
      "ticketkeeper CPU µs", "CPU ratio [95 % interval]", "jsse B/handshake", "rounds"],
     jsse_rows),
    ("Key lookup: resumed TLS 1.2 handshakes by number of published keys, paired against the fewest",
     ["keys", "handshakes/s", "CPU µs", "ratio to fewest [95 % interval]", "verdict"],
     key_rows),
]

JMH_TABLES = [
    ("One upcall: round trip from a downcall, what a handshake pays (minus the downcall), the decision alone "
     "(minus an empty upcall), Java heap per call",
     ["upcall", "keys", "round trip ns", "paid ns", "decision ns", "B/op", "target", ""],
     callback_rows),
    ("The ticket key callback alone, ns: OpenSSL's built-in set-up against TicketKeeper's native set-up plus the "
     "upcall a handshake pays",
     ["callback", "openssl-builtin", "ticketkeeper set-up", "upcall + decision", "ticketkeeper total",
      "total / builtin"],
     whole_callback_rows),
    ("Latency (sample-time benchmarks)",
     ["benchmark", "params", "p50", "p99", "unit"],
     latency_rows),
]


def print_text(title, header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    print(title)
    for row in [header] + rows:
        print("  " + "  ".join(str(cell).rjust(width) for cell, width in zip(row, widths)))
    print()


def print_markdown(title, header, rows):
    print(f"**{title}**\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def main(argv):
    options = [a for a in argv[1:] if a.startswith("--")]
    files = [a for a in argv[1:] if not a.startswith("--")]
    if not files or "--help" in options or "-h" in argv[1:]:
        print(__doc__.strip())
        return 2
    global JUDGE
    JUDGE = "--quick" not in options
    printer = print_markdown if "--markdown" in options else print_text
    missed = unresolved = 0
    for path in files:
        with open(path) as f:
            document = json.load(f)
        if pr.is_paired(document):
            tables, results = PAIRED_TABLES, pr.Run(document)
        else:
            tables, results = JMH_TABLES, [jr.Result(row) for row in document]
        for title, header, rows_of in tables:
            rows = list(rows_of(results))
            if rows:
                printer(title, header, rows)
                missed += sum(1 for row in rows for cell in row if str(cell).startswith("MISSED"))
                unresolved += sum(1 for row in rows for cell in row if str(cell).startswith("unresolved"))
    if printer is print_text and JUDGE:
        print(f"{missed} target(s) missed" if missed else "no target missed",
              f"({unresolved} unresolved: the 95 % interval spans the target)" if unresolved else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
