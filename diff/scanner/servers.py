"""The real servers of the scanner: how each is configured in a temporary
directory, started in the foreground on 127.0.0.1, checked and stopped.

Proxies forward to a recording origin (scan_origin --record); origins
answer every request with their own parse of it as JSON (echo_apps.py,
node_echo.js, echo.ru, scan_origin --echo).

Every server runs in its own session (its process group has its pid), so
stopping it signals that group only, by that pid, and the group is checked
to be gone afterwards.
"""

import os
import shutil
import signal
import subprocess
import time

import wire

PY = "/usr/bin/python3"
# Daemons live in sbin, which test environments leave out of PATH.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", "/usr/bin:/bin"),
                               "/usr/local/sbin", "/usr/sbin", "/sbin"])


def which(name):
    return shutil.which(name, path=SEARCH_PATH)


class Spec:
    """A server the scanner knows.  kind: 'proxy' or 'origin'."""

    def __init__(self, name, kind, needs, about, write):
        self.name = name
        self.kind = kind
        self.needs = needs  # executables or Python modules ("py:NAME")
        self.about = about
        self.write = write  # (ctx) -> (argv, env or None)

    def missing(self):
        """Why this server cannot run here, or None."""
        for need in self.needs:
            if need.startswith("py:"):
                mod = need[3:]
                r = subprocess.run([PY, "-c", "import " + mod],
                                   capture_output=True)
                if r.returncode != 0:
                    return "%s cannot import %s" % (PY, mod)
            elif not which(need):
                return "%s is not installed" % need
        return None


class Ctx:
    """What a config writer gets: its directory, its port, the upstream
    port (proxies), and the files the scanner ships."""

    def __init__(self, dir, port, upstream, files):
        self.dir = dir
        self.port = port
        self.upstream = upstream
        self.files = files

    def put(self, name, text, mode=0o644):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def mkdir(self, name, mode=0o777):
        path = os.path.join(self.dir, name)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        return path


# Proxies ------------------------------------------------------------------

def _nginx(c):
    d = c.dir
    for t in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        c.mkdir("tmp/" + t)
    conf = c.put("nginx.conf", f"""
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  upstream o {{ server 127.0.0.1:{c.upstream}; keepalive 4; }}
  server {{
    listen 127.0.0.1:{c.port};
    location / {{
      proxy_pass http://o;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
""")
    return ["nginx", "-p", d, "-e", d + "/error.log", "-c", conf,
            "-g", "daemon off;"], None


def _haproxy(c):
    conf = c.put("haproxy.cfg", f"""
defaults
  mode http
  timeout connect 5s
  timeout client 10s
  timeout server 10s
frontend fe
  bind 127.0.0.1:{c.port}
  default_backend be
backend be
  server o1 127.0.0.1:{c.upstream}
""")
    return ["haproxy", "-db", "-f", conf], None


def _apache(c):
    d = c.dir
    c.mkdir("run")
    mods = "/usr/lib/apache2/modules"
    conf = c.put("httpd.conf", f"""
ServerRoot {d}
DefaultRuntimeDir {d}/run
PidFile {d}/run/httpd.pid
Mutex file:{d}/run default
Listen 127.0.0.1:{c.port}
ServerName localhost
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule proxy_module {mods}/mod_proxy.so
LoadModule proxy_http_module {mods}/mod_proxy_http.so
User www-data
Group www-data
ErrorLog {d}/error.log
ProxyPass / http://127.0.0.1:{c.upstream}/
""")
    return ["apache2", "-f", conf, "-DFOREGROUND"], None


def _varnish(c):
    work = c.mkdir("work", 0o755)
    vcl = c.put("default.vcl", f"""vcl 4.1;
backend default {{ .host = "127.0.0.1"; .port = "{c.upstream}"; }}
sub vcl_recv {{ return (pass); }}
""")
    return ["varnishd", "-F", "-a", "127.0.0.1:%d" % c.port, "-f", vcl,
            "-n", work, "-T", "none", "-s", "malloc,32m"], None


def _squid(c):
    d = c.dir
    conf = c.put("squid.conf", f"""
http_port 127.0.0.1:{c.port} accel defaultsite=127.0.0.1 no-vhost
cache_peer 127.0.0.1 parent {c.upstream} 0 no-query originserver no-digest name=origin
cache_peer_access origin allow all
never_direct allow all
http_access allow all
cache deny all
pid_filename {d}/squid.pid
cache_log {d}/cache.log
access_log stdio:{d}/access.log
coredump_dir {d}
dns_nameservers 127.0.0.1
udp_incoming_address 127.0.0.1
udp_outgoing_address 127.0.0.1
pinger_enable off
netdb_filename none
shutdown_lifetime 1 seconds
cache_effective_user proxy
""")
    shutil.chown(d, "proxy", "proxy")
    return ["squid", "-N", "-d", "1", "-f", conf], None


