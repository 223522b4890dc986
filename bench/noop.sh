#!/usr/bin/env bash
# A no-op incremental run against pure listing: back up N assets (no latency), then, with the given
# Admin and delivery latency, run the same backup twice more over the unchanged account and list the
# account with ListingBenchmark (the same SDK calls and page size, nothing else).
#   bench/noop.sh [N=10000] [LATENCY_MS=100]      BACKUP_JAVA_OPTS= for the JVM's defaults
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; LATENCY=${2:-100}
JAR=${JAR:-target/cloudinary-backup.jar}
BACKUP_JAVA_OPTS=${BACKUP_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m}
[ -f "$JAR" ] || mvn -B package -DskipTests
work=$(mktemp -d)
emulator=
trap 'kill $emulator 2>/dev/null || true; rm -rf "$work"' EXIT
port=0
start_emulator() { # latency
  [ -z "$emulator" ] || { kill "$emulator"; wait "$emulator" 2>/dev/null || true; }
  # the same port every time: the account's delivery URLs name it, and a URL that changed would be a
  # changed asset (its record rewritten), not a no-op
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR" io.github.cloudinarybackup.emulator.EmulatorMain \
    --port "$port" --assets "$N" --seed 1 --mode fixed --latency-ms "$1" > "$work/emulator.out" 2>&1 &
  emulator=$!
  for _ in $(seq 600); do grep -q '^cloudinary://' "$work/emulator.out" && break; sleep 0.1; done
  url=$(grep '^cloudinary://' "$work/emulator.out")
  port=$(echo "$url" | sed -n 's/.*upload_prefix=http:\/\/[^:]*:\([0-9]*\).*/\1/p')
}
backup() { CLOUDINARY_URL="$url" java $BACKUP_JAVA_OPTS -Dbackup.dir="$work/backup" -jar "$JAR" > "$work/out" 2>&1 || true; }
echo "N=$N latency=${LATENCY}ms; backup JVM options: ${BACKUP_JAVA_OPTS:-none (defaults)}"
start_emulator 0
backup; echo "full backup: $(grep -o 'finished in [0-9.]* s' "$work/out")"
start_emulator "$LATENCY"
for run in 1 2; do
  backup; echo "no-op run $run: $(grep -o 'finished in [0-9.]* s' "$work/out"), $(grep -o 'unchanged *[0-9,]*' "$work/out" | tr -s ' ')"
done
CLOUDINARY_URL="$url" java $BACKUP_JAVA_OPTS -cp "$JAR" io.github.cloudinarybackup.bench.ListingBenchmark
