#!/usr/bin/env bash
# The pre-receive benchmark: how long `tokenlint hook pre-receive` takes to judge a push of
# COMMITS new commits (default 1,000; files added and edited, a token in the last one, so
# that the push is refused and can be pushed again), and a push of one commit, behind real
# `git push`es to a bare repository. Prints the medians of the hook's own time (measured in
# the hook script) and of the whole push.
#
#   bench/push_hook.sh        Environment: COMMITS=1000 RUNS=5 BENCH_DIR=/tmp/tokenlint-push-bench
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
COMMITS=${COMMITS:-1000} RUNS=${RUNS:-5} BENCH_DIR=${BENCH_DIR:-/tmp/tokenlint-push-bench}
(cd "$here" && cargo build --release --quiet)
tl=$here/target/release/tokenlint
rm -rf "$BENCH_DIR" && mkdir -p "$BENCH_DIR" && cd "$BENCH_DIR"
export HOME=$BENCH_DIR/home GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.test \
  GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.test
mkdir -p "$HOME"
git init -q --bare -b main server.git
git init -q -b main clone
token() { python3 -c "import hashlib,sys; h=hashlib.sha256(sys.argv[1].encode()).hexdigest().upper(); print('pa1.0/' + '-'.join(h[i:i+8] for i in range(0,64,8)))" "$1"; }

# The commits, through fast-import: the server has the first one, the push adds the rest.
python3 - "$COMMITS" "$(token bench)" <<'PY' | git -C clone fast-import --quiet
import sys
n, token = int(sys.argv[1]), sys.argv[2]
out = sys.stdout
def blob(text):
    data = text.encode()
    out.write(f"data {len(data)}\n"); out.flush()
    sys.stdout.buffer.write(data); out.write("\n")
for i in range(n + 1):
    out.write(f"commit refs/heads/main\ncommitter b <b@example.test> {1700000000 + i} +0000\n")
    msg = f"commit {i}"
    out.write(f"data {len(msg)}\n{msg}\n")
    # Each commit adds a file and edits a shared one; the last adds the token.
    out.write(f"M 100644 inline src/mod{i % 50}/file{i}.rs\n"); blob(f"// file {i}\n" + "fn f() {}\n" * 20)
    out.write(f"M 100644 inline src/shared{i % 7}.rs\n"); blob(f"// edited in {i}\n" + "let x = 1;\n" * 40)
    if i == n:
        out.write("M 100644 inline deploy.sh\n"); blob(f"export REMOTIVE_TOKEN={token}\n")
    out.write("\n")
PY
git -C clone checkout -q main
first=$(git -C clone rev-list --max-parents=0 main)
git -C clone push -q ../server.git "$first:refs/heads/main"
cat > server.git/hooks/pre-receive <<HOOK
#!/bin/sh
start=\$(date +%s%N)
$tl hook pre-receive --no-config 2>/dev/null
rc=\$?
echo "judged in \$(( (\$(date +%s%N) - start) / 1000000 )) ms, exit \$rc" >&2
exit \$rc
HOOK
chmod +x server.git/hooks/pre-receive

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bench() { # name, refspec
  local hook=() push=()
  for _ in $(seq "$RUNS"); do
    local start end out
    start=$(date +%s%N)
    out=$(git -C clone push ../server.git "$2" 2>&1 || true)
    end=$(date +%s%N)
    grep -q "ms, exit 1" <<<"$out" || { echo "$1: the push was not refused for a finding:"; echo "$out"; exit 1; }
    hook+=("$(sed -n 's/.*judged in \([0-9]*\) ms.*/\1/p' <<<"$out")")
    push+=("$(( (end - start) / 1000000 ))")
  done
  echo "$1: hook $(printf '%s\n' "${hook[@]}" | median) ms, whole git push $(printf '%s\n' "${push[@]}" | median) ms (median of $RUNS)"
}
bench "push of $COMMITS commits" "main:refs/heads/main"
# One commit: the server takes all but the last, then the last is pushed.
chmod -x server.git/hooks/pre-receive
git -C clone push -q ../server.git "main~1:refs/heads/main" 2>/dev/null
chmod +x server.git/hooks/pre-receive
bench "push of 1 commit" "main:refs/heads/main"
