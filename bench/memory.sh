#!/usr/bin/env bash
# Peak memory of `tokenlint scan` on a 1 GB corpus that includes one 500 MB file.
#
#   memory.sh
#
# Generates (once) under $BENCH_DIR/memory-1g: 500 MB of ordinary files (gen_synth.py) and
# one 500 MB text file, big.log, with $TOKENS tokens planted in it — plain, and base64-encoded
# inside long base64 runs, many of them across the 4 MiB window boundaries. Builds tokenlint
# in release mode from the repository it is run in, then runs `/usr/bin/time -v` on
#   tokenlint scan --format json CORPUS     (default threads)
#   tokenlint scan --format json big.log    (the large file alone)
# and prints wall time, peak RSS, and how many of the planted tokens were found. Then, on a
# directory with 100,000 tokens (100 files of 1,000), the peak RSS of each output format.
# Last, in a repository of a few MB that holds a 1 GiB blob committed and another staged
# (repetitive text git compresses to almost nothing, tokens planted across window ends and
# near the end), the peak RSS of `scan --history` and of `scan --staged`.
#
# Environment: BENCH_DIR=/tmp/tokenlint-bench TOKENS=200 TOKENLINT=path/to/binary
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tokenlint-bench} TOKENS=${TOKENS:-200}
corpus=$BENCH_DIR/memory-1g
[ -x /usr/bin/time ] || apt-get install -y -q time >/dev/null
gen_synth=$here/gen_synth.py
[ -f "$gen_synth" ] || gen_synth=$here/../../shared/bench/gen_synth.py
if [ ! -f "$corpus/.done" ]; then
  rm -rf "$corpus"
  mkdir -p "$corpus"
  python3 "$gen_synth" "$corpus/files" --size-mb 500 --seed 2 --force >&2
  python3 - "$corpus/big.log" "$TOKENS" <<'EOF'
import base64, random, sys
path, tokens = sys.argv[1], int(sys.argv[2])
rng = random.Random(3)
size = 500 << 20
window = 4 << 20
def token():
    kind = rng.choice(["pa", "sa"])
    return kind + "1.0/" + "-".join("%08X" % rng.getrandbits(32) for _ in range(8))
# Where tokens go: half anywhere, half within 200 bytes of a multiple of the window.
spots = sorted(
    [rng.randrange(size) for _ in range(tokens // 2)]
    + [rng.randrange(1, size // window) * window + rng.randrange(-200, 200) for _ in range(tokens - tokens // 2)]
)
filler = [("%s INFO request id=%08x path=/api/v1/items/%d took %dms\n"
           % ("2026-11-29T08:00:00Z", rng.getrandbits(32), i, rng.randrange(900))).encode()
          for i in range(4096)]
with open(path, "wb") as out:
    written = 0
    for spot in spots:
        while written < spot:
            line = filler[rng.randrange(len(filler))]
            out.write(line)
            written += len(line)
        if rng.random() < 0.5:
            line = ('config: {"token": "%s"}\n' % token()).encode()
        else:
            blob = rng.randbytes(rng.randrange(100, 20000)) + b" " + token().encode() + b" " + rng.randbytes(300)
            line = b"payload: " + base64.b64encode(blob) + b"\n"
        out.write(line)
        written += len(line)
    while written < size:
        line = filler[rng.randrange(len(filler))]
        out.write(line)
        written += len(line)
EOF
  touch "$corpus/.done"
fi
if [ -z "${TOKENLINT:-}" ]; then
  cargo build --release --quiet >&2
  TOKENLINT=$(pwd)/target/release/tokenlint
fi
echo "corpus: $(du -sm "$corpus" | cut -f1) MB in $(find "$corpus" -type f | wc -l) files; big.log $(($(stat -c %s "$corpus/big.log") >> 20)) MB; $TOKENS tokens planted in big.log"
out=$(mktemp -d)
for target in "$corpus" "$corpus/big.log"; do
  /usr/bin/time -v "$TOKENLINT" scan --no-store --format json --output "$out/f.json" "$target" 2>"$out/time" || true
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
  found=$(python3 -c "import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))['findings'] if f['path'].endswith('big.log')))" "$out/f.json")
  echo "scan $target: wall $wall, peak RSS $((rss / 1024)) MB, big.log findings $found/$TOKENS"
done
many=$BENCH_DIR/findings-100k
if [ ! -f "$many/.done" ]; then
  mkdir -p "$many"
  python3 - "$many" <<'EOF'
import random, sys
rng = random.Random(4)
for f in range(100):
    with open(f"{sys.argv[1]}/many-{f}.txt", "w") as out:
        for i in range(1000):
            out.write("key_%d = pa1.0/%s\n" % (i, "-".join("%08X" % rng.getrandbits(32) for _ in range(8))))
EOF
  touch "$many/.done"
fi
for format in text json sarif; do
  /usr/bin/time -v "$TOKENLINT" scan --no-store --format "$format" --output "$out/f.$format" "$many" 2>"$out/time" || true
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
  echo "scan 100,000 findings --format $format: wall $wall, peak RSS $((rss / 1024)) MB, report $(($(stat -c %s "$out/f.$format") >> 20)) MB"
done
repo=$BENCH_DIR/history-1g
gen_blob() {
  python3 - "$1" "$2" <<'EOF'
import sys
path, seed = sys.argv[1], int(sys.argv[2])
size, window = 1 << 30, 4 << 20
line = b"2026-11-29T08:00:00Z INFO request id=00000000 path=/api/v1/items took 12ms\n"
def token(i):
    groups = ((seed * 7919 + i * 104729 + g * 31) & 0xFFFFFFFF for g in range(8))
    return ("pa1.0/" + "-".join("%08X" % g for g in groups)).encode()
# Across the ends of the first three windows, and near the end.
spots = {k * window - 20: token(k) for k in range(1, 4)}
spots[size - 200] = token(99)
chunk = line * (window // len(line))
with open(path, "wb") as out:
    written = 0
    for spot in sorted(spots):
        while written + len(chunk) <= spot:
            out.write(chunk)
            written += len(chunk)
        out.write(chunk[: spot - written])
        planted = b" T=" + spots[spot] + b" "
        out.write(planted)
        written = spot + len(planted)
    while written < size:
        out.write(chunk[: size - written])
        written += min(len(chunk), size - written)
EOF
}
if [ ! -f "$repo/.done" ]; then
  rm -rf "$repo"
  git init -q "$repo"
  gen_blob "$repo/big.log" 1
  git -C "$repo" add big.log
  git -C "$repo" -c user.name=bench -c user.email=bench@example.test commit -qm big --no-verify
  gen_blob "$repo/staged.log" 2
  git -C "$repo" add staged.log
  rm "$repo/big.log" "$repo/staged.log"
  touch "$repo/.done"
fi
echo "repository: $(du -sm "$repo/.git" | cut -f1) MB of .git; a 1 GiB blob committed, another staged, 4 tokens in each"
for mode in --history --staged; do
  (cd "$repo" && /usr/bin/time -v "$TOKENLINT" scan "$mode" --no-store --format json --output "$out/f.json") 2>"$out/time" || true
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
  found=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$out/f.json")
  echo "scan $mode: wall $wall, peak RSS $((rss / 1024)) MB, findings $found"
done
rm -rf "$out"
