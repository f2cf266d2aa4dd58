#!/usr/bin/env python3
"""Score each tool's outputs against the leak-places key (see bench/leak_places.sh).

    leak_places_score.py --key KEY.json --corpus DIR --results DIR --shared SHARED_BENCH
                         [--json-out FILE] TOOL:FORMAT...

A place is found when the tool reports, in the run that covers it, a finding whose path is
the place's path or a member under it (`place!member`, `place/member`), or whose reported
text holds the place's token; for a git place, any finding in its repository's run. Output
parsing is the team kit's (`score.py` in SHARED_BENCH), so formats stay in one place.
Prints a category x tool table, per-tool totals and each tool's misses.
"""
import argparse
import json
import os
import sys


def found_places(parse, norm, fmt, results, tool, places, root):
    """Ids of the places this tool found, and of those it found only at another line."""
    found, wrong_line = set(), set()
    dir_out = os.path.join(results, "%s.dir.json" % tool)
    finds = parse(fmt, dir_out) if os.path.exists(dir_out) else []
    for p in places:
        if p["mode"] == "git":
            out = os.path.join(results, "%s.git.%s.json" % (tool, p["path"]))
            if os.path.exists(out) and parse(fmt, out):
                found.add(p["id"])
            continue
        hits = [f for f in finds if hit(norm(f.path, root), f.text, p)]
        if hits:
            found.add(p["id"])
            if p["line"] is not None and all(f.line != p["line"] for f in hits):
                wrong_line.add(p["id"])
    return found, wrong_line


def hit(path, text, place):
    """A finding at this place: its file, a member under it, or its token."""
    return path == place["path"] or path.startswith((place["path"] + "!", place["path"] + "/")) \
        or bool(text and place["token"] in text)


def table(places, tools, found):
    cats = sorted({p["category"] for p in places}, key=lambda c: min(
        p["id"] for p in places if p["category"] == c))
    rows = ["| category | places | " + " | ".join(tools) + " |",
            "|---|---:|" + "---:|" * len(tools)]
    for c in cats:
        ids = [p["id"] for p in places if p["category"] == c]
        rows.append("| %s | %d | " % (c, len(ids)) + " | ".join(
            str(sum(i in found[t] for i in ids)) for t in tools) + " |")
    rows.append("| **total** | %d | " % len(places) + " | ".join(
        "**%d**" % len(found[t]) for t in tools) + " |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--key", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--corpus", required=True, help="the corpus the key describes")
    ap.add_argument("--shared", required=True, help="the team kit holding score.py")
    ap.add_argument("--json-out")
    ap.add_argument("tools", nargs="+", help="TOOL:FORMAT (a score.py format)")
    a = ap.parse_args()
    sys.dont_write_bytecode = True  # leave the shared kit untouched
    sys.path.insert(0, a.shared)
    from score import norm, parse  # the kit's parsers, one per tool format

    key = json.load(open(a.key))
    places = key["places"]
    tools = [t.split(":", 1)[0] for t in a.tools]
    found, wrong_line = {}, {}
    for spec in a.tools:
        tool, fmt = spec.split(":", 1)
        found[tool], wrong_line[tool] = found_places(parse, norm, fmt, a.results, tool, places,
                                   os.path.join(a.corpus, "places"))

    print()
    print(table(places, tools, found))
    print()
    n = len(places)
    for t in tools:
        print("%-12s %d/%d" % (t, len(found[t]), n))
    for t in tools:
        miss = ["%s %s/%s" % (p["id"], p["category"], p["name"]) for p in places
                if p["id"] not in found[t]]
        print("\n%s misses %d:" % (t, len(miss)))
        for m in miss:
            print("  " + m)
        if wrong_line[t]:
            print("%s found at another line than the key's: %s" % (t, " ".join(sorted(wrong_line[t]))))
    only = {t: [p["id"] for p in places if p["id"] in found[t]
                and not any(p["id"] in found[o] for o in tools if o != t)] for t in tools}
    peers = [t for t in tools if t != "tokenlint"]
    behind = []
    if "tokenlint" in tools and peers:
        behind = [p["id"] for p in places if p["id"] not in found["tokenlint"]
                  and any(p["id"] in found[t] for t in peers)]
        print("\ntokenlint misses %d places some peer finds: %s" % (len(behind), " ".join(behind)))
    if key.get("skipped"):
        print("\nskipped when generating: " + ", ".join(key["skipped"]))
    if a.json_out:
        summary = {"places": n, "skipped": key.get("skipped", []), "tools": {
            t: {"found": len(found[t]), "total": n,
                "missed": [p["id"] for p in places if p["id"] not in found[t]],
                "only_this_tool": only[t],
                "found_at_another_line": sorted(wrong_line[t]),
                "by_category": {c: "%d/%d" % (
                    sum(p["id"] in found[t] for p in places if p["category"] == c),
                    sum(p["category"] == c for p in places))
                    for c in sorted({p["category"] for p in places})}}
            for t in tools},
            "tokenlint_misses_found_by_a_peer": behind,
            "place_names": {p["id"]: "%s/%s" % (p["category"], p["name"]) for p in places}}
        with open(a.json_out, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
