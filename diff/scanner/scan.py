"""scan: the inputs of a corpus through real servers on 127.0.0.1.

  bazel run //diff:scan -- [options] PATH...

PATH is a file or a directory in the harness's corpus layout; the
server-role inputs (server/*.http) are scanned.  For each input:

- every origin (gunicorn, uvicorn, ..., node, puma, h11c-echo) gets the
  input on a fresh connection and answers with its own parse of each
  request; that becomes its canonical verdict;
- every proxy (nginx, haproxy, apache, varnish, squid, trafficserver, h2o,
  lighttpd, caddy, nghttpx) gets the input in front of its own recording
  origin, which captures exactly what the proxy forwarded on each upstream
  connection and where the proxy's requests ended;
- the forwarded bytes are parsed by every oracle of the harness (h11c,
  h11py, llhttp, llhttp-lenient, http_parser) and replayed to every real
  origin, request by request as the proxy sent them; where an origin
  delimits the requests differently from the proxy, that is a desync.

Options:
  --servers a,b,...   only these servers (names as listed by --list)
  --list              list the servers and whether each can run here
  --json FILE         the full report (default out/scan.json)
  --markdown FILE     the Markdown report (default out/scan.md)
  --top N             desyncs and findings shown in the terminal (20)
  --no-replay         judge forwarded bytes with the oracles only
  --minimise          delta-debug each (input, proxy) with a desync
  --minimise-seconds S  the time for each (60)
  --explore SECONDS   then a mutation search through the proxies, with the
                      oracles judging what they forward
  --explore-out DIR   write the explorer's desyncs there (corpus layout)
  --seed N            the explorer's random seed (1)
  --timeout S         how long to wait for a server's first answer (2)
  --keep DIR          keep configs, logs and recordings in DIR
"""

import argparse
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import explore
import judge
import minimise
import report
import servers
import wire

HERE = os.path.dirname(os.path.abspath(__file__))
DIFF = os.path.dirname(HERE)
ORACLES = ["h11c", "h11py", "llhttp", "llhttp-lenient", "http_parser"]


def files_of_the_tool():
    f = {
        "scan_origin": os.path.join(HERE, "scan_origin"),
        "scan_mutate": os.path.join(HERE, "scan_mutate"),
        "verdict": os.path.join(DIFF, "verdict"),
        "apps_dir": HERE,
        "echo_apps": os.path.join(HERE, "echo_apps.py"),
        "node_echo": os.path.join(HERE, "node_echo.js"),
        "echo_ru": os.path.join(HERE, "echo.ru"),
    }
    for k, p in f.items():
        if not os.path.exists(p):
            sys.exit("scan: missing %s (%s); run it with bazel run //diff:scan"
                     % (k, p))
    return f


def searchable(path):
    """Whether every directory from / to path can be entered by anyone."""
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def progress(msg):
    sys.stderr.write("scan: %s\n" % msg)
    sys.stderr.flush()


# Corpus ---------------------------------------------------------------------

def load_inputs(paths):
    """Server-role inputs of the corpus layout, sorted by path."""
    found = []
    for p in paths:
        if os.path.isdir(p):
            found += sorted(glob.glob(os.path.join(p, "**", "server",
                                                   "*.http"), recursive=True))
            if os.path.basename(os.path.normpath(p)) == "server":
                found += sorted(glob.glob(os.path.join(p, "*.http")))
        elif os.path.isfile(p):
            found.append(p)
        else:
            sys.exit("scan: no such file or directory: %s" % p)
    out, names = [], set()
    for f in dict.fromkeys(os.path.normpath(f) for f in found):
        if os.path.basename(f).startswith("."):
            continue
        with open(f, "rb") as fh:
            data = fh.read()
        # The file name, or its path where two inputs share a name.
        name = os.path.splitext(os.path.basename(f))[0]
        if name in names:
            name = os.path.splitext(os.path.relpath(f))[0]
        names.add(name)
        out.append({"path": f, "data": data, "name": name})
    return out


# Oracles --------------------------------------------------------------------

