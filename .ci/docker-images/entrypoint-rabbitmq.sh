#!/bin/sh
# Look-alike of the rabbitmq image's entrypoint: as root, hand the data
# directory to the rabbitmq user and run the server as that user. HOME is
# /var/lib/rabbitmq (set in the image) so the CLI tools (`docker exec ...
# rabbitmq-diagnostics`, run as root) read the same Erlang cookie.
set -e
if [ "$1" = rabbitmq-server ] && [ "$(id -u)" = 0 ]; then
    chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
fi
exec "$@"
