#!/usr/bin/env bash
# Regenerates the committed FFM bindings: the library's bindings to the shim (include/ticketkeeper.h) and the
# support module's bindings to OpenSSL, which only the harness, the command and the benchmarks use.
# Usage: JEXTRACT=/path/to/jextract include/jextract/regenerate.sh
# jextract is not part of this repository: build it from openjdk/jextract (see README.md, "Developing").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jextract=${JEXTRACT:-jextract}
clang_include=${CLANG_INCLUDE:-/usr/lib/llvm-19/lib/clang/19/include}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

shim_out="$root/java/src/main/java23"
rm -rf "$shim_out/io/ticketkeeper/ffm/shim"
"$jextract" -I "$clang_include" -I "$root/include" --output "$shim_out" \
    @"$here/shim.args" "$root/include/ticketkeeper.h"
echo "shim bindings written under $shim_out/io/ticketkeeper/ffm/shim"

openssl_out="$root/openssl/src/main/java23"
rm -rf "$openssl_out/io/ticketkeeper/openssl/ffm"
"$jextract" -I "$clang_include" -I /usr/include -I "/usr/include/$multiarch" --output "$openssl_out" \
    @"$here/openssl.args" "$here/openssl.h" 2> >(grep -v 'warning: Skipping' >&2)
echo "OpenSSL bindings written under $openssl_out/io/ticketkeeper/openssl/ffm"
