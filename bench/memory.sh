#!/usr/bin/env bash
# Memory: back up an emulated account of N tiny originals (64-512 B) with no latency at concurrency 8
# under -Xmx128m, and print the run time and the backup process's peak RSS.
#   bench/memory.sh N [extra JVM options for the backup]
#   bench/memory.sh 5000 && bench/memory.sh 100000     # the README's recommended options by default
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?N}; shift
JAR=${JAR:-target/cloudinary-backup.jar}
[ -f "$JAR" ] || mvn -B package -DskipTests
opts=("$@"); [ ${#opts[@]} -gt 0 ] || opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m)
work=$(mktemp -d)
trap 'kill "$emulator" 2>/dev/null || true; rm -rf "$work"' EXIT
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR" io.github.cloudinarybackup.emulator.EmulatorMain \
  --port 0 --assets "$N" --seed 1 --mode fixed --min-bytes 64 --max-bytes 512 > "$work/emulator.out" 2>&1 &
emulator=$!
for _ in $(seq 600); do grep -q '^cloudinary://' "$work/emulator.out" && break; sleep 0.1; done
url=$(grep '^cloudinary://' "$work/emulator.out")
CLOUDINARY_URL="$url" /usr/bin/time -f '%M' -o "$work/rss" \
  java -Xmx128m "${opts[@]}" -Dbackup.concurrency=8 -Dbackup.dir="$work/backup" -jar "$JAR" > "$work/out" 2>&1
echo "N=$N options: -Xmx128m ${opts[*]}: $(grep -o 'finished in [0-9.]* s' "$work/out"), peak RSS $(( $(cat "$work/rss") / 1024 )) MB," \
  "catalog $(( $(stat -c %s "$work/backup/.cloudinary-backup/catalog.db") / 1000000 )) MB"
