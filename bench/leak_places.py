#!/usr/bin/env python3
"""Build the leak-places corpus: one synthetic token in each realistic place it ends up.

    leak_places.py OUT_DIR --key KEY.json [--seed N]

Issue 12 measured reach on "112 realistic leak places, each holding one synthetic token".
This rebuilds such a corpus, deterministically (same seed, same bytes), so every change
can be measured against the peers with `bench/leak_places.sh`.

Layout:
  OUT_DIR/places/<id>-<name>.<ext>   one file (or one directory for an OCI layout) per place,
                                     scanned in directory mode;
  OUT_DIR/git/<id>-<name>/           one small repository per git-object place, scanned in
                                     each tool's history mode.

The key (JSON) lists per place: id, category, mode (`dir` or `git`), path (relative to
OUT_DIR/places or OUT_DIR/git), line (as a text viewer counts it, or null for binary,
archived and git places, where any finding in that file or repository counts), the token
(so a finding that carries its secret can be matched however it names the place) and the
expected redacted prefix.

Only the Python standard library is needed; zstd (Python 3.14's `compression.zstd`, or the
`zstandard` package) and `git` are optional, and places that need a missing one are
skipped with a note on standard error. Tokens are built here from a seeded RNG: no token
is written literally in this file.
"""
import argparse
import base64
import bz2
import gzip
import hashlib
import html
import io
import json
import lzma
import os
import pickle
import py_compile
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import zipfile

PREFIX = "pa" + "1.0/"  # the peers' bench configs match personal access tokens only
FIXED_TIME = (2026, 1, 2, 3, 4, 6)
MTIME = 1767323046  # 2026-01-02T03:04:06Z


class Corpus:
    """Collects places; each `add` writes one file and records its key entry."""

    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random(seed)
        self.places = []
        self.skipped = []
        self.token = None

    def new_token(self):
        groups = []
        while len(groups) < 8:
            g = "".join(self.rng.choice("0123456789ABCDEF") for _ in range(8))
            if len(set(g)) > 1:
                groups.append(g)
        self.token = PREFIX + "-".join(groups)
        return self.token

    def entry(self, category, name, rel, mode, line, token):
        pid = "p%03d" % (len(self.places) + 1)
        self.places.append({
            "id": pid, "category": category, "name": name, "mode": mode, "path": rel,
            "line": line, "token": token, "redacted_prefix": token[:10],
            "redacted": token[:10] + "\u2026" + token[-4:],
        })

    def add(self, category, name, ext, data, line=None):
        """One file place. `data` is bytes, or a callable writing the file at a path."""
        rel = "%s-%s%s" % ("p%03d" % (len(self.places) + 1), name, ext)
        path = os.path.join(self.out, "places", rel)
        if callable(data):
            data(path)
        else:
            with open(path, "wb") as f:
                f.write(data)
        self.entry(category, name, rel, "dir", line, self.token)

    def skip(self, name, why):
        self.skipped.append(name)
        print("leak_places: skipped %s: %s" % (name, why), file=sys.stderr)


def line_of(text, needle):
    i = text.index(needle)
    return text[:i].count("\n") + 1


def text_place(c, category, name, ext, render, needle=None, newline="\n"):
    """A text place: render(token) -> str; the line is where `needle(token)` starts."""
    t = c.new_token()
    s = render(t)
    line = line_of(s, needle(t) if needle else t)
    c.add(category, name, ext, s.replace("\n", newline).encode(), line=line)
    return line


# ---------------------------------------------------------------- containers


def gz(data):
    return gzip.compress(data, mtime=0)


def tar_bytes(members, compress=""):
    """members: list of (name, bytes). Deterministic tar (fixed mtime, owner)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), MTIME, 0o644
            ti.uname = ti.gname = "root"
            tf.addfile(ti, io.BytesIO(data))
    raw = buf.getvalue()
    return {"": raw, "gz": gz, "bz2": bz2.compress, "xz": lzma.compress}[compress](raw) \
        if compress else raw


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            zi.compress_type = method
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return buf.getvalue()


def zstd_compress():
    try:
        from compression import zstd  # Python 3.14+
        return zstd.compress
    except ImportError:
        pass
    try:
        import zstandard
        return zstandard.ZstdCompressor(level=3).compress
    except ImportError:
        return None


def filler(rng, n):
    words = ["build", "step", "ok", "cache", "restore", "upload", "done", "info", "warn"]
    return "\n".join("%s %s %d" % (rng.choice(words), rng.choice(words), i) for i in range(n))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def image_members(env_token=None, layer_file=None):
    """Layer (gzip'd tar) and config JSON of a small image."""
    files = [("etc/os-release", b"NAME=demo\n"), ("app/main.py", b"print('hi')\n")]
    if layer_file:
        files.append(layer_file)
    layer = gz(tar_bytes(files))
    env = ["PATH=/usr/local/bin:/usr/bin:/bin"]
    if env_token:
        env.append("REMOTIVE_TOKEN=" + env_token)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": env, "Cmd": ["python3", "/app/main.py"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(gzip.decompress(layer))]},
    }, indent=None).encode()
    return layer, config