def _trafficserver(c):
    d = c.dir
    etc = os.path.join(d, "etc")
    if not os.path.isdir(etc):
        shutil.copytree("/etc/trafficserver", etc)
    for sub in ("run", "log", "cache", "state"):
        c.mkdir(sub)
    rec = os.path.join(etc, "records.config")
    keep = []
    override = {
        "proxy.config.http.server_ports": "STRING %d:ip-in=127.0.0.1" % c.port,
        "proxy.config.http.cache.http": "INT 0",
        "proxy.config.dns.nameservers": "STRING 127.0.0.1",
        "proxy.config.dns.resolv_conf": "STRING NULL",
        "proxy.config.admin.user_id": "STRING trafficserver",
    }
    with open(rec) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "CONFIG" and \
                    parts[1] in override:
                continue
            keep.append(line)
    keep += ["CONFIG %s %s\n" % kv for kv in override.items()]
    c.put("etc/records.config", "".join(keep))
    c.put("etc/remap.config", "map / http://127.0.0.1:%d/\n" % c.upstream)
    c.put("etc/storage.config", "%s/cache 64M\n" % d)
    runroot = c.put("runroot.yaml", f"""prefix: {d}
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: {etc}
datadir: /usr/share/trafficserver
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: {d}/state
runtimedir: {d}/run
logdir: {d}/log
cachedir: {d}/cache
""")
    subprocess.run(["chown", "-R", "trafficserver:trafficserver", d],
                   check=False)
    return ["traffic_server", "--run-root=" + runroot], None


def _h2o(c):
    conf = c.put("h2o.conf", f"""listen:
  host: 127.0.0.1
  port: {c.port}
user: nobody
error-log: {c.dir}/error.log
hosts:
  "default":
    paths:
      /:
        proxy.reverse.url: http://127.0.0.1:{c.upstream}/
""")
    shutil.chown(c.dir, "nobody")
    return ["h2o", "-c", conf], None


def _lighttpd(c):
    d = c.dir
    c.mkdir("www", 0o755)
    c.put("error.log", "")
    shutil.chown(os.path.join(d, "error.log"), "www-data", "www-data")
    conf = c.put("lighttpd.conf", f"""
server.modules = ("mod_proxy")
server.document-root = "{d}/www"
server.bind = "127.0.0.1"
server.port = {c.port}
server.username = "www-data"
server.groupname = "www-data"
server.errorlog = "{d}/error.log"
proxy.server = ("" => (( "host" => "127.0.0.1", "port" => {c.upstream} )))
""")
    return ["lighttpd", "-D", "-f", conf], None


def _caddy(c):
    d = c.dir
    conf = c.put("Caddyfile", f"""{{
  admin off
  auto_https off
}}
http://:{c.port} {{
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:{c.upstream}
}}
""")
    env = dict(os.environ, HOME=d, XDG_DATA_HOME=d + "/data",
               XDG_CONFIG_HOME=d + "/config")
    return ["caddy", "run", "--config", conf, "--adapter", "caddyfile"], env


def _nghttpx(c):
    d = c.dir
    conf = c.put("nghttpx.conf", f"""frontend=127.0.0.1,{c.port};no-tls
backend=127.0.0.1,{c.upstream}
workers=1
errorlog-file={d}/error.log
accesslog-file={d}/access.log
""")
    return ["nghttpx", "--conf=" + conf], None


# Origins -------------------------------------------------------------------

def _py_env(c):
    return dict(os.environ, PYTHONPATH=c.files["apps_dir"],
                PYTHONDONTWRITEBYTECODE="1")


def _gunicorn(c):
    return [PY, "-m", "gunicorn", "-b", "127.0.0.1:%d" % c.port, "-w", "1",
            "echo_apps:wsgi_app"], _py_env(c)


def _uvicorn(http):
    def write(c):
        return [PY, "-m", "uvicorn", "--host", "127.0.0.1", "--port",
                str(c.port), "--http", http, "--no-access-log",
                "--log-level", "warning", "echo_apps:asgi_app"], _py_env(c)
    return write


def _hypercorn(c):
    return [PY, "-m", "hypercorn", "-b", "127.0.0.1:%d" % c.port,
            "echo_apps:asgi_app"], _py_env(c)


def _waitress(c):
    return [PY, "-m", "waitress", "--listen=127.0.0.1:%d" % c.port,
            "echo_apps:wsgi_app"], _py_env(c)


def _py_runner(kind):
    def write(c):
        return [PY, c.files["echo_apps"], kind, str(c.port)], _py_env(c)
    return write


def _node(c):
    return ["node", c.files["node_echo"], str(c.port)], None


def _puma(c):
    return ["puma", "-b", "tcp://127.0.0.1:%d" % c.port, "-t", "1:4",
            "--no-config", "--quiet", c.files["echo_ru"]], None


def _h11c(c):
    return [c.files["scan_origin"], "--port", str(c.port), "--echo"], None


