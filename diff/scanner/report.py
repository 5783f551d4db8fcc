"""The scanner's reports: terminal, JSON and Markdown, like the harness's.

Desyncs rank first: an input where an origin delimits the requests a proxy
forwarded differently from the proxy itself.  Then findings (a server that
crashed, or held a connection open without answering after the end of
input), then the per-input grid of every server's reading.
"""

import codecs

import judge


def esc(b, limit=400):
    """Bytes escaped for display (\\r, \\n, \\t, \\xNN)."""
    if isinstance(b, str):
        b = b.encode("latin-1")
    s = codecs.escape_encode(b[:limit])[0].decode("ascii")
    return s.replace("\\'", "'") + ("..." if len(b) > limit else "")


def desyncs(data):
    """Every (input, proxy, origin) with a desync, shortest input first."""
    out = []
    for i in data["inputs"]:
        for p, res in i["proxies"].items():
            seen = set()
            for c in res["connections"]:
                for o, j in c.get("judged", {}).items():
                    if j["judgement"] == "desync" and o not in seen:
                        seen.add(o)
                        out.append({"input": i["name"], "path": i["path"],
                                    "bytes": i["data"], "proxy": p,
                                    "origin": o, "detail": j["detail"],
                                    "forwarded": c["data"],
                                    "bounds": c["bounds"],
                                    "answered": c["answered"]})
    out.sort(key=lambda d: (len(d["bytes"]), d["input"], d["proxy"],
                            d["origin"]))
    return out


def desync_groups(data):
    """The desyncs grouped by input and proxy: the origins that disagree
    with the proxy, and the first one's detail."""
    out, at = [], {}
    for d in desyncs(data):
        k = (d["input"], d["proxy"])
        if k in at:
            at[k]["origins"].append(d["origin"])
            continue
        g = dict(d, origins=[d["origin"]])
        at[k] = g
        out.append(g)
    return out


def minimised_text(m):
    if m.get("error"):
        return "not minimised: " + m["error"]
    return "%d bytes, %d tests: %s" % (len(m["bytes"]), m["tests"],
                                       esc(m["bytes"]))


def grid(data):
    g = {p: {o: 0 for o in data["judges"]} for p in data["proxies"]}
    for d in desyncs(data):
        g[d["proxy"]][d["origin"]] += 1
    return g


def findings(data):
    out = []
    for i in data["inputs"]:
        for p, res in i["proxies"].items():
            if res.get("finding"):
                out.append({"input": i["name"], "server": p,
                            "what": res["finding"]})
        for o, r in i["origins"].items():
            if r.get("finding"):
                out.append({"input": i["name"], "server": o,
                            "what": r["finding"]})
        for p, res in i["proxies"].items():
            for c in res["connections"]:
                for o, j in c.get("judged", {}).items():
                    if j.get("finding"):
                        out.append({"input": i["name"],
                                    "server": "%s (behind %s)" % (o, p),
                                    "what": j["finding"]})
    return out


def proxy_cell(res):
    if res is None:
        return "-"
    a = res["action"]
    st = ",".join(str(s) for s in res["statuses"])
    if a == "forwarded":
        n = sum(len(c["bounds"]) for c in res["connections"])
        return "fwd%d %s" % (n, st) if st else "fwd%d" % n
    if a == "rejected":
        return "rej " + st
    return a


def server_cell(data, i, s):
    """Input i's cell in server s's column."""
    if s in data["proxies"]:
        return proxy_cell(i["proxies"].get(s))
    r = i["origins"].get(s)
    return judge.short(r["verdict"]) if r else "-"


def ran(data, kind):
    names = data["proxies"] if kind == "proxy" else data["origins"]
    return [n for n in names if data["status"].get(n, {}).get("ran")]


def skipped(data):
    return [(n, s["why"]) for n, s in sorted(data["status"].items())
            if not s["ran"]]


def _table(rows, header):
    w = [max(len(str(r[k])) for r in rows + [header])
         for k in range(len(header))]
    lines = ["  ".join(str(c).ljust(w[k]) for k, c in enumerate(header))]
    for r in rows:
        lines.append("  ".join(str(c).ljust(w[k]) for k, c in enumerate(r)))
    return "\n".join(lines) + "\n"


