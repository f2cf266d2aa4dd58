#!/usr/bin/env bash
# The history benchmark: tokenlint scan --history against gitleaks git and betterleaks git on
# one generated repository (>= 10,000 commits, churn, branches, tokens planted in old commits
# and removed later), in one run. Prints medians, the ratios, and each tool's recall.
#
#   compare_history.sh            (peers from ../shared/bench/install_peers.sh, in $PEERS/bin)
#
# Environment: COMMITS=10000 TOKENS=40 RUNS=5 BENCH_DIR=/tmp/tokenlint-bench PEERS=/tmp/peers
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The tokenlint checkout: the one this script is in, else the one it is run from.
if [ -f "$here/../Cargo.toml" ]; then root=$(cd "$here/.." && pwd); else root=$(pwd); fi
COMMITS=${COMMITS:-10000} TOKENS=${TOKENS:-40} RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/tokenlint-bench} PEERS=${PEERS:-/tmp/peers}
if [ -d "$here/peers" ]; then peer_cfg=$here/peers; else peer_cfg=${PEER_CFG:-$root/../shared/bench/peers}; fi
repo=$BENCH_DIR/history-$COMMITS
[ -f "$repo.key.json" ] || python3 "$here/gen_history.py" "$repo" --commits "$COMMITS" --tokens "$TOKENS" --seed 1
(cd "$root" && cargo build --release --quiet)
tl=$root/target/release/tokenlint
out=$(mktemp -d)
cd "$repo"
cmds=(-n tokenlint "env HOME=/nonexistent $tl scan --history --no-config --format json --output $out/tokenlint.json")
[ -x "$PEERS/bin/gitleaks" ] && cmds+=(-n gitleaks "$PEERS/bin/gitleaks git --no-banner -l error --exit-code 0 -c $peer_cfg/gitleaks.toml -f json -r $out/gitleaks.json .")
[ -x "$PEERS/bin/betterleaks" ] && cmds+=(-n betterleaks "$PEERS/bin/betterleaks git --no-banner -l error --exit-code 0 -c $peer_cfg/betterleaks.toml -o $out/betterleaks.json .")
hyperfine -N --style none --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$out/h.json" "${cmds[@]}" >&2
python3 - "$out" "$repo.key.json" <<'PY'
import json, os, sys
out, key = sys.argv[1], json.load(open(sys.argv[2]))
planted = {t["path"] for t in key["tokens"] if t["token"].startswith("pa")}
planted_all = {t["path"] for t in key["tokens"]}
r = {x["command"]: x["median"] for x in json.load(open(f"{out}/h.json"))["results"]}
def paths(tool):
    f = f"{out}/{tool}.json"
    if not os.path.exists(f):
        return None
    d = json.load(open(f))
    if tool == "tokenlint":
        return {x.get("commit", {}).get("path", x["path"]) for x in d["findings"]}
    if isinstance(d, dict):  # betterleaks: {"findings": [{"location": {"path": ...}}]}
        return {x["location"]["path"] for x in d.get("findings", [])}
    return {x.get("File") or x.get("file") for x in d}
tl = r["tokenlint"]
for tool, median in r.items():
    found = paths(tool) or set()
    # The peers' configs hold the personal-token rule alone: they are scored on pa tokens.
    want = planted_all if tool == "tokenlint" else planted
    recall = len(want & found) / len(want)
    ratio = f"{median / tl:.2f}x tokenlint" if tool != "tokenlint" else ""
    print(f"{tool:12} median {median:.3f} s  recall {recall:.3f} ({len(want & found)}/{len(want)})  {ratio}")
PY
