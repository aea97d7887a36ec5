#!/usr/bin/python3
"""Draws docs/benchmarks/chart.png: TicketKeeper against OpenSSL's built-in ticket keys, from the paired handshake
runner's JSON and JMH's JSON (either may be missing its panels' data; those panels stay empty).

usage: chart.py HANDSHAKES.json JMH.json OUT.png

Needs matplotlib (Debian: apt-get install python3-matplotlib, used by /usr/bin/python3)."""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

import jmh_results as jr  # noqa: E402
import paired_results as pr  # noqa: E402

BUILTIN_COLOUR = "#9e9e9e"
KEEPER_COLOUR = "#1f77b4"
JSSE_COLOUR = "#d62728"
CATEGORIES = [(version, kind) for version in pr.VERSIONS for kind in pr.KINDS]


def label(version, kind):
    return f"{pr.version_label(version)}\n{kind}"


def with_interval(ax, xs, comparisons, width, colour, name):
    medians = [c["rate"]["median"] for c in comparisons]
    below = [c["rate"]["median"] - c["rate"]["low"] for c in comparisons]
    above = [c["rate"]["high"] - c["rate"]["median"] for c in comparisons]
    bars = ax.bar(xs, medians, width, color=colour, label=name, yerr=[below, above], capsize=3,
                  error_kw={"elinewidth": 0.8})
    ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=2, rotation=90)
    return medians, [c["rate"]["low"] for c in comparisons], [c["rate"]["high"] for c in comparisons]


# The bars of the ratio panel: TicketKeeper on each backend, one and two threads, each against the built-in keys
# of its own JVM (the JNA backend runs in a second one: PairedHandshakes).
RATIO_SERIES = [
    (pr.TICKETKEEPER, None, 1, KEEPER_COLOUR, "FFM"),
    (pr.TICKETKEEPER, None, 2, "#6baed6", "FFM"),
    (pr.TICKETKEEPER_JNA, pr.JNA_SUBJECT, 1, "#ff7f0e", "JNA"),
    (pr.TICKETKEEPER_JNA, pr.JNA_SUBJECT, 2, "#fdbe85", "JNA"),
]


def handshake_ratios(ax, run):
    series = []
    for name, subject, threads, colour, backend in RATIO_SERIES:
        found = []
        for x, (version, kind) in enumerate(CATEGORIES):
            case = run.case(version, kind, threads, subject) if run else None
            comparison = case.comparison(name, pr.BUILTIN) if case else None
            if comparison:
                found.append((x, comparison))
        if found:
            series.append((threads, colour, backend, found))
    width = 0.8 / max(1, len(series))
    lows, highs = [1.0], [1.0]
    for i, (threads, colour, backend, found) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        xs = [x + offset for x, _ in found]
        target = 0.98 if threads == 1 else 0.95
        _, low, high = with_interval(ax, xs, [c for _, c in found], width, colour,
                                     f"{backend}, {threads} thread{'s' if threads > 1 else ''} (target {target})")
        lows += low
        highs += high
        ax.hlines(target, min(xs) - width / 2, max(xs) + width / 2, colors="red",
                  linestyles="--" if threads == 1 else ":", linewidth=0.8)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(CATEGORIES)), [label(*c) for c in CATEGORIES])
    ax.set_ylim(min(0.85, min(lows) - 0.03), max(1.15, max(highs) + 0.03))
    ax.set_ylabel("ticketkeeper / openssl-builtin")
    ax.set_title("Handshake rate ratio, paired: median, 95 % interval")
    ax.legend(fontsize=7, loc="lower right")


