#!/usr/bin/env python3
"""Guarded / raw CPU ratio of RunPathBenchmark.interleaved (or any benchmark with RawGuardedSplit's counters).

Usage: interleaved-ratio.py RESULT.json [RESULT.json ...]

Each file is JMH's JSON output (-rf json -rff RESULT.json). Prints, per file, the median over iterations of
guardedCpuNanos / rawCpuNanos and each iteration's ratio; with several files, the median of all their iterations
pooled (one fork per file is how the A/B script runs it).
"""
import json
import statistics
import sys


def ratios(path):
    result = []
    for benchmark in json.load(open(path)):
        metrics = benchmark.get("secondaryMetrics", {})
        if "guardedCpuNanos" not in metrics:
            continue
        guarded = [x for fork in metrics["guardedCpuNanos"]["rawData"] for x in fork]
        raw = [x for fork in metrics["rawCpuNanos"]["rawData"] for x in fork]
        result += [g / r for g, r in zip(guarded, raw)]
    return result


pooled = []
for path in sys.argv[1:]:
    each = ratios(path)
    if not each:
        sys.exit(f"{path}: no guardedCpuNanos/rawCpuNanos in it (was the benchmark run to its end?)")
    pooled += each
    print(f"{path}: median {statistics.median(each):.4f}  " + " ".join(f"{x:.3f}" for x in each))
if len(sys.argv) > 2:
    print(f"pooled: median {statistics.median(pooled):.4f} over {len(pooled)} iterations")
