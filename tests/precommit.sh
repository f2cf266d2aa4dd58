#!/usr/bin/env bash
# The pre-commit hooks, for real: pre-commit from PyPI, a temporary repository whose
# .pre-commit-config.yaml uses this checkout at HEAD, and three commits; then the pre-push
# hook, with pushes to a bare remote.
#
#   tests/precommit.sh [--rust]     (--rust also covers the hook that pre-commit builds)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin_dir="$here/target/debug"
[ -x "$bin_dir/tokenlint" ] || (cd "$here" && cargo build --quiet)
command -v pre-commit >/dev/null || python3 -m pip install --quiet pre-commit
rev=$(git -C "$here" rev-parse HEAD)
# The hooks run with a throw-away HOME (no token store); cargo and rustup keep theirs.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
hooks=(tokenlint-system)
[ "${1:-}" = "--rust" ] && hooks+=(tokenlint)

# Synthetic tokens, built here.
hex() { python3 -c "import hashlib,sys; h=hashlib.sha256(sys.argv[1].encode()).hexdigest().upper(); print('-'.join(h[i:i+8] for i in range(0,64,8)))" "$1"; }
token="pa1.0/$(hex one)"
token2="sa1.0/$(hex two)"

fail=0
for hook in "${hooks[@]}"; do
  work=$(mktemp -d)
  cd "$work"
  git init -q
  git config user.email ci@example.test
  git config user.name ci
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: $hook
YAML
  export PATH="$bin_dir:$PATH" HOME="$work/home" PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$here/target/pre-commit-home}"
  mkdir -p "$HOME"
  git add .pre-commit-config.yaml
  pre-commit install >/dev/null
  git commit -qm "config" >/dev/null 2>&1 || { echo "[$hook] the first, clean commit failed"; fail=1; }

  echo "export REMOTIVE_CLOUD_AUTH_TOKEN=$token" > deploy.sh
  git add deploy.sh
  if out=$(git commit -m "token" 2>&1); then
    echo "[$hook] FAIL: a commit with a token was accepted"; fail=1
  elif ! grep -q "^deploy.sh:1:[0-9]*: error\[remotive-personal-access-token\] " <<<"$out"; then
    echo "[$hook] FAIL: refused, but the finding is not on screen as one concise line:"; echo "$out"; fail=1
  else
    echo "[$hook] ok: a staged token is refused, and the finding is shown (concise)"
  fi
  git reset -q deploy.sh; rm deploy.sh

  printf '{"name": "ci", "token": "%s", "created": "2026-01-01", "expires": "2026-12-31"}\n' "$token2" > personal-token-ci.json
  git add personal-token-ci.json
  if out=$(git commit -m "token file" 2>&1); then
    echo "[$hook] FAIL: a staged token file was accepted"; fail=1
  elif ! grep -q "token-file-outside-store" <<<"$out"; then
    echo "[$hook] FAIL: refused, but not as a token file:"; echo "$out"; fail=1
  else
    echo "[$hook] ok: a staged personal-token-*.json is refused"
  fi
  git reset -q personal-token-ci.json; rm personal-token-ci.json

  # Staged file names that look like options are file names: none turns redaction off.
  for name in --no-redact --help -; do
    echo "export REMOTIVE_CLOUD_AUTH_TOKEN=$token" > "./$name"
    git add -- "$name"
    if out=$(git commit -m "token in $name" 2>&1); then
      echo "[$hook] FAIL: a token in a file named $name was accepted"; fail=1
    elif grep -qF "$token" <<<"$out" || ! grep -q "remotive-personal-access-token" <<<"$out"; then
      echo "[$hook] FAIL: a file named $name: the token is shown, or the finding is not:"; echo "$out"; fail=1
    else
      echo "[$hook] ok: a token in a file named $name is refused, redacted"
    fi
    git reset -q -- "$name"; rm -- "./$name"
  done

  echo 'export REMOTIVE_CLOUD_AUTH_TOKEN=$(remotive cloud auth print-access-token)' > deploy.sh
  git add deploy.sh
  if out=$(git commit -m "clean" 2>&1); then
    echo "[$hook] ok: a clean commit passes"
  else
    echo "[$hook] FAIL: a clean commit was refused:"; echo "$out"; fail=1
  fi
  cd "$here"
  rm -rf "$work"
done
# The pre-push hook, for real: a bare remote, `pre-commit install --hook-type pre-push`, a push
# of a commit with a token refused, the same push without it accepted.
work=$(mktemp -d)
cd "$work"
git init -q --bare -b main remote.git
git init -q -b main clone
cd clone
git config user.email ci@example.test
git config user.name ci
git remote add origin ../remote.git
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: tokenlint-pre-push-system
YAML
export PATH="$bin_dir:$PATH" HOME="$work/home" PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$here/target/pre-commit-home}"
mkdir -p "$HOME"
git add .pre-commit-config.yaml
git commit -qm "config"
pre-commit install --hook-type pre-push >/dev/null
git push -q origin main >/dev/null 2>&1 || { echo "[pre-push] FAIL: the first, clean push was refused"; fail=1; }
echo "export REMOTIVE_CLOUD_AUTH_TOKEN=$token" > deploy.sh
git add deploy.sh
git commit -qm "token"
if out=$(git push origin main 2>&1); then
  echo "[pre-push] FAIL: a push of a commit with a token was accepted"; fail=1
elif ! grep -q "^tokenlint: [0-9a-f]\{10\} deploy.sh:1 remotive-personal-access-token " <<<"$out" || grep -qF "$token" <<<"$out"; then
  echo "[pre-push] FAIL: refused, but the finding is not shown, redacted:"; echo "$out"; fail=1
else
  echo "[pre-push] ok: a push of a commit with a token is refused, and the finding is shown"
fi
git reset -q --hard HEAD~1
echo 'echo hello' > run.sh
git add run.sh
git commit -qm "clean"
if out=$(git push origin main 2>&1); then
  echo "[pre-push] ok: a clean push passes"
else
  echo "[pre-push] FAIL: a clean push was refused:"; echo "$out"; fail=1
fi
cd "$here"
rm -rf "$work"
exit $fail
