#!/usr/bin/env bash
# A short run of each fuzz target (cargo fuzz, libFuzzer), from the seeds in fixtures/ and
# rules/. A crash fails the run and leaves its input in fuzz/artifacts/.
#
#   .ci/fuzz-smoke.sh [SECONDS_PER_TARGET]      (default 30)
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-30}
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz smoke: skipped, no nightly toolchain on this machine" >&2
  exit 0
fi
command -v cargo-fuzz >/dev/null || cargo install --locked --quiet cargo-fuzz
for target in scan windows token_file config decoders archives encodings packs; do mkdir -p "corpus/$target"; done
find ../fixtures/leaky ../fixtures/clean -type f -size -200k -exec cp {} corpus/scan/ \;
cp corpus/scan/* corpus/decoders/
cp corpus/scan/* corpus/windows/
cp corpus/scan/* corpus/archives/
cp ../fixtures/leaky/.remotive/*.json ../fixtures/leaky/ci/*.json ../fixtures/leaky/cloud.secret.token \
   ../fixtures/leaky/docs/example-token.json corpus/token_file/
cp ../rules/*.toml ../fixtures/bad-rules/*.toml corpus/config/
# A pack with deltas and its index, from a repository of three commits: the index's length
# (two bytes, little-endian), the index, then the pack.
seed=$(mktemp -d)
git -C "$seed" init -q
for i in 1 2 3; do
  seq "$i" 60 >"$seed/f"
  git -C "$seed" add f
  git -C "$seed" -c user.name=seed -c user.email=seed@example.invalid -c commit.gpgsign=false commit -qm "$i"
done
git -C "$seed" repack -q -a -d -f
python3 - "$seed"/.git/objects/pack corpus/packs/seed <<'PY'
import glob, struct, sys
index = glob.glob(sys.argv[1] + "/pack-*.idx")[0]
data = open(index, "rb").read()
pack = open(index[:-4] + ".pack", "rb").read()
open(sys.argv[2], "wb").write(struct.pack("<H", len(data)) + data + pack)
PY
rm -rf "$seed"
cargo +nightly fuzz build -O
for target in scan windows token_file config decoders archives encodings packs; do
  echo "== fuzz $target (${seconds}s)"
  cargo +nightly fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 \
    | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:.*DONE|Done [0-9]+ runs" | tail -3
done
