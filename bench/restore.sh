#!/usr/bin/env bash
# A restore as a user runs it: N assets backed up from one emulated account, then restored RUNS times into a
# fresh, empty emulated account with LATENCY_MS on every answer (Admin and Upload API alike), at the restore's
# default concurrency (16; RESTORE_CONCURRENCY sets another). Prints each run's whole-process wall time, CPU, peak
# RSS, uploads/s and the restore's own summary line, then min / median / max.
#   bench/restore.sh [N=1000] [LATENCY_MS=40] [RUNS=3]
# Environment: RESTORE_CMD (default: bin/cloudinary-backup restore), JAR, SEED (1), RESTORE_CONCURRENCY.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}; LATENCY=${2:-40}; RUNS=${3:-3}; SEED=${SEED:-1}
RESTORE_CMD=${RESTORE_CMD:-bin/cloudinary-backup restore}
# shellcheck source=bench/common.sh
. bench/common.sh
need /usr/bin/time time
need_jar

work=$(mktemp -d)
start_emulator "$work/source" --port 0 --assets "$N" --seed "$SEED" --mode fixed
run_backup "$work/backup" "$work/backup.out" "$work/backup.time"
read -r _ _ _ _ code < "$work/backup.time"
[ "$code" = 0 ] || { cat "$work/backup.out" >&2; echo "the backup failed ($code)" >&2; exit 2; }
kill "$emulator" 2> /dev/null || true
echo "bench/restore.sh N=$N LATENCY_MS=$LATENCY RUNS=$RUNS SEED=$SEED; $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg);" \
  "$(java -version 2>&1 | head -n 1)"
echo "  restore: $RESTORE_CMD ${RESTORE_CONCURRENCY:+--concurrency $RESTORE_CONCURRENCY}"
walls=(); cpus=(); rsss=()
for run in $(seq "$RUNS"); do
  start_emulator "$work/target$run" --port 0 --assets 0 --mode fixed --latency-ms "$LATENCY"
  CLOUDINARY_URL="$url" timed "$work/restore.out" "$work/time" \
    sh -c "exec $RESTORE_CMD --dir '$work/backup' ${RESTORE_CONCURRENCY:+--concurrency $RESTORE_CONCURRENCY}"
  kill "$emulator" 2> /dev/null || true
  read -r wall user sys rss code < "$work/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  uploaded=$(summary_number "$work/restore.out" uploaded)
  rate=$(awk -v n="${uploaded:-0}" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
  line=$(grep -E '^ *uploaded ' "$work/restore.out" | sed 's/^ *//' || true)
  printf '  run %d: exit %s, wall %.2f s, CPU %s s, peak RSS %d MiB, %s uploads/s; %s\n' "$run" "$code" "$wall" "$cpu" \
    $(( rss / 1024 )) "$rate" "$line"
  walls+=("$wall"); cpus+=("$cpu"); rsss+=("$(( rss / 1024 ))")
done
read -r lo mid hi <<< "$(stats "${walls[@]}")"; echo "  wall s    min $lo  median $mid  max $hi"
read -r lo mid hi <<< "$(stats "${cpus[@]}")"; echo "  CPU s     min $lo  median $mid  max $hi"
read -r lo mid hi <<< "$(stats "${rsss[@]}")"; echo "  RSS MiB   min $lo  median $mid  max $hi"