def jsse(ax, run):
    cases = [c for c in (run.cases if run else []) if c.comparison(pr.JSSE, pr.TICKETKEEPER)]
    if not cases:
        ax.set_axis_off()
        return
    width = 0.38
    xs = range(len(cases))
    for offset, name, colour in ((-width / 2, pr.TICKETKEEPER, KEEPER_COLOUR), (width / 2, pr.JSSE, JSSE_COLOUR)):
        rates = [c.contestants[name]["handshakesPerSecond"] for c in cases]
        bars = ax.bar([x + offset for x in xs], rates, width, color=colour,
                      label="OpenSSL + TicketKeeper" if name == pr.TICKETKEEPER else "JDK (SSLEngine)")
        ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=2)
    for x, c in zip(xs, cases):
        ratio = c.comparison(pr.JSSE, pr.TICKETKEEPER)["rate"]["median"]
        ax.annotate(f"JDK = {ratio:.2f} x", (x, 0), xytext=(0, -28), textcoords="offset points", ha="center",
                    fontsize=7)
    ax.set_xticks(list(xs), [c.label() for c in cases])
    ax.margins(y=0.15)
    ax.set_ylabel("handshakes / s (client and server, 1 thread)")
    ax.set_title("What a Java user would pick instead: the JDK's TLS")
    ax.legend(fontsize=7, loc="upper right")


def upcalls(ax, results):
    keys = "10"
    downcall = jr.find(results, jr.CALLBACK, "downcallOnly", keys=keys)
    names = ["emptyUpcall", "seal", "open", "stamp", "session"]
    found = [(name, jr.find(results, jr.CALLBACK, name, keys=keys)) for name in names]
    found = [(name, r) for name, r in found if r is not None]
    if downcall is None or not found:
        ax.set_axis_off()
        return
    paid = [r.score - downcall.score for _, r in found]
    xs = range(len(found))
    ax.bar(xs, paid, 0.6, color=KEEPER_COLOUR, label="paid in a handshake")
    bars = ax.bar(xs, [downcall.score] * len(found), 0.6, bottom=paid, color="#c6dbef",
                  label="downcall (benchmark only)")
    ax.bar_label(bars, labels=[f"{p:.0f} ns" for p in paid], fontsize=7, padding=2)
    ax.axhline(100, color="red", linestyle="--", linewidth=0.8, label="target 100 ns")
    ax.set_ylim(0, max(100.0, downcall.score + max(paid)) * 1.4)  # room for the legend above the bars
    ax.set_xticks(list(xs), [name for name, _ in found], fontsize=8)
    ax.set_ylabel("ns per call")
    ax.set_title("One upcall: transition and decision (10 keys)")
    ax.legend(fontsize=7, loc="upper left")


def key_lookup(ax, run):
    case = next((c for c in (run.cases if run else []) if c.subject == "key lookup"), None)
    if case is None:
        ax.set_axis_off()
        return
    names = list(case.contestants)
    keys = [int(name.rpartition("/")[2].split()[0]) for name in names]
    medians, below, above = [1.0], [0.0], [0.0]
    for name in names[1:]:
        rate = next(c for c in case.comparisons if c["contestant"] == name)["rate"]
        medians.append(rate["median"])
        below.append(rate["median"] - rate["low"])
        above.append(rate["high"] - rate["median"])
    ax.errorbar(keys, medians, yerr=[below, above], marker="o", capsize=3, color=KEEPER_COLOUR)
    ax.axhline(0.95, color="red", linestyle="--", linewidth=0.8, label="target 0.95")
    ax.set_xscale("log")
    ax.set_ylim(min(0.85, min(m - b for m, b in zip(medians, below)) - 0.03),
                max(1.15, max(m + a for m, a in zip(medians, above)) + 0.03))
    ax.set_xlabel("published keys")
    ax.set_ylabel(f"rate / rate with {keys[0]} keys")
    ax.set_title("Key lookup: resumed TLS 1.2, paired against the fewest keys")
    ax.legend(fontsize=7, loc="lower right")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip())
        return 2
    run = pr.load(argv[1])
    results = jr.load(argv[2])
    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    handshake_ratios(axes[0][0], run)
    jsse(axes[0][1], run)
    upcalls(axes[1][0], results)
    key_lookup(axes[1][1], run)
    figure.suptitle("TicketKeeper (Java policy) against OpenSSL's built-in ticket keys, in one process")
    figure.tight_layout()
    figure.savefig(argv[3], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
