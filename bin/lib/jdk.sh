# Sourced by the scripts in bin/ and .ci/run: picks a JDK that can build and run TicketKeeper.
# TicketKeeper needs JDK 23 or newer (Panama FFM, and jextract's bindings call SymbolLookup.findOrThrow).

TK_MIN_JDK=23

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing when $1 is not a JDK.
tk_jdk_feature() {
    local home=$1 version
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
    echo "${version:-0}"
}

# Prints the JDK to use: $JAVA_HOME when it is new enough, else the newest one under /usr/lib/jvm.
tk_find_jdk() {
    local best="" best_feature=0 home feature
    if [ -n "${JAVA_HOME:-}" ]; then
        feature=$(tk_jdk_feature "$JAVA_HOME")
        if [ "${feature:-0}" -ge "$TK_MIN_JDK" ]; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/*; do
        [ -L "$home" ] && continue
        feature=$(tk_jdk_feature "$home")
        if [ "${feature:-0}" -gt "$best_feature" ]; then
            best=$home
            best_feature=$feature
        fi
    done
    if [ "$best_feature" -ge "$TK_MIN_JDK" ]; then
        echo "$best"
        return 0
    fi
    echo "TicketKeeper needs a JDK $TK_MIN_JDK or newer, but JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm" \
         "have none (newest found: ${best_feature}). Install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
    return 1
}
