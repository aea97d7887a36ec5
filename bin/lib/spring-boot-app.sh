# Sourced by bin/example-tests: runs a Spring Boot example's jar as a user would (java -jar) and checks it from
# outside with openssl s_client (bin/lib/example-servers.sh's tk_check_tickets, as the server examples) and curl.
# Callers set $root.
#
#   tk_boot_app_check NAME JAVA_HOME [JVM OPTION...]
#
# examples/NAME/target/*.jar (built already) serves a.test and b.test over HTTPS from PEM files that this makes in
# target/example-NAME/certs (the example's application.properties reads ${certs}), on an ephemeral loopback port
# (server.port=0; the port is read from Boot's "Tomcat started on port" or "Netty started on port" line). Checked, on
# TLS 1.2 and TLS 1.3: a ticket of a.test resumes on a.test, a ticket of b.test on b.test, and a.test's is refused
# (full handshake) by b.test; TicketKeeper's start line in the log; Actuator's health component ticketKeeper UP and
# the meter ticketkeeper.tickets counting the resumptions; the stop line once the application is stopped.

. "$root/bin/lib/example-servers.sh"

tk_boot_fail() {
    echo "examples: $tk_boot_name: $*" >&2
    [ -f "$tk_boot_work/app.log" ] && tail -n 40 "$tk_boot_work/app.log" >&2
    [ -n "${tk_boot_pid:-}" ] && kill "$tk_boot_pid" 2>/dev/null
    return 1
}

tk_boot_app_check() {
    tk_boot_name=$1
    local java_home=$2
    shift 2
    tk_boot_work="$root/target/example-$tk_boot_name"
    local jar certs host got resumed health metric
    jar=$(ls "$root/examples/$tk_boot_name"/target/*.jar | grep -v -- '-plain\.jar$' | head -n 1)
    rm -rf "$tk_boot_work" && mkdir -p "$tk_boot_work/certs"
    certs="$tk_boot_work/certs"
    for host in a.test b.test; do
        tk_make_cert "$host" "$certs/$host.crt" "$certs/$host.key"
    done
    "$java_home/bin/java" "$@" -jar "$jar" --certs="$certs" --server.port=0 --server.address=127.0.0.1 \
        >"$tk_boot_work/app.log" 2>&1 &
    tk_boot_pid=$!
    tk_boot_port=
    for _ in $(seq 1 120); do
        tk_boot_port=$(sed -n -E 's/.*(Tomcat|Netty) started on ports? \(?([0-9]+).*/\2/p' "$tk_boot_work/app.log" | head -n 1)
        [ -n "$tk_boot_port" ] && break
        kill -0 "$tk_boot_pid" 2>/dev/null || { tk_boot_pid=; tk_boot_fail "the application stopped"; return 1; }
        sleep 0.5
    done
    [ -n "$tk_boot_port" ] || { tk_boot_fail "no 'Tomcat/Netty started on port' line in 60 s"; return 1; }

    # Per host and TLS version: a ticket resumes on its own host and is refused by the other (example-servers.sh).
    got=$(tk_check_tickets "$tk_boot_port" "$tk_boot_work") || { tk_boot_fail "tickets"; return 1; }
    sed 's/^/   /' <<<"$got"
    resumed=4  # each host's ticket once, on TLS 1.2 and on TLS 1.3

    # The start line waits a second for the connector's contexts to be made (ticketkeeper-tomcat).
    for _ in $(seq 1 20); do grep -q -E 'TicketKeeper \[(tomcat|netty)-1\] runs: ' "$tk_boot_work/app.log" && break; sleep 0.25; done
    grep -o -E 'TicketKeeper \[(tomcat|netty)-1\] runs: .*' "$tk_boot_work/app.log" | sed 's/^/   example: /' | grep . \
        || { tk_boot_fail "no start line"; return 1; }

    health=$(curl -sk --resolve "a.test:$tk_boot_port:127.0.0.1" "https://a.test:$tk_boot_port/actuator/health")
    got=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["components"]["ticketKeeper"]["status"])' \
        <<<"$health" 2>/dev/null) || true
    [ "$got" = UP ] || { tk_boot_fail "health: $health"; return 1; }
    metric=$(curl -sk --resolve "a.test:$tk_boot_port:127.0.0.1" \
        "https://a.test:$tk_boot_port/actuator/metrics/ticketkeeper.tickets?tag=outcome:resumed")
    got=$(sed -n 's/.*"statistic":"COUNT","value":\([0-9.]*\).*/\1/p' <<<"$metric")
    [ -n "$got" ] && [ "${got%.*}" -ge "$resumed" ] || { tk_boot_fail "ticketkeeper.tickets resumed: $metric"; return 1; }
    echo "   example: Actuator: ticketKeeper UP, ticketkeeper.tickets{outcome=resumed} = ${got%.*}"

    kill "$tk_boot_pid"
    wait "$tk_boot_pid" 2>/dev/null || true
    tk_boot_pid=
    grep -o -E 'TicketKeeper \[(tomcat|netty)-1\] stopped: .*' "$tk_boot_work/app.log" | sed 's/^/   example: /' | grep . \
        || { tk_boot_fail "no stop line"; return 1; }
}

# tk_boot_start_fails NAME JAVA_HOME EXPECTED [JVM OPTION... --] [APPLICATION ARGUMENT...]: the example's jar must
# not start (a wrong setting must stop the application, not leave it running without HTTPS or without TicketKeeper):
# it exits non-zero, Spring Boot's failure report contains EXPECTED, and Tomcat never started.
tk_boot_start_fails() {
    tk_boot_name=$1
    local java_home=$2 expected=$3 jar log status jvm=()
    shift 3
    while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    tk_boot_work="$root/target/example-$tk_boot_name"
    log="$tk_boot_work/refused.log"
    jar=$(ls "$root/examples/$tk_boot_name"/target/*.jar | grep -v -- '-plain\.jar$' | head -n 1)
    status=0
    timeout 120 "$java_home/bin/java" "${jvm[@]}" -jar "$jar" --certs="$tk_boot_work/certs" --server.port=0 \
        --server.address=127.0.0.1 "$@" >"$log" 2>&1 || status=$?
    tk_boot_pid=
    [ "$status" -ne 0 ] && [ "$status" -ne 124 ] || { tk_boot_fail "started with $* (status $status)"; return 1; }
    grep -q 'APPLICATION FAILED TO START' "$log" && grep -qF -- "$expected" "$log" \
        || { tail -n 30 "$log" >&2; tk_boot_fail "no failure report with: $expected"; return 1; }
    ! grep -q -E '(Tomcat|Netty) started on port' "$log" || { tk_boot_fail "the server started anyway"; return 1; }
    echo "   example: refused to start: $(grep -m1 -F -- "$expected" "$log" | sed 's/^ *//')"
}
