#!/usr/bin/env bash
# A full backup as a user runs it: N assets with LATENCY_MS on every answer, backed up RUNS times into a
# fresh folder each time, every folder kept until the end (ext4 skips recently freed inodes: a tree deleted
# just before a run makes that run's file creation cost more system CPU, and more with every run); the whole
# process's wall time, CPU and peak RSS (GNU time: JVM start and exit included), with min / median / max.
# Set TMPDIR to put the work folder on another filesystem. The performance issue's goals 1 (3,000 x 40 ms,
# against cld's 12.3 s) and 3 (peak RSS on that account) are measured with it:
#   BACKUP_CMD=bin/cloudinary-backup bench/full.sh 3000 40 5
#   bench/full.sh [N=3000] [LATENCY_MS=40] [RUNS=3]
# Environment: BACKUP_CMD, JAR (see bench/common.sh), SEED (1); the backup's other settings as usual
# (e.g. BACKUP_CONCURRENCY=16). The emulator runs in its own JVM (C1, serial GC: it stands in for a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}; LATENCY=${2:-40}; RUNS=${3:-3}; SEED=${SEED:-1}
# shellcheck source=bench/common.sh
. bench/common.sh
need /usr/bin/time time
need_jar

work=$(mktemp -d)
start_emulator "$work/emulator" --port 0 --assets "$N" --seed "$SEED" --mode fixed --latency-ms "$LATENCY"
echo "bench/full.sh N=$N LATENCY_MS=$LATENCY RUNS=$RUNS SEED=$SEED; $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg);" \
  "$(java -version 2>&1 | head -n 1)"
echo "  backup: $BACKUP_CMD"
walls=(); cpus=(); rsss=()
for run in $(seq "$RUNS"); do
  run_backup "$work/backup-$run" "$work/backup.out" "$work/time"
  read -r wall user sys rss code < "$work/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  done_line=$(grep -E '^ *downloaded ' "$work/backup.out" | sed 's/^ *//' || true)
  printf '  run %d: exit %s, wall %.2f s, CPU %s s, peak RSS %d MiB; %s\n' "$run" "$code" "$wall" "$cpu" $(( rss / 1024 )) "$done_line"
  walls+=("$wall"); cpus+=("$cpu"); rsss+=("$(( rss / 1024 ))")
done
read -r lo mid hi <<< "$(stats "${walls[@]}")"; echo "  wall s    min $lo  median $mid  max $hi"
read -r lo mid hi <<< "$(stats "${cpus[@]}")"; echo "  CPU s     min $lo  median $mid  max $hi"
read -r lo mid hi <<< "$(stats "${rsss[@]}")"; echo "  RSS MiB   min $lo  median $mid  max $hi"
