# Shared by bench/curl.sh, bench/ratelimit.sh and bench/noop.sh; sourced, not run. Expects the repository root
# as the working directory and `set -euo pipefail`.
#
# The backup command: BACKUP_CMD, run by `sh -c "exec $BACKUP_CMD"` with CLOUDINARY_URL, BACKUP_DIR,
# BACKUP_CONCURRENCY (and whatever else the caller exports) in its environment, so that any launcher works
# (a jar, a native image, a container wrapper). The default is the jar with the JVM options the README recommends.
JAR=${JAR:-target/cloudinary-backup.jar}
# the bench programs (CatalogBenchmark, CatalogCheck, ListingBenchmark) are test classes, not shipped in the jar
BENCH_CLASSES=${BENCH_CLASSES:-target/test-classes}
BENCH_CP="$JAR:$BENCH_CLASSES"
BACKUP_CMD=${BACKUP_CMD:-java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -jar $JAR}
# The emulator stands in for a remote service whose CPU is not ours: C1 only and a serial GC.
EMULATOR_JAVA_OPTS=${EMULATOR_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}

# Java names files in the locale's charset: generated public_ids are unicode, so the emulator's export and the
# backup both need a UTF-8 locale.
if [ "$(LC_ALL=${LC_ALL:-} locale charmap 2>/dev/null || true)" != UTF-8 ]; then
  export LC_ALL=C.UTF-8
fi
umask 022

# need COMMAND PACKAGE: installs the Debian package when the command is missing.
need() {
  command -v "$1" > /dev/null 2>&1 && return 0
  [ -x "$1" ] && return 0
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing $2 (for $1)" >&2
  $sudo apt-get install -y -q "$2" > /dev/null 2>&1 \
    || { $sudo apt-get update -q > /dev/null 2>&1 && $sudo apt-get install -y -q "$2" > /dev/null; }
}

need_jar() {
  [ -f "$JAR" ] && [ -d "$BENCH_CLASSES/io/github/cloudinarybackup/bench" ] || mvn -B -q package -DskipTests
}

# Processes this script started and must stop on exit: plain pids and process groups (setsid'ed commands).
BENCH_PIDS=()
BENCH_GROUPS=()
bench_cleanup() {
  # Only those still running as this shell's jobs: a pid already waited for may belong to someone else by now.
  local p live
  live=" $(jobs -p | tr '\n' ' ') "
  for p in "${BENCH_GROUPS[@]}"; do [[ $live == *" $p "* ]] && { kill -TERM -- "-$p" 2> /dev/null || true; }; done
  for p in "${BENCH_PIDS[@]}"; do [[ $live == *" $p "* ]] && { kill -TERM "$p" 2> /dev/null || true; }; done
  for p in "${BENCH_GROUPS[@]}" "${BENCH_PIDS[@]}"; do [[ $live == *" $p "* ]] && { wait "$p" 2> /dev/null || true; }; done
  if [ -n "${work:-}" ] && [ -d "$work" ]; then
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_emulator OUT_PREFIX ARGS...: starts EmulatorMain in the background and sets $url to its CLOUDINARY_URL
# (waits up to 10 minutes, for exports of large accounts); its stdout and stderr go to OUT_PREFIX.out/.err.
start_emulator() {
  local out=$1; shift
  # shellcheck disable=SC2086
  java $EMULATOR_JAVA_OPTS -cp "$JAR" io.github.cloudinarybackup.emulator.EmulatorMain "$@" > "$out.out" 2> "$out.err" &
  emulator=$!
  BENCH_PIDS+=("$emulator")
  for _ in $(seq 6000); do
    grep -q '^cloudinary://' "$out.out" 2> /dev/null && break
    kill -0 "$emulator" 2> /dev/null || { cat "$out.err" >&2; echo "the emulator ended" >&2; exit 2; }
    sleep 0.1
  done
  url=$(grep '^cloudinary://' "$out.out") || { cat "$out.err" >&2; echo "no CLOUDINARY_URL from the emulator" >&2; exit 2; }
}

# timed OUT TIMEFILE COMMAND...: runs the command in its own session (so that cleanup can stop it and all its
# children) under GNU time, stdout and stderr to OUT (stderr to $TIMED_ERR instead when set), and leaves
# "wall user sys maxrss_kb exit" in TIMEFILE.
timed() {
  local out=$1 tf=$2 err=${TIMED_ERR:-$1}; shift 2
  if [ "$err" = "$out" ]; then
    setsid /usr/bin/time -f '%e %U %S %M %x' -o "$tf" "$@" > "$out" 2>&1 &
  else
    setsid /usr/bin/time -f '%e %U %S %M %x' -o "$tf" "$@" > "$out" 2> "$err" &
  fi
  local pid=$!
  BENCH_GROUPS+=("$pid")
  wait "$pid" || true
  # GNU time puts "Command exited with non-zero status N" before the format line; keep the last line.
  tail -n 1 "$tf" > "$tf.last" && mv "$tf.last" "$tf"
}

# run_backup DIR OUT TIMEFILE: the backup command into DIR (BACKUP_DIR), with CLOUDINARY_URL=$url.
run_backup() {
  local dir=$1 out=$2 tf=$3
  warm_up
  CLOUDINARY_URL="$url" BACKUP_DIR="$dir" timed "$out" "$tf" sh -c "exec $BACKUP_CMD"
}

# warm_up: once per script, BACKUP_CMD --version, untimed: bin/cloudinary-backup makes its class-data archive on
# the first run of each build of the jar (10-15 s), which is not what a run costs.
warm_up() {
  [ -n "${BENCH_WARM:-}" ] && return 0
  BENCH_WARM=1
  sh -c "exec $BACKUP_CMD --version" > /dev/null 2>&1 || true
}

# summary_number OUT LABEL: the first number after LABEL in the backup's summary ("downloaded    5,000 originals").
summary_number() {
  sed -n "s/^ *$2 *\([0-9][0-9,.]*\).*/\1/p" "$1" | head -n 1 | tr -d ,
}

# stats V...: "min median max" of numbers.
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s\n", v[1], m, v[NR] }'
}
