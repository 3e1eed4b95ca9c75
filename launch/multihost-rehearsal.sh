#!/usr/bin/env bash
# Multi-host rehearsal on one machine: a 2-rank se3 training across two network namespaces,
# the way a 2-node cluster runs it (OpenMPI's rsh launcher and its TCP transport), so the
# cluster path is exercised for real. Needs root (ip netns). A minute or two on 2 cores.
#
#   launch/multihost-rehearsal.sh
#
# Two namespaces, named after their "hosts" se3rh-a<PID> and se3rh-b<PID>, joined by a veth
# pair with 10.213.0.1/24 and 10.213.0.2/24 (nothing else is reachable from inside). mpirun
# runs in the first; launch/netns-agent.sh stands in for ssh (--mca plm_rsh_agent) and starts
# OpenMPI's daemon inside the second, with a clean environment. Ranks talk over TCP only
# (--mca btl tcp,self, pml ob1, both restricted to the 10.213.0.0/24 interface).
#
# Checks, in order (each prints "rehearsal: ok: …" or fails):
#   1. placement: rank 0 runs on host a, rank 1 on host b;
#   2. training with mpirun: both ranks train 6 steps and end with identical parameters
#      (the checksums of their final `done` lines agree);
#   3. launch/slurm.sbatch (LAUNCHER=mpirun) does the same across both hosts, with the
#      hosts given as a hostfile and the transport as OMPI_MCA_* variables;
#   4. failure: a longer run; rank 1 (in the second namespace, with TCP connections to the
#      first, and only the environment mpirun forwards) is killed with SIGKILL; mpirun must end with a non-zero status within
#      SE3_REHEARSAL_TIMEOUT seconds, leaving no process in either namespace.
# Namespaces, their /etc/netns entries and the scratch directory are removed on exit.
#
# Exit status: 0 every check passed; 1 a check failed; 2 usage; 3 cannot run here (not root,
# namespaces refused, a tool missing).
#
# Environment:
#   SE3_BINARY             the se3 executable (default .build/release/se3, built when missing)
#   SE3_REHEARSAL_TIMEOUT  seconds each mpirun may take (default 120)
#   SE3_REHEARSAL_KEEP=1   keep the scratch directory (run directories, logs)
set -euo pipefail

