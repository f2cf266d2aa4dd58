#!/usr/bin/env bash
# The range benchmark (issue 17): `scan --history --since base` over a generated 1,000-commit
# range in which most commits touch files holding old tokens, with the parent comparison
# (the default) and with `--all-findings` (whole blobs, no comparison); and a one-commit range.
#
#   range_introduced.sh      Environment: COMMITS=1000 RUNS=10 BENCH_DIR=/tmp/tokenlint-bench
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
COMMITS=${COMMITS:-1000} RUNS=${RUNS:-10} BENCH_DIR=${BENCH_DIR:-/tmp/tokenlint-bench}
repo=$BENCH_DIR/range-$COMMITS
[ -f "$repo.key.json" ] || python3 "$here/gen_range.py" "$repo" --commits "$COMMITS"
(cd "$root" && cargo build --release --quiet)
tl="env HOME=/nonexistent $root/target/release/tokenlint scan --history --no-config --format json --output /dev/null"
cd "$repo"
hyperfine -N --style basic --warmup 1 --runs "$RUNS" --ignore-failure \
  -n "range, parent comparison" "$tl --since base" \
  -n "range, --all-findings" "$tl --since base --all-findings" \
  -n "one commit" "$tl --since main~1"