def oracle_verdicts(verdict_bin, datas, work, impls=ORACLES):
    """Verdicts of the oracles (all by default) for each byte string: a
    list (one per string) of {impl: verdict}."""
    d = os.path.join(work, "oracle-in", "server")
    os.makedirs(d, exist_ok=True)
    paths = []
    for i, data in enumerate(datas):
        p = os.path.join(d, "%06d.http" % i)
        with open(p, "wb") as f:
            f.write(data)
        paths.append(p)
    out = [dict() for _ in datas]
    for impl in impls:
        for start in range(0, len(paths), 500):
            part = paths[start:start + 500]
            r = subprocess.run([verdict_bin, "--impl", impl, "--role",
                                "server"] + part, capture_output=True)
            lines = r.stdout.decode("latin-1").splitlines()
            if r.returncode != 0 or len(lines) != len(part):
                progress("oracle %s failed: %s" % (impl, r.stderr.decode(
                    "latin-1").strip()[:300]))
                continue
            for k, line in enumerate(lines):
                out[start + k][impl] = json.loads(line)
    shutil.rmtree(os.path.join(work, "oracle-in"), ignore_errors=True)
    return out


def candidate_bounds(data, verdicts):
    """Where the oracles end messages: the segments a real origin gets."""
    b = set()
    for v in verdicts.values():
        b.update(e for e in judge.ends(v) if 0 < e < len(data))
    b.add(len(data))
    return sorted(b)


def segments_of(data, bounds):
    out, start = [], 0
    for b in bounds:
        out.append(data[start:b])
        start = b
    return out


# Recording ------------------------------------------------------------------

def rec_sizes(d):
    return {f: os.path.getsize(os.path.join(d, f))
            for f in os.listdir(d) if f.endswith(".bin")}


def settle(d, quiet=0.15, limit=2.0):
    """Waits until the recording stops growing."""
    t_end = time.monotonic() + limit
    last = rec_sizes(d)
    still_since = time.monotonic()
    while time.monotonic() < t_end:
        time.sleep(0.05)
        now = rec_sizes(d)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            break
    return last


def read_events(path):
    ev = []
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if p:
                    ev.append([p[0]] + [int(x) for x in p[1:]])
    except OSError:
        pass
    return ev


def forwarded(d, before, after):
    """The bytes forwarded on each upstream connection since `before`, with
    the proxy's request ends (relative offsets) and the recorder's events."""
    conns = []
    for f in sorted(after):
        start, stop = before.get(f, 0), after[f]
        if stop <= start:
            continue
        with open(os.path.join(d, f), "rb") as fh:
            fh.seek(start)
            data = fh.read(stop - start)
        events = [e for e in read_events(os.path.join(d, f[:-4] + ".ev"))
                  if start < e[1] <= stop or (e[0] != "req" and e[1] == stop)]
        bounds = sorted({e[1] - start for e in events if e[0] == "req"})
        # Every request the proxy sent was answered by the recorder (none
        # left incomplete or rejected at the end).
        answered = bool(bounds) and bounds[-1] == len(data)
        if not answered:
            bounds.append(len(data))
        rel = [[e[0], e[1] - start] + e[2:] for e in events]
        for e in rel:
            if e[0] == "req":
                e[2] -= start  # h11c's end, relative
            elif e[0] == "err":
                e[2] -= start
        conns.append({"conn": f[:-4], "data": data, "bounds": bounds,
                      "answered": answered, "recorder": rel})
    return conns


# Running servers ----------------------------------------------------------

class Fleet:
    """Every server started, so that all can be stopped whatever happens."""

    def __init__(self):
        self.running = []
        self.lock = threading.Lock()
        self.closed = False

    def add(self, r):
        """Keeps r to stop it later; once the fleet is closed (interrupted),
        stops it at once and returns False."""
        with self.lock:
            if not self.closed:
                self.running.append(r)
                return True
        r.stop()
        return False

    def stop(self, r):
        with self.lock:
            if r in self.running:
                self.running.remove(r)
        return r.stop()

    def stop_all(self):
        with self.lock:
            self.closed = True
            rs, self.running = self.running, []
        for r in rs:
            r.stop()


def start_checked(fleet, spec, root, files, upstream=None):
    r, why = servers.start(spec, root, files, upstream)
    if r and not fleet.add(r):
        return None, "interrupted"
    return r, why