[[ $# -eq 0 ]] || { echo "usage: $0   (no arguments; see the header for the environment)" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT="$ROOT/launch/netns-agent.sh"
TIMEOUT=${SE3_REHEARSAL_TIMEOUT:-120}
NET=10.213.0

say() { echo "rehearsal: $*"; }
fail() { echo "rehearsal: FAIL: $*" >&2; exit 1; }
cannot() { echo "rehearsal: cannot run here: $*" >&2; exit 3; }

[[ "$(id -u)" -eq 0 ]] || cannot "needs root for 'ip netns add' (run as root or with sudo)"
for tool in ip unshare mpirun timeout ss; do
  command -v "$tool" >/dev/null || cannot "'$tool' not found (iproute2, util-linux, coreutils, openmpi-bin)"
done
if [[ -n "${SE3_BINARY:-}" ]]; then
  SE3=$SE3_BINARY
else
  SE3="$ROOT/.build/release/se3"
  if [[ ! -x "$SE3" ]]; then
    say "building se3 (release)..."
    swift build -c release --package-path "$ROOT" >&2
  fi
fi
[[ -x "$SE3" ]] || cannot "se3 binary '$SE3' is not executable"

A=se3rh-a$$
B=se3rh-b$$
TMP="$(mktemp -d /tmp/se3-rehearsal.XXXXXX)"
cleanup() {
  local status=$?
  for ns in "$A" "$B"; do
    if [[ -e "/run/netns/$ns" ]]; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns delete "$ns" 2>/dev/null || true   # also removes its end of the veth pair
    fi
    rm -rf "/etc/netns/$ns"
  done
  rmdir /etc/netns 2>/dev/null || true   # only if no other namespace has entries there
  if [[ "${SE3_REHEARSAL_KEEP:-0}" = 1 ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the two hosts ---------------------------------------------------------------------------
ip netns add "$A" 2>"$TMP/err" || cannot "'ip netns add' refused: $(cat "$TMP/err")"
ip netns add "$B" 2>"$TMP/err" || cannot "'ip netns add' refused: $(cat "$TMP/err")"
ip link add "s3r$$a" type veth peer name "s3r$$b" 2>"$TMP/err" || cannot "veth pair refused: $(cat "$TMP/err")"
ip link set "s3r$$a" netns "$A"
ip link set "s3r$$b" netns "$B"
ip -n "$A" addr add "$NET.1/24" dev "s3r$$a"
ip -n "$B" addr add "$NET.2/24" dev "s3r$$b"
for ns in "$A" "$B"; do
  ip -n "$ns" link set lo up
  # ip netns exec mounts /etc/netns/NAME/hosts over /etc/hosts inside the namespace
  mkdir -p "/etc/netns/$ns"
  printf '127.0.0.1 localhost\n%s.1 %s\n%s.2 %s\n' "$NET" "$A" "$NET" "$B" >"/etc/netns/$ns/hosts"
done
ip -n "$A" link set "s3r$$a" up
ip -n "$B" link set "s3r$$b" up
say "hosts $A ($NET.1) and $B ($NET.2): network namespaces joined by a veth pair"

# A command prefix that runs on host a (its namespace and hostname), with what mpirun needs as root.
# shellcheck disable=SC2016
# SE3_REHEARSAL_MARK must not reach rank 1: only what mpirun forwards (-x) crosses "hosts".
ON_A=(ip netns exec "$A" unshare --uts env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 SE3_REHEARSAL_MARK=1
      sh -c 'hostname "$0" && exec "$@"' "$A")
MPI=(mpirun --mca plm rsh --mca plm_rsh_agent "$AGENT" --mca pml ob1 --mca btl tcp,self
     --mca btl_tcp_if_include "$NET.0/24" --mca oob_tcp_if_include "$NET.0/24"
     --host "$A,$B" -np 2 --bind-to none -x OPENBLAS_NUM_THREADS=1)

# The done line of each rank: "rank checksum step" per line, sorted by rank.
done_lines() {
  grep '"event":"done"' "$1" | while read -r line; do
    rank=$(grep -o '"rank":[0-9]*' <<<"$line" | cut -d: -f2)
    sum=$(grep -o '"checksum":"[^"]*"' <<<"$line" | cut -d'"' -f4)
    step=$(grep -o '"step":[0-9]*' <<<"$line" | cut -d: -f2)
    echo "$rank $sum $step"
  done | sort -n
}
# Checks that ranks 0 and 1 both finished `steps` steps with the same checksum.
check_identical() {
  local log=$1 steps=$2 what=$3
  mapfile -t ranks < <(done_lines "$log")
  [[ ${#ranks[@]} -eq 2 ]] || fail "$what: expected a done line from 2 ranks, got ${#ranks[@]} (log: $(tail -5 "$log"))"
  read -r r0 c0 s0 <<<"${ranks[0]}"
  read -r r1 c1 s1 <<<"${ranks[1]}"
  [[ "$r0 $r1" == "0 1" ]] || fail "$what: done lines from ranks $r0 and $r1"
  [[ "$s0" == "$steps" && "$s1" == "$steps" ]] || fail "$what: ranks trained $s0 and $s1 steps, expected $steps"
  [[ -n "$c0" && "$c0" == "$c1" ]] || fail "$what: parameters differ: rank 0 checksum $c0, rank 1 checksum $c1"
  say "ok: $what: both ranks trained $steps steps and end with identical parameters (checksum $c0)"
}

cat >"$TMP/rehearsal.yaml" <<EOF
model: {name: tfn, lmax: 1, channels: 8, layers: 1, radial_hidden: 8, cutoff: 5.0, elements: [1, 6, 7, 8, 9]}
data: {train: $ROOT/configs/data/qm9-small/train, batch_size: 8}
targets: [{name: homo}]
training: {epochs: 1, max_steps: 6, seed: 0, lr: 0.005, warmup_steps: 0, log_every: 1}
EOF

# --- 1. placement ----------------------------------------------------------------------------
timeout -k 10 "$TIMEOUT" "${ON_A[@]}" "${MPI[@]}" hostname \
  >"$TMP/hostname.log" 2>&1 || fail "mpirun hostname: status $? ($(tail -5 "$TMP/hostname.log"))"
hosts=$(sort "$TMP/hostname.log" | tr '\n' ' ')
[[ "$hosts" == "$A $B " ]] || fail "placement: ranks ran on '$hosts', expected '$A $B'"
say "ok: placement: one rank on $A, one on $B"

# --- 2. training with mpirun -----------------------------------------------------------------
start=$SECONDS
timeout -k 10 "$TIMEOUT" "${ON_A[@]}" "${MPI[@]}" \
  "$SE3" train --config "$TMP/rehearsal.yaml" --run-dir "$TMP/run-mpirun" --quiet \
  >"$TMP/train.log" 2>&1 || fail "mpirun training: status $? ($(tail -5 "$TMP/train.log"))"
check_identical "$TMP/train.log" 6 "mpirun training ($((SECONDS - start)) s)"

# --- 3. launch/slurm.sbatch, mpirun branch ---------------------------------------------------
mkdir -p "$TMP/slurm"
cp "$TMP/rehearsal.yaml" "$TMP/slurm/rehearsal.yaml"
printf '%s slots=1\n%s slots=1\n' "$A" "$B" >"$TMP/hostfile"
start=$SECONDS
timeout -k 10 "$TIMEOUT" "${ON_A[@]}" env \
  SLURM_SUBMIT_DIR="$TMP/slurm" SLURM_JOB_ID=rehearsal SLURM_NTASKS=2 SLURM_JOB_NUM_NODES=2 \
  LAUNCHER=mpirun CONFIG=rehearsal.yaml SE3_BINARY="$SE3" \
  OMPI_MCA_orte_default_hostfile="$TMP/hostfile" OMPI_MCA_plm=rsh OMPI_MCA_plm_rsh_agent="$AGENT" \
  OMPI_MCA_pml=ob1 OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include="$NET.0/24" \
  OMPI_MCA_oob_tcp_if_include="$NET.0/24" \
  bash "$ROOT/launch/slurm.sbatch" >"$TMP/slurm.log" 2>&1 \
  || fail "slurm.sbatch: status $? ($(tail -5 "$TMP/slurm.log"))"
[[ -f "$TMP/slurm/runs/rehearsal/latest" || -d "$TMP/slurm/runs/rehearsal/checkpoints" ]] \
  || fail "slurm.sbatch: no checkpoint in $TMP/slurm/runs/rehearsal"
check_identical "$TMP/slurm.log" 6 "launch/slurm.sbatch with LAUNCHER=mpirun ($((SECONDS - start)) s)"

# --- 4. killing the remote rank ends the job ---------------------------------------------------
sed -i 's/max_steps: 6/max_steps: 100000/; s/epochs: 1/epochs: 1000/' "$TMP/rehearsal.yaml"
timeout -k 10 "$TIMEOUT" "${ON_A[@]}" "${MPI[@]}" \
  "$SE3" train --config "$TMP/rehearsal.yaml" --run-dir "$TMP/run-kill" --quiet \
  >"$TMP/kill.log" 2>&1 &
job=$!
remote=""
for _ in $(seq 1 $((TIMEOUT * 5))); do
  for pid in $(ip netns pids "$B" 2>/dev/null); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == se3 ]] && remote=$pid
  done
  if [[ -n "$remote" ]] && grep -q '"type":"step"' "$TMP/run-kill/metrics.jsonl" 2>/dev/null; then break; fi
  kill -0 "$job" 2>/dev/null || fail "the long run ended before rank 1 could be killed ($(tail -5 "$TMP/kill.log"))"
  sleep 0.2
done
[[ -n "$remote" ]] || fail "no se3 process appeared in namespace $B"
grep -q '"type":"step"' "$TMP/run-kill/metrics.jsonl" 2>/dev/null || fail "the long run logged no step"
links=$(ip netns exec "$B" ss -tnpH state established 2>/dev/null | grep "pid=$remote," | grep -c "$NET.1:" || true)
[[ "$links" -ge 1 ]] || fail "rank 1 (pid $remote in $B) has no TCP connection to $NET.1"
environ=$(tr '\0' '\n' <"/proc/$remote/environ")
grep -qx 'OPENBLAS_NUM_THREADS=1' <<<"$environ" || fail "rank 1 lacks OPENBLAS_NUM_THREADS=1 (mpirun -x)"
! grep -q '^SE3_REHEARSAL_MARK=' <<<"$environ" || fail "rank 1 inherited mpirun's environment: the agent is not like ssh"
say "rank 1 is pid $remote in $B with $links TCP connection(s) to $NET.1 and only the forwarded environment; killing it (SIGKILL)"
kill -9 "$remote"
killed=$SECONDS
status=0
wait "$job" || status=$?
[[ "$status" -ne 0 ]] || fail "mpirun exited 0 after rank 1 was killed"
# timeout(1) exits 124 (or 137 after its -k 10) when mpirun outlived it; mpirun itself reports
# the killed rank's 128 + 9 = 137, so tell them apart by the time taken.
[[ "$status" -ne 124 && $((SECONDS - killed)) -lt "$TIMEOUT" ]] || fail "mpirun did not end within ${TIMEOUT} s after rank 1 was killed"
sleep 1
left=$( (ip netns pids "$A"; ip netns pids "$B") 2>/dev/null | wc -l)
[[ "$left" -eq 0 ]] || fail "$left process(es) left in the namespaces after the job ended"
say "ok: killing rank 1 ended the job: mpirun status $status after $((SECONDS - killed)) s, no process left"
say "all checks passed"
