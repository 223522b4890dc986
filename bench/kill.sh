#!/usr/bin/env bash
# Crash recovery of the catalog: SIGKILL a process at a random moment, then open the catalog it left
# and read every record (CatalogCheck), as the next run would. Repeats N times and counts the
# catalogs that could not be read.
#
#   bench/kill.sh [N=20]            kills CatalogBenchmark (records written as fast as two threads can,
#                                   commits as in a backup), MAX_DELAY_MS (default 4000) at most after
#                                   its JVM starts: from the JVM's first moments, before the catalog
#                                   exists, to about the middle of its run (100,000 records)
#   bench/kill.sh --backup [N=20]   kills real backup runs (the jar, an emulated account of 3,000
#                                   assets with 5 ms latency) at most MAX_DELAY_MS after the JVM
#                                   starts; by default the length of a whole run, measured first by
#                                   one run left alone. Each third run starts a new backup folder; the
#                                   two runs after it resume in that folder, as a user reruns a killed
#                                   backup (opening the catalog a kill left, completing its commit)
#
# The kill moments are uniform in [0, MAX_DELAY_MS] ms, from SEED (printed; SEED=... repeats them).
# Each kill is reported with where it landed, judged by the files it left: before the catalog
# existed, while it was being created (only its temporary file), after it was created but before any
# record was committed, while records were written, in a resumed run, or after the process had
# already ended by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=writer
if [ "${1:-}" = --backup ]; then MODE=backup; shift; fi
N=${1:-20}
JAR=${JAR:-target/cloudinary-backup.jar}
# CatalogBenchmark and CatalogCheck are test classes, not shipped in the jar
BENCH_CP="$JAR:target/test-classes"
[ -f "$JAR" ] && [ -d target/test-classes/io/github/cloudinarybackup/bench ] || mvn -B package -DskipTests
[ "$MODE" = writer ] && MAX_DELAY_MS=${MAX_DELAY_MS:-4000}
SEED=${SEED:-$(( $(date +%s%N) % 1000000007 ))}
RANDOM=$SEED

work=$(mktemp -d)
emulator=
trap '[ -n "$emulator" ] && kill "$emulator" 2>/dev/null; rm -rf "$work"' EXIT
if [ "$MODE" = backup ]; then
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR" io.github.cloudinarybackup.emulator.EmulatorMain \
    --assets 3000 --seed 1 --latency-ms 5 > "$work/emulator.out" 2> "$work/emulator.err" &
  emulator=$!
  for _ in $(seq 300); do grep -q '^cloudinary://' "$work/emulator.out" && break; sleep 0.1; done
  url=$(grep '^cloudinary://' "$work/emulator.out") || { cat "$work/emulator.err"; exit 2; }
  if [ -z "${MAX_DELAY_MS:-}" ]; then
    start=$(date +%s%N)
    CLOUDINARY_URL="$url" java -Dbackup.dir="$work/whole-run" -jar "$JAR" > /dev/null 2>&1 || true
    MAX_DELAY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
    rm -rf "${work:?}/whole-run"
    echo "a whole backup run took $MAX_DELAY_MS ms"
  fi
fi
echo "bench/kill.sh: $MODE, $N kills, delays uniform in [0, $MAX_DELAY_MS] ms, SEED=$SEED"

declare -A landed=()
readable=0; damaged=0; completed=0; folder=0
for i in $(seq "$N"); do
  delay=$(( ((RANDOM << 15) | RANDOM) % (MAX_DELAY_MS + 1) ))
  resumed=no
  if [ "$MODE" = writer ]; then
    rm -rf "${work:?}/tmp"; mkdir -p "$work/tmp"
    java -Djava.io.tmpdir="$work/tmp" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$BENCH_CP" \
      io.github.cloudinarybackup.bench.CatalogBenchmark 100000 2 > /dev/null 2>&1 &
  else
    if [ $(( (i - 1) % 3 )) = 0 ]; then folder=$((folder + 1)); fi
    backup="$work/backup-$folder"
    [ -f "$backup/.cloudinary-backup/catalog.db" ] && resumed=yes
    CLOUDINARY_URL="$url" java -Dbackup.dir="$backup" -jar "$JAR" > /dev/null 2>&1 &
  fi
  pid=$!
  sleep "$(awk -v ms="$delay" 'BEGIN { printf "%.3f", ms / 1000 }')"
  ended=no
  kill -0 "$pid" 2>/dev/null || ended=yes
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  if [ "$MODE" = writer ]; then
    made=$(find "$work/tmp" -maxdepth 1 -name 'catalog-bench*' -type d | head -1)
    db="${made:-$work/tmp/never-made}/catalog.db"
  else
    db="$backup/.cloudinary-backup/catalog.db"
  fi
  if [ "$ended" = yes ]; then where="process had ended"
  elif [ "$resumed" = yes ]; then where="resumed run"
  elif [ -f "$db" ]; then where=created
  elif [ -f "$db.new" ]; then where="during creation"
  else where="before creation"
  fi
  if output=$(java -cp "$BENCH_CP" io.github.cloudinarybackup.bench.CatalogCheck "$db" 2>&1); then
    readable=$((readable + 1))
    result=$(echo "$output" | tail -1)
    if echo "$output" | grep -q 'commit had been cut short'; then
      result+=" (a commit cut short was completed)"; completed=$((completed + 1))
    fi
    if [ "$where" = created ]; then
      if [ "$result" = "readable 0" ]; then where="created, no record yet"; else where="writing"; fi
    fi
  else
    damaged=$((damaged + 1))
    result="DAMAGED: $(echo "$output" | tail -1)"
  fi
  landed[$where]=$(( ${landed[$where]:-0} + 1 ))
  printf 'kill %d at %d ms: %s: %s\n' "$i" "$delay" "$where" "$result"
done
summary=""
for where in "before creation" "during creation" "created, no record yet" "writing" "resumed run" "process had ended"; do
  [ -n "${landed[$where]:-}" ] && summary+="${summary:+, }$where ${landed[$where]}"
done
echo "catalogs left by a kill -9 ($MODE, SEED=$SEED): $readable readable, $damaged damaged (of $N); the kills landed: $summary;" \
  "$completed left a commit cut short that the next open completed"
[ -n "${landed[process had ended]:-}" ] && echo "(${landed[process had ended]} of the $N processes had ended by themselves before their kill)"
[ "$damaged" = 0 ]
