#!/bin/sh
# Look-alike of the rabbitmq image's entrypoint: as root, hand the data
# directory to the rabbitmq user and run the server as that user. HOME is
# /var/lib/rabbitmq (set in the image) so the CLI tools (`docker exec ...
# rabbitmq-diagnostics`, run as root) read the same Erlang cookie.
set -e
if [ "$1" = rabbitmq-server ] && [ "$(id -u)" = 0 ]; then
    # The cookie exists before anything else runs: a health check's CLI,
    # started as root before the server wrote it, would make it root's.
    cookie=/var/lib/rabbitmq/.erlang.cookie
    if [ ! -s "$cookie" ]; then
        (umask 077; tr -dc A-Z </dev/urandom | head -c 20 >"$cookie")
    fi
    chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
fi
exec "$@"
