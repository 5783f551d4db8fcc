"""Unit checks of the scanner's judgements and response reading, on
hand-made verdicts and byte streams (no servers).  The last line is
"N passed, N failed"."""

import os
import socket
import sys
import tempfile
import threading

import checks
import explore
import judge
import minimise
import servers
import wire

check = checks.Checks()


def verdict(ends, outcome="closed", status=None):
    return {"messages": [{"end": e} for e in ends], "outcome": outcome,
            "error": {"status_hint": status, "offset": 0}
            if outcome == "error" else None, "leftover": 0}


def main():
    a = judge.align
    check("same_ends_are_ok", a([40, 90], verdict([40, 90]))[0] == "ok")
    check("extra_request_inside_one_is_desync",
          a([90], verdict([40, 90]))[0] == "desync")
    check("request_running_into_the_next_is_desync",
          a([40, 90], verdict([90]))[0] == "desync")
    check("waiting_across_a_proxy_boundary_is_desync",
          a([40, 90], verdict([], "incomplete"))[0] == "desync")
    check("waiting_for_the_last_request_is_incomplete",
          a([40, 90], verdict([40], "incomplete"))[0] == "incomplete")
    check("reject_at_a_boundary_is_rejects",
          a([40, 90], verdict([40], "error", 400))[0] == "rejects")
    check("reject_after_misframing_is_desync",
          a([90], verdict([40], "error", 400))[0] == "desync")
    check("close_after_the_first_is_closes",
          a([40, 90], verdict([40], "must_close"))[0] == "closes")
    check("fewer_requests_without_error_is_desync",
          a([40, 90], verdict([40]))[0] == "desync")

    two = (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
           b"HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"3\r\nbad\r\n0\r\n\r\n")
    rs, used = wire.parse_responses(two, False)
    check("parses_pipelined_responses",
          [(s, b) for s, _, _, b in rs] == [(200, b"hi"), (400, b"bad")] and
          used == len(two), rs)
    rs, used = wire.parse_responses(b"HTTP/1.1 200 OK\r\n\r\nrest", False)
    check("close_delimited_response_waits_for_eof", rs == [] and used == 0)
    rs, used = wire.parse_responses(b"HTTP/1.1 200 OK\r\n\r\nrest", True)
    check("close_delimited_response_ends_at_eof",
          [b for _, _, _, b in rs] == [b"rest"])
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 9\r\n\r\n")
    rs, used = wire.parse_responses(head + head, True)
    check("json_answers_to_head_have_no_body",
          [b for _, _, _, b in rs] == [b"", b""] and used == 2 * len(head),
          rs)
    rs, _ = wire.parse_responses(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No\r\n\r\n", False)
    check("skips_interim_responses", [s for s, _, _, _ in rs] == [204])

    # A server that answers a HEAD with a head only, then a GET: each
    # answer is attributed to the segment it answers.
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)

    def serve():
        c, _ = lsock.accept()
        c.recv(100)
        c.sendall(head)
        c.recv(100)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        c.recv(100)
        c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    ex = wire.exchange(lsock.getsockname()[1], [b"HEAD / x\r\n\r\n",
                                                b"GET / x\r\n\r\n"],
                       first_wait=0.3, eof_wait=1.0)
    t.join(5)
    lsock.close()
    check("answer_to_head_belongs_to_its_segment",
          [(r.status, r.segment) for r in ex.responses] == [(200, 0),
                                                            (200, 1)],
          [(r.status, r.segment) for r in ex.responses])

    class Ex:
        responses = []
        end = "eof"
        half_closed = True

    class R(wire.Response):
        pass

    ex = Ex()
    ex.responses = [
        R(200, "OK", [("x-scan-echo", "t")], b'{"method":"GET","target":"/"}',
          0),
        R(200, "OK", [("x-scan-echo", "t"), ("connection", "close")],
          b'{"method":"GET","target":"/b"}', 1)]
    v, _ = judge.origin_verdict("t", ex, [10, 30, 50], 50)
    check("origin_verdict_ends_at_the_answered_segment",
          judge.ends(v) == [10, 30] and v["outcome"] == "must_close" and
          v["leftover"] == 20, v)
    ex.responses = [R(405, "No", [("x-scan-echo", "t")],
                      b'{"method":"CONNECT","target":"a:1"}', 0)]
    v, _ = judge.origin_verdict("t", ex, [10], 10)
    check("origin_echo_with_an_error_status_is_a_request",
          v["outcome"] == "closed" and judge.ends(v) == [10], v)
    ex.responses = [R(400, "Bad", [], b"", 0)]
    ex.half_closed = False
    v, _ = judge.origin_verdict("t", ex, [10], 10)
    check("origin_error_answer_is_error_with_its_status",
          v["outcome"] == "error" and v["error"]["status_hint"] == 400, v)

    got = minimise.minimise(b"GET / HTTP/1.1\r\nX: ab\r\nY: z\r\n\r\n",
                            lambda d: b"ab" in d and b"z" in d, 10)
    check("minimise_keeps_what_the_test_needs", got == b"abz", got)
    check("minimise_splits_lines_with_their_ends",
          minimise.split_lines(b"a\r\nb\nc") == [b"a\r\n", b"b\n", b"c"])

    res = {"nginx": {"action": "rejected", "connections": []},
           "haproxy": {"action": "forwarded", "connections": [
               {"judged": {"llhttp": {"judgement": "desync"}}}]}}
    check("features_are_actions_and_judgements",
          explore.features(res) == {("nginx", "rejected"),
                                    ("haproxy", "forwarded"),
                                    ("haproxy", "llhttp", "desync")})
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "scan_mutate")
    work = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    parent = os.path.join(work, "p.http")
    seed = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
    with open(parent, "wb") as f:
        f.write(seed)
    ms = explore.mutate(tool, 7, 20, os.path.join(work, "m"), [parent],
                        [parent])
    check("mutate_writes_the_mutants_it_names",
          len(ms) == 20 and all(m["parent"] == 0 and m["ops"] for m in ms),
          ms[:2])
    check("mutants_differ_from_their_parent",
          sum(m["data"] != seed for m in ms) >= 15)
    again = explore.mutate(tool, 7, 20, os.path.join(work, "m2"), [parent],
                           [parent])
    check("mutants_depend_only_on_the_seed",
          [m["data"] for m in ms] == [m["data"] for m in again])

    spec = servers.Spec("none", "origin", ["no-such-server-binary"], "", None)
    check("missing_server_says_why",
          "no-such-server-binary is not installed" == spec.missing())
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
