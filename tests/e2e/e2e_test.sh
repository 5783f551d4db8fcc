#!/usr/bin/env bash
# End-to-end tests of the example programs over real sockets (127.0.0.1
# only):
#
#   - examples/client against Python's http.server and against nginx
#     (files compared byte for byte, HEAD, 404, keep-alive, chunked bodies);
#   - examples/server against Python's http.client (and raw sockets), curl,
#     and examples/client (keep-alive, POST echo, Expect: 100-continue,
#     malformed requests).
#
# Usage: e2e_test.sh [CLIENT SERVER]
#   The paths of the built example binaries come from the arguments, or from
#   H11C_CLIENT and H11C_SERVER.  H11C_NGINX overrides /usr/sbin/nginx.
#
# Each check prints "ok NAME" or "FAIL NAME"; a peer that is not installed is
# reported as "SKIP ..." and its checks are not run.  The last line is
# "N passed, N failed"; the exit status is non-zero if anything failed.
# Every process the script starts is stopped on exit.

set -u

CLIENT=${1:-${H11C_CLIENT:-}}
SERVER=${2:-${H11C_SERVER:-}}
PY=/usr/bin/python3
NGINX=${H11C_NGINX:-/usr/sbin/nginx}
CALL_TIMEOUT=20

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKS="$HERE/http_checks.py"

if [[ -z "$CLIENT" || -z "$SERVER" ]]; then
  echo "usage: $0 CLIENT SERVER (or set H11C_CLIENT and H11C_SERVER)" >&2
  exit 2
fi
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
CLIENT=$(abspath "$CLIENT")
SERVER=$(abspath "$SERVER")
for bin in "$CLIENT" "$SERVER"; do
  if [[ ! -x "$bin" ]]; then
    echo "not an executable: $bin" >&2
    exit 2
  fi
done

WORK=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/h11c-e2e.XXXXXX") || exit 2
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0

ok() {
  echo "ok $1"
  PASSED=$((PASSED + 1))
}

# fail NAME [FILE...]: report a failure, with the files' contents indented.
fail() {
  local name=$1 f
  shift
  echo "FAIL $name"
  FAILED=$((FAILED + 1))
  for f in "$@"; do
    [[ -s "$f" ]] && sed -n '1,30s/^/    /p' "$f"
  done
}

# check NAME COMMAND...: the command's exit status decides.
check() {
  local name=$1
  shift
  if "$@" >"$WORK/check.out" 2>&1; then
    ok "$name"
  else
    fail "$name" "$WORK/check.out"
  fi
}

