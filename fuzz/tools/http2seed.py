#!/usr/bin/env python3
"""Turn inputs in the corpus layout of diff/model/FORMAT.md into seeds
for the receive-side fuzz targets.

    fuzz/tools/http2seed.py [--out-root DIR] CORPUS_DIR...

Every server/NAME.http below a CORPUS_DIR becomes seeds for fuzz_server
(configuration byte, split byte, then the bytes) and for fuzz_llhttp (the
bytes as they are); every client/NAME[.METHOD].http becomes seeds for
fuzz_client (configuration byte, split byte, request byte chosen from
METHOD, then the bytes).  Seeds are written to
DIR/<target>/imported/<sha256 of the seed> (DIR defaults to corpus/).
The input layout of each target is in fuzz/README.md.
"""
import argparse
import hashlib
import os
import sys

# The configuration and split bytes each input is imported with: one byte
# at a time with the default limits, and random pieces of 1..8 bytes with
# a 200-byte limit, HTTP/1.0 keep-alive, chunk extensions reported and
# eager delivery.
VARIANTS = [(0x00, 0x00), (0x1D, 0x47)]

# fuzz_receive.c's KINDS table: the request a client sends first.
REQUEST_KIND = {
    "GET": 0, "HEAD": 1, "CONNECT": 2, "POST": 4, "OPTIONS": 7,
    "DELETE": 12, "PUT": 13, "PATCH": 15,
}


def seed_name(data):
    return hashlib.sha256(data).hexdigest()


def write_seed(out_root, target, subdir, data):
    d = os.path.join(out_root, target, subdir)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, seed_name(data))
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    return path


def server_seeds(http):
    """Seeds for fuzz_server and fuzz_llhttp from server-role bytes."""
    out = [("fuzz_server", bytes([c, s]) + http) for c, s in VARIANTS]
    out.append(("fuzz_llhttp", http))
    return out


def client_seeds(http, method="GET"):
    """Seeds for fuzz_client from client-role bytes answering method."""
    kind = REQUEST_KIND.get(method.upper(), 0)
    return [("fuzz_client", bytes([c, s, kind]) + http) for c, s in VARIANTS]


def walk(corpus_dir):
    """Yields (role, method, path) for every input of a corpus directory."""
    for dirpath, _, files in os.walk(corpus_dir):
        role = os.path.basename(dirpath)
        if role not in ("server", "client"):
            continue
        for name in sorted(files):
            if not name.endswith(".http"):
                continue
            base = name[: -len(".http")]
            method = "GET"
            if role == "client" and "." in base:
                method = base.rsplit(".", 1)[1]
            yield role, method, os.path.join(dirpath, name)


def import_dir(corpus_dir, out_root):
    n = 0
    for role, method, path in walk(corpus_dir):
        with open(path, "rb") as f:
            http = f.read()
        seeds = server_seeds(http) if role == "server" else client_seeds(
            http, method)
        for target, data in seeds:
            write_seed(out_root, target, "imported", data)
            n += 1
    return n


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-root",
                    default=os.path.join(here, "..", "..", "corpus"))
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    total = 0
    for d in args.dirs:
        total += import_dir(d, args.out_root)
    print("wrote %d seeds under %s" % (total, os.path.normpath(args.out_root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
