#!/usr/bin/env bash
# Reach against the peers on the leak-places corpus (bench/leak_places.py): which of ~130
# realistic places holding one synthetic token each tool finds.
#
#   bench/leak_places.sh [OUT_DIR]        (default /tmp/leak-places)
#
# OUT_DIR/corpus and OUT_DIR/key.json are generated when missing (delete them to rebuild);
# each tool's raw output goes to OUT_DIR/results/, the summary to OUT_DIR/summary.json.
# File places are scanned in each tool's directory mode (cwd = corpus/places, target '.'),
# git places one repository at a time in its history mode. A place counts as found when the
# tool reports a finding in its file (for an archive, the archive or a member under it), or
# one that carries the place's token; for a git place, any finding in its repository.
#
# Environment:
#   TOKENLINT=path     the binary to measure (default: `cargo build --release` of this repo)
#   PEERS=/tmp/peers   where ../shared/bench/install_peers.sh put gitleaks, betterleaks, kingfisher
#   SHARED_BENCH=../shared/bench   the team's kit: peer configs and score.py's output parsers
#   TOOLS="tokenlint gitleaks betterleaks kingfisher"   subset / order
#   TIMEOUT=600        per tool run
# Peers run with archives on: gitleaks `--max-archive-depth 3` (off by default), betterleaks
# and kingfisher with their defaults (8 levels; extraction on). Nothing is downloaded.
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mkdir -p "${1:-/tmp/leak-places}" && cd "${1:-/tmp/leak-places}" && pwd)"
SHARED_BENCH="$(cd "${SHARED_BENCH:-$REPO/../shared/bench}" && pwd)"
CFG="$SHARED_BENCH/peers"
PEERS="${PEERS:-/tmp/peers}"
TOOLS="${TOOLS:-tokenlint gitleaks betterleaks kingfisher}"
TIMEOUT="${TIMEOUT:-600}"
export PATH="$PEERS/bin:$PATH" NO_COLOR=1
export KF_RULE_CACHE_DIR="$OUT/results/kf-cache"

if [ ! -s "$OUT/key.json" ] || [ ! -d "$OUT/corpus" ]; then
  rm -rf "$OUT/corpus"
  python3 "$REPO/bench/leak_places.py" "$OUT/corpus" --key "$OUT/key.json" || exit 2
fi
if [ -z "${TOKENLINT:-}" ]; then
  cargo build -q --release --manifest-path "$REPO/Cargo.toml" || exit 2
  TOKENLINT="${CARGO_TARGET_DIR:-$REPO/target}/release/tokenlint"
fi
TOKENLINT="$(realpath "$TOKENLINT")"
RES="$OUT/results"
rm -rf "$RES"; mkdir -p "$RES"

have() { command -v "$1" >/dev/null 2>&1; }

# run TOOL MODE TARGET OUTFILE: one scan, cwd = TARGET, JSON written to OUTFILE
run() {
  local tool=$1 mode=$2 dir=$3 o=$4
  (
    cd "$dir" || exit 99
    case $tool/$mode in
      tokenlint/dir) "$TOKENLINT" scan . --format json > "$o"; [ $? -le 1 ] ;;
      tokenlint/git) "$TOKENLINT" scan --history . --format json > "$o"; [ $? -le 1 ] ;;
      gitleaks/dir) gitleaks dir . --no-banner -l error --exit-code 0 --max-archive-depth 3 \
                      -c "$CFG/gitleaks.toml" -f json -r "$o" ;;
      gitleaks/git) gitleaks git . --no-banner -l error --exit-code 0 \
                      -c "$CFG/gitleaks.toml" -f json -r "$o" ;;
      betterleaks/*) local sub=fs; [ "$mode" = git ] && sub=git
                     betterleaks "$sub" . --no-banner -l error --exit-code 0 \
                       -c "$CFG/betterleaks.toml" -o "$o.json" > /dev/null && mv "$o.json" "$o" ;;
      kingfisher/*)
        local hist=none; [ "$mode" = git ] && hist=full
        kingfisher scan . -q --no-update-check --load-builtins=false \
          --rules-path "$CFG/kingfisher-rules.yaml" --no-validate --no-dedup \
          --git-history "$hist" -f json -o "$o" > /dev/null
        rc=$?; [ $rc -eq 0 ] || [ $rc -eq 200 ] ;;
    esac
  ) >> "$RES/$tool.log" 2>&1
}

export -f run
export TOKENLINT CFG RES
declare -A FMT=([tokenlint]=tokenlint-json [gitleaks]=gitleaks-json
                [betterleaks]=betterleaks-json [kingfisher]=kingfisher-json)
RAN=()
for t in $TOOLS; do
  if [ "$t" != tokenlint ] && ! have "$t"; then echo "== $t: not installed, skipped"; continue; fi
  echo "== $t"
  start=$(date +%s.%N)
  timeout "$TIMEOUT" bash -c 'run "$@"' _ "$t" dir "$OUT/corpus/places" "$RES/$t.dir.json" \
    || echo "   directory scan failed: rc=$? (see $RES/$t.log)"
  for g in "$OUT"/corpus/git/*/; do
    g=${g%/}
    timeout "$TIMEOUT" bash -c 'run "$@"' _ "$t" git "$g" "$RES/$t.git.$(basename "$g").json" \
      || { rc=$?; echo "   history scan of ${g##*/} failed: rc=$rc (see $RES/$t.log)"; }
  done
  echo "   $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s"
  RAN+=("$t:${FMT[$t]}")
done

python3 "$REPO/bench/leak_places_score.py" --key "$OUT/key.json" --corpus "$OUT/corpus" --results "$RES" \
  --shared "$SHARED_BENCH" --json-out "$OUT/summary.json" "${RAN[@]}"
