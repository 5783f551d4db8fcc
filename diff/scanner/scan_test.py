"""The real-server scanner against real servers: nginx, haproxy and
trafficserver (each in front of the recording origin) and the origins
uvicorn (h11), gunicorn, waitress, tornado and the h11c echo origin, over
eight inputs whose behaviour with Debian 12's versions was verified by hand
(testdata/server/).

Each check prints "ok NAME" or "FAIL NAME"; the last line is
"N passed, N failed".
"""

import json
import os
import shutil
import subprocess
import sys

import checks
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = ("nginx,haproxy,trafficserver,uvicorn-h11,gunicorn,waitress,"
           "tornado,h11c-echo")

check = checks.Checks()


def main():
    work = tempfile.mkdtemp(prefix="scan-test.",
                            dir=os.environ.get("TEST_TMPDIR"))
    # The servers' files go where servers that drop privileges reach them.
    keep = tempfile.mkdtemp(prefix="h11c-scan-test.", dir="/tmp")
    os.chmod(keep, 0o755)
    try:
        return run(work, keep)
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def run(work, keep):
    out = os.path.join(work, "scan.json")
    r = subprocess.run(
        [sys.executable, os.path.join(HERE, "scan.py"), "--servers", SERVERS,
         "--keep", keep, "--minimise", "--minimise-seconds", "20",
         "--timeout", "1", "--explore", "5", "--explore-out",
         os.path.join(work, "found"),
         "--json", out, "--markdown",
         os.path.join(work, "scan.md"), os.path.join(HERE, "testdata")],
        capture_output=True, text=True, timeout=600)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    check("scan_exits_0", r.returncode == 0, r.returncode)
    check("json_report_written", os.path.exists(out))
    if not os.path.exists(out):
        return check.finish()
    with open(out) as f:
        rep = json.load(f)
    ins = {i["name"]: i for i in rep["inputs"]}

    def proxy(inp, p):
        return ins[inp]["proxies"].get(p, {})

    def fwd(inp, p):
        return "".join(c["bytes"] for c in proxy(inp, p).get("connections",
                                                                []))

    def origin(inp, o):
        return ins[inp]["origins"].get(o, {}).get("verdict") or {}

    for s in SERVERS.split(","):
        check("%s_ran" % s, rep["servers"].get(s, {}).get("ran"),
              rep["servers"].get(s))

    # Proxies.
    check("nginx_forwards_plain_get_once",
          proxy("a_plain_get", "nginx").get("action") == "forwarded" and
          fwd("a_plain_get", "nginx").startswith("GET /a HTTP/1.1\r\n"))
    check("nginx_rejects_cl_te_with_400",
          proxy("b_cl_te", "nginx").get("action") == "rejected" and
          proxy("b_cl_te", "nginx").get("statuses") == [400])
    b = fwd("b_cl_te", "haproxy").lower()
    check("haproxy_forwards_cl_te_as_one_empty_chunked_request",
          "transfer-encoding: chunked\r\n\r\n0\r\n\r\n" in b and
          "content-length" not in b and "smuggled" not in b, repr(b))
    c = fwd("c_chunk_bare_lf", "nginx")
    check("nginx_reframes_bare_lf_chunk_as_content_length",
          c.endswith("Content-Length: 5\r\n\r\nhello"), repr(c))
    c = fwd("c_chunk_bare_lf", "haproxy")
    check("haproxy_rechunks_bare_lf_chunk",
          c.endswith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), repr(c))
    for p in ("nginx", "haproxy"):
        check("%s_rejects_chunk_without_crlf" % p,
              proxy("d_chunk_no_crlf", p).get("statuses") == [400] and
              not proxy("d_chunk_no_crlf", p).get("connections"))
        check("%s_rejects_duplicate_content_length" % p,
              proxy("f_dup_cl", p).get("statuses") == [400] and
              not proxy("f_dup_cl", p).get("connections"))
    check("nginx_rejects_obs_fold_in_transfer_encoding",
          proxy("e_te_obs_fold", "nginx").get("statuses") == [400])
    e = fwd("e_te_obs_fold", "haproxy").lower()
    check("haproxy_unfolds_transfer_encoding",
          "\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello" in e, repr(e))
    conns = proxy("c_chunk_bare_lf", "haproxy").get("connections", [])
    check("recorder_marks_the_proxys_request_end",
          len(conns) == 1 and conns[0]["proxy_ends"] == [len(conns[0][
              "bytes"])], conns)

    # Origins, straight.
    v = origin("b_cl_te", "uvicorn-h11")
    check("uvicorn_h11_reads_cl_te_as_two_requests",
          [m["target"] for m in v.get("messages", [])] == ["/b", "/smuggled"]
          and v.get("outcome") == "closed", v)
    v = origin("b_cl_te", "gunicorn")
    check("gunicorn_rejects_cl_te_with_400",
          v.get("outcome") == "error" and not v.get("messages") and
          v["error"]["status_hint"] == 400, v)
    v = origin("a_plain_get", "gunicorn")
    check("gunicorn_closes_after_each_request",
          v.get("outcome") == "must_close" and len(v["messages"]) == 1, v)
    v = origin("c_chunk_bare_lf", "gunicorn")
    check("gunicorn_drops_bare_lf_chunk_without_answer",
          v.get("outcome") == "error" and
          v["error"]["status_hint"] is None, v)
    v = origin("b_cl_te", "h11c-echo")
    check("h11c_echo_reads_cl_te_as_one_request_then_closes",
          v.get("outcome") == "must_close" and
          [m["body"] for m in v["messages"]] == [""], v)
    v = origin("e_te_obs_fold", "uvicorn-h11")
    check("uvicorn_h11_unfolds_transfer_encoding",
          [m["body"] for m in v.get("messages", [])] == ["hello"], v)

    # Judgements of what the proxies forwarded.
    conns = proxy("b_cl_te", "haproxy").get("connections") or [{}]
    judged = conns[0].get("origins", {})
    origins = set(SERVERS.split(",")) - {"nginx", "haproxy", "trafficserver"}
    check("haproxy_cl_te_output_judged_by_every_oracle_and_origin",
          set(judged) == {"h11c", "h11py", "llhttp", "llhttp-lenient",
                          "http_parser"} | origins, sorted(judged))
    check("gunicorn_judged_to_close_after_haproxys_request",
          judged.get("gunicorn", {}).get("judgement") == "closes")
    check("no_desync_between_nginx_haproxy_and_these_origins",
          all(n == 0 for p in ("nginx", "haproxy")
              for n in rep["grid"][p].values()), rep["grid"])
    check("grid_has_a_row_per_proxy",
          sorted(rep["grid"]) == ["haproxy", "nginx", "trafficserver"])

    # trafficserver forwards a last chunk ended by a bare LF as it came,
    # then the next request; waitress waits for the end of the trailer
    # section and takes the next request for trailer lines.
    t = fwd("trailer_end_bare_lf", "trafficserver")
    check("trafficserver_forwards_bare_lf_trailer_end_verbatim",
          "\r\n\r\n5\r\nhello\r\n0\r\n\nGET /next HTTP/1.1\r\n" in t, repr(t))
    ds = {(d["input"], d["proxy"], d["origin"]) for d in rep["desyncs"]}
    check("trafficserver_to_waitress_desync_on_bare_lf_trailer_end",
          ("trailer_end_bare_lf", "trafficserver", "waitress") in ds,
          sorted(ds))
    check("trafficserver_to_h11c_no_desync_on_bare_lf_trailer_end",
          ("trailer_end_bare_lf", "trafficserver", "h11c") not in ds and
          ("trailer_end_bare_lf", "trafficserver", "h11c-echo") not in ds)
    check("desyncs_counted_in_the_grid",
          rep["grid"]["trafficserver"]["waitress"] >= 1)
    mins = [m for m in rep["minimised"]
            if (m["input"], m["proxy"]) == ("trailer_end_bare_lf",
                                            "trafficserver")]
    orig = ins["trailer_end_bare_lf"]["bytes"]
    check("minimised_desync_input_is_shorter_and_keeps_the_bare_lf_end",
          len(mins) == 1 and not mins[0].get("error") and
          len(mins[0]["bytes"]) < len(orig) and
          "0\r\n\n" in mins[0]["bytes"], mins)

    # tornado 6.2 spins on a negative chunk size and answers nobody.
    fs = {(f["input"], f["server"]): f["what"] for f in rep["findings"]}
    check("tornado_stops_answering_after_negative_chunk_size",
          fs.get(("chunk_size_minus", "tornado"), "").startswith(
              "stopped answering"), fs)
    check("tornado_restarted_after_the_hang",
          origin("trailer_end_bare_lf", "tornado").get("outcome")
          is not None)

    # The explorer ran mutants through the proxies and judged them.
    ex = rep.get("explored") or {}
    check("explorer_tries_mutants_through_the_proxies",
          ex.get("candidates", 0) >= 8, ex.get("candidates"))
    check("explorer_findings_saved_in_the_corpus_layout",
          all(os.path.exists(os.path.join(work, "found", "server",
                                          f["name"] + ".http"))
              for f in ex.get("found", [])))

    # Every server stopped.
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True,
                        text=True).stdout
    check("every_server_stopped", keep not in ps,
          [line for line in ps.splitlines() if keep in line])
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