READY = (b"GET /scan-ready HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         b"Connection: close\r\n\r\n")


def answers(r, marker, wait=2.0):
    """Whether the server answers a plain GET (through to the origin, for a
    proxy: the answer carries the origin's marker header)."""
    ex = wire.exchange(r.port, [READY], first_wait=wait, eof_wait=0.5)
    return any(x.header(marker) for x in ex.responses), ex


def start_proxy(fleet, spec, root, files):
    """A proxy and its recording origin.  Returns (proxy, recorder, dir) or
    raises RuntimeError(why)."""
    rdir = tempfile.mkdtemp(prefix=spec.name + "-recording.", dir=root)
    os.chmod(rdir, 0o755)
    rec_spec = servers.Spec(spec.name + "-recorder", "origin", [],
                            "recording origin", lambda c: (
                                [files["scan_origin"], "--port", str(c.port),
                                 "--record", rdir], None))
    rec, why = start_checked(fleet, rec_spec, root, files)
    if not rec:
        raise RuntimeError("recording origin: " + why)
    proxy, why = start_checked(fleet, spec, root, files, upstream=rec.port)
    if not proxy:
        fleet.stop(rec)
        raise RuntimeError(why)
    # The first answer through the proxy (it may connect lazily).
    deadline = time.monotonic() + 10
    while True:
        ok, ex = answers(proxy, "x-scan-origin")
        if ok:
            break
        if time.monotonic() > deadline:
            fleet.stop(proxy)
            fleet.stop(rec)
            raise RuntimeError("started, but forwards no request (%s)" %
                               (ex.statuses() or ex.end))
        time.sleep(0.2)
    return proxy, rec, rdir


def restart_if_dead(fleet, r, spec, root, files, upstream=None):
    """After an input: (None, r) if the server still answers a plain GET,
    else (a finding, the server restarted in place or None)."""
    marker = "x-scan-origin" if spec.kind == "proxy" else "x-scan-echo"
    if r.alive() and answers(r, marker)[0]:
        return None, r
    if r.alive():
        what = "stopped answering: a plain GET got no answer within 2 s"
    else:
        tail = r.log_tail(3).replace("\n", " | ")
        what = "crashed (exited)" + (": " + tail if tail else "")
    fleet.stop(r)
    r2, _ = start_checked(fleet, spec, root, files, upstream)
    return what, r2


def through_proxy(proxy, rdir, data, timeout):
    """Sends data through the proxy; returns the client's Exchange and
    what the proxy forwarded (forwarded())."""
    before = settle(rdir, quiet=0.05, limit=0.5)
    ex = wire.exchange(proxy.port, [data], first_wait=timeout, quiet=0.15,
                       eof_wait=1.0)
    return ex, forwarded(rdir, before, settle(rdir))


def proxy_result(ex, conns):
    """What a proxy did with an input: its action (forwarded, rejected,
    hang, dropped), the statuses the client got, and the connections."""
    from_origin = [r for r in ex.responses if r.header("x-scan-origin")]
    if conns:
        action = "forwarded"
    elif ex.responses:
        action = "rejected"
    elif ex.end == "timeout":
        action = "hang"
    else:
        action = "dropped"
    return {"action": action, "statuses": ex.statuses(),
            "from_origin": len(from_origin), "end": ex.end,
            "connections": conns, "finding": None}


def replay(r, data, bounds, timeout):
    """data sent to origin r request by request (ends at bounds); returns
    its verdict and a note."""
    ex = wire.exchange(r.port, segments_of(data, bounds), first_wait=timeout,
                       quiet=0.05, eof_wait=1.0)
    return judge.origin_verdict(r.name, ex, bounds, len(data))


def scan_proxy(fleet, spec, inputs, root, files, timeout, results, status):
    try:
        proxy, rec, rdir = start_proxy(fleet, spec, root, files)
    except RuntimeError as e:
        status[spec.name] = {"ran": False, "why": str(e)}
        progress("%s: skipped: %s" % (spec.name, e))
        return
    status[spec.name] = {"ran": True, "why": ""}
    for n, inp in enumerate(inputs):
        res = proxy_result(*through_proxy(proxy, rdir, inp["data"],
                                          timeout))
        action = res["action"]
        if action == "hang":
            res["finding"] = ("no answer, nothing forwarded, and the "
                              "connection held open after end of input")
        if proxy:
            why, proxy = restart_if_dead(fleet, proxy, spec, root, files,
                                         rec.port)
            if why:
                res["finding"] = why
                if not proxy:
                    status[spec.name]["why"] = "could not restart after " + \
                        inp["name"]
        results[inp["name"]][spec.name] = res
        if (n + 1) % 25 == 0 or n + 1 == len(inputs):
            progress("%s: %d/%d inputs" % (spec.name, n + 1, len(inputs)))
        if not proxy:
            break
    for r in (proxy, rec):
        if r:
            fleet.stop(r)


def run_origin(fleet, spec, jobs, root, files, timeout, status, sink):
    """Sends each job (key, data, bounds) to the origin; sink[key] gets
    (verdict, note, finding)."""
    r, why = start_checked(fleet, spec, root, files)
    if not r:
        status[spec.name] = {"ran": False, "why": why}
        progress("%s: skipped: %s" % (spec.name, why))
        return
    # Python servers may listen before the app is ready: one plain request.
    ok, ex = answers(r, "x-scan-echo", wait=10.0)
    if not ok:
        status[spec.name] = {"ran": False,
                             "why": "started, but answers no request (%s)" %
                             (ex.statuses() or ex.end)}
        progress("%s: skipped: %s" % (spec.name, status[spec.name]["why"]))
        fleet.stop(r)
        return
    status[spec.name] = {"ran": True, "why": ""}
    for n, (key, data, bounds) in enumerate(jobs):
        v, note = replay(r, data, bounds, timeout)
        finding = None
        why, r = restart_if_dead(fleet, r, spec, root, files)
        if why:
            finding = why
        elif note.startswith("no answer"):
            finding = note
        sink[key] = (v, note, finding)
        if (n + 1) % 100 == 0 or n + 1 == len(jobs):
            progress("%s: %d/%d exchanges" % (spec.name, n + 1, len(jobs)))
        if not r:
            status[spec.name]["why"] = "could not restart"
            break
    if r:
        fleet.stop(r)


def minimise_desyncs(fleet, groups, root, files, timeout, seconds):
    """For each (input, proxy) with a desync: the input reduced while the
    proxy still forwards bytes that the first of its desynced origins
    delimits differently.  Returns one record per group."""
    out = []
    for (name, data, pname, origin, answered) in groups:
        rec = {"input": name, "proxy": pname, "origin": origin,
               "bytes": data, "tests": 0}
        started = []
        try:
            proxy, recorder, rdir = start_proxy(
                fleet, servers.BY_NAME[pname], root, files)
            started += [proxy, recorder]
            real = None
            if origin not in ORACLES:
                real, why = start_checked(fleet, servers.BY_NAME[origin],
                                          root, files)
                if not real or not answers(real, "x-scan-echo", 10.0)[0]:
                    raise RuntimeError("%s: %s" % (origin, why or "no answer"))
                started.append(real)
        except RuntimeError as e:
            rec["error"] = str(e)
            out.append(rec)
            for r in started:
                fleet.stop(r)
            continue

        def desynced(candidate):
            """The same desync: with the same origin, and on requests the
            recorder answered, if the original's were."""
            rec["tests"] += 1
            _, conns = through_proxy(proxy, rdir, candidate, timeout)
            for c in conns:
                if answered and not c["answered"]:
                    continue
                if real:
                    v, _ = replay(real, c["data"], c["bounds"], timeout)
                else:
                    v = oracle_verdicts(files["verdict"], [c["data"]], root,
                                        [origin])[0].get(origin)
                if v and judge.align(c["bounds"], v)[0] == "desync":
                    return True
            return False

        progress("minimising %s through %s (desync with %s)" % (name, pname,
                                                                origin))
        if desynced(data):
            rec["bytes"] = minimise.minimise(data, desynced, seconds)
        else:
            rec["error"] = "the desync did not reproduce"
        for r in started:
            fleet.stop(r)
        out.append(rec)
    return out


def parallel(targets):
    threads = [threading.Thread(target=t, args=a, daemon=True)
               for t, a in targets]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)


