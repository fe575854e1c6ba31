#!/usr/bin/env bash
# The README's two quick-start commands on a fresh Debian: build a minimal root with mmdebstrap (nothing
# but git and what apt itself needs), clone this repository into it, run each command as a new user
# would, and print each one's exit code and time. Not part of the test run: it needs root, network
# access to a Debian mirror and PyPI, and a few minutes.
#
#   sudo bash tests/bench/fresh_machine.sh [SUITE]        # SUITE: bookworm (default), trixie, or noble (Ubuntu 24.04)
#
# The dashboard command never ends by itself: it counts as a success when the app answers its health
# check and serves its page within DASHBOARD_WAIT seconds, and is stopped then.
set -euo pipefail

SUITE="${1:-bookworm}"
case "$SUITE" in
    noble|jammy)  # Ubuntu: its own archive and keyring, and universe, where chromium and fonts live
        KEYRING="/usr/share/keyrings/ubuntu-archive-keyring.gpg"
        [ -f "$KEYRING" ] || apt-get install -y -qq ubuntu-keyring >/dev/null 2>&1 || true
        if [ -f "$KEYRING" ]; then
            MIRROR="${MIRROR:-deb http://archive.ubuntu.com/ubuntu $SUITE main universe}"
        else  # no Ubuntu keyring to be had here: a test root may trust the archive unsigned, said aloud
            echo "no ubuntu-keyring on this machine: the $SUITE archive is trusted unverified for this test root"
            KEYRING=""
            MIRROR="${MIRROR:-deb [trusted=yes] http://archive.ubuntu.com/ubuntu $SUITE main universe}"
        fi ;;
    *)
        MIRROR="${MIRROR:-http://deb.debian.org/debian}"
        KEYRING="" ;;
esac
DASHBOARD_WAIT="${DASHBOARD_WAIT:-600}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/fresh-machine.XXXXXX)"
ROOT="$WORK/root"
LOGS="${LOGS:-/tmp/fresh-machine-logs}"  # kept after the root is removed
mkdir -p "$LOGS"

if [ "$(id -u)" -ne 0 ]; then
    echo "fresh_machine.sh: run as root (it builds a chroot)" >&2
    exit 2
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null
fi

cleanup() {
    for m in dev/shm dev/pts dev sys proc; do
        umount -l "$ROOT/$m" 2>/dev/null || true
    done
    cp "$WORK"/*.log "$LOGS"/ 2>/dev/null || true
    if [ -n "${KEEP_ROOT:-}" ]; then
        echo "root kept in $ROOT"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

start=$(date +%s)
mmdebstrap --variant=minbase --include=git,ca-certificates,apt ${KEYRING:+--keyring="$KEYRING"} \
    "$SUITE" "$ROOT" "$MIRROR" >"$WORK/mmdebstrap.log" 2>&1
echo "minimal $SUITE root built in $(( $(date +%s) - start )) s"

# A machine behind an intercepting proxy trusts its own CA: give the new root the same trust (and point
# pip at the system store, as this machine's environment does), or nothing can be downloaded over HTTPS.
# This is the workplace's plumbing, not a step a user takes; README's commands are run unchanged.
TRUST_ENV=""
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
    chroot "$ROOT" update-ca-certificates >/dev/null 2>&1
    TRUST_ENV="PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
    echo "trusting this machine's local CA certificates inside the root"
fi

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
git clone -q "$REPO" "$ROOT/home/project"
# ../shared beside the clone, as CI has it (the tests that read it skip without it).
if [ -d "$REPO/../shared" ]; then
    cp -r "$REPO/../shared" "$ROOT/home/shared"
fi

readme_command() {  # the n-th command of the README's quick start code block
    awk '/^```bash$/{inblock=1; next} /^```$/{inblock=0} inblock && /^bash \.ci\/setup/{print}' \
        "$ROOT/home/project/README.md" | sed -n "${1}p"
}
DASHBOARD="$(readme_command 1)"
TESTS="$(readme_command 2)"
echo "command 1: $DASHBOARD"
echo "command 2: $TESTS"

in_root() {
    # shellcheck disable=SC2086  # TRUST_ENV is a list of assignments
    chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb $TRUST_ENV bash -c "cd /home/project && $1"
}

start=$(date +%s)
in_root "$DASHBOARD --server.headless true --server.port 8599" >"$WORK/dashboard.log" 2>&1 &
app=$!
code=1
for _ in $(seq "$DASHBOARD_WAIT"); do
    if ! kill -0 "$app" 2>/dev/null; then
        wait "$app" || code=$?
        break
    fi
    if curl -fsS http://127.0.0.1:8599/_stcore/health >/dev/null 2>&1 \
        && curl -fsS http://127.0.0.1:8599/ | grep -q "<div id=\"root\">"; then
        code=0
        break
    fi
    sleep 1
done
pkill -f "streamlit run dashboard/app.py --server.headless true --server.port 8599" 2>/dev/null || true
wait "$app" 2>/dev/null || true
echo "command 1 (set up, open the dashboard): exit $code, $(( $(date +%s) - start )) s"
in_root ".venv/bin/python -m pip freeze" >"$WORK/pip-freeze.log" 2>&1 || true
[ "$code" -eq 0 ] || tail -30 "$WORK/dashboard.log"

start=$(date +%s)
set +e
in_root "$TESTS" >"$WORK/tests.log" 2>&1
code=$?
set -e
echo "command 2 (set up, run the tests): exit $code, $(( $(date +%s) - start )) s"
tail -3 "$WORK/tests.log"
