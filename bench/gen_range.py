#!/usr/bin/env python3
"""A deterministic git repository for the range benchmark (issue 17): a base commit of
--files files, --old of them holding a token accepted earlier, then --commits commits on
main (the range, `base..main`), each editing a few files, most of them files that hold an
old token; --new commits among them add a new token, and every tenth commit is a merge of
a short side branch.

    gen_range.py OUT --commits 1000 --files 400 --old 150 --new 5 --seed 1

Writes OUT (a repository, built with git fast-import) with the tag `base`, and
OUT.key.json: the new tokens and the paths they were added to.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_history import WORDS, token  # noqa: E402


def line(rng):
    return f"{rng.choice(WORDS)}_{rng.randrange(10**6)}: {' '.join(rng.choice(WORDS) for _ in range(6))}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    for name, default in (("commits", 1000), ("files", 400), ("old", 150), ("new", 5), ("seed", 1)):
        ap.add_argument(f"--{name}", type=int, default=default)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
    files = {f"src/{rng.choice(WORDS)}/file_{i}.env": [line(rng) for _ in range(rng.randrange(20, 120))]
             for i in range(a.files)}
    holders = rng.sample(sorted(files), a.old)
    for path in holders:
        body = files[path]
        body.insert(rng.randrange(len(body)), f"REMOTIVE_CLOUD_AUTH_TOKEN={token(rng)}")
    out, mark = [], 0
    t0 = 1_700_000_000

    def commit(branch, n, changes, message, parents):
        nonlocal mark
        mark += 1
        when = t0 + n * 60
        msg = message.encode()
        chunk = [f"commit refs/heads/{branch}\nmark :{mark}\n"
                 f"author A <a@example.test> {when} +0000\ncommitter A <a@example.test> {when} +0000\n".encode(),
                 f"data {len(msg)}\n".encode() + msg + b"\n"]
        if parents:
            chunk.append(f"from :{parents[0]}\n".encode())
            chunk.extend(f"merge :{p}\n".encode() for p in parents[1:])
        chunk.extend(changes)
        out.append(b"".join(chunk))
        return mark

    def write(path):
        data = ("\n".join(files[path]) + "\n").encode()
        return f"M 100644 inline {path}\n".encode() + f"data {len(data)}\n".encode() + data + b"\n"

    def edit(path):
        body = files[path]
        body[rng.randrange(len(body))] = line(rng)
        return write(path)

    head = commit("main", 0, [write(p) for p in files], "base", [])
    base = head
    new_at = set(rng.sample(range(1, a.commits), a.new))
    key = []
    others = [p for p in files if p not in holders]
    n = 1
    while n < a.commits:
        if n % 10 == 0 and n + 1 < a.commits:
            side = commit("side", n, [edit(rng.choice(holders))], f"side {n}", [head])
            n += 1
            head = commit("main", n, [edit(rng.choice(holders))], f"merge {n}", [head, side])
            n += 1
            continue
        changes = [edit(p) for p in rng.sample(holders, 2)] + [edit(rng.choice(others))]
        if n in new_at:
            path = rng.choice(holders)
            t = token(rng)
            files[path].append(f"NEW_TOKEN={t}")
            changes.append(write(path))
            key.append({"token": t, "path": path, "commit": n})
        head = commit("main", n, changes, f"commit {n}", [head])
        n += 1
    out.append(f"reset refs/tags/base\nfrom :{base}\n".encode())
    subprocess.run(["git", "fast-import", "--quiet"], cwd=a.out, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=a.out, check=True)
    with open(a.out.rstrip("/") + ".key.json", "w") as f:
        json.dump({"new": key, "commits": a.commits, "old": a.old, "seed": a.seed}, f, indent=1)
    print(f"{a.commits} commits after base, {a.old} files with old tokens, {len(key)} new tokens -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
