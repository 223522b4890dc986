#!/usr/bin/env bash
# The backup under a tight Admin API rate limit: how many of the calls each window allows it uses, and how many
# it has refused (420).
#
#   bench/ratelimit.sh [N=700] [LIMIT=5] [WINDOW_SECONDS=4] [PAGE_SIZE=50]
#
# The emulator serves a generated account of N assets (seed SEED, every delivery type) and allows LIMIT Admin API
# calls per window of WINDOW_SECONDS; windows start at multiples of WINDOW_SECONDS since the epoch, as Cloudinary's
# hourly budget resets on the hour. It logs every request (--request-log). The backup lists with BACKUP_PAGE_SIZE=
# PAGE_SIZE (700 assets at 50 a page: about 17 listing calls besides the others) and downloads at concurrency
# CONCURRENCY (default 8). Printed: the backup's whole-process wall time and its own summary lines; from the
# emulator's log, the Admin calls answered and refused, the calls answered in each window, and calls per window
# (answered calls / windows), counted two ways: over the windows the calls fell in, and over ceil(elapsed / window)
# with elapsed from the first Admin call to the last.
#
# Environment: BACKUP_CMD, JAR (see bench/common.sh), SEED (1), CONCURRENCY (8), LATENCY_MS (0: the latency of every
# emulator answer), KEEP=1 keeps the work folder (the request log is requests.tsv in it). The backup inherits the
# environment, so its other settings can be given as usual (e.g. BACKUP_RATE_LIMIT_RESERVE=0 bench/ratelimit.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-700}; LIMIT=${2:-5}; WINDOW=${3:-4}; PAGE_SIZE=${4:-50}
SEED=${SEED:-1}; CONCURRENCY=${CONCURRENCY:-8}; LATENCY_MS=${LATENCY_MS:-0}
# shellcheck source=bench/common.sh
. bench/common.sh
need /usr/bin/time time
need_jar

work=$(mktemp -d)
emulator_args=(--port 0 --assets "$N" --seed "$SEED" --mode fixed --latency-ms "$LATENCY_MS"
  --rate-limit "$LIMIT" --rate-window-seconds "$WINDOW" --request-log "$work/requests.tsv")
start_emulator "$work/emulator" "${emulator_args[@]}"

echo "bench/ratelimit.sh N=$N LIMIT=$LIMIT WINDOW_SECONDS=$WINDOW PAGE_SIZE=$PAGE_SIZE SEED=$SEED" \
  "CONCURRENCY=$CONCURRENCY LATENCY_MS=$LATENCY_MS; $(nproc) cores; $(java -version 2>&1 | head -n 1)"
echo "  emulator: EmulatorMain ${emulator_args[*]}" | sed "s#$work#\$WORK#g"
echo "  backup: BACKUP_PAGE_SIZE=$PAGE_SIZE BACKUP_CONCURRENCY=$CONCURRENCY $BACKUP_CMD"
echo "  reproduce: SEED=$SEED CONCURRENCY=$CONCURRENCY LATENCY_MS=$LATENCY_MS bench/ratelimit.sh $N $LIMIT $WINDOW $PAGE_SIZE"

BACKUP_PAGE_SIZE=$PAGE_SIZE BACKUP_CONCURRENCY=$CONCURRENCY run_backup "$work/backup" "$work/backup.out" "$work/time"
read -r wall user sys rss code < "$work/time"
printf '  backup: exit %s, wall %.2f s (whole process), CPU %.2f s, peak RSS %d MB\n' \
  "$code" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $(( rss / 1024 ))
grep -E '^ *(listed|downloaded|no original|failed|rate limit) ' "$work/backup.out" | sed 's/^ */  backup summary: /' \
  || { echo "  no summary from the backup:"; tail -n 30 "$work/backup.out" | sed 's/^/    | /'; }

# The emulator writes each line as it answers; give the last answer a moment to be written.
sleep 0.2
awk -F '\t' -v w="$WINDOW" -v limit="$LIMIT" '
  /^#/ || $3 != "ADMIN" { next }
  {
    admin++; status[$4]++
    if (first == "") first = $1
    last = $1
    if ($4 == 200) { win = int($1 / 1000 / w); used[win]++; if (lo == "" || win < lo) lo = win; if (win > hi) hi = win; ok++ }
  }
  END {
    if (admin == 0) { print "  emulator: no Admin API call"; exit }
    line = ""
    for (s in status) line = line sprintf("%s%d x %s", line == "" ? "" : ", ", status[s], s)
    printf "  emulator: %d Admin API calls (status %s) over %.2f s from the first to the last; %d allowed per %d s window\n",
      admin, line, (last - first) / 1000, limit, w
    if (ok == 0) exit
    windows = hi - lo + 1; list = ""; full = 0; fullMin = ""
    for (i = lo; i <= hi; i++) {
      list = list sprintf("%s%d", i == lo ? "" : " ", used[i] + 0)
      if (i > lo && i < hi) { full++; if (fullMin == "" || used[i] + 0 < fullMin) fullMin = used[i] + 0 }
    }
    printf "  calls answered per window, in order: %s\n", list
    elapsed = (last - first) / 1000
    ceilw = elapsed / w == int(elapsed / w) ? elapsed / w : int(elapsed / w) + 1
    if (ceilw < 1) ceilw = 1
    printf "  calls per window: %.2f over the %d windows the calls fell in; %.2f over ceil(%.2f s / %d s) = %d windows",
      ok / windows, windows, ok / ceilw, elapsed, w, ceilw
    if (full > 0) printf "; fewest in a window between the first and the last: %d", fullMin
    printf "\n"
    printf "  420s (refused calls): %d\n", status[420] + 0
  }' "$work/requests.tsv"