free_port() {
  "$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_port PORT: until something accepts connections there (10 s at most).
wait_port() {
  timeout 10 "$PY" -c 'import socket, sys, time
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        break
    except OSError:
        time.sleep(0.05)' "$1"
}

# wait_lines FILE N: until FILE has N lines (a server may log a request
# just after the client has read the response); 5 s at most.
wait_lines() {
  local i
  for ((i = 0; i < 50; i++)); do
    [[ $(wc -l <"$1") -ge $2 ]] && return 0
    sleep 0.1
  done
  return 1
}

# run_client OUT ERR ARGS...: the example client with a time limit.
run_client() {
  local out=$1 err=$2
  shift 2
  timeout "$CALL_TIMEOUT" "$CLIENT" -t 10 "$@" >"$out" 2>"$err"
}

# first_line FILE: the status line the client printed.
first_line() { head -n 1 "$1" | tr -d '\r'; }

count_lines() { grep -c -- "$1" "$2" 2>/dev/null || true; }

# ------------------------------------------------------------------------
# Test data
# ------------------------------------------------------------------------

DOCS="$WORK/docs"
mkdir -p "$DOCS/sub"
printf 'hello, world\n' >"$DOCS/small.txt"
: >"$DOCS/empty.txt"
head -c 300000 /dev/urandom >"$DOCS/binary.dat"
"$PY" -c 'import sys
sys.stdout.write("".join("line %06d of a text file\n" % i for i in range(20000)))' >"$DOCS/sub/big.txt"
chmod -R a+rX "$DOCS"

# ------------------------------------------------------------------------
# The example client against Python's http.server
# ------------------------------------------------------------------------

client_get_file() { # NAME BASE_URL FILE [expected status line prefix]
  local name=$1 base=$2 file=$3
  if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" "$base/$file" &&
    [[ "$(first_line "$WORK/out")" == "HTTP/1."[01]" 200 "* ]] &&
    cmp -s "$WORK/body" "$DOCS/$file"; then
    ok "$name"
  else
    fail "$name" "$WORK/out" "$WORK/err"
  fi
}

client_head() { # NAME BASE_URL FILE
  local name=$1 base=$2 file=$3 size
  size=$(wc -c <"$DOCS/$file" | tr -d ' ')
  if run_client "$WORK/out" "$WORK/err" -X HEAD -o "$WORK/body" "$base/$file" &&
    [[ "$(first_line "$WORK/out")" == "HTTP/1."[01]" 200 "* ]] &&
    grep -qix "content-length: $size" "$WORK/out" &&
    [[ ! -s "$WORK/body" ]]; then
    ok "$name"
  else
    fail "$name" "$WORK/out" "$WORK/err"
  fi
}

client_404() { # NAME BASE_URL
  local name=$1 base=$2
  if run_client "$WORK/out" "$WORK/err" "$base/no/such/file" &&
    [[ "$(first_line "$WORK/out")" == "HTTP/1."[01]" 404 "* ]]; then
    ok "$name"
  else
    fail "$name" "$WORK/out" "$WORK/err"
  fi
}

if [[ -x "$PY" ]]; then
  PY_PORT=$(free_port)
  "$PY" -m http.server --bind 127.0.0.1 "$PY_PORT" --directory "$DOCS" \
    >"$WORK/http.server.log" 2>&1 &
  PIDS+=($!)
  if wait_port "$PY_PORT"; then
    PYURL="http://127.0.0.1:$PY_PORT"
    client_get_file pyserver_get_small "$PYURL" small.txt
    client_get_file pyserver_get_binary "$PYURL" binary.dat
    client_get_file pyserver_get_empty "$PYURL" empty.txt
    client_get_file pyserver_get_subdir "$PYURL" sub/big.txt
    client_head pyserver_head "$PYURL" binary.dat
    client_404 pyserver_404 "$PYURL"

    # http.server answers with HTTP/1.0 and closes: the client must open a
    # new connection for the second URL and still get both bodies right.
    if run_client "$WORK/out" "$WORK/err" -v -o "$WORK/body" \
      "$PYURL/small.txt" "$PYURL/binary.dat" &&
      cat "$DOCS/small.txt" "$DOCS/binary.dat" | cmp -s - "$WORK/body" &&
      [[ $(count_lines '^\* connected' "$WORK/err") == 2 ]]; then
      ok pyserver_two_urls_reconnect
    else
      fail pyserver_two_urls_reconnect "$WORK/out" "$WORK/err"
    fi
  else
    fail pyserver_start "$WORK/http.server.log"
  fi
else
  echo "SKIP python http.server: $PY not installed"
fi

# ------------------------------------------------------------------------
# The example client against nginx
# ------------------------------------------------------------------------

if [[ -x "$NGINX" ]]; then
  NG="$WORK/nginx"
  mkdir -p "$NG/logs" "$NG/tmp"
  NG_PORT=$(free_port)
  # ssi on a location drops the Content-Length of the files it serves, so
  # nginx sends them chunked to an HTTP/1.1 client.
  cat >"$NG/nginx.conf" <<EOF
worker_processes 1;
master_process off;
pid $NG/nginx.pid;
error_log $NG/logs/error.log info;
events { worker_connections 64; }
http {
  log_format conn '\$connection \$connection_requests "\$request" \$status';
  access_log $NG/logs/access.log conn;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  default_type application/octet-stream;
  keepalive_timeout 30s;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $DOCS;
    location /chunked/ {
      alias $DOCS/;
      ssi on;
      ssi_types *;
    }
  }
}
EOF
  "$NGINX" -p "$NG" -e "$NG/logs/error.log" -c "$NG/nginx.conf" \
    -g 'daemon off;' >"$NG/logs/stdout.log" 2>&1 &
  PIDS+=($!)
  if wait_port "$NG_PORT"; then
    NGURL="http://127.0.0.1:$NG_PORT"
    client_get_file nginx_get_small "$NGURL" small.txt
    client_get_file nginx_get_binary "$NGURL" binary.dat
    client_get_file nginx_get_empty "$NGURL" empty.txt
    client_head nginx_head "$NGURL" binary.dat
    client_404 nginx_404 "$NGURL"

    # Chunked responses, checked to really be chunked.
    if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" \
      "$NGURL/chunked/sub/big.txt" &&
      [[ "$(first_line "$WORK/out")" == "HTTP/1.1 200 "* ]] &&
      grep -qix 'transfer-encoding: chunked' "$WORK/out" &&
      cmp -s "$WORK/body" "$DOCS/sub/big.txt"; then
      ok nginx_chunked
    else
      fail nginx_chunked "$WORK/out" "$WORK/err"
    fi

    # Keep-alive: three requests (one chunked) over one connection, seen
    # from the client (-v) and from nginx's log ($connection).
    : >"$NG/logs/access.log"
    if run_client "$WORK/out" "$WORK/err" -v -o "$WORK/body" \
      "$NGURL/small.txt" "$NGURL/chunked/binary.dat" "$NGURL/sub/big.txt" &&
      cat "$DOCS/small.txt" "$DOCS/binary.dat" "$DOCS/sub/big.txt" |
      cmp -s - "$WORK/body" &&
      [[ $(count_lines '^\* connected' "$WORK/err") == 1 ]] &&
      [[ $(count_lines '^\* reusing' "$WORK/err") == 2 ]] &&
      wait_lines "$NG/logs/access.log" 3 &&
      [[ $(awk '{print $1}' "$NG/logs/access.log" | sort -u | wc -l) == 1 ]]; then
      ok nginx_keepalive
    else
      fail nginx_keepalive "$WORK/err" "$NG/logs/access.log" "$WORK/out"
    fi

    # A request body is sent and framed right: nginx answers 405 to a POST
    # on a static file, and the connection stays usable.
    if run_client "$WORK/out" "$WORK/err" -v -d 'some body' \
      "$NGURL/small.txt" "$NGURL/small.txt" &&
      [[ "$(first_line "$WORK/out")" == "HTTP/1.1 405 "* ]] &&
      [[ $(count_lines '^\* connected' "$WORK/err") == 1 ]]; then
      ok nginx_post_body
    else
      fail nginx_post_body "$WORK/out" "$WORK/err"
    fi
  else
    fail nginx_start "$NG/logs/stdout.log" "$NG/logs/error.log"
  fi