def terminal(data, top):
    out = []
    ds = desyncs(data)
    out.append("scan: %d inputs, %.1f s\n" % (len(data["inputs"]),
                                              data.get("elapsed", 0)))
    out.append("ran: proxies %s; origins %s\n" % (
        " ".join(ran(data, "proxy")) or "none",
        " ".join(ran(data, "origin")) or "none"))
    for n, why in skipped(data):
        out.append("skipped %s: %s\n" % (n, why))
    g = grid(data)
    judges = data["judges"]
    if ran(data, "proxy"):
        out.append("\nDesyncs, proxy x origin (inputs where the origin "
                   "delimits the forwarded requests differently):\n")
        rows = [[p] + [g[p][o] for o in judges] for p in ran(data, "proxy")]
        out.append(_table(rows, ["proxy"] + judges))
    gs = desync_groups(data)
    out.append("\n%d desyncs (%d inputs x proxies)%s\n" % (
        len(ds), len(gs), ", shortest input first:" if ds else ""))
    for d in gs[:top]:
        out.append("  %s: %s -> %s: %s\n" % (d["input"], d["proxy"],
                                              ", ".join(d["origins"]),
                                              d["detail"]))
        out.append("    input:     %s\n" % esc(d["bytes"], 200))
        out.append("    forwarded: %s  (proxy's ends %s)\n" % (
            esc(d["forwarded"], 300), d["bounds"]))
    if len(gs) > top:
        out.append("  ... %d more in the reports\n" % (len(gs) - top))
    for m in data.get("minimised", []):
        out.append("minimised %s through %s (desync with %s): %s\n" % (
            m["input"], m["proxy"], m["origin"], minimised_text(m)))
    ex = data.get("explored")
    if ex:
        out.append("\nexplorer: %d candidates in %.0f s, %d new desyncs%s\n"
                   % (ex["candidates"], ex["seconds"], len(ex["found"]),
                      ":" if ex["found"] else ""))
        for f in ex["found"][:top]:
            out.append("  %s: %s -> %s (%s): %s\n    input: %s\n" % (
                f["name"], f["proxy"], ", ".join(f["origins"]), f["ops"],
                f["detail"],
                esc(f["bytes"], 200)))
    fs = findings(data)
    out.append("\n%d findings%s\n" % (len(fs), ":" if fs else ""))
    for f in fs[:top]:
        out.append("  %s: %s: %s\n" % (f["input"], f["server"], f["what"]))
    if len(fs) > top:
        out.append("  ... %d more in the reports\n" % (len(fs) - top))
    # The per-input grid, inputs with a desync first.
    servers_ = ran(data, "proxy") + ran(data, "origin")
    if servers_:
        hot = {d["input"] for d in ds}
        inputs = sorted(data["inputs"],
                        key=lambda i: (i["name"] not in hot, i["name"]))
        out.append("\nInputs x servers (proxies: fwdN = forwarded N requests, "
                   "client statuses; origins: requests read, STATUS@N "
                   "rejected after N, inc@N waits, Nc closes):\n")
        rows = []
        for i in inputs[:max(top, 0) * 2]:
            rows.append([i["name"][:32]] +
                        [server_cell(data, i, s) for s in servers_])
        out.append(_table(rows, ["input"] + servers_))
        if len(inputs) > top * 2:
            out.append("... %d more inputs in the reports\n" %
                       (len(inputs) - top * 2))
    return "".join(out)


