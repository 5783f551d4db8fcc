/*
 * scan_origin: the origins of the real-server scanner, written on h11c.
 *
 *   scan_origin --port N --record DIR [--drain-ms N] [--idle S]
 *   scan_origin --port N --echo [--idle S]
 *
 * Listens on 127.0.0.1 port N (0 picks a free port) and prints
 * "listening on 127.0.0.1:PORT" once it does.  Each connection is served by
 * a child process, so a slow or stuck connection holds up no other.
 *
 * --record DIR: the recording origin behind a proxy.  Every byte received on
 * connection K is appended to DIR/conn-K.bin (K has five digits) as soon as
 * it arrives, before it is parsed.  Every request h11c can delimit is
 * answered with a fixed "200 OK" (405 to CONNECT, which declines the
 * tunnel), Content-Length: 0, and DIR/conn-K.ev gets one line per event:
 *
 *   req RECEIVED END   a response was sent when RECEIVED bytes had arrived;
 *                      h11c's request ended at byte END
 *   err RECEIVED OFFSET STATUS
 *                      h11c rejected the stream (OFFSET: bytes consumed into
 *                      complete requests; STATUS: its status hint); the
 *                      recorder keeps reading for --drain-ms (default 200)
 *                      so that the rest of what the proxy sent is recorded,
 *                      then answers STATUS and closes
 *   eof RECEIVED       the proxy closed the connection
 *   idle RECEIVED      nothing arrived for --idle seconds; closed
 *
 * A proxy sends a request and waits for its response before it sends the
 * next one on the same connection, so RECEIVED marks where the proxy's own
 * idea of each request ends: the scanner reads the proxy's framing from it.
 *
 * --echo: a parse-reporting origin.  Each request is answered with 200 and
 * a JSON body {"method", "target", "version", "headers", "body",
 * "trailers"} (byte strings decoded as Latin-1, header names lower-cased),
 * with "X-Scan-Echo: h11c"; a request h11c rejects gets its status hint
 * and the connection is closed.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <h11c.h>

#define RECV_SIZE 65536

typedef struct options {
  int port;
  const char *record_dir; /* NULL: echo mode */
  int drain_ms;
  int idle_s;
} options;

/* A growable byte buffer; on allocation failure the process exits (each
 * connection is its own process). */
typedef struct buf {
  char *data;
  size_t len, cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
      cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data) {
      perror("scan_origin: realloc");
      _exit(1);
    }
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void buf_str(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

/* A JSON string of bytes read as Latin-1. */
static void buf_json_str(buf *b, const uint8_t *p, size_t n) {
  char esc[8];
  buf_str(b, "\"");
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      buf_put(b, esc, 2);
    } else if (c >= 0x20 && c < 0x7f) {
      buf_put(b, &c, 1);
    } else {
      snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
      buf_put(b, esc, 6);
    }
  }
  buf_str(b, "\"");
}

static void buf_json_fields(buf *b, const h11c_header *h, size_t n) {
  buf_str(b, "[");
  for (size_t i = 0; i < n; i++) {
    buf_str(b, i ? ",[" : "[");
    buf_json_str(b, h[i].name.base, h[i].name.len);
    buf_str(b, ",");
    buf_json_str(b, h[i].value.base, h[i].value.len);
    buf_str(b, "]");
  }
  buf_str(b, "]");
}

