#!/bin/sh
# deps.sh -- what a make target needs from Debian, checked or installed.
#
# Usage: scripts/deps.sh check|install MODE...
#   MODE: build test bench sanitize valgrind fuzz firmware coverage lint cross
#   check    says which packages are missing, with the exact apt-get line,
#            and fails; never installs (plain `make` uses this).
#   install  installs the missing ones with apt-get when run as root (or
#            with sudo that needs no password); otherwise says exactly what
#            to install and fails. Only Debian packages are ever fetched.
# Off Debian (no dpkg-query) nothing is checked: the build says what fails.
set -eu

action=${1:?usage: deps.sh check|install MODE...}
shift

packages() { # MODE -> the Debian packages it needs
    case $1 in
    build)    echo build-essential pkg-config uthash-dev ;;
    test)     echo build-essential pkg-config uthash-dev libcmocka-dev g++ python3 ;;
    bench)    echo valgrind time python3-numpy python3-pandas postgresql-15 \
                   postgresql-server-dev-15 ;;
    sanitize) echo clang libclang-rt-14-dev ;;
    valgrind) echo valgrind ;;
    fuzz)     echo clang libclang-rt-14-dev ;;
    firmware) echo gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf python3 ;;
    coverage) echo gcovr ;;
    lint)     echo cppcheck clang-tidy ;;
    report)   echo chromium ;;
    python)   echo python3 python3-numpy python3-pandas python3-pytest python3-venv \
                   python3-pip python3-setuptools python3-wheel ;;
    postgresql) echo postgresql-15 postgresql-server-dev-15 ;;
    sqlite)   echo libsqlite3-dev python3 ;;
    node)     echo nodejs npm ;;     # unless node and npm are there (Makefile)
    cross)    echo qemu-user gcc-arm-linux-gnueabihf gcc-s390x-linux-gnu \
                   libc6-dev-armhf-cross libc6-dev-s390x-cross \
                   libcmocka-dev:armhf libcmocka-dev:s390x ;;
    *) echo "deps.sh: unknown mode $1" >&2; exit 2 ;;
    esac
}

command -v dpkg-query >/dev/null 2>&1 || exit 0

need=""
for mode in "$@"; do
    for p in $(packages "$mode"); do
        case " $need " in *" $p "*) continue ;; esac
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            need="$need $p"
    done
done
[ -z "$need" ] && exit 0

if [ "$action" = check ]; then
    echo "libwinback: missing Debian packages; install them with:" >&2
    case "$need" in *:armhf*|*:s390x*)
        echo "  dpkg --add-architecture armhf; dpkg --add-architecture s390x" >&2 ;;
    esac
    echo "  apt-get update && apt-get install$need" >&2
    echo "(make check, make demo and the proof targets install them when run as root)" >&2
    exit 1
fi

echo "libwinback: installing missing Debian packages:$need" >&2
if [ "$(id -u)" = 0 ]; then
    run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run="sudo -n"
else
    echo "libwinback: run as root: apt-get install$need" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for arch in armhf s390x; do   # the cross targets' libraries are multiarch
    case "$need" in *":$arch"*)
        dpkg --print-foreign-architectures | grep -qx "$arch" ||
            $run dpkg --add-architecture "$arch" ;;
    esac
done
$run apt-get update -qq || echo "libwinback: apt-get update reported errors; trying the install anyway" >&2
# shellcheck disable=SC2086  # the package list is meant to split
$run apt-get install -y -qq --no-install-recommends $need >/dev/null ||
    { echo "libwinback: apt-get install$need failed" >&2; exit 1; }
echo "libwinback: installed$need" >&2