def markdown(data):
    ds = desyncs(data)
    out = ["# Real-server scan\n\n",
           "%d inputs, %.1f s. Proxies: %s. Origins: %s. Oracles on the "
           "forwarded bytes: %s.\n\n" % (
               len(data["inputs"]), data.get("elapsed", 0),
               ", ".join(ran(data, "proxy")) or "none",
               ", ".join(ran(data, "origin")) or "none",
               ", ".join(j for j in data["judges"]
                         if j not in data["origins"]))]
    sk = skipped(data)
    if sk:
        out.append("Skipped:\n\n")
        for n, why in sk:
            out.append("- %s: %s\n" % (n, why))
        out.append("\n")
    judges = data["judges"]
    if ran(data, "proxy"):
        g = grid(data)
        out.append("## Desyncs, proxy x origin\n\nInputs where the origin "
                   "delimits the requests the proxy forwarded differently "
                   "from the proxy.\n\n")
        out.append("| proxy | " + " | ".join(judges) + " |\n")
        out.append("|---" * (len(judges) + 1) + "|\n")
        for p in ran(data, "proxy"):
            out.append("| %s | " % p + " | ".join(
                str(g[p][o]) if g[p][o] else "" for o in judges) + " |\n")
        out.append("\n")
    out.append("## Desyncs (%d), shortest input first\n\n" % len(ds))
    for d in desync_groups(data):
        out.append("- **%s**: %s → %s: %s\n  - input: `%s`\n"
                   "  - forwarded: `%s` (proxy's request ends: %s)\n" % (
                       d["input"], d["proxy"], ", ".join(d["origins"]),
                       d["detail"],
                       esc(d["bytes"], 300), esc(d["forwarded"], 500),
                       d["bounds"]))
    if data.get("minimised"):
        out.append("\n## Minimised desyncs\n\n")
        for m in data["minimised"]:
            out.append("- %s through %s (desync with %s): %s\n" % (
                m["input"], m["proxy"], m["origin"],
                minimised_text(m).replace(": ", ": `", 1) +
                ("`" if not m.get("error") else "")))
    ex = data.get("explored")
    if ex:
        out.append("\n## Explorer\n\n%d candidates in %.0f s, %d new "
                   "desyncs.\n\n" % (ex["candidates"], ex["seconds"],
                                       len(ex["found"])))
        for f in ex["found"]:
            out.append("- **%s**: %s → %s (%s): %s\n  - input: `%s`\n"
                       "  - forwarded: `%s`\n" % (
                           f["name"], f["proxy"], ", ".join(f["origins"]),
                           f["ops"], f["detail"], esc(f["bytes"], 300),
                           esc(f["forwarded"], 500)))
    fs = findings(data)
    out.append("\n## Findings (%d)\n\n" % len(fs))
    for f in fs:
        out.append("- %s: %s: %s\n" % (f["input"], f["server"], f["what"]))
    servers_ = ran(data, "proxy") + ran(data, "origin")
    if servers_:
        out.append("\n## Inputs x servers\n\nProxies: fwdN = forwarded N "
                   "requests, then the statuses the client got; rej = "
                   "rejected. Origins: N requests read; STATUS@N = rejected "
                   "after N; inc@N = waits for more; Nc = closes after N.\n\n")
        out.append("| input | " + " | ".join(servers_) + " |\n")
        out.append("|---" * (len(servers_) + 1) + "|\n")
        for i in data["inputs"]:
            cells = [server_cell(data, i, s) for s in servers_]
            out.append("| %s | %s |\n" % (i["name"], " | ".join(cells)))
    return "".join(out)


def to_json(data):
    def conn(c):
        # An origin's full verdict where it reads the proxy's requests
        # otherwise than the proxy; "ok" says all there is to say.
        judged = {o: (j if j["judgement"] != "ok" else
                      {k: v for k, v in j.items() if k != "verdict"})
                  for o, j in c.get("judged", {}).items()}
        return {"connection": c["conn"], "bytes": c["data"].decode("latin-1"),
                "proxy_ends": c["bounds"], "answered": c["answered"],
                "recorder": c["recorder"], "origins": judged}

    inputs = []
    for i in data["inputs"]:
        inputs.append({
            "name": i["name"], "path": i["path"],
            "bytes": i["data"].decode("latin-1"),
            "oracles": i["oracles"],
            "origins": i["origins"],
            "proxies": {p: {"action": r["action"], "statuses": r["statuses"],
                            "from_origin": r["from_origin"], "end": r["end"],
                            "finding": r["finding"],
                            "connections": [conn(c) for c in
                                            r["connections"]]}
                        for p, r in i["proxies"].items()}})
    ds = [{k: (v.decode("latin-1") if isinstance(v, bytes) else v)
           for k, v in d.items()} for d in desyncs(data)]
    return {"elapsed": data.get("elapsed"),
            "servers": {n: dict(s, about=data["specs"].get(n, ""))
                        for n, s in data["status"].items()},
            "judges": data["judges"], "grid": grid(data), "desyncs": ds,
            "findings": findings(data), "inputs": inputs,
            "minimised": [dict(m, bytes=m["bytes"].decode("latin-1"))
                          for m in data.get("minimised", [])],
            "explored": explored_json(data.get("explored"))}


def explored_json(ex):
    if not ex:
        return None
    return dict(ex, found=[{k: (v.decode("latin-1") if isinstance(v, bytes)
                                else v) for k, v in f.items()}
                           for f in ex["found"]])
