#!/bin/sh
# Look-alike of the redis image's entrypoint: `redis-server` is the default
# program for flags or a .conf file; as root it runs as the redis user in
# /data; with no config file it turns protected mode off, as the official
# image's build does (a container is reached from outside its loopback).
set -e
case "$1" in
    -*|*.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
    case "$2" in
        *.conf) ;;
        *) set -- "$@" --protected-mode no ;;
    esac
    if [ "$(id -u)" = 0 ]; then
        chown -R redis:redis /data
        umask 0077
        exec setpriv --reuid=redis --regid=redis --init-groups "$@"
    fi
fi
exec "$@"
