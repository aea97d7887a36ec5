#!/usr/bin/python3
"""Draws docs/benchmarks.png from a JMH JSON result file: TicketKeeper against OpenSSL's built-in ticket keys.

usage: chart.py RESULT.json OUT.png

Needs matplotlib (Debian: apt-get install python3-matplotlib, used by /usr/bin/python3)."""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

import jmh_results as jr  # noqa: E402

BUILTIN_COLOUR = "#9e9e9e"
KEEPER_COLOUR = "#1f77b4"
CATEGORIES = [(version, kind) for version in jr.VERSIONS for kind in jr.KINDS]


def label(version, kind):
    return f"{jr.version_label(version)}\n{kind}"


def handshake_ratios(ax, results):
    width = 0.38
    for offset, method, name, colour in ((-width / 2, "handshake", "1 thread", KEEPER_COLOUR),
                                         (width / 2, "handshakeTwoThreads", "2 threads", "#6baed6")):
        # No error bars: JMH's 99.9% intervals over five iterations are wider than the whole panel on a shared
        # machine; the best iterations' ratio (x) shows the spread instead.
        xs, ratios, bests = [], [], []
        for x, (version, kind) in enumerate(CATEGORIES):
            keeper = jr.handshake(results, method, version, jr.TICKETKEEPER, kind)
            builtin = jr.handshake(results, method, version, jr.BUILTIN, kind)
            if keeper and builtin:
                xs.append(x + offset)
                ratios.append(keeper.score / builtin.score)
                bests.append(keeper.best() / builtin.best())
        bars = ax.bar(xs, ratios, width, color=colour, label=name + " (mean)")
        ax.bar_label(bars, fmt="%.3f", fontsize=7, padding=2)
        ax.plot(xs, bests, "kx", markersize=6, label="best iterations" if offset > 0 else None)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.axhline(0.98, color="red", linestyle="--", linewidth=0.8, label="target 0.98")
    ax.set_xticks(range(len(CATEGORIES)), [label(*c) for c in CATEGORIES])
    heights = [bar.get_height() for bar in ax.patches]
    ax.set_ylim(min([0.8] + [h - 0.05 for h in heights]), max([1.2] + [h + 0.08 for h in heights]))
    ax.set_ylabel("ticketkeeper / openssl-builtin")
    ax.set_title("Handshake rate, ratio to OpenSSL's built-in ticket keys")
    ax.legend(fontsize=7, loc="lower right")


def scaling(ax, results):
    width = 0.38
    for offset, tickets, colour in ((-width / 2, jr.BUILTIN, BUILTIN_COLOUR), (width / 2, jr.TICKETKEEPER,
                                                                                 KEEPER_COLOUR)):
        xs, ratios = [], []
        for x, (version, kind) in enumerate(CATEGORIES):
            one = jr.handshake(results, "handshake", version, tickets, kind)
            two = jr.handshake(results, "handshakeTwoThreads", version, tickets, kind)
            if one and two:
                xs.append(x + offset)
                ratios.append(two.score / one.score)
        bars = ax.bar(xs, ratios, width, color=colour, label=tickets)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    ax.axhline(1.8, color="red", linestyle="--", linewidth=0.8, label="target 1.8")
    ax.set_xticks(range(len(CATEGORIES)), [label(*c) for c in CATEGORIES])
    ax.set_ylim(0, max([2.3] + [bar.get_height() * 1.1 for bar in ax.patches]))
    ax.set_ylabel("2 threads / 1 thread")
    ax.set_title("Two threads on one server context")
    ax.legend(fontsize=7, loc="lower right")


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
    ax.set_xticks(list(xs), [name for name, _ in found], fontsize=8)
    ax.set_ylabel("ns per call")
    ax.set_title("One upcall: transition and decision (10 keys)")
    ax.legend(fontsize=7, loc="upper left")


def key_lookup(ax, results):
    rows = sorted((r for r in results if r.benchmark == jr.KEY_LOOKUP), key=lambda r: int(r.params["keys"]))
    if not rows:
        ax.set_axis_off()
        return
    keys = [int(r.params["keys"]) for r in rows]
    ax.errorbar(keys, [r.score for r in rows], yerr=[r.error or 0 for r in rows], marker="o", capsize=3,
                color=KEEPER_COLOUR)
    ax.set_xscale("log")
    ax.set_ylim(0, max(r.score for r in rows) * 1.3)
    ax.set_xlabel("published keys")
    ax.set_ylabel("resumed TLS 1.2 handshakes / s")
    ax.set_title("Key lookup: rate by number of keys")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip())
        return 2
    results = jr.load(argv[1])
    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    handshake_ratios(axes[0][0], results)
    scaling(axes[0][1], results)
    upcalls(axes[1][0], results)
    key_lookup(axes[1][1], results)
    figure.suptitle("TicketKeeper (Java policy) against OpenSSL's built-in ticket keys, same JMH run")
    figure.tight_layout()
    figure.savefig(argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