else
  echo "SKIP nginx: not installed"
fi

# ------------------------------------------------------------------------
# The example client against canned responses (http_checks.py serve)
# ------------------------------------------------------------------------

if [[ -x "$PY" ]]; then
  timeout 600 "$PY" "$CHECKS" serve "$WORK/canned.port" >"$WORK/canned.log" 2>&1 &
  PIDS+=($!)
  for ((i = 0; i < 100; i++)); do
    [[ -s "$WORK/canned.port" ]] && break
    sleep 0.1
  done
  CANNED_PORT=$(cat "$WORK/canned.port" 2>/dev/null)
  if [[ -n "$CANNED_PORT" ]] && wait_port "$CANNED_PORT"; then
    CANNED_URL="http://127.0.0.1:$CANNED_PORT"

    # A body delimited by the end of the connection.
    if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" "$CANNED_URL/close-delimited" &&
      [[ $(count_lines '^until EOF$' "$WORK/body") == 1000 ]] &&
      [[ $(wc -c <"$WORK/body") == 10000 ]]; then
      ok canned_close_delimited
    else
      fail canned_close_delimited "$WORK/out" "$WORK/err"
    fi

    # Chunked with a chunk extension and a trailer.
    if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" "$CANNED_URL/chunked-trailers" &&
      [[ "$(cat "$WORK/body")" == 'hello!' ]] &&
      grep -qx 'X-Trailer: yes' "$WORK/out"; then
      ok canned_chunked_trailers
    else
      fail canned_chunked_trailers "$WORK/out" "$WORK/err"
    fi

    # A 1xx response before the final one.
    if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" "$CANNED_URL/informational" &&
      [[ "$(first_line "$WORK/out")" == 'HTTP/1.1 103 Early Hints' ]] &&
      grep -qx 'HTTP/1.1 200 OK' "$WORK/out" &&
      [[ "$(cat "$WORK/body")" == ok ]]; then
      ok canned_informational
    else
      fail canned_informational "$WORK/out" "$WORK/err"
    fi

    # The server closes a connection it had left open: the client notices
    # on reuse and retries on a new one.
    if run_client "$WORK/out" "$WORK/err" -v -o "$WORK/body" \
      "$CANNED_URL/silent-close" "$CANNED_URL/silent-close" &&
      [[ "$(cat "$WORK/body")" == silentsilent ]] &&
      [[ $(count_lines '^\* connected' "$WORK/err") == 2 ]]; then
      ok canned_stale_connection_retry
    else
      fail canned_stale_connection_retry "$WORK/out" "$WORK/err"
    fi

    # An invalid response is an error (exit status 1), not a hang.
    run_client "$WORK/out" "$WORK/err" "$CANNED_URL/bad-status"
    rc=$?
    if [[ $rc == 1 ]] && grep -q 'bad response' "$WORK/err"; then
      ok canned_bad_status_line
    else
      echo "exit status $rc" >>"$WORK/err"
      fail canned_bad_status_line "$WORK/out" "$WORK/err"
    fi
  else
    fail canned_start "$WORK/canned.log"
  fi
