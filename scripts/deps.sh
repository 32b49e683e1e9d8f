#!/bin/sh
# deps.sh -- make sure the build and test dependencies are installed.
#
# Usage: scripts/deps.sh build|test|bench
# Installs missing Debian packages with apt-get when run as root (or with
# sudo available without a password); otherwise says exactly what to install
# and fails. Never downloads anything but Debian packages.
set -eu

need=""
have_header() { [ -f "/usr/include/$1" ]; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd cc || have_cmd gcc || need="$need build-essential"
have_cmd make || need="$need make"
have_cmd pkg-config || need="$need pkg-config"
have_header uthash.h || need="$need uthash-dev"
if [ "${1:-build}" = test ]; then
    have_header cmocka.h || need="$need libcmocka-dev"
    have_cmd c++ || need="$need g++"        # the header is checked as C++ too
fi
if [ "${1:-build}" = bench ]; then
    have_cmd valgrind || need="$need valgrind"
    [ -x /usr/bin/time ] || need="$need time"
fi

[ -z "$need" ] && exit 0

echo "libwinback: missing Debian packages:$need" >&2
if [ "$(id -u)" = 0 ]; then
    run=""
elif have_cmd sudo && sudo -n true 2>/dev/null; then
    run="sudo -n"
else
    echo "libwinback: run as root: apt-get install$need" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq || { echo "libwinback: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086  # the package list is meant to split
$run apt-get install -y -qq --no-install-recommends $need >/dev/null ||
    { echo "libwinback: apt-get install$need failed" >&2; exit 1; }
echo "libwinback: installed$need" >&2
