#!/usr/bin/env python3
"""Prints TicketKeeper's performance claims from a JMH JSON result file: every ratio against OpenSSL's built-in
ticket keys measured in the same run, each with its target and whether it was met.

usage: report.py RESULT.json [--markdown] [--quick]

--markdown prints the tables of docs/benchmarks.md instead of plain text. --quick (for bin/bench --quick) judges
no target: a run without warm-up is a smoke check, not a measurement. Any benchmark run in JMH's sample-time
mode (for example a session store's get and put) gets a latency table with p50 and p99 without changes here."""

import sys

import jmh_results as jr

HANDSHAKE_RATIO_TARGET = 0.98
SCALING_TARGET = 1.8
UPCALL_TARGET_NS = 100.0
FLAT_TARGET = 0.95
ALLOC_TARGET_BYTES = 1.0


JUDGE = True


def verdict(ok):
    if not JUDGE:
        return "-"
    return "ok" if ok else "MISSED"


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def handshake_rows(results):
    """Three ratios per handshake: of the mean rates, of the best iterations' rates, and of the CPU time per
    handshake (builtin / ticketkeeper, so that all read "ticketkeeper does this fraction of the built-in rate").
    The last two hold up better when other processes share the machine."""
    for version in jr.VERSIONS:
        for kind in jr.KINDS:
            builtin = jr.handshake(results, "handshake", version, jr.BUILTIN, kind)
            keeper = jr.handshake(results, "handshake", version, jr.TICKETKEEPER, kind)
            if builtin is None or keeper is None:
                continue
            ratio = keeper.score / builtin.score
            cpu_ratio = None
            if keeper.cpu_per_op() and builtin.cpu_per_op():
                cpu_ratio = builtin.cpu_per_op() / keeper.cpu_per_op()
            alloc = (None if keeper.alloc_per_op() is None or builtin.alloc_per_op() is None
                     else keeper.alloc_per_op() - builtin.alloc_per_op())
            best_ratio = keeper.best() / builtin.best()
            yield [f"{jr.version_label(version)} {kind}", fmt(builtin.score), fmt(keeper.score), f"{ratio:.3f}",
                   verdict(ratio >= HANDSHAKE_RATIO_TARGET), f"{best_ratio:.3f}",
                   verdict(best_ratio >= HANDSHAKE_RATIO_TARGET), fmt(builtin.cpu_per_op()), fmt(keeper.cpu_per_op()),
                   fmt(cpu_ratio, 3), "n/a" if cpu_ratio is None else verdict(cpu_ratio >= HANDSHAKE_RATIO_TARGET),
                   fmt(alloc, 0)]


def scaling_rows(results):
    """The measured scaling, and the scaling the CPU time per handshake predicts with two free cores: 2 x CPU
    per handshake on one thread / on two. Contention (a lock, a bouncing cache line) raises the CPU time per
    handshake on two threads; other processes on the machine lower the measured scaling but not the predicted."""
    for version in jr.VERSIONS:
        for kind in jr.KINDS:
            for tickets in (jr.BUILTIN, jr.TICKETKEEPER):
                one = jr.handshake(results, "handshake", version, tickets, kind)
                two = jr.handshake(results, "handshakeTwoThreads", version, tickets, kind)
                if one is None or two is None:
                    continue
                ratio = two.score / one.score
                predicted = None
                if one.cpu_per_op() and two.cpu_per_op():
                    predicted = 2 * one.cpu_per_op() / two.cpu_per_op()
                judged = tickets == jr.TICKETKEEPER
                yield [f"{jr.version_label(version)} {kind}", tickets, fmt(one.score), fmt(two.score),
                       f"{ratio:.2f}", verdict(ratio >= SCALING_TARGET) if judged else "(baseline)",
                       fmt(one.cpu_per_op()), fmt(two.cpu_per_op()), fmt(predicted, 2),
                       "n/a" if predicted is None else verdict(predicted >= SCALING_TARGET) if judged else "(baseline)"]


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


def key_lookup_rows(results):
    rows = sorted((r for r in results if r.benchmark == jr.KEY_LOOKUP), key=lambda r: int(r.params["keys"]))
    if not rows:
        return
    smallest = rows[0]
    for row in rows:
        ratio = row.score / smallest.score
        yield [row.params["keys"], fmt(row.score), f"{ratio:.3f}", f">= {FLAT_TARGET}", verdict(ratio >= FLAT_TARGET)]


def latency_rows(results):
    for row in results:
        if row.mode != "sample":
            continue
        params = ", ".join(f"{k}={v}" for k, v in sorted(row.params.items()))
        name = row.benchmark.rpartition(".")[2] + "." + row.method
        yield [name, params, fmt(row.percentile(50), 1), fmt(row.percentile(99), 1), row.unit]


TABLES = [
    ("Handshakes per second, TicketKeeper against OpenSSL's built-in ticket keys (1 thread)",
     ["handshake", "openssl-builtin ops/s", "ticketkeeper ops/s", "rate ratio", "(>= 0.98)", "best-iteration ratio",
      "(>= 0.98)",
      "openssl-builtin CPU ns", "ticketkeeper CPU ns", "CPU ratio", "(>= 0.98)", "extra B/handshake"],
     handshake_rows),
    ("Two threads against one on a shared server context",
     ["handshake", "tickets", "1 thread ops/s", "2 threads ops/s", "2t / 1t", "(>= 1.8)", "CPU ns 1t",
      "CPU ns 2t", "2 x CPU 1t / 2t", "(>= 1.8)"],
     scaling_rows),
    ("One upcall: round trip from a downcall, what a handshake pays (minus the downcall), the decision alone "
     "(minus an empty upcall), Java heap per call",
     ["upcall", "keys", "round trip ns", "paid ns", "decision ns", "B/op", "target", ""],
     callback_rows),
    ("The ticket key callback alone, ns: OpenSSL's built-in set-up against TicketKeeper's native set-up plus the "
     "upcall a handshake pays",
     ["callback", "openssl-builtin", "ticketkeeper set-up", "upcall + decision", "ticketkeeper total",
      "total / builtin"],
     whole_callback_rows),
    ("Resumed TLS 1.2 handshakes per second by number of published keys",
     ["keys", "ops/s", "vs fewest keys", "target", ""],
     key_lookup_rows),
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
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    global JUDGE
    JUDGE = "--quick" not in argv[2:]
    results = jr.load(argv[1])
    printer = print_markdown if "--markdown" in argv[2:] else print_text
    missed = 0
    for title, header, rows_of in TABLES:
        rows = list(rows_of(results))
        if rows:
            printer(title, header, rows)
            missed += sum(1 for row in rows for cell in row if cell == "MISSED")
    if printer is print_text and JUDGE:
        print(f"{missed} target(s) missed" if missed else "every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
