# Sourced by bin/platform-tests and native/build-shims.sh: the shim's builds beyond the host's own, one CMake build
# per target under target/platforms/build/<target>, configured by the preset of the same name (CMakePresets.json,
# which holds every target's CMake arguments; this file makes the OpenSSL prefixes those read):
#
#   linux-x86_64-openssl-3      the host: gcc and Debian 12's OpenSSL 3.0                      jar, CTest
#   linux-x86_64-openssl-1.1    gcc and Debian 11's OpenSSL 1.1.1 (a private prefix)           jar, CTest
#   linux-x86_64-openssl-3.5    gcc and Debian 13's OpenSSL 3.5, run by Debian 13's loader            CTest
#   linux-aarch64-openssl-3     gcc-aarch64-linux-gnu and libssl-dev:arm64                     jar, CTest under qemu
#   linux-aarch64-openssl-1.1   gcc-aarch64-linux-gnu and Debian 11's arm64 OpenSSL 1.1.1      jar, CTest under qemu
#   windows-x86_64-openssl-3    mingw-w64, import libraries for OpenSSL's DLLs from .def files jar, exports checked
#
# Other Debian releases' packages come from Debian's registry through a private apt configuration under
# target/platforms/apt (never the system's sources), are cached in $TK_DEB_CACHE (default ~/.cache/ticketkeeper/debs,
# outside the work tree, so a fresh clone reuses them) and are unpacked with dpkg -x into target/platforms/prefix.
# Callers set $root (the repository) first.

tk_platforms="$root/target/platforms"
TK_DEB_CACHE=${TK_DEB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ticketkeeper/debs}
TK_DEBIAN_MIRROR=${TK_DEBIAN_MIRROR:-http://deb.debian.org}
TK_TARGETS_IN_JAR=(linux-x86_64-openssl-3 linux-x86_64-openssl-1.1 linux-aarch64-openssl-3
    linux-aarch64-openssl-1.1 windows-x86_64-openssl-3)

# The packages each private prefix is made of: suite, Debian architecture, packages.
tk_prefix_packages() {
    case "$1" in
        bullseye-amd64) echo "bullseye amd64 libssl1.1 libssl-dev" ;;
        bullseye-arm64) echo "bullseye arm64 libssl1.1 libssl-dev" ;;
        # OpenSSL 3.5 needs glibc 2.38: trixie's loader and libc come along and run the tests.
        trixie-amd64) echo "trixie amd64 libc6 libgcc-s1 libssl3t64 libssl-dev libzstd1 zlib1g" ;;
        # Java 17 for arm64, run under qemu-user with the arm64 libc and OpenSSL 3 of the multiarch packages: unpacked
        # here, since installing it would upgrade the host's own JDK 17 and libraries to the same version.
        bookworm-arm64-jre) echo "bookworm arm64 openjdk-17-jre-headless libstdc++6 zlib1g" ;;
        *) echo "platforms: no prefix named $1" >&2; return 1 ;;
    esac
}

# tk_apt SUITE ARCH COMMAND ARGS...: apt-get or apt-cache against SUITE and SUITE-security for ARCH only, with
# every path private.
tk_apt() {
    local suite=$1 arch=$2 command=$3 dir="$tk_platforms/apt/$1-$2"
    shift 3
    if [ ! -f "$dir/sources.list" ]; then
        mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/preferences.d"
        : >"$dir/status"
        local signed=/usr/share/keyrings/debian-archive-keyring.gpg
        printf 'deb [arch=%s signed-by=%s] %s/debian %s main\ndeb [arch=%s signed-by=%s] %s/debian-security %s-security main\n' \
            "$arch" "$signed" "$TK_DEBIAN_MIRROR" "$suite" "$arch" "$signed" "$TK_DEBIAN_MIRROR" "$suite" \
            >"$dir/sources.list"
    fi
    "$command" -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
        -o Dir::Etc::preferences="$dir/preferences" -o Dir::Etc::preferencesparts="$dir/preferences.d" \
        -o Dir::State="$dir/state" -o Dir::State::status="$dir/status" -o Dir::Cache="$dir/cache" \
        -o APT::Architecture="$arch" -o APT::Architectures::="$arch" -o Acquire::Languages=none "$@"
}

# tk_fetch_debs SUITE ARCH PACKAGE...: makes sure the cache holds a .deb of each package; only a missing one costs
# a download (with the index of the suite fetched first).
tk_fetch_debs() {
    local suite=$1 arch=$2 missing=() package
    shift 2
    mkdir -p "$TK_DEB_CACHE/$suite"
    for package in "$@"; do
        compgen -G "$TK_DEB_CACHE/$suite/${package}_*_${arch}.deb" >/dev/null || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "platforms: downloading ${missing[*]} ($suite, $arch) into $TK_DEB_CACHE/$suite"
    tk_apt "$suite" "$arch" apt-get update >/dev/null || return 1
    for package in "${missing[@]}"; do
        tk_download "$suite" "$arch" "$package" \
            || { echo "platforms: could not download $package ($suite, $arch)" >&2; return 1; }
    done
}

