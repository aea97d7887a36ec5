#!/usr/bin/env bash
# check.sh JAVA CLASSPATH: runs the example server as a user would (its own JVM, a key file, a certificate) and
# checks it with openssl s_client: a request, then the same session offered again, TLS 1.2 and 1.3; the key file
# replaced, after which the old sessions still resume and new ones are sealed under the new key; TicketKeeper's
# start line in Netty's log. `mvn verify` runs it; the files go to target/check.
set -euo pipefail
java=$1 classpath=$2
here=$(cd "$(dirname "$0")" && pwd)
work="$here/target/check"
rm -rf "$work" && mkdir -p "$work"
cd "$work"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout a.key -out a.crt -subj /CN=a.test \
    -days 1 2>/dev/null
head -c 80 /dev/urandom > ticket.key        # nginx's 80-byte format: name | HMAC key | AES key

mkfifo stdin
"$java" -cp "$classpath" example.KeyFileHttpsServer ticket.key a.crt a.key port < stdin > server.log 2>&1 &
server=$!
exec 3> stdin                                # the server stops when this closes
stop() { exec 3>&-; wait "$server" || true; }
trap stop EXIT
for _ in $(seq 1 300); do [ -s port ] && break; kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
[ -s port ] || { cat server.log; echo "example: the server did not start" >&2; exit 1; }
port=$(cat port)

# connect VERSION [s_client options]: one request through s_client; its output in the file named by $out.
connect() {
    local version=$1; shift
    printf 'GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n' \
        | openssl s_client -connect "127.0.0.1:$port" -servername a.test "-$version" -ign_eof "$@" > "$out" 2>&1 \
        || true
    grep -q '^ok$' "$out" || { cat "$out"; echo "example: no answer over $version" >&2; exit 1; }
}
expect() {
    grep -q "$1" "$out" || { cat "$out" server.log; echo "example: $2" >&2; exit 1; }
}
ticket_name() { openssl sess_id -in "$1" -noout -text | sed -n '/TLS session ticket:/{n;p}' | cut -c12-58 | tr -d ' -'; }

key_name=$(head -c 16 ticket.key | od -An -tx1 | tr -d ' \n')
for version in tls1_2 tls1_3; do
    v=TLSv1.${version#tls1_}
    out=$version-new.txt; connect "$version" -sess_out "$version.pem"; expect "New, $v" "no full handshake"
    [ "$(ticket_name "$version.pem")" = "$key_name" ] || { echo "example: $v ticket not sealed by the file's key" >&2; exit 1; }
    out=$version-again.txt; connect "$version" -sess_in "$version.pem"; expect "Reused, $v" "$v did not resume"
    echo "resume: $v resumed under the key file's key"
done

head -c 80 /dev/urandom > ticket.key.new && mv ticket.key.new ticket.key
new_name=$(head -c 16 ticket.key | od -An -tx1 | tr -d ' \n')
sleep 2                                      # the server checks the file every second
for version in tls1_2 tls1_3; do
    v=TLSv1.${version#tls1_}
    out=$version-old.txt; connect "$version" -sess_in "$version.pem"; expect "Reused, $v" "$v: the old key's ticket did not resume"
    out=$version-fresh.txt; connect "$version" -sess_out "$version-new.pem"; expect "New, $v" "no full handshake"
    [ "$(ticket_name "$version-new.pem")" = "$new_name" ] || { echo "example: $v not sealed by the new key" >&2; exit 1; }
    out=$version-renewed.txt; connect "$version" -sess_in "$version-new.pem"; expect "Reused, $v" "$v did not resume"
    echo "resume: $v after the key file changed: old ticket resumed, new ones sealed under the new key"
done

grep -q "TicketKeeper \[netty-keys-1\] manages Netty's ticket keys" server.log \
    || { cat server.log; echo "example: no TicketKeeper start line in Netty's log" >&2; exit 1; }
echo "example: $(grep -o "TicketKeeper \[netty-keys-1\] manages.*Netty on [A-Za-z]*" server.log)"
if grep -q libticketkeeper "/proc/$server/maps" 2>/dev/null; then
    echo "example: TicketKeeper's native library was loaded in key-management mode" >&2; exit 1
fi
stop; trap - EXIT
grep -q "stopped managing Netty's ticket keys" server.log \
    || { cat server.log; echo "example: no TicketKeeper stop line in Netty's log" >&2; exit 1; }
echo "example: $(grep -o "TicketKeeper \[netty-keys-1\] stopped.*" server.log)"
