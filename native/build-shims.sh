#!/usr/bin/env bash
# build-shims.sh OUT_DIR TARGETS [PREBUILT_DIR]: the native module's Maven step. It builds the shim for each of
# TARGETS with CMake (the one build, with CMakeLists.txt's flags and sources, that the C tests use too) and lays the
# libraries out under OUT_DIR as the library jar carries them: io/ticketkeeper/native/<os>-<arch>/openssl-<abi>/.
#
#   TARGETS       comma-separated targets of bin/lib/platforms.sh; "host" is this machine's own (Linux or macOS,
#                 OpenSSL 3), "all" every target the jar carries that this machine builds (Linux x86_64 and
#                 aarch64, OpenSSL 3 and 1.1.1, Windows)
#   PREBUILT_DIR  shims built elsewhere and laid out the same way (the GitHub workflow's macOS and Windows jobs),
#                 copied in as they are; empty for none
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/platforms.sh"
out=${1:?usage: build-shims.sh OUT_DIR TARGETS [PREBUILT_DIR]}
list=${2:-host}
prebuilt=${3:-}
# MinGW's strip (cmake --install --strip) writes the current time into the DLL's header unless SOURCE_DATE_EPOCH
# says which: the build's project.build.outputTimestamp (native/pom.xml passes it), so two builds give one DLL.
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && [ -n "${TK_OUTPUT_TIMESTAMP:-}" ]; then
    SOURCE_DATE_EPOCH=$(date -u -d "$TK_OUTPUT_TIMESTAMP" +%s)
    export SOURCE_DATE_EPOCH
fi

host_target() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo linux-x86_64-openssl-3 ;;
        Linux-aarch64) echo linux-aarch64-openssl-3 ;;
        Darwin-arm64) echo macos-aarch64-openssl-3 ;;
        Darwin-x86_64) echo macos-x86_64-openssl-3 ;;
        *) echo "build-shims: no shim target for $(uname -s) $(uname -m)" >&2; return 1 ;;
    esac
}

targets=()
IFS=, read -r -a words <<<"$list"
for word in "${words[@]}"; do
    case "$word" in
        host) targets+=("$(host_target)") ;;
        all) targets+=("${TK_TARGETS_IN_JAR[@]}") ;;
        *) targets+=("$word") ;;
    esac
done

# What an earlier build with another list left must not end up in the jar.
rm -rf "$out/io/ticketkeeper/native"
for target in "${targets[@]}"; do
    echo "build-shims: $target -> $(tk_jar_path "$target")"
    tk_stage "$target" "$out"
done
if [ -n "$prebuilt" ]; then
    [ -d "$prebuilt/io/ticketkeeper/native" ] \
        || { echo "build-shims: $prebuilt holds no io/ticketkeeper/native/ (the jar's layout)" >&2; exit 1; }
    echo "build-shims: adding the prebuilt shims of $prebuilt"
    mkdir -p "$out/io/ticketkeeper/native"
    cp -R "$prebuilt/io/ticketkeeper/native/." "$out/io/ticketkeeper/native/"
fi
# The index the library reads to know what it carries (NativeShims): <os>-<arch>/openssl-<abi>/<file> per line.
shims=$(cd "$out/io/ticketkeeper/native" && find . -type f ! -name shims.txt | sed 's|^\./||' | sort)
echo "$shims" >"$out/io/ticketkeeper/native/shims.txt"
echo "build-shims: the jar carries" $shims
