#!/usr/bin/env bash
# The reference application's test services: a real PostgreSQL and a real Redis on loopback, TLS only,
# with certificates of a throwaway CA made here by openssl (and a second CA that signed nothing, for the
# refusal tests). The tests read services.json in the directory; without it they skip (CI=true: fail).
#
#   test/services.sh start   # needs Debian's postgresql and redis-server (.ci/run installs them)
#   test/services.sh stop
#
# Directory: $REFERENCE_APP_SERVICES_DIR, default ${TMPDIR:-/tmp}/reference-app-services (under /tmp so
# the postgres user can reach it when this runs as root). Ports: $REFERENCE_APP_PG_PORT (55432) and
# $REFERENCE_APP_REDIS_PORT (56379), loopback only.
set -euo pipefail

DIR="${REFERENCE_APP_SERVICES_DIR:-${TMPDIR:-/tmp}/reference-app-services}"
PG_PORT="${REFERENCE_APP_PG_PORT:-55432}"
REDIS_PORT="${REFERENCE_APP_REDIS_PORT:-56379}"

pg_bin() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
    else
        ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
    fi
}

# Postgres refuses to run as root: as root, its files belong to the postgres user and it runs as that user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

certificates() {
    local c="$DIR/certs"
    mkdir -p "$c"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reference-app test CA" \
        -keyout "$c/ca.key" -out "$c/ca.pem" 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reference-app unrelated CA" \
        -keyout "$c/wrong-ca.key" -out "$c/wrong-ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$c/server.key" -out "$c/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$c/server.ext"
    openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" -CAcreateserial -days 2 \
        -extfile "$c/server.ext" -out "$c/server.pem" 2>/dev/null
    chmod 600 "$c"/*.key
}

start_postgres() {
    local bin pg="$DIR/postgres"
    bin="$(pg_bin)"
    [ -x "$bin/initdb" ] || { echo "services: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
    mkdir -p "$pg"
    cp "$DIR/certs/server.pem" "$DIR/certs/server.key" "$pg/"
    printf '%s\n' "$PG_SUPER_PASSWORD" > "$pg/superpass"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pg"; fi
    as_pg "$bin/initdb" -D "$pg/data" -U postgres --auth=scram-sha-256 --pwfile="$pg/superpass" -E UTF8 >/dev/null
    cat >> "$pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$pg'
ssl = on
ssl_cert_file = '$pg/server.pem'
ssl_key_file = '$pg/server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
fsync = off
EOF
    # TLS only: no host or hostnossl line, so a plain TCP connection is refused; the socket is for setup.
    printf 'local all postgres scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n' > "$pg/data/pg_hba.conf"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg/data/pg_hba.conf"; fi
    as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 30 start >/dev/null
    PGPASSWORD="$PG_SUPER_PASSWORD" as_pg "$bin/psql" -h "$pg" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE app LOGIN PASSWORD '$PG_APP_PASSWORD'" -c "CREATE DATABASE app OWNER app" >/dev/null
}

start_redis() {
    local r="$DIR/redis"
    command -v redis-server >/dev/null || { echo "services: no Redis server (apt-get install redis-server)" >&2; exit 1; }
    mkdir -p "$r"
    redis-server --port 0 --bind 127.0.0.1 --tls-port "$REDIS_PORT" \
        --tls-cert-file "$DIR/certs/server.pem" --tls-key-file "$DIR/certs/server.key" \
        --tls-ca-cert-file "$DIR/certs/ca.pem" --tls-auth-clients no --requirepass "$REDIS_TOKEN" \
        --save "" --appendonly no --dir "$r" --daemonize yes --pidfile "$r/redis.pid" --logfile "$r/log"
    for _ in $(seq 1 50); do
        if REDISCLI_AUTH="$REDIS_TOKEN" redis-cli --tls --cacert "$DIR/certs/ca.pem" -h localhost -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
            return 0
        fi
        sleep 0.1
    done
    echo "services: Redis did not answer on $REDIS_PORT (see $r/log)" >&2
    exit 1
}

start() {
    stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    PG_SUPER_PASSWORD="$(openssl rand -hex 16)"
    PG_APP_PASSWORD="$(openssl rand -hex 16)"
    REDIS_TOKEN="$(openssl rand -hex 24)"
    certificates
    start_postgres
    start_redis
    cat > "$DIR/services.json" <<EOF
{
  "postgres": { "host": "localhost", "port": $PG_PORT, "database": "app", "user": "app", "password": "$PG_APP_PASSWORD" },
  "redis": { "host": "localhost", "port": $REDIS_PORT, "password": "$REDIS_TOKEN" },
  "ca": "$DIR/certs/ca.pem",
  "wrongCa": "$DIR/certs/wrong-ca.pem",
  "serverCert": "$DIR/certs/server.pem",
  "serverKey": "$DIR/certs/server.key",
  "redisServer": "$(command -v redis-server)"
}
EOF
    echo "services: PostgreSQL $("$(pg_bin)/postgres" --version | awk '{print $3}') on localhost:$PG_PORT and Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on localhost:$REDIS_PORT, TLS only ($DIR)"
}

stop() {
    local bin
    bin="$(pg_bin)"
    if [ -f "$DIR/postgres/data/postmaster.pid" ] && [ -n "$bin" ]; then
        as_pg "$bin/pg_ctl" -D "$DIR/postgres/data" -m fast -w stop >/dev/null || true
    fi
    if [ -f "$DIR/redis/redis.pid" ]; then
        kill "$(cat "$DIR/redis/redis.pid")" 2>/dev/null || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
