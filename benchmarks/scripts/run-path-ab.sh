#!/usr/bin/env bash
# Two builds of the benchmarks jar, judged on RunPathBenchmark.interleaved the only way that resolves ~0.5 %:
# single forks of each in turn (A, B, A, B, ...), every iteration's guarded/raw CPU ratio pooled per build.
#
#   benchmarks/scripts/run-path-ab.sh A.jar B.jar [pairs] [outdir]
#
# pairs defaults to 6 (about 7 minutes on 2 cores); outdir to a new temporary directory. Copy the jar of each build
# (benchmarks/target/benchmarks.jar) aside before building the other.
set -euo pipefail
a=$1
b=$2
pairs=${3:-6}
out=${4:-$(mktemp -d)}
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
for i in $(seq 1 "$pairs"); do
  for side in a b; do
    jar=$a
    [ "$side" = b ] && jar=$b
    java -jar "$jar" 'RunPathBenchmark.interleaved' -f 1 -wi 4 -i 6 -w 2 -r 2 \
      -rf json -rff "$out/$side-$i.json" > "$out/$side-$i.log" 2>&1
  done
done
echo "A = $a"
python3 "$here/interleaved-ratio.py" "$out"/a-*.json
echo "B = $b"
python3 "$here/interleaved-ratio.py" "$out"/b-*.json
