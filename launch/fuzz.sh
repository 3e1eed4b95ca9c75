#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS seconds: bash launch/fuzz.sh TARGET SECONDS [libFuzzer options]
#   TARGET: xyz (extended-XYZ reader), config (YAML config + --set overrides), shard (HDF5 dataset shard)
# Builds the target (Fuzz/<Target>/main.swift; declared in Package.swift only with SE3_FUZZ=1) in
# .build-fuzz with -sanitize=fuzzer,address, then fuzzes from the seeds in Tests/Fixtures/fuzz/TARGET.
# New inputs go to .build-fuzz/corpus/TARGET (kept between runs), crashing inputs to
# .build-fuzz/findings/TARGET/, libFuzzer's output to .build-fuzz/fuzz-TARGET.log.
# Ends with "fuzz TARGET: N executions in S s, K finding(s)"; the status is non-zero when the target crashed (a trap, a sanitizer report, a leak, a timeout).
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
# not .build-fuzz/artifacts: SwiftPM empties that folder (its binary-target artifacts) on every build
corpus="$PWD/$build/corpus/$target" findings="$PWD/$build/findings/$target"
mkdir -p "$corpus" "$findings"
log="$build/fuzz-$target.log"  # the whole libFuzzer output of the last run
status=0
before="$(ls "$findings" | wc -l)"
# One process: the first finding stops the run, its input saved. For long runs that should go on
# after a finding, pass -fork=1 -ignore_crashes=1 (each finding is saved all the same).
if [[ "$target" == shard ]]; then
  # Corrupt size fields make libhdf5 ask malloc for terabytes; without ASan malloc returns NULL
  # and HDF5 reports an error (an HDF5Error), so let ASan's malloc return NULL too. libhdf5's own
  # bugs are suppressed, and only those: its leaks on failed opens (Fuzz/lsan-hdf5.supp) and its
  # over-reads in libc calls (Fuzz/asan-hdf5.supp). docs/architecture.md lists what was found.
  export ASAN_OPTIONS="allocator_may_return_null=1:suppressions=$PWD/Fuzz/asan-hdf5.supp${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-hdf5.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  # one corrupt object header makes libhdf5 malloc 8 GiB (never touched: the read past the end
  # of the file fails first); libFuzzer's default single-malloc limit is the RSS limit, 3 GiB
  set -- -malloc_limit_mb=16384 "$@"
fi
OPENBLAS_NUM_THREADS=1 "$build/debug/$product" "$corpus" "Tests/Fixtures/fuzz/$target" \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
  -artifact_prefix="$findings/" "$@" >"$log" 2>&1 || status=$?
grep -E "^(==[0-9]+==|SUMMARY|Fatal error|.*error:|artifact_prefix|Test unit written|stat::|INFO: (seed|-max_len))" "$log" | head -40 || true
runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)"
# with -fork the parent prints no stat:: lines; its last status line "#N ..." counts the executions
[[ -n "$runs" ]] || runs="$(sed -nE 's/^#([0-9]+)[:[:space:]].*/\1/p' "$log" | tail -1)"
crashes=$(( $(ls "$findings" | wc -l) - before ))
if [[ "$status" -ne 0 ]]; then tail -60 "$log" >&2; fi
if [[ "$crashes" -gt 0 ]]; then ls -t "$findings" | head -"$crashes" | sed "s|^|  $findings/|"; fi
echo "fuzz $target: ${runs:-?} executions in $seconds s, $crashes finding(s)"
exit "$status"
