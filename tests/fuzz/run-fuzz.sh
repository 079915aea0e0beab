#!/usr/bin/env bash
# run-fuzz.sh: fuzzes the libtapi3 fuzz targets with libFuzzer.
#
#   tests/fuzz/run-fuzz.sh SECONDS [TARGET...]
#
# Builds _build-fuzz (CC=clang, -Dfuzzing=true) when needed, then fuzzes
# each TARGET (all of them by default: sip-message sdp sip-conf sim-conf
# broker-dbus) for SECONDS, starting from its seeds in
# tests/fuzz/corpus/TARGET. New inputs go to _build-fuzz/fuzz-corpus/TARGET,
# crashes to _build-fuzz/fuzz-artifacts/TARGET/. For each target it prints
# key=value lines: target, execs, execs_per_s, crashes, log.
# It exits non-zero when a target crashed.

set -euo pipefail

usage ()
{
  echo "usage: $0 SECONDS [TARGET...]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
case "$1" in
  ''|*[!0-9]*) usage ;;
esac
seconds=$1
shift

top=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
build="$top/_build-fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(sip-message sdp sip-conf sim-conf broker-dbus)
fi

if [ ! -f "$build/meson-private/coredata.dat" ]; then
  CC=clang meson setup "$build" "$top" \
    -Dfuzzing=true -Dtests=false -Dintrospection=false -Ddocumentation=false \
    -Db_lundef=false
fi
meson compile -C "$build" $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}")

# GLib and GStreamer keep type and plugin data until exit: no leak checks.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

failed=0
for target in "${targets[@]}"; do
  seeds="$top/tests/fuzz/corpus/$target"
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  log="$build/fuzz-$target.log"
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)

  status=0
  started=$SECONDS
  "$build/tests/fuzz/fuzz-$target" \
    -max_total_time="$seconds" -timeout=90 -rss_limit_mb=4096 -detect_leaks=0 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "$seeds" >"$log" 2>&1 || status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs=${execs:-0}
  elapsed=$(( SECONDS - started ))
  after=$(find "$artifacts" -type f | wc -l)
  echo "target=$target"
  echo "execs=$execs"
  echo "execs_per_s=$(( execs / (elapsed > 0 ? elapsed : 1) ))"
  echo "crashes=$(( after - before ))"
  echo "log=$log"
  if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ]; then
    echo "fuzz-$target failed (exit status $status); see $log and $artifacts" >&2
    failed=1
  fi
done
exit "$failed"
