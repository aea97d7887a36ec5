# Sourced by the server examples' scripts (examples/tomcat-standalone.sh for tomcat10-java17 and tomcat11-java25,
# examples/netty-tcnative/run.sh): what every one of them does around its own server, in one place. A script starts
# its server on ports from tk_free_port, waits with tk_wait_port, proves tickets with tk_check_tickets and its
# counters with tk_jmx, and stops it; tk_on_exit registers the clean-up that runs however the script ends.
#
# Every line meant for bin/example-tests' summary starts with "example: ".

tk_example_servers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# tk_on_exit COMMAND: runs COMMAND (a string, eval'd) when the script exits, after those registered before it: a
# server the script started must never outlive it.
tk_exit_commands=()
tk_on_exit() {
    tk_exit_commands+=("$1")
    trap tk_run_exit_commands EXIT
    # A signal ends the script through exit, so that the EXIT trap runs.
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
tk_run_exit_commands() {
    local i
    for ((i = ${#tk_exit_commands[@]} - 1; i >= 0; i--)); do
        eval "${tk_exit_commands[$i]}" || true
    done
}

# tk_kill_tree PID: ends PID (TERM, then KILL after 5 s) if it still runs.
tk_kill_tree() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    echo "example: process $pid still running at exit: ending it" >&2
    kill "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

# tk_free_port: a TCP port free on loopback right now (the kernel's choice).
tk_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# tk_wait_port PORT SECONDS PID LOG: waits until something listens on 127.0.0.1:PORT; fails with LOG's tail when
# SECONDS pass or PID ends first.
tk_wait_port() {
    local port=$1 seconds=$2 pid=$3 log=$4 deadline=$((SECONDS + $2))
    while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            echo "example: nothing listens on port $port after $seconds s (process $pid); the end of $log:" >&2
            tail -n 40 "$log" >&2
            return 1
        fi
        sleep 0.2
    done
}

# tk_wait_exit PID SECONDS: waits until PID has ended; fails when SECONDS pass first.
tk_wait_exit() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "example: process $pid still runs after $2 s" >&2; return 1; }
        sleep 0.2
    done
}

# tk_make_cert HOST CERT KEY: a self-signed P-256 certificate for HOST into the file CERT, its key into KEY.
tk_make_cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
        -addext "subjectAltName=DNS:$1" -out "$2" -keyout "$3" 2>/dev/null
}

# tk_sclient PORT HOST VERSION SESSION_IN SESSION_OUT: one HTTPS request to HOST (SNI and Host header) over TLS
# VERSION (1.2 or 1.3) with openssl s_client, offering the session in SESSION_IN ("-": none) and saving the one it
# gets into SESSION_OUT ("-": none); prints "New" or "Reused" and fails unless the answer was HTTP 200. -ign_eof: the
# request is answered, the server closes, and on TLS 1.3 the tickets that follow the handshake are read too.
tk_sclient() {
    local port=$1 host=$2 version=$3 args=(-connect "127.0.0.1:$port" -servername "$2" "-tls1_${3#1.}" -ign_eof)
    local output
    [ "$4" = - ] || args+=(-sess_in "$4")
    [ "$5" = - ] || args+=(-sess_out "$5")
    output=$(printf 'GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" \
        | timeout 20 openssl s_client "${args[@]}" 2>&1) || true
    if ! grep -q '^HTTP/1.1 200' <<<"$output"; then
        echo "example: no HTTP 200 from $host on TLS $version; s_client said:" >&2
        tail -n 30 <<<"$output" >&2
        return 1
    fi
    sed -n -E 's/^(New|Reused), TLSv1.*/\1/p' <<<"$output" | head -n 1
}

# tk_check_tickets PORT DIR: what every server example proves with s_client, on TLS 1.2 and 1.3: per host (a.test,
# b.test) a full handshake, then its ticket resumed; a.test's ticket offered to b.test gets a full handshake. DIR
# keeps the sessions. Prints one line per check and fails at the first that does not hold.
tk_check_tickets() {
    local port=$1 dir=$2 version host got
    for version in 1.2 1.3; do
        for host in a.test b.test; do
            got=$(tk_sclient "$port" "$host" "$version" - "$dir/$host-$version.pem") || return 1
            [ "$got" = New ] || { echo "example: the first handshake with $host (TLS $version) was '$got'" >&2; return 1; }
            got=$(tk_sclient "$port" "$host" "$version" "$dir/$host-$version.pem" -) || return 1
            [ "$got" = Reused ] \
                || { echo "example: $host's ticket (TLS $version) was not resumed by $host: '$got'" >&2; return 1; }
            echo "example: TLS $version $host: full handshake, then its ticket resumed"
        done
        got=$(tk_sclient "$port" b.test "$version" "$dir/a.test-$version.pem" -) || return 1
        [ "$got" = New ] || { echo "example: a.test's ticket (TLS $version) was '$got' on b.test" >&2; return 1; }
        echo "example: TLS $version a.test's ticket offered to b.test: full handshake"
    done
}

# tk_jmx JAVA URL NAME ATTRIBUTE...: prints "ATTRIBUTE=value ..." of the TicketKeeper MXBean
# io.ticketkeeper:type=TicketKeeper,name=NAME (NAME quoted as ObjectName.quote does, or *: the only one) of the JVM
# whose JMX connector listens at URL (service:jmx:rmi:///jndi/rmi://127.0.0.1:PORT/jmxrmi), with the JDK's own JMX
# client: JmxRead.java, run from source.
tk_jmx() {
    local java=$1 url=$2 name=$3
    shift 3
    "$java" "$tk_example_servers_dir/JmxRead.java" "$url" "io.ticketkeeper:type=TicketKeeper,name=$name" "$@"
}

# tk_jmx_options PORT: the JVM options of a JMX connector on 127.0.0.1:PORT without authentication (loopback only).
tk_jmx_options() {
    echo "-Dcom.sun.management.jmxremote.port=$1 -Dcom.sun.management.jmxremote.rmi.port=$1" \
        "-Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1" \
        "-Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
}

# tk_expect_counts COUNTS NAME=MIN...: fails unless each NAME in COUNTS ("Name=value ..." from tk_jmx) is MIN or more.
tk_expect_counts() {
    local counts=$1 expected name min value
    shift
    for expected in "$@"; do
        name=${expected%=*}
        min=${expected#*=}
        value=$(tr ' ' '\n' <<<"$counts" | sed -n "s/^$name=//p")
        if [ -z "$value" ] || [ "$value" -lt "$min" ]; then
            echo "example: JMX $name is '${value}', expected $min or more ($counts)" >&2
            return 1
        fi
    done
}

# tk_expect_line FILE TEXT SECONDS: prints the first line of FILE containing TEXT, waiting up to SECONDS for it.
tk_expect_line() {
    local file=$1 text=$2 deadline=$((SECONDS + $3)) line
    while :; do
        line=$(grep -F -m 1 -- "$text" "$file" 2>/dev/null) && { echo "$line"; return 0; }
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "example: no line with '$text' in $file after $3 s; its end:" >&2
            tail -n 40 "$file" >&2
            return 1
        fi
        sleep 0.2
    done
}