# tk_download SUITE ARCH PACKAGE: the newest version the index lists, else older ones (a mirror may lack the newest
# security update for an architecture).
tk_download() {
    local suite=$1 arch=$2 package=$3 version
    for version in $(tk_apt "$suite" "$arch" apt-cache madison "$package" | awk -F'|' '{gsub(/ /, "", $2); print $2}' \
            | sort -u -r -V); do
        if (cd "$TK_DEB_CACHE/$suite" && tk_apt "$suite" "$arch" apt-get download "$package=$version" >/dev/null 2>&1); then
            echo "platforms:   $package $version"
            return 0
        fi
    done
    return 1
}

# tk_prefix NAME: prints the path of the private prefix NAME (see tk_prefix_packages), unpacking it first. The
# prefix holds the packages' files under root/ and, when it has OpenSSL's, for CMake, OpenSSL's headers in
# include/openssl (Debian's per-architecture header moved beside the others) and its libraries in lib/.
tk_prefix() {
    local name=$1 spec suite arch packages prefix package deb
    spec=$(tk_prefix_packages "$name") || return 1
    read -r suite arch packages <<<"$spec"
    prefix="$tk_platforms/prefix/$name"
    if [ ! -f "$prefix/.unpacked" ]; then
        # shellcheck disable=SC2086 # the package list is split on purpose
        tk_fetch_debs "$suite" "$arch" $packages >&2 || return 1
        rm -rf "$prefix"
        mkdir -p "$prefix/root"
        for package in $packages; do
            deb=$(compgen -G "$TK_DEB_CACHE/$suite/${package}_*_${arch}.deb" | sort | tail -n 1)
            dpkg-deb -x "$deb" "$prefix/root"
        done
        if [ -d "$prefix/root/usr/include/openssl" ]; then
            mkdir -p "$prefix/include/openssl" "$prefix/lib"
            cp "$prefix"/root/usr/include/openssl/*.h "$prefix"/root/usr/include/*-linux-gnu*/openssl/*.h \
                "$prefix/include/openssl/"
            ln -s "$prefix"/root/usr/lib/*-linux-gnu*/lib{ssl,crypto}.so* "$prefix/lib/"
        fi
        touch "$prefix/.unpacked"
    fi
    echo "$prefix"
}

# tk_windows_openssl: prints a prefix with what the mingw-w64 build needs of OpenSSL 3 for Windows, which Debian
# does not package: the headers (Debian's, with the one line of the Windows configuration that differs: LLP64 has
# 64-bit long long, not long) and import libraries for libssl-3-x64.dll and libcrypto-3-x64.dll, made with
# dlltool from .def files that list every function Debian's libssl.so.3 and libcrypto.so.3 export (the same names
# as OpenSSL's Windows DLLs export).
tk_windows_openssl() {
    local prefix="$tk_platforms/prefix/windows-x86_64-openssl-3" lib
    if [ ! -f "$prefix/.made" ]; then
        rm -rf "$prefix"
        mkdir -p "$prefix/include/openssl" "$prefix/lib"
        cp /usr/include/openssl/*.h /usr/include/x86_64-linux-gnu/openssl/*.h "$prefix/include/openssl/"
        sed -i -e 's/^\(# *\)define SIXTY_FOUR_BIT_LONG$/\1undef SIXTY_FOUR_BIT_LONG/' \
            -e 's/^\(# *\)undef SIXTY_FOUR_BIT$/\1define SIXTY_FOUR_BIT/' "$prefix/include/openssl/configuration.h"
        grep -q '^# *define SIXTY_FOUR_BIT$' "$prefix/include/openssl/configuration.h" \
            || { echo "platforms: could not adapt configuration.h for Windows" >&2; return 1; }
        for lib in ssl crypto; do
            { echo "LIBRARY lib$lib-3-x64.dll"; echo "EXPORTS"
              nm -D --defined-only "/usr/lib/x86_64-linux-gnu/lib$lib.so.3" | awk '$2 == "T" {sub(/@.*/, "", $3); print "    " $3}'
            } >"$prefix/lib/lib$lib-3-x64.def"
            x86_64-w64-mingw32-dlltool --input-def "$prefix/lib/lib$lib-3-x64.def" \
                --output-lib "$prefix/lib/lib$lib.dll.a"
        done
        touch "$prefix/.made"
    fi
    echo "$prefix"
}

# tk_prefix_in_build TARGET PREFIX: links PREFIX (made above) as TARGET's build directory's openssl/, which the
# preset (CMakePresets.json, "openssl-in-build") points CMake at instead of PREFIX: the OpenSSL libraries then lie
# inside the build tree, so the shim's build RPATH is relative to $ORIGIN (CMakeLists.txt) and names no checkout;
# the GNU build id, computed with that RPATH at link time, then is the same for two builds of the same sources in
# two directories (bin/release-check).
tk_prefix_in_build() {
    local build
    build=$(tk_build_dir "$1")
    mkdir -p "$build"
    ln -sfn "$2" "$build/openssl"
}

