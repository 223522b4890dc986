#!/usr/bin/env bash
# Crash recovery of the catalog: start CatalogBenchmark (records written as fast as two threads can,
# commits as in a backup), kill it with SIGKILL after 1-4 s, then open the catalog it left and read
# every record (CatalogCheck), as the next run would. Repeats N times and counts the catalogs that
# could not be read.
#   bench/kill.sh [N=20]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
JAR=${JAR:-target/cloudinary-backup.jar}
[ -f "$JAR" ] || mvn -B package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
readable=0; damaged=0
for i in $(seq "$N"); do
  rm -rf "${work:?}"/*
  java -Djava.io.tmpdir="$work" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR" \
    io.github.cloudinarybackup.bench.CatalogBenchmark 1000000 2 > /dev/null 2>&1 &
  writer=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1 + (r % 300) / 100 }')"
  kill -9 "$writer"; wait "$writer" 2>/dev/null || true
  if result=$(java -cp "$JAR" io.github.cloudinarybackup.bench.CatalogCheck "$work"/catalog-bench*/catalog.db 2>/dev/null); then
    readable=$((readable + 1))
  else
    damaged=$((damaged + 1)); echo "kill $i: $result"
  fi
done
echo "catalogs left by a kill -9: $readable readable, $damaged damaged (of $N)"
