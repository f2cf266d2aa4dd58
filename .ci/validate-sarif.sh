#!/usr/bin/env bash
# Validates tokenlint's SARIF with Microsoft's SARIF Multitool, with GitHub code scanning's
# ingestion rules (`--rule-kind "Sarif;Ghas"`). The multitool exits 0 even when it reports
# problems, so this script reads its output log and fails on any error or warning.
#
#   .ci/validate-sarif.sh [TOKENLINT_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/tokenlint}
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
tools=${SARIF_TOOLS:-target/sarif-multitool}
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  echo "installing @microsoft/sarif-multitool (npm)" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error @microsoft/sarif-multitool@5.7.0 >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No token store, a fixed "today": the same logs on every machine.
export HOME="$work/home" XDG_CONFIG_HOME= REMOTIVE_CONFIG_DIR=
mkdir -p "$HOME/.config/remotive" "$HOME/Downloads"

logs=()
run() { # NAME ARGS...: one SARIF log; exit 1 (findings) is expected
  local name=$1; shift
  "$bin" "$@" --now 2026-11-29 --format sarif --output "$work/$name.sarif" || [ $? -eq 1 ]
  logs+=("$work/$name.sarif")
}
run leaky scan fixtures/leaky
run clean scan fixtures/clean
run category scan --sarif-category tokenlint/fixtures fixtures
cp fixtures/leaky/.remotive/personal-token-ci-dev@example.com.json "$HOME/.config/remotive/"
cp fixtures/leaky/ci/service-account-pipeline-deploy-token.json "$HOME/Downloads/"
chmod 644 "$HOME/.config/remotive/"*.json
run audit audit
ln -s "$work/missing" "$work/dangling"
run notification scan -L "$work"
mkdir -p "$work/suppressed/docs"
sed 's/$/ # tokenlint:allow sample/' fixtures/leaky/scripts/deploy.sh > "$work/suppressed/deploy.sh"
cp fixtures/leaky/.env "$work/suppressed/docs/.env"
printf '[[allowlist]]\npaths = ["docs/**"]\nreason = "samples"\n' > "$work/suppressed/tokenlint.toml"
run suppressed scan --show-suppressed "$work/suppressed"
git init -q "$work/history"
cp fixtures/leaky/scripts/deploy.sh fixtures/leaky/ci/service-account-pipeline-deploy-token.json "$work/history/"
git -C "$work/history" add -A
git -C "$work/history" -c user.name=ci -c user.email=ci@example.test commit -qm "tokens"
git -C "$work/history" rm -q deploy.sh
git -C "$work/history" -c user.name=ci -c user.email=ci@example.test commit -qm "gone"
(cd "$work/history" && run history scan --history) && logs+=("$work/history.sarif")

failed=0
for log in "${logs[@]}"; do
  out="$log.validation"
  "$multitool" validate --rule-kind "Sarif;Ghas" --output "$out" "$log" >/dev/null
  python3 - "$log" "$out" <<'PY' || failed=1
import json, sys
log, out = sys.argv[1], sys.argv[2]
results = [r for run in json.load(open(out)).get("runs", []) for r in run.get("results") or []]
bad = [r for r in results if r.get("level", "warning") in ("error", "warning")]
for r in results:
    print(f"  {r.get('level', 'warning')} {r['ruleId']}: {r['message'].get('text', r['message'])}")
count = len(json.load(open(log))["runs"][0]["results"])
print(f"{log.rsplit('/', 1)[-1]}: {count} results, {len(bad)} errors or warnings from the multitool")
sys.exit(1 if bad else 0)
PY
done
exit $failed
