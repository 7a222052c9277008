#!/bin/sh
# Run every target for $1 seconds (default 600), one after the other, at the
# lowest priority; logs in fuzz-<target>.log in $LOGDIR (default /tmp).
set -u
cd "$(dirname "$0")"
secs=${1:-600}
logdir=${LOGDIR:-/tmp}
for t in ${TARGETS:-http1 http2 websocket mqtt amqp zmtp capnp nats tls}; do
    mkdir -p "corpus/$t"
    RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O -a "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -malloc_limit_mb=256 -rss_limit_mb=1024 \
        -print_final_stats=1 >"$logdir/fuzz-$t.log" 2>&1
    echo "$t exit $?" >>"$logdir/fuzz-summary.log"
done
