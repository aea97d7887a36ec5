#!/usr/bin/env bash
# The BoringSSL example's run (`mvn verify` of examples/netty-boringssl calls it): the application
# example.KeyFileHttpsServer, a Netty HTTPS server on netty-tcnative-boringssl-static whose ticket keys come from a
# key file through TicketKeeper's key-management mode, checked with s_client (bin/lib/example-servers.sh) on TLS 1.2
# and 1.3: a full handshake sealed under the file's key (the key name at the head of the ticket), its ticket resumed;
# the file replaced, after which the old tickets still resume and new ones are sealed under the new key; the start
# line in Netty's log, TicketKeeper's native library not mapped, and a clean stop (standard input closed) with the
# stop line.
#
#   run.sh TARGET   TARGET: the example's target/ (classes/, classpath.txt)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/lib/example-servers.sh"
target=$1
java="$JAVA_HOME/bin/java"

# ticket_name SESSION: the name of the key that sealed the ticket of the session file SESSION (its first 16 bytes).
ticket_name() {
    openssl sess_id -in "$1" -noout -text | sed -n '/TLS session ticket:/{n;p;}' | cut -c12-58 | tr -d ' -'
}
# key_name FILE: the name of the 80-byte key (name | HMAC key | AES key) in FILE.
key_name() {
    head -c 16 "$1" | od -An -tx1 | tr -d ' \n'
}
# expect WANTED GOT WHAT: fails saying WHAT unless GOT is WANTED.
expect() {
    [ "$1" = "$2" ] || { echo "example: $3: '$2', expected '$1'" >&2; exit 1; }
}

tk_make_cert a.test "$target/a.test.crt" "$target/a.test.key"
head -c 80 /dev/urandom >"$target/ticket.key"
port=$(tk_free_port)
log="$target/server.log"
# The application stops when its standard input ends: a FIFO that this script holds open on descriptor 3.
rm -f "$target/stdin"
mkfifo "$target/stdin"
"$java" -cp "$target/classes:$(cat "$target/classpath.txt")" example.KeyFileHttpsServer "$port" "$target/ticket.key" \
    "$target/a.test.crt" "$target/a.test.key" <"$target/stdin" >"$log" 2>&1 &
pid=$!
tk_on_exit "tk_kill_tree $pid"
exec 3>"$target/stdin"
tk_wait_port "$port" 60 "$pid" "$log"
line=$(tk_expect_line "$log" "manages Netty's ticket keys" 5)
echo "example: log: ${line#*TicketKeeper }"
if awk '{ print $6 }' "/proc/$pid/maps" | grep -q libticketkeeper; then
    echo "example: TicketKeeper's native library was mapped in key-management mode" >&2
    exit 1
fi
echo "example: mapped $(awk 'index($6, "netty_tcnative") { print $6; exit }' "/proc/$pid/maps"), no TicketKeeper library"

first=$(key_name "$target/ticket.key")
for version in 1.2 1.3; do
    expect New "$(tk_sclient "$port" a.test "$version" - "$target/old-$version.pem")" "the first handshake (TLS $version)"
    expect "$first" "$(ticket_name "$target/old-$version.pem")" "the key that sealed the ticket (TLS $version)"
    expect Reused "$(tk_sclient "$port" a.test "$version" "$target/old-$version.pem" -)" "its ticket (TLS $version)"
    echo "example: TLS $version: full handshake, ticket sealed under the key file's key, then resumed"
done

head -c 80 /dev/urandom >"$target/ticket.key.new"
mv "$target/ticket.key.new" "$target/ticket.key"
second=$(key_name "$target/ticket.key")
sleep 2 # the application checks the file every second
for version in 1.2 1.3; do
    expect Reused "$(tk_sclient "$port" a.test "$version" "$target/old-$version.pem" -)" \
        "the old key's ticket after the file changed (TLS $version)"
    expect New "$(tk_sclient "$port" a.test "$version" - "$target/new-$version.pem")" "a new handshake (TLS $version)"
    expect "$second" "$(ticket_name "$target/new-$version.pem")" "the key that sealed the new ticket (TLS $version)"
    expect Reused "$(tk_sclient "$port" a.test "$version" "$target/new-$version.pem" -)" "the new ticket (TLS $version)"
    echo "example: TLS $version after the key file changed: the old ticket resumed, new ones sealed under the new key"
done

exec 3>&-
wait "$pid" || { echo "example: the application ended with status $?; $log:" >&2; cat "$log" >&2; exit 1; }
line=$(tk_expect_line "$log" "stopped managing Netty's ticket keys" 1)
echo "example: log: ${line#*TicketKeeper }"
