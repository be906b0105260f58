#!/bin/sh
# Regenerates the syscall tables used by berth.runtime.seccomp.SeccompCompiler
# from the kernel UAPI headers (Debian/Ubuntu: package linux-libc-dev).
#
#   usage: generate-syscall-tables.sh [include-dir]   (default /usr/include/x86_64-linux-gnu/asm)
#
# Each output line is "name number". For x32 the number is the offset from
# __X32_SYSCALL_BIT (0x40000000); the compiler adds the bit itself.
set -eu
inc=${1:-/usr/include/x86_64-linux-gnu/asm}
out=$(cd "$(dirname "$0")" && pwd)
release=$(dpkg-query -W -f '${Version}' linux-libc-dev 2>/dev/null || echo unknown)

gen() {  # gen <header> <table-name>
    [ -r "$inc/$1" ] || { echo "missing $inc/$1" >&2; exit 1; }
    {
        echo "# $2 syscall numbers, generated from $1 (linux-libc-dev $release)"
        echo "# by generate-syscall-tables.sh; do not edit."
        sed -n \
            -e 's/^#define __NR_\([A-Za-z0-9_]*\) (__X32_SYSCALL_BIT + \([0-9]*\))$/\1 \2/p' \
            -e 's/^#define __NR_\([A-Za-z0-9_]*\) \([0-9][0-9]*\)$/\1 \2/p' \
            "$inc/$1" | sort -k2,2n -k1,1
    } > "$out/syscalls-$2.txt"
}

gen unistd_64.h x86_64
gen unistd_32.h x86
gen unistd_x32.h x32
