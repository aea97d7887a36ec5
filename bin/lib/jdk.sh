# Sourced by the scripts in bin/ and .ci/run: picks a JDK that can build and run TicketKeeper.
# TicketKeeper needs JDK 17 or newer: 17 to 22 build and run it with the JNA backend, 23 and newer add the Panama
# FFM backend (the default there) and the benchmarks. The newest JDK found is used, so a machine with both gets FFM.

TK_MIN_JDK=17

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing when $1 is not a JDK.
tk_jdk_feature() {
    local home=$1 version
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
    echo "${version:-0}"
}

# Prints the JDK to use: $TICKETKEEPER_JAVA_HOME when set (a JDK 17+), else the newest of $JAVA_HOME and the JDKs
# under /usr/lib/jvm.
tk_find_jdk() {
    local best="" best_feature=0 home feature
    if [ -n "${TICKETKEEPER_JAVA_HOME:-}" ]; then
        feature=$(tk_jdk_feature "$TICKETKEEPER_JAVA_HOME")
        if [ "${feature:-0}" -ge "$TK_MIN_JDK" ]; then
            echo "$TICKETKEEPER_JAVA_HOME"
            return 0
        fi
        echo "TICKETKEEPER_JAVA_HOME=$TICKETKEEPER_JAVA_HOME is not a JDK $TK_MIN_JDK or newer" >&2
        return 1
    fi
    for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
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
         "have none (newest found: ${best_feature}). Install one (Debian: openjdk-17-jdk) or set JAVA_HOME to it." >&2
    return 1
}

# Prints the newest JDK of feature version $1 (e.g. 17) under /usr/lib/jvm, or nothing.
tk_find_jdk_feature() {
    local home
    for home in /usr/lib/jvm/*; do
        [ -L "$home" ] && continue
        if [ "$(tk_jdk_feature "$home")" = "$1" ]; then
            echo "$home"
            return 0
        fi
    done
}
