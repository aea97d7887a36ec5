#!/usr/bin/env bash
# Regenerates the committed FFM bindings from include/ticketkeeper.h and the OpenSSL headers.
# Usage: JEXTRACT=/path/to/jextract include/jextract/regenerate.sh
# jextract is not part of this repository: build it from openjdk/jextract (see README.md, "Developing").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jextract=${JEXTRACT:-jextract}
out="$root/java/src/main/java23"
clang_include=${CLANG_INCLUDE:-/usr/lib/llvm-19/lib/clang/19/include}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

rm -rf "$out/io/ticketkeeper/ffm/shim" "$out/io/ticketkeeper/ffm/openssl"
"$jextract" -I "$clang_include" -I "$root/include" --output "$out" \
    @"$here/shim.args" "$root/include/ticketkeeper.h"
"$jextract" -I "$clang_include" -I /usr/include -I "/usr/include/$multiarch" --output "$out" \
    @"$here/openssl.args" "$here/openssl.h" 2> >(grep -v 'warning: Skipping' >&2)
echo "bindings written under $out/io/ticketkeeper/ffm/{shim,openssl}"
