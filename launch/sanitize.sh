#!/usr/bin/env bash
# Runs tests under a sanitizer in a debug build (its own build folder, .build-asan or .build-tsan):
#
#   bash launch/sanitize.sh address|thread [FILTER]
#
# FILTER is a `swift test --filter` pattern. Without one: AddressSanitizer on every suite that runs
# in-process (the CLI and mpirun suites spawn processes: their OpenMPI ranks leak at MPI_Finalize,
# which is OpenMPI's and hwloc's, not se3's; run them with a FILTER and ASAN_OPTIONS=detect_leaks=0),
# ThreadSanitizer on the layer suites, whose tensor-product kernels are the threaded code. Leak
# detection is on, with XCTest's own retained test cases suppressed (Tests/Fixtures/sanitizers).
# Ends with "sanitize KIND: N passed, N failed"; the status is swift test's.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-}"
case "$kind" in
  address) build=.build-asan; filter="${2:-SE3MathTests|SE3TensorTests|SE3LayersTests|SE3ModelsTests|SE3DataTests|SE3ConfigTests|SE3TrainTests}" ;;
  thread) build=.build-tsan; filter="${2:-SE3LayersTests}" ;;
  *) echo "usage: bash launch/sanitize.sh address|thread [FILTER]" >&2; exit 2 ;;
esac
export OPENBLAS_NUM_THREADS=1
# XCTest on Linux keeps its test case objects alive until exit: their allocations are not leaks
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fixtures/sanitizers/lsan-xctest.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
swift test --sanitize="$kind" --build-path "$build" --disable-swift-testing --filter "$filter" >"$log" 2>&1 || status=$?
grep -E "error:|ERROR: (Address|Thread|Leak)Sanitizer|WARNING: ThreadSanitizer|SUMMARY:" "$log" | head -40 || true
summary="$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1 || true)"
if [[ -n "$summary" ]]; then
  total="$(sed -E 's/^[[:space:]]*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")"
  failed="$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")"
  echo "sanitize $kind: $((total - failed)) passed, $failed failed"
else
  tail -30 "$log"
  echo "sanitize $kind: no test summary (status $status)"
  [[ "$status" -ne 0 ]] || status=1
fi
exit "$status"
