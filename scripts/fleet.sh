#!/usr/bin/env bash
# Proof under faults (make test-fleet): the sign-in service built as make e2e builds it (the same
# build folder, so CI builds it once), a throw-away PostgreSQL on loopback (postgres-cluster.sh,
# which installs Debian's postgresql when missing), then Tests/Fleet/fleet.py: three nodes, a
# driver, a PostgreSQL restart, a SIGKILL and a thief. Python 3's standard library only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
(cd Examples/SignInService && swift build --scratch-path .build)
# postgres-cluster.sh picks a free port below the ephemeral range, where the nodes' own ports
# (chosen by the kernel) never fall, and tries another if the server cannot bind it.
exec bash scripts/postgres-cluster.sh run -- python3 -u Tests/Fleet/fleet.py
