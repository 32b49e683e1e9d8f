#!/bin/sh
# firmware.sh -- the integer core cross-compiled for microcontrollers.
#
# For Cortex-M0+, Cortex-M4 (arm-none-eabi-gcc, -Os -mthumb) and RV32IMC
# (riscv64-unknown-elf-gcc), freestanding: the section sizes of the core's
# objects, a check that nothing references the heap, stdio, floating point
# or libm, and for Cortex-M0+ the worst-case stack of every public function
# (-fcallgraph-info, scripts/stack_usage.py) and the libwinback code in two
# firmware images: the smallest that uses the decision call
# (test/firmware/main.c) and a point-of-sale terminal's
# (test/firmware/terminal.c).
# Usage: scripts/firmware.sh lib/core/*.c (make firmware passes the core's
# list from lib/sources.mk: the core is a folder, not a list kept here).
# Exit status 1 when a forbidden symbol is referenced or a target of
# docs/embedded.md is missed: no .data/.bss, at most 4 KiB of libwinback
# code in the decision firmware and 4.5 KiB in the terminal's, at most 128
# bytes of stack per call (176 for a batch call).
set -eu
[ $# -gt 0 ] || { echo "usage: firmware.sh CORE_SOURCE.c..." >&2; exit 2; }
sources="$*"
core=$(for f in $sources; do basename "$f" .c; done)
out=${FW_DIR:-$(mktemp -d)}
trap 'rm -rf "$out"' EXIT
flags="-std=c11 -Os -ffreestanding -ffunction-sections -fdata-sections -Iinclude -Ilib -DWB_NO_NONNULL -Wall -Wextra -Werror"
forbidden='^(malloc|calloc|realloc|free|printf|fprintf|sprintf|snprintf|vprintf|puts|putchar|abort|exit|__aeabi_[df].*|__(add|sub|mul|div|fix|float|extend|trunc|cmp|eq|ne|lt|le|gt|ge|un)[sdt]f.*|sqrt.*|pow.*|exp.*|log.*|floor.*|ceil.*|fabs.*)$'
bad=0

build() { # name cc cpu-flags
    mkdir -p "$out/$1"
    for src in $sources; do
        f=$(basename "$src" .c)
        $2 $flags $3 -fcallgraph-info=su -c "$src" -o "$out/$1/$f.o" -dumpbase "$out/$1/$f.c"
    done
}

sizes() { # name size-tool -> text rodata data bss of the core objects
    for f in $core; do $2 -A "$out/$1/$f.o"; done | awk '
        $1 ~ /^\.text/ { t += $2 } $1 ~ /^\.rodata/ { r += $2 }
        $1 ~ /^\.data/ { d += $2 } $1 ~ /^\.bss/ { b += $2 }
        END { printf "%6d %7d %5d %5d", t, r, d, b }'
}

check_symbols() { # name nm-tool
    syms=$($2 -u "$out/$1"/*.o | awk '{ print $2 }' | sort -u | grep -E "$forbidden" || true)
    if [ -n "$syms" ]; then echo "FORBIDDEN in $1: $syms"; bad=1; else echo "clean"; fi
}

printf '%-14s %6s %7s %5s %5s  %s\n' target .text .rodata .data .bss "heap/stdio/float/libm"
build m0plus arm-none-eabi-gcc "-mthumb -mcpu=cortex-m0plus"
printf '%-14s %s  %s\n' cortex-m0plus "$(sizes m0plus arm-none-eabi-size)" "$(check_symbols m0plus arm-none-eabi-nm)"
build m4 arm-none-eabi-gcc "-mthumb -mcpu=cortex-m4 -mfloat-abi=soft"
printf '%-14s %s  %s\n' cortex-m4 "$(sizes m4 arm-none-eabi-size)" "$(check_symbols m4 arm-none-eabi-nm)"
build rv32 riscv64-unknown-elf-gcc "-march=rv32imc -mabi=ilp32"
printf '%-14s %s  %s\n' rv32imc "$(sizes rv32 riscv64-unknown-elf-size)" "$(check_symbols rv32 riscv64-unknown-elf-nm)"

# Two firmware images linked with newlib-nano and --gc-sections, so that
# each carries only the libwinback code it calls: the smallest one using the
# decision call (test/firmware/main.c) and a point-of-sale terminal's
# (test/firmware/terminal.c). Prints the bytes of libwinback .text in each.
firmware_size() { # source name
    arm-none-eabi-gcc $flags -mthumb -mcpu=cortex-m0plus -c "$1" -o "$out/$2.o"
    arm-none-eabi-gcc -mthumb -mcpu=cortex-m0plus -specs=nano.specs -specs=nosys.specs \
        -Wl,--gc-sections -Wl,-Map="$out/$2.map" "$out/$2.o" "$out/m0plus"/*.o -o "$out/$2.elf"
    awk '/^Linker script and memory map/ { on = 1 }
         on && /^ \.text/ { if (NF == 1) { getline; print $2, $3 } else print $3, $4 }' "$out/$2.map" |
    awk -v dir="$out/m0plus/" 'index($2, dir) == 1 { s += hex($1) }
        function hex(h,   i, v) { v = 0; h = tolower(substr(h, 3))
            for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
            return v }
        END { print s + 0 }'
}
# Both images are also built for this machine and run: a size is only worth
# quoting for a program that works (every call must return WB_OK).
for image in main terminal; do
    ${CC:-cc} -std=c11 -Os -Iinclude -Ilib test/firmware/$image.c $sources -o "$out/host-$image"
    "$out/host-$image" || { echo "FAILED: test/firmware/$image.c exits $?"; bad=1; }
done
decision=$(firmware_size test/firmware/main.c decision)
terminal=$(firmware_size test/firmware/terminal.c terminal)
echo "firmware images (Cortex-M0+, --gc-sections), bytes of libwinback .text:"
printf '  %-50s %5d\n' "decision only (test/firmware/main.c)" "$decision" \
    "point-of-sale terminal (test/firmware/terminal.c)" "$terminal"

echo "worst-case stack per public function, Cortex-M0+ (bytes; deepest chain):"
# Every core object linked whole, so that each helper the core calls is in
# the image and its stack can be read off its code.
arm-none-eabi-gcc -mthumb -mcpu=cortex-m0plus -specs=nano.specs -nostartfiles \
    -Wl,--entry=wb_decide $(for f in $core; do echo "$out/m0plus/$f.o"; done) -o "$out/core.elf"
python3 scripts/stack_usage.py --elf "$out/core.elf" --objdump arm-none-eabi-objdump \
    --nm arm-none-eabi-nm "$out/m0plus"/*.ci > "$out/stack.txt"
sed 's/^/  /' "$out/stack.txt"

# The targets of docs/embedded.md, enforced.
m0=$(sizes m0plus arm-none-eabi-size)
set -- $m0
[ "$3" -eq 0 ] && [ "$4" -eq 0 ] || { echo "TARGET MISSED: .data/.bss in the core"; bad=1; }
# The terminal's budget grew by half a KiB with revision 2's R8 (channel
# map, offer expiry, decaying and strategic priority: docs/embedded.md).
for image in "decision $decision 4096" "terminal $terminal 4608"; do
    set -- $image
    [ "$2" -le "$3" ] || { echo "TARGET MISSED: $1 firmware $2 > $3 bytes"; bad=1; }
done
# A batch call (wb_*_many, for FFI hosts) adds its own frame over the
# single call it loops on: its budget is 176 bytes.
deep=$(awk '/^wb_/ && $2 > ($1 ~ /_many$/ ? 176 : 128) { print $1 " " $2 }' "$out/stack.txt")
[ -z "$deep" ] || { echo "TARGET MISSED: over 128 bytes of stack: $deep"; bad=1; }
! grep -q '^not counted' "$out/stack.txt" || { echo "TARGET MISSED: a stack figure is missing"; bad=1; }
[ $bad -eq 0 ] && echo "firmware: every target met"
exit $bad
