"""Memory: a million request cycles in one process with resident memory
flat after warm-up, and reference counts of the objects handed in and out
back where they started."""
import gc
import os
import sys

import h11

CYCLES = int(os.environ.get("H11C_MEMORY_CYCLES", "1000000"))
# Under ASan (python/tests/run_asan.sh) RSS says nothing: its quarantine
# holds freed memory.  The runs still go through every path.
RSS_CHECKS = os.environ.get("H11C_UNDER_ASAN") != "1"
REQUEST = (b"POST /upload HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n")
BODY = b"Hello, World!"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cycles(n, batch=64):
    conn = h11.Connection(h11.SERVER)
    data = REQUEST * batch
    done = 0
    while done < n:
        conn.receive_data(data)
        while True:
            ev = conn.next_event()
            if ev is h11.NEED_DATA:
                break
            if type(ev) is h11.EndOfMessage:
                conn.send(h11.Response(status_code=200, headers=HEADERS))
                conn.send_with_data_passthrough(h11.Data(data=BODY))
                conn.send(h11.EndOfMessage())
                conn.start_next_cycle()
                done += 1
            elif ev is h11.PAUSED:
                raise AssertionError("paused")
        if done % 4096 < batch:
            conn.trailing_data  # exercised, dropped
    return done


def test_million_cycles_flat_rss():
    cycles(100000)
    gc.collect()
    before = rss()
    done = cycles(CYCLES)
    gc.collect()
    growth = rss() - before
    print("cycles %d, RSS before %d, growth %d bytes" % (done, before, growth))
    assert growth < 1 << 20 or not RSS_CHECKS


def test_refcounts_come_back():
    objs = [BODY, h11.NEED_DATA, h11.PAUSED, h11.CLIENT, h11.SERVER, h11.DONE,
            HEADERS[0][0], HEADERS[1][1]]
    before = [sys.getrefcount(o) for o in objs]
    cycles(5000)
    placeholder = object()
    pb = sys.getrefcount(placeholder)
    c = h11.Connection(h11.CLIENT)
    c.send(h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "3")]))
    d = h11.Data(data=placeholder)
    try:
        c.send(h11.Data(data=BODY))  # too much data: an error path
    except h11.LocalProtocolError:
        pass
    del d, c
    gc.collect()
    assert sys.getrefcount(placeholder) == pb
    assert [sys.getrefcount(o) for o in objs] == before


def test_error_paths_do_not_leak():
    gc.collect()
    before = rss()
    for i in range(200000):
        c = h11.Connection(h11.SERVER)
        c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n")
        try:
            c.next_event()
        except h11.RemoteProtocolError:
            pass
        try:
            h11.Request(method="GET", target="/", headers=[("Bad Name", "x")])
        except h11.LocalProtocolError:
            pass
    gc.collect()
    assert rss() - before < 1 << 20 or not RSS_CHECKS