SPECS = [
    Spec("nginx", "proxy", ["nginx"], "nginx reverse proxy", _nginx),
    Spec("haproxy", "proxy", ["haproxy"], "HAProxy, mode http", _haproxy),
    Spec("apache", "proxy", ["apache2"], "Apache httpd mod_proxy_http",
         _apache),
    Spec("varnish", "proxy", ["varnishd", "gcc"], "Varnish, pass VCL",
         _varnish),
    Spec("squid", "proxy", ["squid"], "Squid, accelerator mode", _squid),
    Spec("trafficserver", "proxy", ["traffic_server"],
         "Apache Traffic Server, reverse proxy", _trafficserver),
    Spec("h2o", "proxy", ["h2o"], "H2O proxy.reverse", _h2o),
    Spec("lighttpd", "proxy", ["lighttpd"], "lighttpd mod_proxy", _lighttpd),
    Spec("caddy", "proxy", ["caddy"], "Caddy reverse_proxy", _caddy),
    Spec("nghttpx", "proxy", ["nghttpx"], "nghttpx, HTTP/1.1 frontend",
         _nghttpx),
    Spec("h11c-echo", "origin", [], "scan_origin --echo (h11c)", _h11c),
    Spec("gunicorn", "origin", ["py:gunicorn"], "gunicorn sync worker",
         _gunicorn),
    Spec("uvicorn-h11", "origin", ["py:uvicorn", "py:h11"], "uvicorn, h11",
         _uvicorn("h11")),
    Spec("uvicorn-httptools", "origin", ["py:uvicorn", "py:httptools"],
         "uvicorn, httptools (http_parser)", _uvicorn("httptools")),
    Spec("hypercorn", "origin", ["py:hypercorn"], "hypercorn (h11)",
         _hypercorn),
    Spec("waitress", "origin", ["py:waitress"], "waitress", _waitress),
    Spec("aiohttp", "origin", ["py:aiohttp"], "aiohttp low-level server",
         _py_runner("aiohttp")),
    Spec("tornado", "origin", ["py:tornado"], "tornado HTTPServer",
         _py_runner("tornado")),
    Spec("twisted", "origin", ["py:twisted.web"], "twisted.web",
         _py_runner("twisted")),
    Spec("node", "origin", ["node"], "node http.createServer (llhttp)",
         _node),
    Spec("puma", "origin", ["puma"], "puma (Ragel parser)", _puma),
]

BY_NAME = {s.name: s for s in SPECS}


def _session_pids(sid):
    """Pids of the processes in session sid."""
    out = []
    for ent in os.listdir("/proc"):
        if not ent.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % ent) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 3 and int(fields[3]) == sid and fields[0] != "Z":
            out.append(int(ent))
    return out


class Running:
    """A started server process (its own session and process group)."""

    def __init__(self, spec, dir, port, argv, env, log):
        self.spec = spec
        self.name = spec.name
        self.dir = dir
        self.port = port
        self.argv = argv
        self.log = log
        self.proc = subprocess.Popen(argv, env=env, cwd=dir,
                                     stdin=subprocess.DEVNULL,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def wait_listening(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return False
            if wire.port_open(self.port):
                return True
            time.sleep(0.05)
        return False

    def stop(self, grace=5.0):
        """SIGTERM to the server's process group (its pid), SIGKILL after
        grace seconds; returns the pids that had to be killed."""
        killed = []
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            self.proc.poll()
            if not _session_pids(self.pid):
                break
            time.sleep(0.05)
        left = _session_pids(self.pid)
        if left:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            for p in left:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            killed = left
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()
        return killed

    def log_tail(self, n=5):
        try:
            with open(self.log.name, errors="replace") as f:
                return "".join(f.readlines()[-n:]).strip()
        except OSError:
            return ""


def start(spec, root, files, upstream=None, ready_timeout=15.0):
    """Writes the config of spec under root and starts it on a free port.
    Returns (Running, None) or (None, why it could not start)."""
    why = spec.missing()
    if why:
        return None, why
    d = os.path.join(root, spec.name)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    port = wire.free_port()
    try:
        argv, env = spec.write(Ctx(d, port, upstream, files))
    except (OSError, LookupError) as e:
        return None, "config: %s" % e
    if not os.path.isabs(argv[0]):
        argv = [which(argv[0]) or argv[0]] + argv[1:]
    env = dict(env if env is not None else os.environ, PATH=SEARCH_PATH)
    log = open(os.path.join(d, "server.log"), "w")
    try:
        r = Running(spec, d, port, argv, env, log)
    except OSError as e:
        log.close()
        return None, "cannot run %s: %s" % (argv[0], e)
    if not r.wait_listening(ready_timeout):
        tail = r.log_tail()
        alive = r.alive()
        r.stop()
        return None, ("did not listen within %.0f s" % ready_timeout
                      if alive else "exited at start") + \
            (": " + tail.replace("\n", " | ") if tail else "")
    return r, None
