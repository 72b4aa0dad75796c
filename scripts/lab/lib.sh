# Shared by the lab scripts (sourced, not run): where the lab lives, messages, and stopping a process this lab
# started, by its recorded PID only and only while that PID still runs what the script expects (a PID may be reused).
# Usage, at the top of a script: here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"; lab_init NAME
# lab_init sets repo, lab_root (${TSKRB_LAB_DIR:-<repo>/.lab}), lab ($lab_root/NAME), json ($lab_root/NAME.json).

lab_init() { # name
  LAB_SCRIPT=$1.sh
  repo=$(cd "$here/../.." && pwd)
  lab_root=$(realpath -m "${TSKRB_LAB_DIR:-$repo/.lab}")
  lab=$lab_root/$1
  json=$lab_root/$1.json
}

die() { echo "$LAB_SCRIPT: $*" >&2; exit 1; }
log() { echo "$LAB_SCRIPT: $*"; }

# The PID a PID file records, or nothing.
pid_of() { cat "$1" 2>/dev/null || true; }

# True if PID is a number whose process exists and has not exited. The daemons are reparented to PID 1, which in a
# container may leave them as zombies for a while: a zombie counts as stopped.
running() {
  local stat
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null || true)
  stat=${stat##*) }
  [ -n "$stat" ] && [ "${stat%% *}" != Z ]
}

# stop_pid PID TRIES CHECK [ARGS...]: while `CHECK PID ARGS...` says PID is still the lab's process, SIGTERM it and
# wait up to TRIES x 20 ms, then SIGKILL. A daemon with children gets TERM on its parent only: it stops its own.
stop_pid() {
  local pid=$1 tries=$2 check=$3 i
  shift 3
  "$check" "$pid" "$@" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq "$tries"); do "$check" "$pid" "$@" || return 0; sleep 0.02; done
  kill -KILL "$pid" 2>/dev/null || true
}

# status_of WHAT WHERE: "WHAT WHERE up pid N" if the PID in $pidfile passes the script's `alive`, else "WHAT down";
# then the lab JSON. False if either is missing.
status_of() {
  local pid rc=0
  pid=$(pid_of "$pidfile")
  if alive "$pid"; then echo "$1 $2 up pid $pid"; else echo "$1 down"; rc=1; fi
  [ -f "$json" ] && echo "json $json" || rc=1
  return $rc
}

# True if something listens on PORT over TCP (proto t, the default) or UDP (u).
listening() { [ -n "$(ss -Hln"${2:-t}" "sport = :$1" 2>/dev/null)" ]; }

# Seconds since T0 (a `date +%s.%N`), two decimals.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }

# A lab password: 24 random alphanumerics (~142 bits) behind a fixed prefix that satisfies any complexity rule.
gen_pw() { local r; r=$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9'); echo "Lab1-${r:0:24}"; }
