#!/usr/bin/env bash
# build.sh: the whole set-up of libtapi3 on Debian 12.
#
#   ./build.sh demo   install what is missing, build, run the tapi3 demo
#   ./build.sh softphone
#                     install what is missing, build, start the GTK 4
#                     softphone example from the build tree
#   ./build.sh test   install what is missing, build, run every test suite,
#                     then the C suites and the fuzz corpora under ASan+UBSan
#
# It needs no input, so it runs the same for a person and for CI.

set -euo pipefail

# Whatever ends this script with a failure says which step it was in.
CURRENT_STEP="check the arguments"

step ()
{
  CURRENT_STEP=$1
  echo "==> build.sh: $CURRENT_STEP"
}

on_exit ()
{
  local status=$?

  if [ "$status" -ne 0 ]; then
    echo "build.sh: FAILED in step '$CURRENT_STEP' (exit status $status)" >&2
  fi
}
trap on_exit EXIT

# Every Debian package the build, the tests and the demo need.
PACKAGES=(
  meson
  ninja-build
  pkg-config
  gcc
  libc6-dev
  libglib2.0-dev
  libgirepository1.0-dev
  gobject-introspection
  gir1.2-glib-2.0
  gi-docgen
  check
  gjs
  python3
  python3-gi
  dbus
  # gdbus: the dispatcher test waits with it for each broker's tapi3d
  libglib2.0-bin
  libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev
  libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-tools
  gstreamer1.0-libav
  libsofia-sip-ua-glib-dev
  # Real SIP peers for the SIP provider's tests
  sip-tester
  baresip-core
  kamailio
  # SIP over TLS: Kamailio's tls module, openssl for the test's own
  # certificate authority, and GIO's TLS for the accounts' certificate check
  kamailio-tls-modules
  openssl
  glib-networking
  linphone-nogtk
  # The GTK 4 softphone example, and its test on an X server of its own
  gir1.2-gtk-4.0
  gir1.2-adw-1
  xvfb
  imagemagick
  # Profiling the benchmarks (perf record, see README.md)
  linux-perf
)

BUILD_DIR=_build
ASAN_BUILD_DIR=_build-asan

# Set on every configure, so that a build directory configured earlier
# with parts turned off still builds and tests everything.
MESON_OPTIONS=(
  -Dintrospection=true
  -Ddocumentation=true
  -Dtests=true
  -Dsoftphone=enabled
)

usage ()
{
  echo "usage: $0 demo|softphone|test" >&2
  echo "  demo       build libtapi3 and run the tapi3 demo on the embedded broker" >&2
  echo "  softphone  build libtapi3 and start the GTK 4 softphone example" >&2
  echo "  test       build libtapi3 and run all its test suites" >&2
  exit 2
}

install_packages ()
{
  local missing=()
  local pkg status

  for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
      missing+=("$pkg")
    fi
  done

  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi

  echo "Installing missing packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}

# The sanitizer build: the C code only (introspection runs the scanner
# and the Python and gjs suites load the library into interpreters that
# are not built with ASan).
ASAN_MESON_OPTIONS=(
  -Db_sanitize=address,undefined
  -Db_lundef=false
  -Dintrospection=false
  -Ddocumentation=false
  -Dtests=true
)

# The C suites that run under ASan+UBSan (some 10 minutes, one test at a time):
# the libcheck suites, the SIP suites against their real peers, the fuzz
# corpora and the tapi3 tool's suite.
ASAN_SUITES=(unit sip fuzz tools)

configure_and_build ()
{
  local dir=$1
  shift

  step "configure $dir"
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$@" "$dir"
  else
    meson setup "$@" "$dir"
  fi
  step "build $dir"
  meson compile -C "$dir"
}

run_asan_tests ()
{
  local suite_args=()
  local suite

  for suite in "${ASAN_SUITES[@]}"; do
    suite_args+=(--suite "$suite")
  done

  step "test $ASAN_BUILD_DIR (ASan+UBSan: ${ASAN_SUITES[*]})"
  # Leak checking is off: GLib and GStreamer keep type, plugin and
  # thread-pool data for the life of the process by design. Any other
  # ASan finding and any UBSan finding fails the test. One test at a
  # time: instrumented media pipelines run two to three times slower,
  # and two of them side by side on two cores fall behind real time.
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:print_summary=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1" \
    meson test -C "$ASAN_BUILD_DIR" --num-processes 1 --print-errorlogs "${suite_args[@]}"
}

[ $# -eq 1 ] || usage

# Everything below works relative to the top of the tree.
cd "$(dirname "$(readlink -f "$0")")"

case "$1" in
  demo)
    step "install packages"
    install_packages
    configure_and_build "$BUILD_DIR" "${MESON_OPTIONS[@]}"
    step "run the demo"
    TAPI3_BROKER=embedded "$BUILD_DIR/tools/tapi3" demo
    ;;
  softphone)
    step "install packages"
    install_packages
    configure_and_build "$BUILD_DIR" "${MESON_OPTIONS[@]}"
    step "run the softphone"
    meson devenv -C "$BUILD_DIR" -w . \
      /usr/bin/python3 examples/softphone/tapi3-softphone.py
    ;;
  test)
    step "install packages"
    install_packages
    configure_and_build "$BUILD_DIR" "${MESON_OPTIONS[@]}"
    step "test $BUILD_DIR (every suite)"
    meson test -C "$BUILD_DIR" --print-errorlogs
    configure_and_build "$ASAN_BUILD_DIR" "${ASAN_MESON_OPTIONS[@]}"
    run_asan_tests
    step "done"
    echo "build.sh: all tests passed"
    ;;
  *)
    usage
    ;;
esac
