#!/usr/bin/env bash
# The Netty example's run (`mvn verify` of examples/netty-tcnative calls it, KIND from its profile): the application
# example.NettyServers (a Netty and a Reactor Netty server, a.test and b.test each) on one of two tcnatives:
#
#   built       tcnative built from its C sources against the system OpenSSL, with docs/netty.md's gcc command taken
#               out of the page (so that the page cannot drift from what runs); Netty finds it on java.library.path
#   published   Maven Central's dynamic netty-tcnative jar (linux-x86_64, on the class path: it needs OpenSSL 3.2+),
#               the JVM run by Debian 13's loader on its libc and OpenSSL 3.5 (bin/lib/platforms.sh's private prefix,
#               tk_trixie_launcher), TicketKeeper's OpenSSL 3 shim on that libssl
#
# then s_client on both servers (bin/lib/example-servers.sh), the start lines, the counters through JMX, and a clean
# stop (standard input closed) with the stop lines.
#
#   run.sh KIND TARGET   TARGET: the example's target/ (classes/, classpath.txt, tcnative/ with the sources)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/lib/example-servers.sh"
kind=$1 target=$2
java="$JAVA_HOME/bin/java"
options=(--enable-native-access=ALL-UNNAMED)
launcher=()
case "$kind" in
    built)
        command=$(awk '$0 == "```sh" { inside = 1; next } inside && /^gcc / { taking = 1 }
            taking { print } taking && !/\\$/ { exit }' "$root/docs/netty.md")
        [ -n "$command" ] || { echo "example: docs/netty.md has no gcc command in a sh block" >&2; exit 1; }
        started=$SECONDS
        (cd "$target/tcnative" && eval "$command")
        echo "example: tcnative built with docs/netty.md's gcc command in $((SECONDS - started)) s"
        options+=("-Djava.library.path=$target/tcnative")
        ;;
    published)
        . "$root/bin/lib/platforms.sh"
        while IFS= read -r word; do launcher+=("$word"); done < <(tk_trixie_launcher)
        [ "${#launcher[@]}" -gt 0 ] || { echo "example: no Debian 13 prefix (tk_trixie_launcher)" >&2; exit 1; }
        ;;
    *) echo "run.sh: KIND is built or published, not $kind" >&2; exit 2 ;;
esac

tk_make_cert a.test "$target/a.test.crt" "$target/a.test.key"
tk_make_cert b.test "$target/b.test.crt" "$target/b.test.key"
netty_port=$(tk_free_port)
reactor_port=$(tk_free_port)
jmx_port=$(tk_free_port)
# shellcheck disable=SC2207 # the options are single words
options+=($(tk_jmx_options "$jmx_port"))
log="$target/servers.log"
# The application stops when its standard input ends: a FIFO that this script holds open on descriptor 3.
rm -f "$target/stdin"
mkfifo "$target/stdin"
"${launcher[@]}" "$java" "${options[@]}" -cp "$target/classes:$(cat "$target/classpath.txt")" example.NettyServers \
    "$netty_port" "$reactor_port" "$target" <"$target/stdin" >"$log" 2>&1 &
pid=$!
tk_on_exit "tk_kill_tree $pid"
exec 3>"$target/stdin"
tk_wait_port "$netty_port" 60 "$pid" "$log"
tk_wait_port "$reactor_port" 30 "$pid" "$log"
grep '^example: ' "$log"
# Which libraries the process mapped: the tcnative, the libssl and TicketKeeper's shim it runs on.
for library in netty_tcnative libssl.so ticketkeeper; do
    path=$(awk -v library="$library" 'index($6, library) { print $6; exit }' "/proc/$pid/maps")
    [ -n "$path" ] || { echo "example: the application mapped no $library" >&2; exit 1; }
    echo "example: mapped $path"
done
[ "$(grep -c '] runs: ' "$log")" -eq 2 ] || { echo "example: not two start lines in $log" >&2; cat "$log" >&2; exit 1; }
grep '] runs: ' "$log" | sed 's/^.*TicketKeeper /example: log: /'

url="service:jmx:rmi:///jndi/rmi://127.0.0.1:$jmx_port/jmxrmi"
for server in netty reactor-netty; do
    port=$netty_port
    [ "$server" = netty ] || port=$reactor_port
    echo "example: $server:"
    tk_check_tickets "$port" "$target"
    counts=$(tk_jmx "$java" "$url" "\"$server\"" Sealed Resumed RejectedOtherHost Contexts)
    echo "example: $server: JMX: $counts"
    tk_expect_counts "$counts" Resumed=4 RejectedOtherHost=2 Contexts=2
done

exec 3>&-
wait "$pid" || { echo "example: the application ended with status $?; $log:" >&2; cat "$log" >&2; exit 1; }
[ "$(grep -c '] stopped: ' "$log")" -eq 2 ] || { echo "example: not two stop lines in $log" >&2; cat "$log" >&2; exit 1; }
grep '] stopped: ' "$log" | sed 's/^.*TicketKeeper /example: log: /'
