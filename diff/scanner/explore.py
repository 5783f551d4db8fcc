"""The scanner's explorer: a time-budgeted mutation search through the live
proxies, with the harness's oracles judging what each proxy forwarded.

Mutants come from the harness's grammar (scan_mutate, diff/explore/mutate.h).  A
mutant is kept as a parent when it shows a feature no earlier input
showed: a proxy's action, or a judgement (ok, rejects, desync, ...) of an
origin on what a proxy forwarded.  A mutant that shows a desync between a
proxy and an origin that no earlier input showed is a finding; findings
are written in the corpus layout (DIR/server/NAME.http) with
DIR/findings.jsonl.
"""

import json
import os
import subprocess
import threading
import time

import judge


def features(res):
    """The features of one input: res maps proxy -> {"action",
    "connections": [{"judged": {origin: {"judgement": ...}}}]}."""
    out = set()
    for p, r in res.items():
        out.add((p, r["action"]))
        for c in r["connections"]:
            for o, j in c.get("judged", {}).items():
                out.add((p, o, j["judgement"]))
    return out


def mutate(tool, seed, count, out_dir, parents, splices):
    os.makedirs(out_dir, exist_ok=True)
    r = subprocess.run([tool, "--seed", str(seed), "--count", str(count),
                        "--out", out_dir] + parents + ["--"] + splices,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("scan_mutate: " + r.stderr.strip())
    out = []
    for line in r.stdout.splitlines():
        name, parent, ops = (line.split(" ", 2) + ["", ""])[:3]
        with open(os.path.join(out_dir, name), "rb") as f:
            out.append({"path": os.path.join(out_dir, name), "data": f.read(),
                        "parent": int(parent), "ops": ops})
    return out


def save(out_dir, rec):
    """The finding's input in the corpus layout, and a line of
    findings.jsonl."""
    with open(os.path.join(out_dir, "server", rec["name"] + ".http"),
              "wb") as f:
        f.write(rec["bytes"])
    with open(os.path.join(out_dir, "findings.jsonl"), "a") as f:
        f.write(json.dumps({k: (v.decode("latin-1") if isinstance(v, bytes)
                                else v) for k, v in rec.items()}) + "\n")


def explore(live, verdicts, judges, seen, parents, splices, tool, work,
            seconds, out_dir, seed, batch=8, progress=None):
    """live: [(proxy name, send(data) -> (action, statuses, conns))];
    verdicts(list of bytes) -> list of {oracle: verdict}.  seen: features
    of the scanned inputs (updated).  Returns the explorer's record."""
    t_end = time.monotonic() + seconds
    found, tried, rounds = [], 0, 0
    pool = list(parents)
    if out_dir:
        os.makedirs(os.path.join(out_dir, "server"), exist_ok=True)
    while time.monotonic() < t_end:
        rounds += 1
        cands = mutate(tool, seed + rounds, batch,
                       os.path.join(work, "mutants-%d" % rounds), pool,
                       splices)
        res = [dict() for _ in cands]

        def run_proxy(name, send):
            for k, c in enumerate(cands):
                if time.monotonic() > t_end + 30:
                    return
                res[k][name] = send(c["data"])

        threads = [threading.Thread(target=run_proxy, args=x, daemon=True)
                   for x in live]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        streams = [c for r in res for p in r.values()
                   for c in p["connections"]]
        for c, v in zip(streams, verdicts([c["data"] for c in streams])):
            c["judged"] = {}
            for o in judges:
                if o in v:
                    j, detail = judge.align(c["bounds"], v[o])
                    c["judged"][o] = {"judgement": j, "detail": detail}
        for cand, r in zip(cands, res):
            tried += 1
            new = features(r) - seen
            if not new:
                continue
            seen |= new
            pool.append(cand["path"])
            # One finding per candidate and proxy, with every origin that
            # newly desyncs from that proxy.
            by_proxy = {}
            for p, o, j in sorted(f for f in new if len(f) == 3):
                if j == "desync":
                    by_proxy.setdefault(p, []).append(o)
            for p, origins in by_proxy.items():
                conn = next(c for c in r[p]["connections"]
                            if c["judged"].get(origins[0], {}).get(
                                "judgement") == "desync")
                rec = {"name": "explore-%04d" % len(found), "proxy": p,
                       "origins": origins, "ops": cand["ops"],
                       "detail": conn["judged"][origins[0]]["detail"],
                       "bytes": cand["data"], "forwarded": conn["data"],
                       "bounds": conn["bounds"]}
                found.append(rec)
                if out_dir:
                    save(out_dir, rec)
                if progress:
                    progress("explorer: desync %s -> %s (%s)" % (
                        p, ", ".join(origins), cand["ops"]))
        if progress and rounds % 10 == 0:
            progress("explorer: %d candidates, %d desyncs" % (tried,
                                                              len(found)))
    return {"candidates": tried, "seconds": seconds, "found": found}