static int write_all(int fd, const void *p, size_t n) {
  const char *s = p;
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

/* One connection. */
typedef struct session {
  const options *opt;
  int fd;
  h11c_conn *conn;
  int bin_fd;    /* record mode */
  FILE *ev;      /* record mode */
  uint64_t recv; /* bytes received so far */
  /* Echo mode: the request being read, as the JSON object's first part. */
  buf head;
  buf body;
  bool is_head, is_connect;
} session;

/* Receives once, waiting at most timeout_ms; records the bytes.  Returns
 * the byte count, 0 at EOF, -1 on error, -2 on timeout. */
static ssize_t receive(session *s, uint8_t *data, int timeout_ms) {
  struct pollfd p = {s->fd, POLLIN, 0};
  ssize_t n;
  int r;
  do
    r = poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    return -2;
  if (r < 0)
    return -1;
  do
    n = recv(s->fd, data, RECV_SIZE, 0);
  while (n < 0 && errno == EINTR);
  if (n > 0) {
    if (s->bin_fd >= 0 && write_all(s->bin_fd, data, (size_t)n) != 0) {
      perror("scan_origin: write");
      _exit(1);
    }
    s->recv += (uint64_t)n;
  }
  return n;
}

/* Appends one line to the event log (record mode). */
static void note(session *s, const char *what, uint64_t a, uint64_t b, int c) {
  if (!s->ev)
    return;
  if (c)
    fprintf(s->ev, "%s %" PRIu64 " %" PRIu64 " %d\n", what, a, b, c);
  else if (b != UINT64_MAX)
    fprintf(s->ev, "%s %" PRIu64 " %" PRIu64 "\n", what, a, b);
  else
    fprintf(s->ev, "%s %" PRIu64 "\n", what, a);
  fflush(s->ev);
}

/* Sends the response to a complete request; returns 0 or -1. */
static int respond(session *s, const h11c_header *trailers, size_t ntrailers) {
  h11c_header hdrs[3];
  h11c_event ev;
  buf out = {0}, json = {0};
  const uint8_t *p;
  size_t n, nh = 0;
  char clen[32];
  int rv = 0;

  if (!s->opt->record_dir) {
    buf_put(&json, s->head.data, s->head.len);
    buf_str(&json, ",\"body\":");
    buf_json_str(&json, (const uint8_t *)s->body.data, s->body.len);
    buf_str(&json, ",\"trailers\":");
    buf_json_fields(&json, trailers, ntrailers);
    buf_str(&json, "}\n");
    hdrs[nh++] =
        (h11c_header){H11C_LIT("X-Scan-Echo"), {NULL, 0}, H11C_LIT("h11c")};
    hdrs[nh++] = (h11c_header){
        H11C_LIT("Content-Type"), {NULL, 0}, H11C_LIT("application/json")};
  } else {
    hdrs[nh++] = (h11c_header){
        H11C_LIT("X-Scan-Origin"), {NULL, 0}, H11C_LIT("recorder")};
  }
  snprintf(clen, sizeof clen, "%zu", s->is_head ? 0 : json.len);
  hdrs[nh++] = (h11c_header){H11C_LIT("Content-Length"),
                             {NULL, 0},
                             {(const uint8_t *)clen, strlen(clen)}};

  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_RESPONSE;
  ev.status_code = s->is_connect ? 405 : 200;
  ev.reason = s->is_connect ? H11C_LIT("Method Not Allowed") : H11C_LIT("OK");
  ev.headers = hdrs;
  ev.nheaders = nh;
  if (h11c_conn_send_copy(s->conn, &ev, &p, &n) != H11C_OK) {
    rv = -1;
    goto done;
  }
  buf_put(&out, p, n);
  if (json.len && !s->is_head) {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_DATA;
    ev.data = (h11c_slice){(const uint8_t *)json.data, json.len};
    if (h11c_conn_send_copy(s->conn, &ev, &p, &n) != H11C_OK) {
      rv = -1;
      goto done;
    }
    buf_put(&out, p, n);
  }
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_END_OF_MESSAGE;
  if (h11c_conn_send_copy(s->conn, &ev, &p, &n) != H11C_OK) {
    rv = -1;
    goto done;
  }
  buf_put(&out, p, n);
  rv = write_all(s->fd, out.data, out.len);
done:
  free(out.data);
  free(json.data);
  return rv;
}

static bool slice_is(h11c_slice s, const char *lit) {
  return s.len == strlen(lit) && memcmp(s.base, lit, s.len) == 0;
}

static void on_request(session *s, const h11c_event *ev) {
  s->head.len = 0;
  s->body.len = 0;
  s->is_head = slice_is(ev->method, "HEAD");
  s->is_connect = slice_is(ev->method, "CONNECT");
  if (s->opt->record_dir)
    return;
  buf_str(&s->head, "{\"method\":");
  buf_json_str(&s->head, ev->method.base, ev->method.len);
  buf_str(&s->head, ",\"target\":");
  buf_json_str(&s->head, ev->target.base, ev->target.len);
  buf_str(&s->head, ",\"version\":");
  buf_json_str(&s->head, ev->http_version.base, ev->http_version.len);
  buf_str(&s->head, ",\"headers\":");
  buf_json_fields(&s->head, ev->headers, ev->nheaders);
}

/* h11c rejected the stream: record, drain what is still coming, answer
 * with the status hint and close. */
static void reject(session *s) {
  const h11c_error *e = h11c_conn_last_error(s->conn);
  int status = e->status_hint ? e->status_hint : 400;
  uint8_t *data = malloc(RECV_SIZE);
  char resp[128];
  note(s, "err", s->recv, (uint64_t)e->offset, status);
  if (data && s->opt->record_dir) {
    while (receive(s, data, s->opt->drain_ms) > 0)
      ;
  }
  free(data);
  snprintf(resp, sizeof resp,
           "HTTP/1.1 %d Rejected\r\nContent-Length: 0\r\n"
           "Connection: close\r\n\r\n",
           status);
  (void)write_all(s->fd, resp, strlen(resp));
}

/* Pulls events until h11c needs data.  Returns 1 to go on reading, 0 when
 * the connection is over. */
static int drain(session *s) {
  for (;;) {
    h11c_event ev;
    int rv = h11c_conn_next_event(s->conn, &ev);
    if (rv == H11C_NEED_DATA)
      return 1;
    if (rv < 0) {
      reject(s);
      return 0;
    }
    if (rv == H11C_PAUSED) {
      if (h11c_conn_our_state(s->conn) == H11C_DONE &&
          h11c_conn_their_state(s->conn) == H11C_DONE &&
          h11c_conn_start_next_cycle(s->conn) == H11C_OK)
        continue;
      return 0; /* must close, or a switch we declined */
    }
    switch (ev.type) {
    case H11C_EV_REQUEST:
      on_request(s, &ev);
      break;
    case H11C_EV_DATA:
      if (!s->opt->record_dir)
        buf_put(&s->body, ev.data.base, ev.data.len);
      break;
    case H11C_EV_END_OF_MESSAGE:
      if (respond(s, ev.headers, ev.nheaders) != 0)
        return 0;
      note(s, "req", s->recv, h11c_conn_bytes_consumed(s->conn), 0);
      if (h11c_conn_our_state(s->conn) == H11C_DONE &&
          h11c_conn_their_state(s->conn) == H11C_DONE &&
          h11c_conn_start_next_cycle(s->conn) == H11C_OK)
        break;
      if (h11c_conn_our_state(s->conn) == H11C_MUST_CLOSE ||
          h11c_conn_their_state(s->conn) == H11C_MUST_CLOSE)
        return 0;
      break;
    case H11C_EV_CONNECTION_CLOSED:
      return 0;
    default:
      break;
    }
  }
}

static void serve(const options *opt, int fd, unsigned connno) {
  session s;
  uint8_t *data = malloc(RECV_SIZE);
  memset(&s, 0, sizeof s);
  s.opt = opt;
  s.fd = fd;
  s.bin_fd = -1;
  if (!data || h11c_conn_new(&s.conn, H11C_SERVER, NULL, NULL) != H11C_OK)
    _exit(1);
  if (opt->record_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/conn-%05u.ev", opt->record_dir, connno);
    s.ev = fopen(path, "a");
    snprintf(path, sizeof path, "%s/conn-%05u.bin", opt->record_dir, connno);
    s.bin_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (!s.ev || s.bin_fd < 0) {
      perror("scan_origin: open");
      _exit(1);
    }
  }
  for (;;) {
    ssize_t n = receive(&s, data, opt->idle_s * 1000);
    if (n == -2) {
      note(&s, "idle", s.recv, UINT64_MAX, 0);
      break;
    }
    if (n <= 0) {
      note(&s, "eof", s.recv, UINT64_MAX, 0);
      h11c_conn_receive_eof(s.conn);
    } else {
      h11c_conn_receive_data(s.conn, data, (size_t)n);
    }
    if (!drain(&s) || n <= 0)
      break;
  }
  shutdown(fd, SHUT_WR);
  close(fd);
  if (s.ev)
    fclose(s.ev);
  if (s.bin_fd >= 0)
    close(s.bin_fd);
  h11c_conn_del(s.conn);
  free(s.head.data);
  free(s.body.data);
  free(data);
}

static int parse_int(const char *s, int lo, int hi, int *out) {
  char *end;
  long v;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || !*s || *end || v < lo || v > hi)
    return -1;
  *out = (int)v;
  return 0;
}

