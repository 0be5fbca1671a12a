"""Draws the cost curves of `make bench-plot` (bench-plot.sh runs it in plot/.venv).

Reads the Curves group's influx exports (one benchmark per point, named `<sweep>=<size>
<operation>`; per-operation times are per 1,000 operations, so divided by 1,000) and the
peers' sweep (peers.py --sweep), writes three PNGs and prints a Markdown summary.
"""
import argparse
import csv
import re
from collections import defaultdict

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BATCH = 1000  # Suite.perOpBatch: operations per sample of a per-operation benchmark


def read_curves(paths):
    """{(sweep, operation): {size: {metric: p50}}} from the influx CSV: "claims=1024 open" is
    [("claims", "open")][1024]."""
    curves = defaultdict(lambda: defaultdict(dict))
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [r for r in csv.reader(f) if len(r) > 10 and r[0] == "Curves"]
    for r in rows:
        metric, test, percentile, value = r[6], r[8], r[9], r[10]
        m = re.fullmatch(r"(\w+)=(\d+) (.+)", test)
        if m and percentile == "50.0":
            curves[m.group(1), m.group(3)][int(m.group(2))][metric] = float(value)
    return curves


def per_op_ns(curves, series):
    points = sorted(curves[series].items())
    return [s for s, _ in points], [v["Time(wallclock)"] / BATCH for _, v in points]


def metric_like(values, pattern):
    return next(v for k, v in values.items() if re.search(pattern, k))


def read_peers(path):
    """{"name, format": ([claims bytes], [ns], [token bytes])} from peers.py --sweep."""
    peers = defaultdict(lambda: ([], [], []))
    with open(path) as f:
        for line in f:
            name, fmt, size, token, ns = line.rstrip("\n").split("\t")
            for column, value in zip(peers[f"{name.split()[0]}, {fmt}"], (size, ns, token)):
                column.append(int(float(value)))
    return peers


def figure(stamp, title, panels=1, width=6.4):
    fig, axes = plt.subplots(1, panels, figsize=(width * panels, 4.6), squeeze=False)
    fig.suptitle(f"{title}\n{stamp}", fontsize=10)
    return fig, axes[0]


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True, nargs="+")
    ap.add_argument("--peers", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--stamp", required=True)
    args = ap.parse_args()
    curves, peers = read_curves(args.csv), read_peers(args.peers)
    print(f"Cost curves: {args.stamp}\n")

    # Open against the claims' size, log-log.
    fig, (ax,) = figure(args.stamp, "Opening a token against the size of its claims (p50)", width=9.6)
    sizes, ours = per_op_ns(curves, ("claims", "open"))
    ax.plot(sizes, ours, "o-", lw=2, label="swift-session-token open (JWE dir+XC20P)")
    ax.plot(*per_op_ns(curves, ("claims", "raw decrypt")), "k--", label="raw XChaCha20-Poly1305 decrypt (libsodium)")
    rows = [("swift-session-token", ours)]
    for label, (psizes, ns, _) in peers.items():
        ax.plot(psizes, ns, "s-", label=f"{label} (Python)")
        rows.append((label, ns))
    ax.set(xscale="log", yscale="log", xlabel="claims (bytes of JSON)", ylabel="ns per open")
    ax.set_xticks(sizes, [f"{s:,}" for s in sizes])
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    save(fig, f"{args.out}/curve-open-size.png")
    print("| open, ns (p50) | " + " | ".join(f"{s:,} B" for s in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for label, ns in rows:
        print(f"| {label} | " + " | ".join(f"{v:,.0f}" for v in ns) + " |")

    # The revocation check and the set's memory against its size.
    fig, (check, memory) = figure(args.stamp, "Revocation set: check cost and memory against its size", panels=2)
    for series, label in ((("entries", "check not revoked"), "not revoked"),
                          (("entries", "check revoked"), "revoked session")):
        check.plot(*per_op_ns(curves, series), "o-", label=label)
    check.set(xscale="log", xlabel="entries (half users, half sessions)", ylabel="ns per check (p50)")
    memory_points = curves["entries", "set memory"]
    entries = sorted(memory_points)
    points = [memory_points[n] for n in entries]
    requested = [metric_like(p, r"(?i)malloc.*bytes") / n for p, n in zip(points, entries)]
    allocator = [metric_like(p, r"(?i)allocator") / n for p, n in zip(points, entries)]
    memory.plot(entries, requested, "o-", label="bytes requested (package-benchmark)")
    memory.plot(entries, allocator, "s--", label="bytes in use (glibc mallinfo2)")
    # Sets of one kind, one entry past a doubling of Swift's tables: where an entry costs most.
    worst = {}
    for kind, marker in (("users", "^"), ("sessions", "v")):
        kind_points = curves[kind, "set memory"]
        sizes = sorted(kind_points)
        worst[kind] = [metric_like(kind_points[n], r"(?i)malloc.*bytes") / n for n in sizes]
        if sizes:
            memory.plot(sizes, worst[kind], marker, ms=8, ls="none",
                        label=f"{kind} only, one past a table doubling (requested)")
    memory.axhline(100, color="r", lw=1, label="target: 100 bytes an entry")
    memory.set(xscale="log", ylim=(0, 130), xlabel="entries (IDs up to 24 bytes)", ylabel="state bytes per entry")
    check.set_ylim(0, check.get_ylim()[1] * 1.25)
    for ax in (check, memory):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    save(fig, f"{args.out}/curve-revocations.png")
    checked, miss = per_op_ns(curves, ("entries", "check not revoked"))
    _, hit = per_op_ns(curves, ("entries", "check revoked"))
    print("\n| entries | check, not revoked (ns) | check, revoked (ns) |\n|---:|---:|---:|")
    for row in zip(checked, miss, hit):
        print("| {:,} | {:,.0f} | {:,.0f} |".format(*row))
    print("\n| entries | bytes an entry, requested | bytes an entry, in use |\n|---:|---:|---:|")
    for row in zip(entries, requested, allocator):
        print("| {:,} | {:,.1f} | {:,.1f} |".format(*row))
    print("\n| one kind, one past a table doubling | " + " | ".join(
        f"{n:,}" for n in sorted(curves["users", "set memory"])) + " |")
    print("|---|" + "---:|" * len(curves["users", "set memory"]))
    for kind, values in worst.items():
        print(f"| {kind}, bytes an entry requested | " + " | ".join(f"{v:,.1f}" for v in values) + " |")

    # Open against the ring's size.
    fig, (ax,) = figure(args.stamp, "Opening a token against the key ring's size (p50)")
    keys, ns = per_op_ns(curves, ("ring", "open"))
    ax.plot(keys, ns, "o-", lw=2, label="open, token under the ring's last key")
    ax.set(xscale="log", ylim=(0, max(ns) * 1.25), xlabel="keys in the ring", ylabel="ns per open")
    ax.minorticks_off()
    ax.set_xticks(keys, [str(k) for k in keys])
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, f"{args.out}/curve-open-ring.png")
    print("\n| keys | " + " | ".join(map(str, keys)) + " |\n|---|" + "---:|" * len(keys))
    print("| open, ns (p50) | " + " | ".join(f"{v:,.0f}" for v in ns) + " |")


if __name__ == "__main__":
    main()
