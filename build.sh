#!/usr/bin/env bash
# build.sh: the whole set-up of libtapi3 on Debian 12.
#
#   ./build.sh demo   install what is missing, build, run the tapi3 demo
#   ./build.sh test   install what is missing, build, run every test suite
#
# It needs no input, so it runs the same for a person and for CI.

set -euo pipefail

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
  linphone-nogtk
)

BUILD_DIR=_build

# Set on every configure, so that a build directory configured earlier
# with parts turned off still builds and tests everything.
MESON_OPTIONS=(
  -Dintrospection=true
  -Ddocumentation=true
  -Dtests=true
)

usage ()
{
  echo "usage: $0 demo|test" >&2
  echo "  demo  build libtapi3 and run the tapi3 demo on the embedded broker" >&2
  echo "  test  build libtapi3 and run all its test suites" >&2
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

configure_and_build ()
{
  if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "${MESON_OPTIONS[@]}" "$BUILD_DIR"
  else
    meson setup "${MESON_OPTIONS[@]}" "$BUILD_DIR"
  fi
  meson compile -C "$BUILD_DIR"
}

[ $# -eq 1 ] || usage

# Everything below works relative to the top of the tree.
cd "$(dirname "$(readlink -f "$0")")"

case "$1" in
  demo)
    install_packages
    configure_and_build
    TAPI3_BROKER=embedded "$BUILD_DIR/tools/tapi3" demo
    ;;
  test)
    install_packages
    configure_and_build
    exec meson test -C "$BUILD_DIR" --print-errorlogs
    ;;
  *)
    usage
    ;;
esac
