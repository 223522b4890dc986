#!/usr/bin/env bash
# A no-op incremental run against pure listing: back up N assets (no latency), then, with the given
# Admin and delivery latency, run the same backup twice more over the unchanged account and list the
# account with ListingBenchmark (the same SDK calls and page size, nothing else).
#   bench/noop.sh [N=10000] [LATENCY_MS=100]      BACKUP_JAVA_OPTS= for the JVM's defaults
# Each run prints the tool's own "finished in" time (from the credential check to the end) and the whole
# process's wall time, CPU and peak RSS (GNU time: JVM start and exit included), which is what the issue's
# target is about: a no-op rerun of 3,000 assets (bench/noop.sh 3000 40) in at most 2.2 s wall.
# BACKUP_CMD replaces the backup command (default: java $BACKUP_JAVA_OPTS -jar $JAR; see bench/common.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; LATENCY=${2:-100}
JAR=${JAR:-target/cloudinary-backup.jar}
BACKUP_JAVA_OPTS=${BACKUP_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m}
BACKUP_CMD=${BACKUP_CMD:-java $BACKUP_JAVA_OPTS -jar $JAR}
# shellcheck source=bench/common.sh
. bench/common.sh
need /usr/bin/time time
need_jar
work=$(mktemp -d)
emulator=
port=0
restart_emulator() { # latency
  if [ -n "$emulator" ]; then kill "$emulator"; wait "$emulator" 2>/dev/null || true; fi
  # the same port every time: the account's delivery URLs name it, and a URL that changed would be a
  # changed asset (its record rewritten), not a no-op
  start_emulator "$work/emulator" --port "$port" --assets "$N" --seed 1 --mode fixed --latency-ms "$1"
  port=$(echo "$url" | sed -n 's/.*upload_prefix=http:\/\/[^:]*:\([0-9]*\).*/\1/p')
}
backup() { # label, then a pattern of the summary to show
  run_backup "$work/backup" "$work/out" "$work/time"
  local wall user sys rss code
  read -r wall user sys rss code < "$work/time"
  printf '%s: %s, %s; whole process: wall %.2f s, CPU %.2f s, peak RSS %d MB, exit %s\n' "$1" \
    "$(grep -o 'finished in [0-9.]* s' "$work/out" || echo 'no summary')" \
    "$(grep -o "$2" "$work/out" | tr -s ' ' || true)" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $(( rss / 1024 )) "$code"
}
echo "N=$N latency=${LATENCY}ms; backup: $BACKUP_CMD"
restart_emulator 0
backup "full backup" 'downloaded *[0-9,]* originals'
restart_emulator "$LATENCY"
for run in 1 2; do
  backup "no-op run $run" 'unchanged *[0-9,]*'
done
CLOUDINARY_URL="$url" java $BACKUP_JAVA_OPTS -cp "$BENCH_CP" io.github.cloudinarybackup.bench.ListingBenchmark
