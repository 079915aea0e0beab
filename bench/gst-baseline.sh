#!/usr/bin/env bash
# gst-baseline.sh: the CPU of bare GStreamer G.711 calls, the ceiling for
# bench-media-load
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each call is one gst-launch-1.0 process holding both ends of a call, both
# ways: for each direction a 1000 Hz live sine, 20 ms per buffer, through
# mulawenc ! rtppcmupay ! udpsink to 127.0.0.1, and a udpsrc !
# rtppcmudepay ! mulawdec ! fakesink taking it (with --jitterbuffer, an
# rtpjitterbuffer of 60 ms before the depayloader). That is the work
# bench-media-load's calls do on both sides (the application's pipelines
# and the echo service's), without RTCP, mixers, level meters or digit
# detection. Ports come free from the kernel (bound to 127.0.0.1 port 0,
# then let go).
#
# For each step of --steps concurrent calls: start the processes, let them
# settle, then read the user and system time of each from /proc/PID/stat
# before and after --duration seconds; divide by the calls and seconds.
# The machine's UDP datagrams received over the interval, against the 100
# a second each call sends, show that the media flows (other traffic on
# the machine counts too), and its UDP receive buffer errors show loss. The processes are ended by PID. Output: key=value, one step a line.

set -euo pipefail

steps="1,5,10,20,40,60"
duration=10
settle=2
jitterbuffer=0
gst_launch=${GST_LAUNCH:-gst-launch-1.0}
python=/usr/bin/python3

usage() {
  echo "usage: $0 [--steps N,N,...] [--duration S] [--settle S] [--jitterbuffer]" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=${2:?}; shift 2 ;;
    --steps=*) steps=${1#*=}; shift ;;
    --duration) duration=${2:?}; shift 2 ;;
    --duration=*) duration=${1#*=}; shift ;;
    --settle) settle=${2:?}; shift 2 ;;
    --settle=*) settle=${1#*=}; shift ;;
    --jitterbuffer) jitterbuffer=1; shift ;;
    -h|--help) usage ;;
    *) usage ;;
  esac
done

[[ "$steps" =~ ^[0-9]+(,[0-9]+)*$ ]] || usage
[[ "$duration" =~ ^[0-9]+$ ]] && [ "$duration" -ge 1 ] || usage
[[ "$settle" =~ ^[0-9]+$ ]] || usage
command -v "$gst_launch" > /dev/null || { echo "$0: $gst_launch not found" >&2; exit 1; }
[ -x "$python" ] || { echo "$0: $python not found" >&2; exit 1; }

clk_tck=$(getconf CLK_TCK)
pids=()

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -INT "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# $1 free UDP ports on 127.0.0.1
free_ports() {
  "$python" - "$1" << 'EOF'
import socket, sys
sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
print(" ".join(str(s.getsockname()[1]) for s in sockets))
EOF
}

# utime + stime of a process, in clock ticks
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2> /dev/null) || { echo -1; return; }
  # Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
  set -- ${stat##*) }
  echo $(( ${12} + ${13} ))
}

udp_counter() {
  awk -v name="$1" '/^Udp:/ { if (!header) { for (i = 1; i <= NF; i++) col[$i] = i; header = 1 } else print $col[name] }' /proc/net/snmp
}

# Appends one direction of a call, to and from @port, to the array args.
add_direction() {
  local port=$1
  args+=(audiotestsrc is-live=true samplesperbuffer=160 freq=1000 volume=0.5
         ! audio/x-raw,format=S16LE,rate=8000,channels=1
         ! mulawenc ! rtppcmupay ! udpsink host=127.0.0.1 "port=$port" async=false
         udpsrc address=127.0.0.1 "port=$port"
         caps=application/x-rtp,media=audio,clock-rate=8000,encoding-name=PCMU,payload=0 !)
  [ "$jitterbuffer" = 1 ] && args+=(rtpjitterbuffer latency=60 !)
  args+=(rtppcmudepay ! mulawdec ! fakesink sync=false async=false)
}

echo "benchmark=gst-baseline"
echo "codec=PCMU"
echo "cores=$(nproc)"
echo "jitterbuffer=$jitterbuffer"

last_per_call=""
IFS=, read -r -a step_list <<< "$steps"
for calls in "${step_list[@]}"; do
  read -r -a ports <<< "$(free_ports $(( 2 * calls )))"
  for (( i = 0; i < calls; i++ )); do
    args=(-q)
    add_direction "${ports[$(( 2 * i ))]}"
    add_direction "${ports[$(( 2 * i + 1 ))]}"
    "$gst_launch" "${args[@]}" > /dev/null 2>&1 < /dev/null &
    pids+=("$!")
  done

  sleep "$settle"
  # Starting many processes takes a while on two cores.
  sleep "$(awk -v n="$calls" 'BEGIN { printf "%.2f", n * 0.05 }')"

  dead=0
  declare -A before=()
  for pid in "${pids[@]}"; do
    before[$pid]=$(cpu_ticks "$pid")
    [ "${before[$pid]}" -ge 0 ] || dead=$(( dead + 1 ))
  done
  rcvbuf0=$(udp_counter RcvbufErrors)
  in0=$(udp_counter InDatagrams)
  t0=$(date +%s%N)

  sleep "$duration"

  total=0
  for pid in "${pids[@]}"; do
    after=$(cpu_ticks "$pid")
    if [ "$after" -lt 0 ] || [ "${before[$pid]}" -lt 0 ]; then
      dead=$(( dead + 1 ))
      continue
    fi
    total=$(( total + after - before[$pid] ))
  done
  t1=$(date +%s%N)
  rcvbuf1=$(udp_counter RcvbufErrors)
  in1=$(udp_counter InDatagrams)
  unset before

  stop_all

  awk -v calls="$calls" -v ticks="$total" -v hz="$clk_tck" -v ns="$(( t1 - t0 ))" \
      -v rcvbuf="$(( rcvbuf1 - rcvbuf0 ))" -v received="$(( in1 - in0 ))" \
      -v dead="$dead" 'BEGIN {
    seconds = ns / 1e9; cpu = ticks / hz
    # Two directions of 50 packets a second per call
    expected = calls * 2 * 50 * seconds
    printf "step calls=%d processes=%d seconds=%.2f cpu_s=%.2f cpu_pct=%.1f cpu_pct_per_call=%.3f cpu_ms_per_call_second=%.3f udp_datagrams_received_ratio=%.4f udp_rcvbuf_errors=%d exited_early=%d\n",
      calls, calls, seconds, cpu, 100 * cpu / seconds, 100 * cpu / (calls * seconds),
      1000 * cpu / (calls * seconds), received / expected, rcvbuf, dead
  }'
  if [ "$dead" -gt 0 ]; then
    echo "$0: $dead of $calls gst-launch-1.0 processes were gone before the end" >&2
    echo "failed=1"
    exit 1
  fi
  last_per_call=$(awk -v calls="$calls" -v ticks="$total" -v hz="$clk_tck" -v ns="$(( t1 - t0 ))" \
    'BEGIN { printf "%.3f", 100 * ticks / hz / (calls * ns / 1e9) }')
done

echo "cpu_pct_per_call_at_max=$last_per_call"
awk -v per_call="$last_per_call" -v cores="$(nproc)" \
  'BEGIN { if (per_call > 0) printf "calls_at_full_cpu_estimate=%d\n", 100 * cores / per_call }'
echo "failed=0"
