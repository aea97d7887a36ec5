#!/usr/bin/env bash
# package-nars.sh SHIMS_DIR CLASSES_DIR NAR_DIR GROUP_ID ARTIFACT_ID VERSION GENERATION: the NAR step of the
# native modules. It lays out the shims of one OpenSSL GENERATION ("3", "1.1") that build-shims.sh put under
# SHIMS_DIR in the jar's layout (CMake's outputs: no second list of sources or flags) the way the nar-maven-plugin
# lays out a NAR (NarLayout21), for the plugin's nar-package goal to pack and attach:
#
#   NAR_DIR/<artifactId>-<version>-noarch/include/ticketkeeper.h                       -> classifier noarch
#   NAR_DIR/<artifactId>-<version>-<aol>-shared/lib/<aol>/shared/<library>              -> classifier <aol>-shared
#   CLASSES_DIR/META-INF/nar/<groupId>/<artifactId>/nar.properties                     -> in the main artifact,
#                                                                                         also attached as .nar
#
# with the plugin's AOL names (its aol.properties): amd64-Linux-gpp, aarch64-Linux-gpp, amd64-Windows-gpp,
# x86_64-MacOSX-gpp, aarch64-MacOSX-gpp. A NAR has one library per AOL, so each generation is an artifact of its
# own: ticketkeeper-native (OpenSSL 3) and ticketkeeper-native-openssl11 (1.1.1). nar.properties is written here
# rather than by the plugin's nar-prepare-package, whose Properties.store stamps the time into it (two builds would
# differ), and every file gets the build's fixed time for the same reason.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shims=${1:?usage: package-nars.sh SHIMS_DIR CLASSES_DIR NAR_DIR GROUP_ID ARTIFACT_ID VERSION GENERATION}
classes=${2:?}
nar=${3:?}
group=${4:?}
artifact=${5:?}
version=${6:?}
generation=${7:?}
# The parent POM's project.build.outputTimestamp, as touch takes it.
stamp=${TK_OUTPUT_TIMESTAMP:-2026-12-07T00:00:00Z}

rm -rf "$nar"
mkdir -p "$nar/$artifact-$version-noarch/include"
cp "$root/include/ticketkeeper.h" "$nar/$artifact-$version-noarch/include/"

aol_of() {
    case "$1" in
        linux-x86_64) echo amd64-Linux-gpp ;;
        linux-aarch64) echo aarch64-Linux-gpp ;;
        windows-x86_64) echo amd64-Windows-gpp ;;
        macos-x86_64) echo x86_64-MacOSX-gpp ;;
        macos-aarch64) echo aarch64-MacOSX-gpp ;;
        *) return 1 ;;
    esac
}

properties="$classes/META-INF/nar/$group/$artifact/nar.properties"
mkdir -p "$(dirname "$properties")"
{
    echo "# The shim of TicketKeeper (OpenSSL $generation) for the nar-maven-plugin: link ticketkeeper, include ticketkeeper.h."
    echo "nar.noarch=$group\\:$artifact\\:nar\\:noarch"
    echo "nar.shared=$group\\:$artifact\\:nar\\:\${aol}-shared"
    echo "libs.binding=shared"
    echo "output=ticketkeeper"
} >"$properties"
for dir in "$shims"/io/ticketkeeper/native/*/"openssl-$generation"; do
    [ -d "$dir" ] || continue
    platform=$(basename "$(dirname "$dir")")
    aol=$(aol_of "$platform") || { echo "package-nars: no NAR AOL for $platform" >&2; exit 1; }
    lib="$nar/$artifact-$version-$aol-shared/lib/$aol/shared"
    mkdir -p "$lib"
    cp "$dir"/* "$lib/"
    { echo "$aol.libs.binding=shared"; echo "$aol.output=ticketkeeper"; } >>"$properties"
    echo "package-nars: $platform/openssl-$generation -> $artifact-$version-$aol-shared.nar"
done
find "$nar" "$(dirname "$properties")" -exec touch -h -d "$stamp" {} +
