#!/usr/bin/env bash
# OpenMPI's remote-shell agent for launch/multihost-rehearsal.sh: stands in for ssh.
#
#   netns-agent.sh [ssh-style options...] HOST COMMAND...
#
# mpirun (`--mca plm_rsh_agent launch/netns-agent.sh`) calls it the way it calls ssh, with the
# host name and the daemon's command line (a shell command, as ssh would pass it to the
# remote login shell). HOST must be a network namespace of this machine (`ip netns list`),
# which the rehearsal names after its "host". The command runs inside that namespace, with
# its own hostname (a UTS namespace) and, like an ssh login, a clean environment and $HOME
# as working directory: nothing leaks from mpirun's environment that a real remote node
# would not have.
set -euo pipefail
while [[ $# -gt 0 && "$1" == -* ]]; do shift; done   # ssh options (-x, -o …): not meaningful here
if [[ $# -lt 2 ]]; then
  echo "netns-agent.sh: usage: netns-agent.sh HOST COMMAND..." >&2
  exit 255
fi
host=$1
shift
if ! ip netns list | awk '{print $1}' | grep -qxF "$host"; then
  echo "netns-agent.sh: no network namespace named '$host' (ip netns list)" >&2
  exit 255
fi
home=${HOME:-/root}
# shellcheck disable=SC2016  # $0/$1 expand in the inner shell
exec ip netns exec "$host" unshare --uts \
  env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  sh -c 'hostname "$0" && cd "$HOME" && exec sh -c "$1"' "$host" "$*"