def main(argv):
    ap = argparse.ArgumentParser(
        prog="scan", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--servers")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--markdown", default=None)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--no-replay", action="store_true")
    ap.add_argument("--minimise", action="store_true")
    ap.add_argument("--minimise-seconds", type=float, default=60.0)
    ap.add_argument("--explore", type=float, default=0.0)
    ap.add_argument("--explore-out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--keep")
    a = ap.parse_args(argv)

    if a.list:
        for s in servers.SPECS:
            why = s.missing()
            print("%-18s %-6s %-40s %s" % (s.name, s.kind, s.about,
                                           "ok" if not why else why))
        return 0
    if not a.paths:
        ap.error("no PATH given")
    specs = servers.SPECS
    if a.servers:
        names = [n.strip() for n in a.servers.split(",") if n.strip()]
        bad = [n for n in names if n not in servers.BY_NAME]
        if bad:
            ap.error("unknown server(s): %s (see --list)" % ", ".join(bad))
        specs = [servers.BY_NAME[n] for n in names]
    # Relative paths are the caller's (bazel run changes directory).
    cwd = os.environ.get("BUILD_WORKING_DIRECTORY", os.getcwd())
    paths = [os.path.join(cwd, p) for p in a.paths]
    out_json = os.path.join(cwd, a.json or "out/scan.json")
    out_md = os.path.join(cwd, a.markdown or "out/scan.md")

    files = files_of_the_tool()
    inputs = load_inputs(paths)
    if not inputs:
        sys.exit("scan: no server-role inputs under %s" % " ".join(a.paths))
    # Servers that drop privileges (to www-data, nobody, proxy, ...) must
    # reach their files: the directory's ancestors must be searchable by
    # everyone (TMPDIR under /root, as in bazel test, is not).
    if a.keep:
        root = os.path.join(cwd, a.keep)
        os.makedirs(root, exist_ok=True)
        if not searchable(root):
            sys.exit("scan: --keep %s: every directory above it must be "
                     "searchable by all users (servers drop privileges)" %
                     a.keep)
    else:
        base = tempfile.gettempdir()
        root = tempfile.mkdtemp(prefix="h11c-scan.",
                                dir=base if searchable(base) else "/tmp")
    os.chmod(root, 0o755)

    fleet = Fleet()

    def on_signal(signum, frame):
        progress("interrupted: stopping every server")
        fleet.stop_all()
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    t0 = time.monotonic()
    try:
        data = run(a, specs, inputs, root, files, fleet)
    finally:
        fleet.stop_all()
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
    data["elapsed"] = round(time.monotonic() - t0, 1)
    for p in (out_json, out_md):
        os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(out_json, "w") as f:
        json.dump(report.to_json(data), f, indent=1)
    with open(out_md, "w") as f:
        f.write(report.markdown(data))
    sys.stdout.write(report.terminal(data, a.top))
    print("reports: %s, %s" % (os.path.relpath(out_json, cwd),
                               os.path.relpath(out_md, cwd)))
    return 0