fi

# ------------------------------------------------------------------------
# The example server against Python's http.client, curl and the client
# ------------------------------------------------------------------------

# start_server NAME ARGS...: sets SRV_PORT and SRV_PID.
start_server() {
  local log="$WORK/$1"
  shift
  SRV_PORT=
  : >"$log.out"
  "$SERVER" -b 127.0.0.1 -p 0 -t 5 "$@" >"$log.out" 2>"$log.err" &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    SRV_PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$log.out")
    [[ -n "$SRV_PORT" ]] && return 0
    kill -0 "$SRV_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

if start_server server; then
  SRVURL="http://127.0.0.1:$SRV_PORT"

  if [[ -x "$PY" ]]; then
    for c in get keepalive head post_echo chunked_request expect_100 \
      pipelined http10 malformed_400 too_long_431 unsupported_te_501 \
      method_405; do
      check "server_py_$c" timeout "$CALL_TIMEOUT" "$PY" "$CHECKS" "$c" "$SRV_PORT"
    done
  fi

  if command -v curl >/dev/null 2>&1; then
    CURL=(timeout "$CALL_TIMEOUT" curl -sS --max-time 15 --noproxy '*')
    if "${CURL[@]}" -o "$WORK/body" "$SRVURL/curl" >"$WORK/out" 2>"$WORK/err" &&
      grep -qx 'method: GET' "$WORK/body" &&
      grep -qx 'target: /curl' "$WORK/body"; then
      ok server_curl_get
    else
      fail server_curl_get "$WORK/err" "$WORK/body"
    fi

    if "${CURL[@]}" -v -o "$WORK/body" -o "$WORK/body2" "$SRVURL/a" "$SRVURL/b" \
      >"$WORK/out" 2>"$WORK/err" &&
      grep -q 'Re-using existing connection' "$WORK/err" &&
      grep -qx 'request: 2' "$WORK/body2"; then
      ok server_curl_keepalive
    else
      fail server_curl_keepalive "$WORK/err"
    fi

    if "${CURL[@]}" --data-binary "@$DOCS/binary.dat" \
      -H 'Content-Type: application/x-bin' -o "$WORK/body" "$SRVURL/post" \
      >"$WORK/out" 2>"$WORK/err" && cmp -s "$WORK/body" "$DOCS/binary.dat"; then
      ok server_curl_post_echo
    else
      fail server_curl_post_echo "$WORK/err"
    fi

    # curl waits for 100 Continue before it sends the body.
    if "${CURL[@]}" -v --expect100-timeout 10 -H 'Expect: 100-continue' \
      --data-binary "@$DOCS/small.txt" -o "$WORK/body" "$SRVURL/expect" \
      >"$WORK/out" 2>"$WORK/err" &&
      grep -q '< HTTP/1.1 100 Continue' "$WORK/err" &&
      cmp -s "$WORK/body" "$DOCS/small.txt"; then
      ok server_curl_expect_100
    else
      fail server_curl_expect_100 "$WORK/err"
    fi

    if "${CURL[@]}" -X BREW -o /dev/null -w '%{http_code}\n' "$SRVURL/pot" \
      >"$WORK/out" 2>"$WORK/err" && [[ "$(cat "$WORK/out")" == 405 ]]; then
      ok server_curl_405
    else
      fail server_curl_405 "$WORK/out" "$WORK/err"
    fi
  else
    echo "SKIP curl: not installed"
  fi

  # The example client against the example server.
  if run_client "$WORK/out" "$WORK/err" -v -o "$WORK/body" \
    "$SRVURL/x" "$SRVURL/y" &&
    [[ $(count_lines '^\* connected' "$WORK/err") == 1 ]] &&
    [[ $(count_lines '^request: ' "$WORK/body") == 2 ]] &&
    grep -qx 'request: 2' "$WORK/body"; then
    ok self_keepalive
  else
    fail self_keepalive "$WORK/out" "$WORK/err"
  fi

  if run_client "$WORK/out" "$WORK/err" -o "$WORK/body" \
    -d "@$DOCS/binary.dat" "$SRVURL/post" &&
    cmp -s "$WORK/body" "$DOCS/binary.dat"; then
    ok self_post_echo
  else
    fail self_post_echo "$WORK/out" "$WORK/err"
  fi

  if run_client "$WORK/out" "$WORK/err" -X HEAD -H 'X-Extra: 1' "$SRVURL/h" &&
    [[ "$(first_line "$WORK/out")" == "HTTP/1.1 200 OK" ]] &&
    [[ $(tail -n 1 "$WORK/out") == "" ]]; then
    ok self_head
  else
    fail self_head "$WORK/out" "$WORK/err"
  fi

  if kill -0 "$SRV_PID" 2>/dev/null; then
    ok server_still_running
  else
    fail server_still_running "$WORK/server.err"
  fi
else
  fail server_start "$WORK/server.out" "$WORK/server.err"
fi

# --max-requests: the server answers that many requests and exits cleanly.
if start_server server_max --max-requests 3; then
  URL="http://127.0.0.1:$SRV_PORT"
  status=0
  run_client "$WORK/out" "$WORK/err" -v -o "$WORK/body" "$URL/1" "$URL/2" "$URL/3" || status=1
  for ((i = 0; i < 100; i++)); do
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SRV_PID" 2>/dev/null; then
    echo "server still running after the requests" >>"$WORK/server_max.err"
    kill "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
    rc=124
  else
    wait "$SRV_PID"
    rc=$?
  fi
  if [[ $status == 0 && $rc == 0 ]] &&
    [[ $(count_lines '^request: ' "$WORK/body") == 3 ]] &&
    grep -qix 'connection: close' "$WORK/out"; then
    ok server_max_requests
  else
    fail server_max_requests "$WORK/out" "$WORK/err" "$WORK/server_max.err"
  fi
else
  fail server_max_requests_start "$WORK/server_max.out" "$WORK/server_max.err"
fi

# With sanitizer builds, a report from any of our processes is a failure.
if grep -l -E 'runtime error:|Sanitizer' "$WORK"/*.err >"$WORK/sanitizer.list" 2>/dev/null; then
  mapfile -t reports <"$WORK/sanitizer.list"
  fail no_sanitizer_reports "${reports[@]}"
else
  ok no_sanitizer_reports
fi

echo "$PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