# tk_prepare TARGET: makes what TARGET's configure preset (CMakePresets.json, one per target: the CMake arguments
# live there) reads from target/platforms: the private OpenSSL prefix, downloaded and unpacked from Debian's
# registry, which CMake cannot do.
tk_prepare() {
    local prefix
    case "$1" in
        linux-x86_64-openssl-3 | linux-aarch64-openssl-3 | macos-*-openssl-3) ;;
        linux-x86_64-openssl-1.1)
            prefix=$(tk_prefix bullseye-amd64) || return 1
            tk_prefix_in_build "$1" "$prefix" ;;
        linux-x86_64-openssl-3.5)
            tk_prefix trixie-amd64 >/dev/null ;;
        linux-aarch64-openssl-1.1)
            prefix=$(tk_prefix bullseye-arm64) || return 1
            tk_prefix_in_build "$1" "$prefix" ;;
        windows-x86_64-openssl-3)
            tk_windows_openssl >/dev/null ;;
        *) echo "platforms: no target named $1 (targets: ${TK_TARGETS_IN_JAR[*]} linux-x86_64-openssl-3.5)" >&2
           return 1 ;;
    esac
}

# tk_trixie_launcher: the command, one word per line, that runs a program on Debian 13's loader, libc and OpenSSL
# 3.5 (the loader's --library-path comes before the system's directories). The preset linux-x86_64-openssl-3.5 gives
# CTest the same command as TK_TEST_LAUNCHER; this one runs the 3.0 build's tests there, outside CTest.
tk_trixie_launcher() {
    local prefix
    prefix=$(tk_prefix trixie-amd64) || return 1
    printf '%s\n' "$prefix/root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$prefix/root/usr/lib/x86_64-linux-gnu"
}

# tk_openssl11_preload: prints the LD_PRELOAD list that makes a process load Debian 11's OpenSSL 1.1.1 (x86_64)
# before anything else does: the Maven build's tests profile openssl-1.1 (tests/pom.xml) takes it.
tk_openssl11_preload() {
    local prefix
    prefix=$(tk_prefix bullseye-amd64) || return 1
    echo "$prefix/lib/libcrypto.so.1.1:$prefix/lib/libssl.so.1.1"
}

tk_build_dir() {
    echo "$tk_platforms/build/$1"
}

# tk_build TARGET [CMAKE_TARGET...]: configures TARGET through its preset and builds it (all of it, or the CMake
# targets named). The output goes to target/platforms/logs/; on failure its end is shown.
tk_build() {
    local target=$1 only=() log
    shift
    [ "$#" -eq 0 ] || only=(--target "$@")
    tk_prepare "$target" || return 1
    log="$tk_platforms/logs/build-$target.log"
    mkdir -p "$tk_platforms/logs"
    if ! { cmake -S "$root" --preset "$target" \
            && cmake --build "$(tk_build_dir "$target")" -j "$(getconf _NPROCESSORS_ONLN)" ${only[@]+"${only[@]}"}; } \
            >"$log" 2>&1; then
        echo "platforms: building $target failed; the end of $log:" >&2
        tail -n 40 "$log" >&2
        return 1
    fi
}

# tk_library_name TARGET: the shim's file name on TARGET's platform (Java's System.mapLibraryName).
tk_library_name() {
    case "$1" in
        windows-*) echo ticketkeeper.dll ;;
        macos-*) echo libticketkeeper.dylib ;;
        *) echo libticketkeeper.so ;;
    esac
}

# tk_jar_path TARGET: where TARGET's shim sits in the library jar: io/ticketkeeper/native/<os>-<arch>/openssl-<abi>/.
tk_jar_path() {
    local platform=${1%-openssl-*} abi=${1##*-openssl-}
    echo "io/ticketkeeper/native/$platform/openssl-$abi/$(tk_library_name "$1")"
}

# tk_stage TARGET DIR: builds TARGET's shim, installs it stripped and copies it into DIR at its jar path.
tk_stage() {
    local target=$1 dir=$2 build stage file
    tk_build "$target" ticketkeeper || return 1
    build=$(tk_build_dir "$target")
    stage="$build/stage"
    rm -rf "$stage"
    cmake --install "$build" --prefix "$stage" --strip >/dev/null || return 1
    file=$(find "$stage" -name "$(tk_library_name "$target")" -type f | head -n 1)
    [ -n "$file" ] || { echo "platforms: $target installed no $(tk_library_name "$target")" >&2; return 1; }
    mkdir -p "$dir/$(dirname "$(tk_jar_path "$target")")"
    cp "$file" "$dir/$(tk_jar_path "$target")"
}