def run(a, specs, inputs, root, files, fleet):
    proxies = [s for s in specs if s.kind == "proxy"]
    origins = [s for s in specs if s.kind == "origin"]
    status = {}
    progress("%d inputs; %d proxies, %d origins" % (len(inputs), len(proxies),
                                                    len(origins)))

    # 1. The oracles on the inputs.
    progress("oracles on the inputs")
    ov = oracle_verdicts(files["verdict"], [i["data"] for i in inputs], root)
    for i, v in zip(inputs, ov):
        i["oracles"] = v
        i["bounds"] = candidate_bounds(i["data"], v)

    # 2. The proxies, in parallel (inputs in order within each).
    presults = {i["name"]: {} for i in inputs}
    parallel([(scan_proxy, (fleet, s, inputs, root, files, a.timeout,
                            presults, status)) for s in proxies])

    # 3. The oracles on what the proxies forwarded.
    conns = {}
    for i in inputs:
        for pname, res in presults[i["name"]].items():
            for c in res["connections"]:
                key = hashlib.sha256(c["data"] + json.dumps(
                    c["bounds"]).encode()).hexdigest()[:16]
                c["key"] = key
                conns.setdefault(key, c)
    keys = sorted(conns)
    progress("oracles on %d forwarded byte streams" % len(keys))
    fv = oracle_verdicts(files["verdict"], [conns[k]["data"] for k in keys],
                         root)
    for k, v in zip(keys, fv):
        conns[k]["oracles"] = v

    # 4. The origins: every input, and every forwarded stream replayed.
    osink = {s.name: {} for s in origins}
    jobs = [(("in", i["name"]), i["data"], i["bounds"]) for i in inputs]
    if not a.no_replay:
        jobs += [(("fwd", k), conns[k]["data"], conns[k]["bounds"])
                 for k in keys]
    parallel([(run_origin, (fleet, s, jobs, root, files, a.timeout, status,
                            osink[s.name])) for s in origins])

    # 5. Judgements.
    ran_origins = [s.name for s in origins
                   if status.get(s.name, {}).get("ran")]
    judges = ORACLES + ran_origins
    for i in inputs:
        i["origins"] = {}
        for o in ran_origins:
            got = osink[o].get(("in", i["name"]))
            if got:
                i["origins"][o] = {"verdict": got[0], "note": got[1],
                                   "finding": got[2]}
        i["proxies"] = presults[i["name"]]
        for pname, res in i["proxies"].items():
            for c in res["connections"]:
                c["judged"] = {}
                for o in judges:
                    if o in ORACLES:
                        v = conns[c["key"]]["oracles"].get(o)
                        finding = None
                    else:
                        got = osink[o].get(("fwd", c["key"]))
                        v, finding = (got[0], got[2]) if got else (None, None)
                    if v is None:
                        continue
                    j, detail = judge.align(c["bounds"], v)
                    c["judged"][o] = {"judgement": j, "detail": detail,
                                      "verdict": v, "finding": finding}
    data = {"inputs": inputs, "status": status,
            "proxies": [s.name for s in proxies],
            "origins": [s.name for s in origins], "judges": judges,
            "specs": {s.name: s.about for s in specs}, "minimised": []}
    if a.minimise:
        groups, seen = [], set()
        for d in report.desyncs(data):
            if (d["input"], d["proxy"]) not in seen:
                seen.add((d["input"], d["proxy"]))
                groups.append((d["input"], d["bytes"], d["proxy"],
                               d["origin"], d["answered"]))
        data["minimised"] = minimise_desyncs(fleet, groups, root, files,
                                             a.timeout, a.minimise_seconds)
    if a.explore > 0:
        ran = [s for s in proxies if status.get(s.name, {}).get("ran")]
        out_dir = a.explore_out and os.path.join(
            os.environ.get("BUILD_WORKING_DIRECTORY", os.getcwd()),
            a.explore_out)
        data["explored"] = run_explorer(fleet, ran, inputs, root, files,
                                        a.timeout, a.explore, out_dir, a.seed)
    return data


def run_explorer(fleet, specs, inputs, root, files, timeout, seconds,
                 out_dir, seed):
    seen = set()
    for i in inputs:
        seen |= {f for f in explore.features(i["proxies"])
                 if len(f) == 2 or f[1] in ORACLES}
    live, started = [], []
    for spec in specs:
        try:
            proxy, rec, rdir = start_proxy(fleet, spec, root, files)
        except RuntimeError as e:
            progress("explorer: %s: %s" % (spec.name, e))
            continue
        started += [proxy, rec]

        def send(data, proxy=proxy, rdir=rdir):
            return proxy_result(*through_proxy(proxy, rdir, data, timeout))
        live.append((spec.name, send))
    progress("explorer: %.0f s through %d proxies" % (seconds, len(live)))
    paths = [i["path"] for i in inputs]
    try:
        return explore.explore(
            live,
            lambda datas: oracle_verdicts(files["verdict"], datas, root),
            ORACLES, seen, paths, paths, files["scan_mutate"], root, seconds,
            out_dir, seed, progress=progress)
    finally:
        for r in started:
            fleet.stop(r)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
