"""End to end on 127.0.0.1 with the binding imported as h11 everywhere:
uvicorn (--http h11) and hypercorn serving e2e_app, httpx (httpcore's h11
path) and raw sockets as clients.  Every wait is bounded; the servers
are stopped after."""
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

import h11

httpx = pytest.importorskip("httpx")
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(kind):
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = HERE + os.pathsep + env.get("PYTHONPATH", "")
    if kind == "uvicorn":
        cmd = [sys.executable, "-m", "uvicorn", "--http", "h11", "--host", "127.0.0.1",
               "--port", str(port), "--lifespan", "off", "--log-level", "warning",
               "e2e_app:app"]
    else:
        cmd = [sys.executable, "-m", "hypercorn", "--bind", "127.0.0.1:%d" % port,
               "e2e_app:app"]
    proc = subprocess.Popen(cmd, env=env, cwd=HERE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("%s did not start" % kind)


@pytest.fixture(scope="module", params=["uvicorn", "hypercorn"])
def server(request):
    proc, port = start(request.param)
    yield "http://127.0.0.1:%d" % port, port
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def test_everyone_uses_the_binding(server, client):
    import httpcore._sync.http11 as http11
    assert hasattr(http11.h11, "h11c_version")
    assert client.get(server[0] + "/which").text.endswith(" binding")


def test_content_length_body(server, client):
    r = client.post(server[0] + "/echo", content=b"hello world")
    assert r.status_code == 200 and r.text == "11:hello world"


def test_chunked_body(server, client):
    def gen():
        yield b"abc"
        yield b"defg"
    r = client.post(server[0] + "/echo", content=gen())
    assert r.text == "7:abcdefg"


def test_keep_alive(server, client):
    ports = {client.get(server[0] + "/client").text for _ in range(5)}
    assert len(ports) == 1


def test_streaming_response(server, client):
    with client.stream("GET", server[0] + "/stream") as r:
        parts = list(r.iter_bytes())
    assert b"".join(parts) == b"".join(b"part%d;" % i for i in range(5))


def raw(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def read_response(s, conn):
    events = []
    while True:
        ev = conn.next_event()
        if ev is h11.NEED_DATA:
            conn.receive_data(s.recv(65536))
            continue
        events.append(ev)
        if type(ev) in (h11.EndOfMessage, h11.InformationalResponse):
            return events


def test_100_continue(server):
    s = raw(server[1])
    conn = h11.Connection(h11.CLIENT)
    s.sendall(conn.send(h11.Request(method="POST", target="/echo", headers=[
        ("Host", "x"), ("Content-Length", "4"), ("Expect", "100-continue")])))
    first = read_response(s, conn)
    assert type(first[0]) is h11.InformationalResponse and first[0].status_code == 100
    s.sendall(conn.send(h11.Data(data=b"body")) + conn.send(h11.EndOfMessage()))
    events = read_response(s, conn)
    assert events[0].status_code == 200
    assert b"".join(e.data for e in events if type(e) is h11.Data) == b"4:body"
    s.close()


def test_client_disconnects_mid_body(server, client):
    s = raw(server[1])
    conn = h11.Connection(h11.CLIENT)
    s.sendall(conn.send(h11.Request(method="POST", target="/echo", headers=[
        ("Host", "x"), ("Content-Length", "1000")])))
    s.sendall(conn.send(h11.Data(data=b"x" * 10)))
    s.close()
    time.sleep(0.2)
    assert client.post(server[0] + "/echo", content=b"ok").text == "2:ok"
