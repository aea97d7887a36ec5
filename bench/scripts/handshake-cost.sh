#!/usr/bin/env bash
# handshake-cost.sh [HANDSHAKES]: instructions per resumed handshake, OpenSSL's built-in ticket keys against the shim
# with C upcalls (bench/native/handshake_cost.c), counted by valgrind's callgrind. Each contestant runs HANDSHAKES
# (default 100) and 3 x HANDSHAKES resumptions; the difference over 2 x HANDSHAKES is the cost of one, free of the
# set-up. Deterministic: the same build gives the same counts on any machine, loaded or not. Needs valgrind
# (Debian's package) and the CMake build of preset "default" (made here when missing).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-100}
build="$root/target/cmake"
driver="$build/tk_bench_handshake_cost"
command -v valgrind >/dev/null || { echo "handshake-cost: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
if [ ! -x "$driver" ]; then
    echo "handshake-cost: building $driver"
    (cd "$root" && cmake --preset default >/dev/null && cmake --build "$build" -j --target tk_bench_handshake_cost >/dev/null)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# collected CONTESTANT VERSION COUNT: the instructions of one run.
collected() {
    valgrind --tool=callgrind --callgrind-out-file="$work/$1-$2-$3.out" "$driver" "$1" "$2" "$3" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# own CONTESTANT VERSION COUNT: the shim's three callbacks, inclusive (what they and the libcrypto calls they make
# execute), in the longer run.
own() {
    callgrind_annotate --threshold=100 --inclusive=yes --tree=none "$work/$1-$2-$3.out" \
        | awk '/tk_ticket_key_cb|tk_decrypt_cb|tk_generate_cb/ { gsub(",", "", $1); sum += $1 } END { print sum + 0 }'
}

printf '%-8s %-14s %14s %14s %10s\n' "TLS" "contestant" "instr/handshake" "shim callbacks" "vs builtin"
for version in 1.2 1.3; do
    base=0
    for contestant in builtin shim; do
        echo "handshake-cost: TLS $version, $contestant, $n and $((3 * n)) resumptions under callgrind" >&2
        short=$(collected "$contestant" "$version" "$n")
        long=$(collected "$contestant" "$version" $((3 * n)))
        per=$(((long - short) / (2 * n)))
        callbacks=-
        ratio=1.0000
        if [ "$contestant" = shim ]; then
            callbacks=$(($(own shim "$version" $((3 * n))) / (3 * n + 1)))
            ratio=$(awk -v a="$per" -v b="$base" 'BEGIN { printf "%.4f", a / b }')
        else
            base=$per
        fi
        printf '%-8s %-14s %14s %14s %10s\n' "$version" "$contestant" "$per" "$callbacks" "$ratio"
    done
done
