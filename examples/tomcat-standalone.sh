#!/usr/bin/env bash
# The standalone Tomcat examples' run (examples/tomcat10-java17 and tomcat11-java25 call it from `mvn verify`):
# Tomcat installed as docs/tomcat.md tells a user, literally: its distribution unpacked, the jars in lib/, the
# Connector block and the ticketkeeper.properties block of docs/tomcat.md (taken out of the page, so that the page
# cannot drift from what runs) in conf/, self-signed certificates for a.test and b.test, `catalina.sh start` on
# $JAVA_HOME. Then s_client (bin/lib/example-servers.sh), the start line in catalina.out, the counters through JMX,
# `catalina.sh stop` and the stop line.
#
#   tomcat-standalone.sh TARGET EXPECTED   TARGET: the example's target/ (tomcat.tar.gz, tomcat-lib/); EXPECTED: what
#                                          the start line says about the connector
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/example-servers.sh"
target=$1 expected=$2
java="$JAVA_HOME/bin/java"

tomcat="$target/tomcat"
rm -rf "$tomcat" "$target"/apache-tomcat-*
tar -xzf "$target/tomcat.tar.gz" -C "$target"
mv "$target"/apache-tomcat-* "$tomcat"
cp "$target"/tomcat-lib/*.jar "$tomcat/lib/"
echo "example: Tomcat $(sed -n 's/^ *Apache Tomcat Version //p' "$tomcat/RELEASE-NOTES") on Java" \
    "$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p'), lib/ +" \
    "$(cd "$target/tomcat-lib" && ls | tr '\n' ' ')"

# conf/: the certificates the page's Connector names, its ticketkeeper.properties and the key files that names.
tk_make_cert a.test "$tomcat/conf/a.crt" "$tomcat/conf/a.key"
tk_make_cert b.test "$tomcat/conf/b.crt" "$tomcat/conf/b.key"
page="$root/docs/tomcat.md"
block() { awk -v fence="$1" '$0 == fence { inside = 1; next } inside && $0 == "```" { exit } inside' "$page"; }
block '```properties' >"$tomcat/conf/ticketkeeper.properties"
openssl rand 80 >"$tomcat/conf/ticket.key"
openssl rand 80 >"$tomcat/conf/previous.key"
port=$(tk_free_port)
shutdown_port=$(tk_free_port)
jmx_port=$(tk_free_port)
connector=$(block '```xml' | sed "s/port=\"8443\"/port=\"$port\"/")
grep -q "port=\"$port\"" <<<"$connector" || { echo "example: docs/tomcat.md's Connector has no port=\"8443\"" >&2; exit 1; }
# The distribution's server.xml with the page's Connector in place of its HTTP one, and a free shutdown port.
awk -v connector="$connector" -v shutdown="$shutdown_port" '
    /<Server port="8005"/ { sub(/8005/, shutdown) }
    /<Connector port="8080"/ { print connector; skipping = 1 }
    skipping { if (/\/>/) skipping = 0; next }
    { print }' "$tomcat/conf/server.xml" >"$tomcat/conf/server.xml.new"
mv "$tomcat/conf/server.xml.new" "$tomcat/conf/server.xml"
grep -q TicketKeeperSslImplementation "$tomcat/conf/server.xml"

# Started as a user starts it; a connector that fails ends Tomcat (docs/tomcat.md), so it cannot go unseen.
export CATALINA_PID="$tomcat/tomcat.pid"
export CATALINA_OPTS="${CATALINA_OPTS:-} $(tk_jmx_options "$jmx_port") -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true"
started=$SECONDS
"$tomcat/bin/catalina.sh" start >/dev/null
pid=$(cat "$CATALINA_PID")
tk_on_exit "tk_kill_tree $pid"
log="$tomcat/logs/catalina.out"
tk_wait_port "$port" 60 "$pid" "$log"
echo "example: catalina.sh start: HTTPS on port $port after $((SECONDS - started)) s"
line=$(tk_expect_line "$log" '] runs: ' 10)
echo "example: catalina.out: ${line#*TicketKeeper }"
for text in "$expected" "hosts [a.test, b.test]" "ticketkeeper.properties"; do
    grep -q -F -- "$text" <<<"$line" || { echo "example: the start line does not say '$text'" >&2; exit 1; }
done

tk_check_tickets "$port" "$target"
url="service:jmx:rmi:///jndi/rmi://127.0.0.1:$jmx_port/jmxrmi"
counts=$(tk_jmx "$java" "$url" "*" Sealed Resumed RejectedOtherHost Contexts)
echo "example: JMX: $counts"
# 4 resumptions (2 hosts, 2 versions), 2 refusals (a.test's ticket on b.test, 2 versions), 2 contexts.
tk_expect_counts "$counts" Resumed=4 RejectedOtherHost=2 Contexts=2

"$tomcat/bin/catalina.sh" stop 30 >/dev/null
tk_wait_exit "$pid" 30
line=$(tk_expect_line "$log" '] stopped: ' 1)
echo "example: catalina.sh stop: ${line#*TicketKeeper }"
