#!/bin/sh
# Look-alike of eclipse-mosquitto's entrypoint: as root, hand /mosquitto to
# the mosquitto user (Mosquitto itself drops to that user), then run the command.
set -e
if [ "$(id -u)" = 0 ]; then
    chown -R mosquitto:mosquitto /mosquitto 2>/dev/null || true
fi
exec "$@"
