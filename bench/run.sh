#!/usr/bin/env bash
# Benchmark: back up an emulated account of N assets with injected latency, at a given concurrency and
# at concurrency 1, and print what was measured.
#   bench/run.sh [N=1000] [LATENCY_MS=40] [CONCURRENCY=16]
# The emulator runs in its own JVM, so the figures (time, peak RSS) are the backup's alone.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}; LATENCY=${2:-40}; CONCURRENCY=${3:-16}
JAR=${JAR:-target/cloudinary-backup.jar}
# The JVM options the README recommends (and the container uses); BACKUP_JAVA_OPTS= (empty) for the defaults.
BACKUP_JAVA_OPTS=${BACKUP_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m}
# BACKUP_CDS=1 (the default): with the class-data archive bin/cloudinary-backup makes (as the container
# image does); BACKUP_CDS=0 loads every class from the jar.
BACKUP_CDS=${BACKUP_CDS:-1}
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

work=$(mktemp -d)
trap 'kill "$emulator" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ "$BACKUP_CDS" = 1 ]; then
  CLOUDINARY_BACKUP_JAR="$JAR" CLOUDINARY_BACKUP_ARCHIVE="$work/backup.jsa" bin/cloudinary-backup --version > /dev/null
  [ -f "$work/backup.jsa" ] || { echo "bin/cloudinary-backup made no class-data archive" >&2; exit 2; }
  BACKUP_JAVA_OPTS="${BACKUP_JAVA_OPTS} -XX:SharedArchiveFile=$work/backup.jsa"
fi
# The emulator stands in for a remote CDN, whose CPU is not ours: C1 only and a serial GC keep it from
# taking more of the shared cores than it must. Its latency is a response time (its own work inside it).
java ${EMULATOR_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$JAR" io.github.cloudinarybackup.emulator.EmulatorMain --port 0 --assets "$N" --seed 1 \
  --mode fixed --latency-ms "$LATENCY" > "$work/emulator.out" 2>&1 &
emulator=$!
for _ in $(seq 100); do grep -q '^cloudinary://' "$work/emulator.out" && break; sleep 0.1; done
url=$(grep '^cloudinary://' "$work/emulator.out")

run() { # concurrency
  local c=$1 dir="$work/backup-$1"
  local start; start=$(date +%s%N)
  CLOUDINARY_URL="$url" /usr/bin/time -f '%M' -o "$work/rss-$c" \
    java ${BACKUP_JAVA_OPTS} -Dbackup.concurrency="$c" -Dbackup.dir="$dir" -jar "$JAR" > "$work/out-$c" 2>&1
  local end; end=$(date +%s%N)
  local run_s; run_s=$(sed -n 's/.*finished in \([0-9.]*\) s.*/\1/p' "$work/out-$c")
  local calls; calls=$(sed -n 's/.*(\([0-9,]*\) Admin API calls).*/\1/p' "$work/out-$c" | tr -d ,)
  local files; files=$(sed -n 's/.*downloaded *\([0-9,]*\) originals.*/\1/p' "$work/out-$c" | tr -d ,)
  local mb; mb=$(sed -n 's/.*originals, \([0-9.,]*\) MB.*/\1/p' "$work/out-$c" | tr -d ,)
  # first Admin call: the "Backing up" line is logged right after it (HH:MM:SS.mmm, UTC clock)
  local first; first=$(sed -n 's/^\([0-9:.]*\) INFO .*Backing up.*/\1/p' "$work/out-$c")
  local first_ms; first_ms=$(( $(date -u -d "$(date -u +%F) $first" +%s%3N) - start / 1000000 ))
  local rss_kb; rss_kb=$(cat "$work/rss-$c")
  awk -v c="$c" -v n="$files" -v s="$run_s" -v wall="$(( (end - start) / 1000000 ))" -v calls="$calls" \
      -v mb="$mb" -v lat="$LATENCY" -v rss="$rss_kb" -v first="$first_ms" -v total="$N" 'BEGIN {
    ideal = n * lat / 1000 / c;
    printf "concurrency %-3d %5d originals  run %6.2f s (wall %6.2f s)  %7.1f assets/s  %6.2f MB/s  " \
           "%.2f Admin calls/500 assets  peak RSS %4d MB  first Admin call %.2f s  ideal %.2f s  ratio %.2f\n",
      c, n, s, wall / 1000, n / s, mb / s, calls * 500 / total, rss / 1024, first / 1000, ideal, ideal / s }'
}

echo "N=$N latency=${LATENCY}ms; $(nproc) cores; $(java -version 2>&1 | head -1); backup JVM options: ${BACKUP_JAVA_OPTS:-none (defaults)}"
run "$CONCURRENCY"
run 1
