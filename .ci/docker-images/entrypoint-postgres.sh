#!/bin/sh
# Look-alike of the postgres image's entrypoint, the parts labkit and
# readers rely on: flags go to `postgres`; as root, $PGDATA is handed to the
# postgres user and the script runs again as that user; an empty $PGDATA is
# initialised (refusing, like the official image, when neither
# POSTGRES_PASSWORD nor POSTGRES_HOST_AUTH_METHOD=trust is given) with
# logins from anywhere allowed by that method and listen_addresses = '*'.
# Not reproduced: POSTGRES_DB, /docker-entrypoint-initdb.d scripts.
set -e
case "$1" in
    -*) set -- postgres "$@" ;;
esac
if [ "$1" = postgres ]; then
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$PGDATA" /var/run/postgresql
        chown -R postgres:postgres "$PGDATA" /var/run/postgresql
        chmod 700 "$PGDATA"
        exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
    fi
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        method=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
        if [ -z "$POSTGRES_PASSWORD" ] && [ "$method" != trust ]; then
            echo "Error: Database is uninitialized and superuser password is not specified." >&2
            echo "       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust." >&2
            exit 1
        fi
        pwfile=
        if [ -n "$POSTGRES_PASSWORD" ]; then
            pwfile=$(mktemp)
            printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
        fi
        initdb -D "$PGDATA" --username="${POSTGRES_USER:-postgres}" \
            ${pwfile:+--pwfile="$pwfile"} $POSTGRES_INITDB_ARGS >/dev/null
        [ -z "$pwfile" ] || rm -f "$pwfile"
        printf 'host all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"
        printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
        echo "PostgreSQL init process complete; ready for start up."
    fi
fi
exec "$@"