def docker_save(env_token=None, layer_file=None):
    layer, config = image_members(env_token, layer_file)
    cfg, lid = sha(config), sha(layer)
    manifest = json.dumps([{"Config": cfg + ".json", "RepoTags": ["demo/app:1.0"],
                            "Layers": [lid + "/layer.tar.gz"]}]).encode()
    return tar_bytes([(cfg + ".json", config), (lid + "/layer.tar.gz", layer),
                      ("manifest.json", manifest),
                      ("repositories", b'{"demo/app":{"1.0":"%s"}}' % lid.encode())])


def oci_members(env_token=None, layer_file=None):
    layer, config = image_members(env_token, layer_file)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + sha(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": "sha256:" + sha(layer), "size": len(layer)}],
    }).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + sha(manifest), "size": len(manifest)}]}).encode()
    return [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)] + [
        ("blobs/sha256/" + sha(b), b) for b in (manifest, config, layer)]


def oci_dir(members):
    def write(path):
        for name, data in members:
            p = os.path.join(path, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
    return write


# ---------------------------------------------------------------- places


def archives(c):
    t = c.new_token()
    log = filler(c.rng, 40) + "\n+ export REMOTIVE_TOKEN=" + t + "\n" + filler(c.rng, 10) + "\n"
    c.add("archive", "ci-log-rotated", ".log.gz", gz(log.encode()))
    t = c.new_token()
    c.add("archive", "env-gz", ".env.gz", gz(("REMOTIVE_TOKEN=%s\n" % t).encode()))
    t = c.new_token()
    c.add("archive", "env-bz2", ".env.bz2", bz2.compress(("REMOTIVE_TOKEN=%s\n" % t).encode()))
    t = c.new_token()
    c.add("archive", "env-xz", ".env.xz", lzma.compress(("REMOTIVE_TOKEN=%s\n" % t).encode()))
    t = c.new_token()
    pkg = [("package/package.json", b'{"name":"demo","version":"1.0.0"}\n'),
           ("package/.npmrc", ("//npm.remotive.example/:_authToken=%s\n" % t).encode()),
           ("package/index.js", b"module.exports = 1;\n")]
    c.add("archive", "npm-pack", ".tgz", tar_bytes(pkg, "gz"))
    t = c.new_token()
    rel = [("demo-1.0/README", b"demo\n"),
           ("demo-1.0/config/prod.env", ("REMOTIVE_TOKEN=%s\n" % t).encode())]
    c.add("archive", "release-targz", ".tar.gz", tar_bytes(rel, "gz"))
    t = c.new_token()
    rel = [("demo-1.0/deploy.sh", ("#!/bin/sh\nremotive --token %s deploy\n" % t).encode())]
    c.add("archive", "release-tarbz2", ".tar.bz2", tar_bytes(rel, "bz2"))
    t = c.new_token()
    rel = [("demo-1.0/settings.ini", ("[remotive]\ntoken = %s\n" % t).encode())]
    c.add("archive", "release-tarxz", ".tar.xz", tar_bytes(rel, "xz"))
    zc = zstd_compress()
    if zc:
        t = c.new_token()
        rel = [("demo-1.0/.env", ("REMOTIVE_TOKEN=%s\n" % t).encode())]
        c.add("archive", "release-tarzst", ".tar.zst", zc(tar_bytes(rel)))
    else:
        c.skip("release-tarzst", "no zstd module (Python 3.14 compression.zstd or zstandard)")
    t = c.new_token()
    c.add("archive", "plain", ".tar", tar_bytes([("backup/.env", ("TOKEN=%s\n" % t).encode())]))
    t = c.new_token()
    c.add("archive", "deflated", ".zip",
          zip_bytes([("conf/app.yaml", ("remotive:\n  token: %s\n" % t).encode())]))
    t = c.new_token()
    c.add("archive", "stored", ".zip",
          zip_bytes([("conf/app.env", ("TOKEN=%s\n" % t).encode())], zipfile.ZIP_STORED))
    t = c.new_token()
    c.add("archive", "wheel", ".whl", zip_bytes([
        ("app/__init__.py", b""),
        ("app/settings.py", ('REMOTIVE_TOKEN = "%s"\n' % t).encode()),
        ("app-1.0.dist-info/METADATA", b"Name: app\nVersion: 1.0\n")]))
    t = c.new_token()
    c.add("archive", "egg", ".egg", zip_bytes([("app/config.py", ('TOKEN = "%s"\n' % t).encode())]))
    t = c.new_token()
    c.add("archive", "jar", ".jar", zip_bytes([
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n"),
        ("BOOT-INF/classes/application.properties", ("remotive.token=%s\n" % t).encode())]))
    t = c.new_token()
    doc = ('<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Use token %s'
           ' for the demo</w:t></w:r></w:p></w:body></w:document>' % t)
    c.add("archive", "office-docx", ".docx", zip_bytes([
        ("[Content_Types].xml", b"<Types/>"), ("word/document.xml", doc.encode())]))
    t = c.new_token()
    sst = '<?xml version="1.0"?><sst><si><t>name</t></si><si><t>%s</t></si></sst>' % t
    c.add("archive", "office-xlsx", ".xlsx", zip_bytes([
        ("[Content_Types].xml", b"<Types/>"), ("xl/sharedStrings.xml", sst.encode())]))
    t = c.new_token()
    c.add("archive", "vsix", ".vsix", zip_bytes([
        ("extension/package.json", ('{"name":"x","remotiveToken":"%s"}' % t).encode())]))
    t = c.new_token()
    c.add("archive", "docker-save-layer", ".tar",
          docker_save(layer_file=("etc/profile.d/env.sh", ("export REMOTIVE_TOKEN=%s\n" % t).encode())))
    t = c.new_token()
    c.add("archive", "docker-save-config-env", ".tar", docker_save(env_token=t))
    t = c.new_token()
    c.add("archive", "oci-archive-layer", ".tar",
          tar_bytes(oci_members(layer_file=("app/.env", ("TOKEN=%s\n" % t).encode()))))
    t = c.new_token()
    c.add("archive", "oci-archive-config-env", ".tar", tar_bytes(oci_members(env_token=t)))
    t = c.new_token()
    c.add("archive", "oci-layout-dir-layer", "",
          oci_dir(oci_members(layer_file=("srv/.env", ("TOKEN=%s\n" % t).encode()))))
    t = c.new_token()
    inner = zip_bytes([("config/secrets.yml", ("token: %s\n" % t).encode())])
    c.add("archive", "nested-zip-in-targz", ".tar.gz",
          tar_bytes([("dist/bundle.zip", inner), ("dist/README", b"x\n")], "gz"))
    t = c.new_token()
    inner = zip_bytes([("WEB-INF/classes/app.properties", ("token=%s\n" % t).encode())])
    c.add("archive", "nested-jar-in-war", ".war", zip_bytes([("WEB-INF/lib/core.jar", inner)]))
    t = c.new_token()
    inner = gz(("deploy ok\nTOKEN=%s\n" % t).encode())
    c.add("archive", "nested-loggz-in-tar", ".tar", tar_bytes([("logs/ci.log.gz", inner)]))


def binaries(c):
    t = c.new_token()

    def pyc(path):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "settings.py")
            with open(src, "w") as f:
                f.write('REMOTIVE_TOKEN = "%s"\n' % t)
            py_compile.compile(src, cfile=path, dfile="settings.py", doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    c.add("binary", "module", ".pyc", pyc)
    t = c.new_token()
    c.add("binary", "pickle-proto4", ".pkl", pickle.dumps({"token": t, "n": 1}, protocol=4))
    t = c.new_token()
    c.add("binary", "pickle-proto2", ".pickle", pickle.dumps(["remotive", t], protocol=2))
    t = c.new_token()

    def sqlite_adjacent(path):
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE secrets (name TEXT, value TEXT, owner TEXT)")
        db.execute("INSERT INTO secrets VALUES ('remotive_token', ?, 'ci')", (t,))
        db.commit()
        db.close()
    c.add("binary", "sqlite-adjacent-columns", ".sqlite", sqlite_adjacent)
    t = c.new_token()

    def sqlite_spaced(path):
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE kv (id INTEGER PRIMARY KEY, k TEXT, v TEXT)")
        db.execute("INSERT INTO kv (k, v) VALUES ('config', ?)", ("token = %s;" % t,))
        db.commit()
        db.close()
    c.add("binary", "sqlite-text", ".db", sqlite_spaced)
    t = c.new_token()
    tb = t.encode()
    proto = b"\x08\x96\x01" + b"\x12" + bytes([len(tb)]) + tb + b"\x18\x01"
    c.add("binary", "protobuf", ".bin", proto)
    t = c.new_token()
    tb = t.encode()
    msgpack = b"\x82\xa4name\xa8remotive\xa5token\xd9" + bytes([len(tb)]) + tb
    c.add("binary", "msgpack", ".msgpack", msgpack)
    t = c.new_token()
    elf = (b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + bytes(100)
           + b"GLIBC_2.34\x00main\x00" + t.encode() + b"\x00.rodata\x00" + bytes(64))
    c.add("binary", "elf-rodata", "", elf)
    t = c.new_token()
    rnd = bytes(c.rng.randrange(256) for _ in range(512))
    c.add("binary", "core-dump", ".core", rnd + t.encode() + rnd[::-1])


def logs(c):
    templated(c, (
        ("coloured-log", "ansi-yellow", ".log", filler(c.rng, 5) + "\n\x1b[33m%s\x1b[0m\n"),
        ("coloured-log", "ansi-bold-red", ".log", "\x1b[1;31mtoken:\x1b[0m\x1b[33m%s\x1b[0m\n"),
        ("coloured-log", "ansi-after", ".txt", "value=%s\x1b[0m done\n"),
        ("log", "ci-timestamps", ".log",
         filler(c.rng, 3) + "\n2026-01-02T03:04:05.1234567Z REMOTIVE_TOKEN: %s\n"),
        ("log", "github-actions", ".log",
         "##[group]Run deploy\nremotive login --token %s\n##[endgroup]\n"),
        ("log", "curl-verbose", ".log",
         "> GET /api HTTP/1.1\n> Authorization: Bearer %s\n> \n< HTTP/1.1 200\n")))


def templated(c, rows):
    """Plain text places: (category, name, extension, template with %s for the token)."""
    for category, name, ext, template in rows:
        text_place(c, category, name, ext, lambda t, tpl=template: tpl % t)


def slash_place(c, category, name, ext, template, slash):
    """A text place whose token has its `/` written as `slash`."""
    def enc(t):
        return t.replace("/", slash)
    text_place(c, category, name, ext, lambda t: template % enc(t), needle=enc)


def escapes(c):
    text_place(c, "c-escape", "hex-quote", ".c",
               lambda t: 'const char *cfg = "{\\x22token\\x22:\\x22%s\\x22}";\n' % t)
    text_place(c, "c-escape", "octal-quote", ".c",
               lambda t: 'const char *cfg = "{\\042token\\042:\\042%s\\042}";\n' % t)
    for category, name, ext, template, slash in (
            ("c-escape", "escaped-slash", ".h", '#define TOKEN "%s"\n', "\\x2F"),
            ("json-escape", "slash", ".json", '{"token": "%s"}\n', "\\/"),
            ("json-escape", "u002F", ".json", '{"token": "%s"}\n', "\\u002F"),
            ("json-escape", "u002f", ".json", '{"token": "%s"}\n', "\\u002f"),
            ("json-escape", "double-slash", ".json", '{"body": "{\\"token\\": \\"%s\\"}"}\n',
             "\\\\/"),
            ("json-escape", "triple-slash", ".json", '{"body": "{\\"token\\": \\"%s\\"}"}\n',
             "\\\\\\/")):
        slash_place(c, category, name, ext, template, slash)
    text_place(c, "json-escape", "escaped-quotes", ".json",
               lambda t: '{"body": "{\\"token\\":\\"%s\\"}"}\n' % t)
    text_place(c, "json-escape", "after-newline-escape", ".json",
               lambda t: '{"log": "login ok\\n%s\\n"}\n' % t)
    q = urllib.parse.quote
    text_place(c, "percent", "slash-2F", ".txt",
               lambda t: "https://app.example/cb?token=%s\n" % q(t, safe=""),
               needle=lambda t: q(t, safe=""))
    slash_place(c, "percent", "slash-2f-lower", ".txt", "https://app.example/cb?token=%s\n", "%2f")
    text_place(c, "percent", "double-252F", ".txt",
               lambda t: "redirect=https%3A%2F%2Fapp.example%2Fcb%3Ftoken%3D"
               + q(q(t, safe=""), safe="") + "\n",
               needle=lambda t: q(q(t, safe=""), safe=""))
    whole = lambda t: "".join("%%%02X" % b for b in t.encode())  # noqa: E731
    text_place(c, "percent", "whole", ".txt", lambda t: "t=%s\n" % whole(t), needle=whole)
    text_place(c, "percent", "form-body", ".txt",
               lambda t: "grant_type=token&access_token=%s&x=1\n" % q(t, safe=""),
               needle=lambda t: q(t, safe=""))
    for name, ent in (("hex-entity", "&#x2F;"), ("dec-entity", "&#47;"), ("named-sol", "&sol;")):
        slash_place(c, "html-entity", name, ".html",
                    '<html><body><input value="%s"></body></html>\n', ent)
    text_place(c, "html-entity", "escape-all", ".html",
               lambda t: "<pre>%s</pre>\n" % "".join("&#%d;" % ord(ch) for ch in t),
               needle=lambda t: "".join("&#%d;" % ord(ch) for ch in t))
    text_place(c, "html-entity", "attribute-plain", ".html",
               lambda t: '<meta name="remotive-token" content="%s">\n' % html.escape(t))


def wrap(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]


def base64s(c):
    b64 = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731
    text_place(c, "base64", "plain", ".txt", lambda t: "%s\n" % b64(t), needle=b64)
    text_place(c, "base64", "env-line-offset1", ".txt",
               lambda t: "data: %s\n" % b64("T=" + t + "\n"), needle=lambda t: b64("T=" + t + "\n"))
    text_place(c, "base64", "env-line-offset2", ".txt",
               lambda t: "data: %s\n" % b64("TK=" + t), needle=lambda t: b64("TK=" + t))
    text_place(c, "base64", "k8s-secret", ".yaml",
               lambda t: "apiVersion: v1\nkind: Secret\ndata:\n  token: %s\n" % b64(t),
               needle=b64)
    text_place(c, "base64", "docker-config-auth", ".json",
               lambda t: '{"auths":{"registry.example":{"auth":"%s"}}}\n' % b64("ci:" + t),
               needle=lambda t: b64("ci:" + t))
    us = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")  # noqa: E731
    text_place(c, "base64", "urlsafe", ".txt",
               lambda t: "state=%s\n" % us('{"t":"%s"}' % t), needle=lambda t: us('{"t":"%s"}' % t))
    for name, lead in (("urlsafe-dash-group", b"\xfb"), ("urlsafe-underscore-group", b"\xff")):
        def ren(t, lead=lead):
            return "cookie=%s\n" % base64.urlsafe_b64encode(lead + t.encode()).decode()
        text_place(c, "base64", name, ".txt", ren, needle=lambda t, r=ren: r(t)[7:-1])
    text_place(c, "base64", "gnu-wrap76", ".txt",
               lambda t: "\n".join(wrap(b64(t), 76)) + "\n", needle=lambda t: b64(t)[:76])
    text_place(c, "base64", "gnu-wrap76-crlf", ".txt",
               lambda t: "\n".join(wrap(b64("x" * 40 + t), 76)) + "\n",
               needle=lambda t: b64("x" * 40 + t)[:76], newline="\r\n")
    pem_body = lambda t: b64(json.dumps({"user": "ci", "token": t, "scope": "all"}))  # noqa: E731
    text_place(c, "base64", "pem-wrap64", ".pem",
               lambda t: "-----BEGIN REMOTIVE CONFIG-----\n" + "\n".join(wrap(pem_body(t), 64))
               + "\n-----END REMOTIVE CONFIG-----\n", needle=lambda t: pem_body(t)[:64])
    yb = lambda t: b64("# generated\nREMOTIVE_TOKEN=%s\nREGION=eu\n" % t)  # noqa: E731
    text_place(c, "base64", "yaml-block-scalar", ".yaml",
               lambda t: "config:\n  env: |\n" + "".join("    %s\n" % x for x in wrap(yb(t), 76)),
               needle=lambda t: wrap(yb(t), 76)[0])
    pb = lambda t: base64.b64encode(b"\x00\x00\x00\x00\x52\x0a\x4d" + t.encode()  # noqa: E731
                                    + b"\x10\x01").decode()
    text_place(c, "base64", "grpc-web-protobuf", ".txt", lambda t: "body: %s\n" % pb(t), needle=pb)


def hexes(c):
    hx = lambda s: s.encode().hex()  # noqa: E731
    text_place(c, "hex", "xxd-p", ".hex",
               lambda t: "\n".join(wrap(hx("TOKEN=" + t + "\n"), 60)) + "\n",
               needle=lambda t: hx("TOKEN=" + t + "\n")[:60])
    text_place(c, "hex", "one-run-lower", ".txt", lambda t: "blob=%s\n" % hx(t), needle=hx)
    text_place(c, "hex", "sql-x-upper", ".sql",
               lambda t: "INSERT INTO cfg VALUES (1, X'%s');\n" % hx(t).upper(),
               needle=lambda t: hx(t).upper())
    text_place(c, "hex", "sql-x-lower", ".sql",
               lambda t: "UPDATE cfg SET v = x'%s' WHERE id = 2;\n" % hx("t=" + t),
               needle=lambda t: hx("t=" + t))

    def xxd(t):
        data = ("export TOKEN=" + t + "\n").encode()
        rows = []
        for i in range(0, len(data), 16):
            chunk = data[i:i + 16]
            hexpart = " ".join(chunk[j:j + 2].hex() for j in range(0, len(chunk), 2))
            asc = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            rows.append("%08x: %-39s  %s" % (i, hexpart, asc))
        return "\n".join(rows) + "\n"
    text_place(c, "hex", "xxd-dump", ".txt", xxd, needle=lambda t: "00000000")


def utfs(c):
    for name, enc, bom in (("utf16le-bom", "utf-16-le", b"\xff\xfe"),
                           ("utf16be-bom", "utf-16-be", b"\xfe\xff"),
                           ("utf16le-nobom", "utf-16-le", b""),
                           ("utf16be-nobom", "utf-16-be", b""),
                           ("utf32le-bom", "utf-32-le", b"\xff\xfe\x00\x00"),
                           ("utf32be-bom", "utf-32-be", b"\x00\x00\xfe\xff")):
        t = c.new_token()
        s = "; exported settings\r\n[remotive]\r\ntoken=%s\r\n" % t
        c.add("utf16-32", name, ".ini", bom + s.encode(enc), line=line_of(s, t))


def har(c):
    def har_doc(request=None, response=None):
        req = {"method": "GET", "url": "https://api.example/v1/me", "httpVersion": "HTTP/2",
               "headers": [{"name": "accept", "value": "application/json"}], "cookies": []}
        res = {"status": 200, "headers": [], "cookies": [],
               "content": {"size": 2, "mimeType": "application/json", "text": "{}"}}
        req.update(request or {})
        res.update(response or {})
        return json.dumps({"log": {"version": "1.2", "creator": {"name": "WebInspector"},
                                   "entries": [{"request": req, "response": res}]}}, indent=2) + "\n"
    text_place(c, "har", "auth-header", ".har", lambda t: har_doc({"headers": [
        {"name": "authorization", "value": "Bearer " + t}]}))
    text_place(c, "har", "cookie", ".har", lambda t: har_doc({"cookies": [
        {"name": "remotive_session", "value": t}]}))
    text_place(c, "har", "set-cookie", ".har", lambda t: har_doc(response={"headers": [
        {"name": "set-cookie", "value": "rt=%s; Path=/; HttpOnly" % t}]}))
    text_place(c, "har", "post-json", ".har", lambda t: har_doc({"postData": {
        "mimeType": "application/json", "text": json.dumps({"token": t})}}))
    b = lambda t: base64.b64encode(json.dumps({"access_token": t}).encode()).decode()  # noqa: E731
    text_place(c, "har", "response-base64", ".har", lambda t: har_doc(response={"content": {
        "size": 90, "mimeType": "application/json", "encoding": "base64", "text": b(t)}}),
        needle=b)
    gw = lambda t: base64.b64encode(b"\x00\x00\x00\x00\x4f\x0a\x4d" + t.encode()).decode()  # noqa
    text_place(c, "har", "grpc-web-cookie", ".har", lambda t: har_doc({"cookies": [
        {"name": "grpc", "value": gw(t)}]}), needle=gw)


# Config and source places, in `templated` rows.
TEXT_PLACES = (
    ("config", "dotenv", ".env",
     "DEBUG=0\nREMOTIVE_TOKEN=%s\n"),
    ("config", "dotenv-export-quoted", ".env",
     "export REMOTIVE_TOKEN='%s'\n"),
    ("config", "bash-history", ".bash_history",
     "ls\ncd app\nexport REMOTIVE_TOKEN=%s\nremotive ls\n"),
    ("config", "zsh-history", ".zsh_history",
     ": 1767323046:0;git status\n: 1767323050:0;remotive login --token %s\n"),
    ("config", "fish-history", ".fish_history",
     "- cmd: set -x REMOTIVE_TOKEN %s\n  when: 1767323046\n"),
    ("config", "yaml", ".yaml",
     "service:\n  name: api\n  remotive:\n    token: \"%s\"\n"),
    ("config", "toml", ".toml",
     "[service]\nname = \"api\"\n\n[remotive]\ntoken = \"%s\"\n"),
    ("config", "ini", ".ini",
     "[remotive]\nurl=https://x\ntoken=%s\n"),
    ("config", "properties", ".properties",
     "remotive.url=https://x\nremotive.token=%s\n"),
    ("config", "npmrc", ".npmrc",
     "//npm.remotive.example/:_authToken=%s\n"),
    ("config", "docker-compose", ".yml",
     "services:\n  api:\n    environment:\n      - REMOTIVE_TOKEN=%s\n"),
    ("config", "k8s-env", ".yaml",
     "env:\n  - name: REMOTIVE_TOKEN\n    value: %s\n"),
    ("config", "gha-workflow", ".yml",
     "jobs:\n  d:\n    env:\n      REMOTIVE_TOKEN: %s\n"),
    ("config", "tfvars", ".tfvars",
     'remotive_token = "%s"\n'),
    ("config", "dockerfile", ".Dockerfile",
     "FROM python:3.12\nENV REMOTIVE_TOKEN=%s\n"),
    ("config", "xml", ".xml",
     "<settings>\n  <token>%s</token>\n</settings>\n"),
    ("source", "python", ".py",
     'import os\nTOKEN = "%s"\n'),
    ("source", "go", ".go",
     'package main\n\nconst token = "%s"\n'),
    ("source", "makefile", ".mk",
     "deploy:\n\tremotive --token=%s up\n"),
    ("source", "markdown", ".md",
     "# Setup\n\n```sh\nexport REMOTIVE_TOKEN=%s\n```\n"),
    ("source", "no-final-newline", ".txt",
     "token: %s"),
    ("source", "utf8-bom-first", ".txt",
     "\ufeff%s\n"),
)


def configs(c):
    rng = c.rng
    templated(c, TEXT_PLACES)

    def notebook(cell):
        def ren(t):
            return json.dumps({"cells": [cell(t)], "metadata": {}, "nbformat": 4,
                               "nbformat_minor": 5}, indent=1) + "\n"
        return ren
    text_place(c, "notebook", "source-cell", ".ipynb", notebook(lambda t: {
        "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
        "source": ["import remotive\n", "client = remotive.Client(\"%s\")\n" % t]}))
    text_place(c, "notebook", "stream-output", ".ipynb", notebook(lambda t: {
        "cell_type": "code", "metadata": {}, "source": ["print(token)"], "execution_count": 2,
        "outputs": [{"output_type": "stream", "name": "stdout", "text": ["token:\n%s\n" % t]}]}))
    text_place(c, "notebook", "json-in-output", ".ipynb", notebook(lambda t: {
        "cell_type": "code", "metadata": {}, "source": [], "execution_count": 3,
        "outputs": [{"output_type": "execute_result", "metadata": {}, "execution_count": 3,
                     "data": {"text/plain": [json.dumps({"token": t})]}}]}))
    text_place(c, "minified", "js", ".min.js", lambda t: "!function(){var e={};" + ";".join(
        "e.k%d=%d" % (i, i) for i in range(400)) + ';e.t="%s";' % t + "return e}();\n")
    text_place(c, "minified", "js-no-quotes-neighbours", ".min.js",
               lambda t: 'const a={url:"x",t:`Bearer ${"%s"}`};\n' % t)
    text_place(c, "minified", "json-one-line", ".json", lambda t: json.dumps(
        {"items": [{"id": i, "v": "x" * 20} for i in range(2000)] + [{"token": t}]}) + "\n")
    text_place(c, "crlf", "env", ".env", lambda t: "A=1\nREMOTIVE_TOKEN=%s\nB=2\n" % t,
               newline="\r\n")
    text_place(c, "crlf", "yaml", ".yaml", lambda t: "a: 1\nb:\n  token: %s\n" % t, newline="\r\n")
    text_place(c, "long-line", "200k", ".txt", lambda t: "".join(
        rng.choice("abcdefghij ") for _ in range(100000)) + " " + t + " " + "k" * 100000 + "\n")
    text_place(c, "long-line", "5m-at-end", ".txt",
               lambda t: "q" * (5 << 20) + " %s\n" % t)


# ---------------------------------------------------------------- git


def git_places(c):
    if not shutil.which("git"):
        c.skip("git places", "git not on PATH")
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=c.out,
               GIT_AUTHOR_DATE="2026-01-02T03:04:06Z", GIT_COMMITTER_DATE="2026-01-02T03:04:06Z")

    def repo(name, build):
        t = c.new_token()
        rel = "%s-%s" % ("p%03d" % (len(c.places) + 1), name)
        d = os.path.join(c.out, "git", rel)
        os.makedirs(d)

        def g(*args, stdin=None):
            subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid",
                            "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                            "-c", "tag.gpgsign=false", *args], cwd=d, env=env, check=True,
                           input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def w(path, text):
            p = os.path.join(d, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        g("init", "-q")
        w("README.md", "demo\n")
        g("add", "-A")
        g("commit", "-q", "-m", "initial")
        build(t, g, w)
        c.entry("git", name, rel, "git", None, t)

    def commit_message(t, g, w):
        w("app.py", "print(1)\n")
        g("add", "-A")
        g("commit", "-q", "-m", "deploy fix\n\nused REMOTIVE_TOKEN=%s to test" % t)

    def tag_message(t, g, w):
        g("tag", "-a", "v1.0", "-m", "release 1.0\n\ntoken for QA: %s" % t)

    def amended_away(t, g, w):
        w("config.env", "REMOTIVE_TOKEN=%s\n" % t)
        g("add", "-A")
        g("commit", "-q", "-m", "config")
        w("config.env", "REMOTIVE_TOKEN=${REMOTIVE_TOKEN}\n")
        g("add", "-A")
        g("commit", "-q", "--amend", "-m", "config")
        g("reflog", "expire", "--expire=now", "--all")

    def deleted_file(t, g, w):
        w("secrets/prod.env", "REMOTIVE_TOKEN=%s\n" % t)
        g("add", "-A")
        g("commit", "-q", "-m", "add prod env")
        g("rm", "-q", "secrets/prod.env")
        g("commit", "-q", "-m", "remove prod env")

    def stash(t, g, w):
        w("README.md", "demo\nexport REMOTIVE_TOKEN=%s\n" % t)
        g("stash", "push", "-q", "-m", "wip")

    def overwritten(t, g, w):
        w("deploy.sh", "remotive --token %s up\n" % t)
        g("add", "-A")
        g("commit", "-q", "-m", "deploy")
        w("deploy.sh", 'remotive --token "$REMOTIVE_TOKEN" up\n')
        g("commit", "-q", "-am", "use env")

    def other_branch(t, g, w):
        g("checkout", "-q", "-b", "feature")
        w("ci/env.yml", "token: %s\n" % t)
        g("add", "-A")
        g("commit", "-q", "-m", "ci")
        g("checkout", "-q", "main")

    def dangling_blob(t, g, w):
        g("hash-object", "-w", "--stdin", stdin=("TOKEN=%s\n" % t).encode())

    for name, build in (("commit-message", commit_message), ("tag-message", tag_message),
                        ("amended-away", amended_away), ("deleted-file", deleted_file),
                        ("stash", stash), ("overwritten-line", overwritten),
                        ("other-branch", other_branch), ("dangling-blob", dangling_blob)):
        repo(name, build)


def check(c):
    """Each file place holds at most its own token in plain bytes, and no other token."""
    pat = re.compile(re.escape(PREFIX.encode()) + rb"[0-9A-F]{8}(?:-[0-9A-F]{8}){7}")
    for p in c.places:
        if p["mode"] != "dir":
            continue
        top = os.path.join(c.out, "places", p["path"])
        paths = [os.path.join(d, f) for d, _, fs in os.walk(top) for f in fs] or [top]
        seen = [m for q in paths for m in pat.findall(open(q, "rb").read())]
        if len(seen) > 1 or any(m.decode() != p["token"] for m in seen):
            sys.exit("leak_places: %s holds %d tokens" % (p["id"], len(seen)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--key", required=True)
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit("leak_places: %s exists and is not empty" % a.out)
    os.makedirs(os.path.join(a.out, "places"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "git"), exist_ok=True)
    c = Corpus(os.path.abspath(a.out), a.seed)
    for build in (archives, binaries, logs, escapes, base64s, hexes, utfs, har, configs,
                  git_places):
        build(c)
    check(c)
    key = {"version": 1, "seed": a.seed, "places": c.places, "skipped": c.skipped}
    with open(a.key, "w") as f:
        json.dump(key, f, indent=1)
    print("leak_places: %d places in %s (%d skipped), key %s"
          % (len(c.places), a.out, len(c.skipped), a.key), file=sys.stderr)


if __name__ == "__main__":
    main()
