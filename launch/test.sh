#!/usr/bin/env bash
# The test command: installs system dependencies (if missing), then builds in release
# mode and runs every test (XCTest), including real `mpirun -np 2` runs. `swift test` also
# builds the `se3` executable (.build/release/se3) that the command-line tests drive.
# Ends with a summary line "N passed, N failed". Without arguments (the CI run), it then runs
# the multi-host rehearsal, launch/multihost-rehearsal.sh (as root; SE3_REHEARSAL=0 skips it),
# then each libFuzzer target for 20 s (launch/fuzz.sh; SE3_FUZZ_SECONDS=N changes it, 0 skips it),
# and fails when any of them fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash launch/install-deps.sh
export OPENBLAS_NUM_THREADS=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
swift test -c release --disable-swift-testing "$@" 2>&1 | tee "$log" || status=$?
if [[ $# -eq 0 && "${SE3_REHEARSAL:-1}" != 0 ]]; then
  rehearsal=0
  SE3_BINARY="${SE3_BINARY:-$PWD/.build/release/se3}" bash launch/multihost-rehearsal.sh || rehearsal=$?
  if [[ "$rehearsal" -eq 0 ]]; then echo "multi-host rehearsal: passed"; else echo "multi-host rehearsal: failed (status $rehearsal)"; fi
  if [[ "$status" -eq 0 ]]; then status=$rehearsal; fi
fi
if [[ $# -eq 0 && "${SE3_FUZZ_SECONDS:-20}" != 0 ]]; then
  for target in xyz config shard; do
    fuzz=0
    # libhdf5 1.10 itself crashes on some corrupt files (SIGFPE, SIGSEGV: docs/architecture.md),
    # which se3 cannot catch before calling it: the shard target keeps going after a finding and
    # saves it for a look; the xyz and config targets fail on the first
    extra=()
    [[ "$target" == shard ]] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    bash launch/fuzz.sh "$target" "${SE3_FUZZ_SECONDS:-20}" "${extra[@]}" || fuzz=$?
    if [[ "$fuzz" -ne 0 ]]; then
      echo "fuzz $target: failed (status $fuzz); the input is in .build-fuzz/findings/$target/"
      if [[ "$status" -eq 0 ]]; then status=$fuzz; fi
    fi
  done
fi
if [[ $# -eq 0 && "${SE3_SANITIZE:-1}" != 0 ]]; then
  # debug builds under ThreadSanitizer (the threaded kernels) and AddressSanitizer with leak
  # detection (the in-process suites)
  for kind in thread address; do
    san=0
    bash launch/sanitize.sh "$kind" || san=$?
    if [[ "$san" -ne 0 && "$status" -eq 0 ]]; then status=$san; fi
  done
fi
# the closing line: the XCTest counts
summary="$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1 || true)"
if [[ -n "$summary" ]]; then
  total="$(sed -E 's/^[[:space:]]*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")"
  failed="$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")"
  echo "$((total - failed)) passed, $failed failed"
fi
exit "$status"
