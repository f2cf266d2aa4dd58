#!/usr/bin/env python3
"""A deterministic git repository for the history benchmark: --commits commits on main
plus side branches, with realistic churn (files added, edited, renamed and deleted), and
--tokens synthetic RemotiveCloud tokens planted in old commits and removed later, so that
only a history scan finds them.

    gen_history.py OUT --commits 10000 --tokens 40 --seed 1

Writes OUT (a repository, built with git fast-import) and OUT.key.json: the planted
tokens, each with the path it was added under and its commit's message.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

WORDS = ("alpha beta gamma delta signal frame broker recording replay namespace vehicle "
         "speed rpm torque gear brake can lin flexray ethernet topic stream decode").split()


def token(rng, kind="pa"):
    return f"{kind}1.0/" + "-".join("".join(rng.choice("0123456789ABCDEF") for _ in range(8)) for _ in range(8))


def line(rng):
    kind = rng.random()
    if kind < 0.4:
        return f"def {rng.choice(WORDS)}_{rng.randrange(1000)}(x): return x * {rng.randrange(100)}"
    if kind < 0.7:
        return f"{rng.choice(WORDS)}: {rng.choice(WORDS)}-{rng.randrange(10**6)}"
    return "# " + " ".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 12)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--branches", type=int, default=4)
    ap.add_argument("--tokens", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
    files = {}  # path -> list of lines
    exts = [".py", ".yaml", ".sh", ".json", ".md", ".env", ".toml"]
    for i in range(300):
        files[f"src/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{i}{rng.choice(exts)}"] = [line(rng) for _ in range(rng.randrange(10, 80))]
    plant_at = sorted(rng.sample(range(50, a.commits // 3), a.tokens))
    key = []
    out = []
    mark = 0
    t0 = 1_600_000_000

    def blob(text):
        data = text.encode()
        return f"data {len(data)}\n".encode() + data + b"\n"

    def commit(branch, n, changes, message, parent):
        nonlocal mark
        mark += 1
        when = t0 + n * 600
        who = rng.choice(["Ann <ann@example.test>", "Bo <bo@example.test>", "Cy <cy@example.test>"])
        msg = message.encode()
        chunk = [f"commit refs/heads/{branch}\nmark :{mark}\nauthor {who} {when} +0000\ncommitter {who} {when} +0000\n".encode(),
                 f"data {len(msg)}\n".encode() + msg + b"\n"]
        if parent:
            chunk.append(f"from :{parent}\n".encode())
        for op in changes:
            chunk.append(op)
        out.append(b"".join(chunk))
        return mark

    def write(path):
        return f"M 100644 inline {path}\n".encode() + blob("\n".join(files[path]) + "\n")

    head = commit("main", 0, [write(p) for p in files], "initial import", None)
    pending_removal = []  # (commit index, path, token)
    branch_heads = {}
    for n in range(1, a.commits):
        changes = []
        paths = list(files)
        r = rng.random()
        if n in plant_at:
            t = token(rng, "pa" if len(key) % 3 else "sa")
            path = f"config/secrets_{n}{rng.choice(['.env', '.yaml', '.sh', '.json'])}"
            files[path] = [line(rng) for _ in range(5)] + [f"REMOTIVE_CLOUD_AUTH_TOKEN={t}"] + [line(rng) for _ in range(5)]
            changes.append(write(path))
            key.append({"token": t, "path": path, "message": f"commit {n}"})
            pending_removal.append((n + rng.randrange(5, 200), path))
        elif r < 0.05:
            path = f"src/{rng.choice(WORDS)}/new_{n}{rng.choice(exts)}"
            files[path] = [line(rng) for _ in range(rng.randrange(5, 60))]
            changes.append(write(path))
        elif r < 0.08 and len(paths) > 50:
            path = rng.choice(paths)
            new = path.rsplit("/", 1)[0] + f"/renamed_{n}" + os.path.splitext(path)[1]
            files[new] = files.pop(path)
            changes.append(f"D {path}\n".encode())
            changes.append(write(new))
        elif r < 0.10 and len(paths) > 50:
            path = rng.choice(paths)
            del files[path]
            changes.append(f"D {path}\n".encode())
        else:
            for path in rng.sample(paths, min(len(paths), rng.randrange(1, 4))):
                body = files[path]
                for _ in range(rng.randrange(1, 4)):
                    body.insert(rng.randrange(len(body) + 1), line(rng))
                if len(body) > 120:
                    del body[: rng.randrange(10, 40)]
                changes.append(write(path))
        for due, path in [p for p in pending_removal if p[0] <= n]:
            pending_removal.remove((due, path))
            if path in files:
                del files[path]
                changes.append(f"D {path}\n".encode())
        head = commit("main", n, changes, f"commit {n}", head)
        if n % (a.commits // (a.branches + 1)) == 0 and len(branch_heads) < a.branches:
            branch_heads[f"feature/{len(branch_heads)}"] = head
    # Side branches: a few dozen commits each, from where they forked.
    for b, (name, base) in enumerate(branch_heads.items()):
        parent = base
        for k in range(25):
            path = f"branch_{b}/notes_{k}.md"
            files[path] = [line(rng) for _ in range(8)]
            parent = commit(name, a.commits + b * 100 + k, [write(path)], f"{name} {k}", parent)
    for path, _ in pending_removal:
        pass
    p = subprocess.run(["git", "fast-import", "--quiet"], cwd=a.out, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=a.out, check=True)
    with open(a.out.rstrip("/") + ".key.json", "w") as f:
        json.dump({"tokens": key, "commits": a.commits, "seed": a.seed}, f, indent=1)
    print(f"{a.commits} commits on main, {len(branch_heads)} branches, {len(key)} tokens planted -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
