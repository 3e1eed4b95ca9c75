#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS seconds: bash launch/fuzz.sh TARGET SECONDS [libFuzzer options]
#   TARGET: xyz (extended-XYZ reader), config (YAML config + --set overrides), shard (HDF5 dataset shard)
# Builds the target (Fuzz/<Target>/main.swift; declared in Package.swift only with SE3_FUZZ=1) in
# .build-fuzz with -sanitize=fuzzer,address, then fuzzes from the seeds in Tests/Fixtures/fuzz/TARGET.
# New inputs go to .build-fuzz/corpus/TARGET (kept between runs), crashing inputs to
# .build-fuzz/artifacts/TARGET/. Ends with "fuzz TARGET: N executions in S s, K crash(es)";
# the status is non-zero when the target crashed (a trap, a sanitizer report, a leak, a timeout).
# Reproduce a crash: .build-fuzz/debug/<Target> <crash file>
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 ]]; then
  echo "usage: bash launch/fuzz.sh xyz|config|shard SECONDS [libFuzzer options]" >&2
  exit 2
fi
target="$1" seconds="$2"
shift 2
case "$target" in
  xyz) product=FuzzXYZ ;;
  config) product=FuzzConfig ;;
  shard) product=FuzzShard ;;
  *) echo "fuzz.sh: unknown target '$target' (xyz | config | shard)" >&2; exit 2 ;;
esac
build=.build-fuzz
SE3_FUZZ=1 swift build --build-path "$build" -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  --product "$product" 2>&1 | { grep -v "Cannot export local symbol" || true; } | tail -3
corpus="$build/corpus/$target" artifacts="$build/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# -fork? no: one process, so that every finding stops the run with its input saved.
OPENBLAS_NUM_THREADS=1 "$build/debug/$product" "$corpus" "Tests/Fixtures/fuzz/$target" \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$@" >"$log" 2>&1 || status=$?
grep -E "^(==[0-9]+==|SUMMARY|Fatal error|.*error:|artifact_prefix|Test unit written|stat::|INFO: (seed|-max_len))" "$log" | head -40 || true
runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)"
time_s="$(sed -nE 's/^stat::.*$//; s/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/p' "$log" | tail -1)"
crashes=0
if [[ "$status" -ne 0 ]]; then crashes=1; tail -60 "$log" >&2; fi
echo "fuzz $target: ${runs:-?} executions in ${time_s:-$seconds} s, $crashes crash(es)"
exit "$status"