static void usage(FILE *f) {
  fprintf(f, "usage: scan_origin --port N (--record DIR | --echo)"
             " [--drain-ms N] [--idle S]\n");
}

int main(int argc, char **argv) {
  options opt = {-1, NULL, 200, 30};
  bool echo = false;
  struct sockaddr_in sa;
  socklen_t salen = sizeof sa;
  unsigned connno = 0;
  int lfd, one = 1;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (strcmp(a, "--echo") == 0) {
      echo = true;
      continue;
    }
    if (!v) {
      usage(stderr);
      return 2;
    }
    if (strcmp(a, "--port") == 0)
      bad = parse_int(v, 0, 65535, &opt.port);
    else if (strcmp(a, "--record") == 0)
      opt.record_dir = v;
    else if (strcmp(a, "--drain-ms") == 0)
      bad = parse_int(v, 0, 60000, &opt.drain_ms);
    else if (strcmp(a, "--idle") == 0)
      bad = parse_int(v, 1, 3600, &opt.idle_s);
    else
      bad = -1;
    if (bad) {
      usage(stderr);
      return 2;
    }
    i++;
  }
  if (opt.port < 0 || echo == (opt.record_dir != NULL)) {
    usage(stderr);
    return 2;
  }

  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);
  lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) {
    perror("scan_origin: socket");
    return 1;
  }
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)opt.port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
      listen(lfd, 64) != 0 ||
      getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0) {
    perror("scan_origin: bind");
    return 1;
  }
  printf("listening on 127.0.0.1:%u\n", (unsigned)ntohs(sa.sin_port));
  fflush(stdout);

  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    pid_t pid;
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      perror("scan_origin: accept");
      return 1;
    }
    connno++;
    pid = fork();
    if (pid == 0) {
      close(lfd);
      serve(&opt, fd, connno);
      _exit(0);
    }
    if (pid < 0)
      perror("scan_origin: fork");
    close(fd);
  }
}
