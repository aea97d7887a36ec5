#!/usr/bin/env bash
# Runs Maven on the TicketKeeper build with the JDK from jdk.sh, showing one progress line per module and the
# log's tail when it fails. Arguments go to Maven.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
JAVA_HOME=$(tk_find_jdk)
export JAVA_HOME
command -v mvn >/dev/null || { echo "TicketKeeper builds with Maven (mvn), which is not installed" >&2; exit 1; }

log=$(mktemp -t ticketkeeper-build.XXXXXX.log)
echo "ticketkeeper: building with $JAVA_HOME (mvn $*; log: $log)" >&2
if ! mvn -B -ntp -f "$root/pom.xml" "$@" 2>&1 | tee "$log" \
        | grep --line-buffered -E '^\[INFO\] Building TicketKeeper|BUILD (SUCCESS|FAILURE)' | sed 's/^\[INFO\] /  /' >&2 \
        || ! grep -q 'BUILD SUCCESS' "$log"; then
    echo "ticketkeeper: the build failed; the end of its log:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
