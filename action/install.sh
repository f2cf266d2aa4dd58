#!/usr/bin/env bash
# The Action's install step (action.yml): finds or fetches tokenlint VERSION, fastest first,
#   1. a tokenlint already on PATH that says it is VERSION;
#   2. the release archive for this runner's OS and architecture, checked against the
#      SHA-256 sum published beside it (a mismatch fails the step: it is never skipped);
#   3. `pip install tokenlint==VERSION`, into a virtual environment of its own;
# and otherwise says, through `$GITHUB_OUTPUT`, that the next steps must build it with
# `cargo install --locked` (cached by version). Writes `version=` and `bin=` (empty when
# nothing was found) to `$GITHUB_OUTPUT`.
#
# Environment: VERSION (empty: the action's own, from Cargo.toml beside this script),
# GITHUB_ACTION_PATH, GITHUB_ACTION_REPOSITORY, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# GITHUB_OUTPUT. TOKENLINT_RELEASES (a URL to fetch the releases from) is for the tests.
set -euo pipefail

own_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1
}

version=${VERSION:-$(own_version)}
version=${version#v}
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]+)?$ ]]; then
  echo "::error::tokenlint: the version input must be a version such as 0.2.0, not '$version'" >&2
  exit 2
fi
echo "version=$version" >> "$GITHUB_OUTPUT"
root="$RUNNER_TEMP/tokenlint-$version"
mkdir -p "$root"

found() { # BIN: tell the next steps, and stop
  echo "tokenlint $version: $1" >&2
  echo "bin=$1" >> "$GITHUB_OUTPUT"
  exit 0
}

# 1. Already installed, at this version.
if bin=$(command -v tokenlint) && [ "$("$bin" --version 2>/dev/null)" = "tokenlint $version" ]; then
  found "$bin"
fi

# 2. The release archive, checked against its SHA-256 sum.
case "$RUNNER_OS/$RUNNER_ARCH" in
  # musl: one static binary, which runs in any Linux container, glibc or not.
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) target= ;;
esac

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d ' ' -f 1
}

if [ -n "$target" ] && command -v curl >/dev/null; then
  repository=${GITHUB_ACTION_REPOSITORY:-tokenlint/tokenlint}
  releases=${TOKENLINT_RELEASES:-https://github.com/$repository/releases/download}
  case "$target" in *windows*) archive="tokenlint-$target.zip" exe=tokenlint.exe ;;
    *) archive="tokenlint-$target.tar.gz" exe=tokenlint ;;
  esac
  url="$releases/v$version/$archive"
  if curl -fsSL --retry 3 --proto '=https,file' -o "$root/$archive.sha256" "$url.sha256" \
    && curl -fsSL --retry 3 --proto '=https,file' -o "$root/$archive" "$url"; then
    expected=$(cut -d ' ' -f 1 < "$root/$archive.sha256")
    actual=$(sha256 "$root/$archive")
    if [ "$expected" != "$actual" ]; then
      echo "::error::tokenlint: $url has SHA-256 $actual, but its published sum is $expected; not installed" >&2
      exit 2
    fi
    case "$archive" in
      *.zip) (cd "$root" && { unzip -q -o "$archive" || 7z x -y "$archive" >/dev/null; }) ;;
      *) tar -xzf "$root/$archive" -C "$root" ;;
    esac
    found "$root/tokenlint-$target/$exe"
  fi
  echo "tokenlint: no release archive at $url; trying PyPI" >&2
fi

# 3. The wheel from PyPI.
python=$(command -v python3 || command -v python || true)
if [ -n "$python" ] && "$python" -m venv "$root/venv" >/dev/null 2>&1; then
  bindir="$root/venv/bin"
  [ -d "$bindir" ] || bindir="$root/venv/Scripts"
  if "$bindir/python" -m pip install --quiet --disable-pip-version-check "tokenlint==$version"; then
    exe=tokenlint
    [ -e "$bindir/$exe" ] || exe=tokenlint.exe
    found "$bindir/$exe"
  fi
  echo "tokenlint: no wheel of tokenlint $version on PyPI for this runner" >&2
fi

# 4. Left to the next steps: cargo install, cached by version.
echo "tokenlint: building $version with cargo install --locked" >&2
echo "bin=" >> "$GITHUB_OUTPUT"
