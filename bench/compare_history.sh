#!/usr/bin/env bash
# The history benchmark: tokenlint scan --history against gitleaks git and betterleaks git on
# one generated repository (>= 10,000 commits, churn, branches, tokens planted in old commits
# and removed later), in one run. Prints medians, the ratios, each tool's recall, and the
# `git cat-file --batch-all-objects --batch` row (one thread printing every object: the time
# to beat) with tokenlint's ratio against it and its peak memory.
# With HISTORY_REPO=PATH (a repository with a working tree, e.g. a clone of rust-lang/cargo),
# a second run times the same on that real history (no planted tokens: no recall).
#
#   compare_history.sh            (peers from ../shared/bench/install_peers.sh, in $PEERS/bin)
#
# Environment: COMMITS=10000 TOKENS=40 RUNS=5 BENCH_DIR=/tmp/tokenlint-bench PEERS=/tmp/peers
#              HISTORY_REPO=
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The tokenlint checkout: the one this script is in, else the one it is run from.
if [ -f "$here/../Cargo.toml" ]; then root=$(cd "$here/.." && pwd); else root=$(pwd); fi
COMMITS=${COMMITS:-10000} TOKENS=${TOKENS:-40} RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/tokenlint-bench} PEERS=${PEERS:-/tmp/peers}
if [ -d "$here/peers" ]; then peer_cfg=$here/peers; else peer_cfg=${PEER_CFG:-$root/../shared/bench/peers}; fi
generated=$BENCH_DIR/history-$COMMITS
[ -f "$generated.key.json" ] || python3 "$here/gen_history.py" "$generated" --commits "$COMMITS" --tokens "$TOKENS" --seed 1
(cd "$root" && cargo build --release --quiet)
tl=$root/target/release/tokenlint

# bench REPO KEY: times every tool on REPO's history; KEY is the planted tokens' list, or empty.
bench() {
    local repo=$1 key=$2 out
    out=$(mktemp -d)
    cd "$repo"
    local cmds=(-n tokenlint "env HOME=/nonexistent $tl scan --history --no-config --format json --output $out/tokenlint.json")
    cmds+=(-n cat-file "git cat-file --batch-all-objects --batch")
    [ -x "$PEERS/bin/gitleaks" ] && cmds+=(-n gitleaks "$PEERS/bin/gitleaks git --no-banner -l error --exit-code 0 -c $peer_cfg/gitleaks.toml -f json -r $out/gitleaks.json .")
    [ -x "$PEERS/bin/betterleaks" ] && cmds+=(-n betterleaks "$PEERS/bin/betterleaks git --no-banner -l error --exit-code 0 -c $peer_cfg/betterleaks.toml -o $out/betterleaks.json .")
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$out/h.json" "${cmds[@]}" >&2
    # Peak memory of tokenlint alone (git's processes are not counted).
    /usr/bin/time -f "%M" -o "$out/rss" env HOME=/nonexistent "$tl" scan --history --no-config --format json --output /dev/null || true
    echo "== $repo"
    python3 - "$out" "$key" <<'PY'
import json, os, sys
out, keyfile = sys.argv[1], sys.argv[2]
key = json.load(open(keyfile)) if keyfile else None
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
tl, cat = r["tokenlint"], r["cat-file"]
for tool, median in r.items():
    line = f"{tool:12} median {median:.3f} s"
    if key is not None and tool != "cat-file":
        planted = {t["path"] for t in key["tokens"] if t["token"].startswith("pa")}
        planted_all = {t["path"] for t in key["tokens"]}
        found = paths(tool) or set()
        # The peers' configs hold the personal-token rule alone: they are scored on pa tokens.
        want = planted_all if tool == "tokenlint" else planted
        line += f"  recall {len(want & found) / len(want):.3f} ({len(want & found)}/{len(want)})"
    if tool == "tokenlint":
        line += f"  {tl / cat:.2f}x cat-file"
    elif tool != "cat-file":
        line += f"  {median / tl:.2f}x tokenlint"
    print(line)
rss = open(f"{out}/rss").read().split()
if rss:
    print(f"tokenlint peak memory {int(rss[-1]) / 1024:.0f} MB")
PY
}

bench "$generated" "$generated.key.json"
if [ -n "${HISTORY_REPO:-}" ]; then
    bench "$(cd "$HISTORY_REPO" && pwd)" ""
fi
