/*
 * A small blocking HTTP/1.1 echo server on h11c.
 *
 *   server [-p PORT] [-b ADDR] [--max-requests N] [-t SECONDS] [-q]
 *
 * Listens on ADDR (default 127.0.0.1) port PORT (default 8080; 0 picks a
 * free port) and prints "listening on http://ADDR:PORT/" once it does.
 * Connections are served one at a time, each with keep-alive for as long
 * as the client wants it:
 *
 * - GET and HEAD get a text/plain description of the request: method,
 *   target, version, the connection's number and the request's number on
 *   it, and the headers;
 * - POST and PUT get their request body back, with the request's
 *   Content-Type;
 * - other methods get 405;
 * - a request that breaks the protocol gets the status h11c suggests (400,
 *   431 for an over-long head, 501 for an unknown Transfer-Encoding) and the
 *   connection is closed;
 * - a client waiting after "Expect: 100-continue" gets a 100 Continue when
 *   the server is ready to read the body.
 *
 * With --max-requests N the server exits after answering N requests (error
 * responses included); the last response says "Connection: close".  -t
 * bounds every read and write on a connection (default 10 seconds); a
 * connection idle for that long is closed.  -q turns off the log of
 * requests on standard error.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <h11c.h>

#define RECV_SIZE 65536
/* next_event(): reading from the socket failed (not an h11c code). */
#define IO_ERROR (-100)
#define MAX_BODY ((size_t)16 * 1024 * 1024)
#define SERVER_NAME "h11c-example-server/" H11C_VERSION_STRING

struct buffer {
  uint8_t *data;
  size_t len;
  size_t cap;
};

struct server {
  int timeout_s;
  bool quiet;
  long max_requests; /* 0: no limit */
  long answered;
  long connections;
};

struct client {
  struct server *srv;
  int fd;
  h11c_conn *h11;
  long id;
  long requests;
  bool timed_out;
  bool io_failed;
};

static const char *prog = "server";

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

static bool buf_append(struct buffer *b, const void *p, size_t n) {
  if (n > b->cap - b->len) {
    size_t cap = b->cap ? b->cap : 1024;
    uint8_t *q;
    while (cap - b->len < n) {
      if (cap > SIZE_MAX / 2)
        return false;
      cap *= 2;
    }
    q = realloc(b->data, cap);
    if (!q)
      return false;
    b->data = q;
    b->cap = cap;
  }
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  return true;
}

static bool buf_str(struct buffer *b, const char *s) {
  return buf_append(b, s, strlen(s));
}

static bool buf_slice(struct buffer *b, h11c_slice s) {
  return buf_append(b, s.base, s.len);
}

static h11c_slice cslice(const char *s) {
  h11c_slice sl;
  sl.base = (const uint8_t *)s;
  sl.len = strlen(s);
  return sl;
}

static bool slice_eq(h11c_slice s, const char *lit) {
  size_t n = strlen(lit);
  return s.len == n && (n == 0 || memcmp(s.base, lit, n) == 0);
}

static void log_msg(const struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void log_msg(const struct client *c, const char *fmt, ...) {
  va_list ap;
  if (c->srv->quiet)
    return;
  fprintf(stderr, "%s: connection %ld: ", prog, c->id);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static const char *reason_phrase(int status) {
  switch (status) {
  case 100:
    return "Continue";
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 405:
    return "Method Not Allowed";
  case 408:
    return "Request Timeout";
  case 413:
    return "Content Too Large";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  default:
    return "";
  }
}

/* RFC 9110 IMF-fixdate. */
static void http_date(char *out, size_t n) {
  time_t now = time(NULL);
  struct tm tm;
  static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                  "Thu", "Fri", "Sat"};
  static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  gmtime_r(&now, &tm);
  snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
           tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
           tm.tm_min, tm.tm_sec);
}

/* ------------------------------------------------------------------------ */
/* Socket I/O                                                               */
/* ------------------------------------------------------------------------ */

static void set_timeout(int fd, int opt, int seconds) {
  struct timeval tv;
  tv.tv_sec = seconds;
  tv.tv_usec = 0;
  setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

/* Writes every byte of iov, retrying after EINTR and partial writes. */
static int write_all(int fd, struct iovec *iov, int iovcnt) {
  while (iovcnt > 0) {
    ssize_t n = writev(fd, iov, iovcnt);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
      n -= (ssize_t)iov->iov_len;
      iov++;
      iovcnt--;
    }
    if (iovcnt > 0) {
      iov->iov_base = (char *)iov->iov_base + n;
      iov->iov_len -= (size_t)n;
    }
  }
  return 0;
}

/* Serialises an event with h11c_conn_send (Data is not copied) and writes
 * it.  Returns 0 or -1. */
static int send_event(struct client *c, const h11c_event *ev) {
  h11c_slice out[H11C_SEND_IOV_MAX];
  struct iovec iov[H11C_SEND_IOV_MAX];
  size_t n = 0, i;
  if (h11c_conn_send(c->h11, ev, out, &n) != H11C_OK) {
    log_msg(c, "cannot send %s: %s", h11c_event_type_name(ev->type),
            h11c_reason_str(h11c_conn_last_error(c->h11)->reason));
    return -1;
  }
  for (i = 0; i < n; i++) {
    iov[i].iov_base = (void *)out[i].base;
    iov[i].iov_len = out[i].len;
  }
  if (write_all(c->fd, iov, (int)n) != 0) {
    log_msg(c, "write failed: %s", strerror(errno));
    h11c_conn_send_failed(c->h11);
    c->io_failed = true;
    return -1;
  }
  return 0;
}

static int send_informational(struct client *c, int status) {
  h11c_header h[2];
  h11c_event ev;
  char date[64];
  http_date(date, sizeof date);
  memset(h, 0, sizeof h);
  h[0].name = H11C_LIT("Date");
  h[0].value = cslice(date);
  h[1].name = H11C_LIT("Server");
  h[1].value = H11C_LIT(SERVER_NAME);
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_INFORMATIONAL_RESPONSE;
  ev.status_code = status;
  ev.reason = cslice(reason_phrase(status));
  ev.headers = h;
  ev.nheaders = 2;
  return send_event(c, &ev);
}

/* The next event, reading from the socket as needed.  Before each read, a
 * client waiting for "100 Continue" gets it.  Returns an h11c code, or
 * IO_ERROR after an I/O error or timeout (c->timed_out tells which). */
static int next_event(struct client *c, h11c_event *ev) {
  static uint8_t buf[RECV_SIZE];
  for (;;) {
    int rc = h11c_conn_next_event(c->h11, ev);
    ssize_t n;
    if (rc != H11C_NEED_DATA)
      return rc;
    if (h11c_conn_they_are_waiting_for_100_continue(c->h11)) {
      log_msg(c, "sending 100 Continue");
      if (send_informational(c, 100) != 0)
        return IO_ERROR;
    }
    do
      n = recv(c->fd, buf, sizeof buf, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        c->timed_out = true;
      else
        c->io_failed = true;
      return IO_ERROR;
    }
    /* Zero copy: events point into buf, which is read into again only
       after h11c_conn_next_event() has said H11C_NEED_DATA (by then the
       connection has copied what it did not consume). */
    if (n == 0) {
      h11c_conn_receive_eof(c->h11);
    } else if (h11c_conn_receive_borrowed(c->h11, buf, (size_t)n) != H11C_OK) {
      c->io_failed = true;
      return IO_ERROR;
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                */
/* ------------------------------------------------------------------------ */

/* Sends a complete response with a Content-Length.  For a response to HEAD
 * the length is that of body, and no body is sent. */
static int send_response(struct client *c, int status, const char *ctype,
                         const uint8_t *body, size_t len, bool head,
                         bool close_after, const char *allow) {
  h11c_header h[7];
  size_t nh = 0;
  h11c_event ev;
  char date[64], clen[32];

  c->srv->answered++;
  if (c->srv->max_requests && c->srv->answered >= c->srv->max_requests)
    close_after = true;

  http_date(date, sizeof date);
  snprintf(clen, sizeof clen, "%zu", len);
  memset(h, 0, sizeof h);
  h[nh].name = H11C_LIT("Date");
  h[nh++].value = cslice(date);
  h[nh].name = H11C_LIT("Server");
  h[nh++].value = H11C_LIT(SERVER_NAME);
  h[nh].name = H11C_LIT("Content-Type");
  h[nh++].value = cslice(ctype);
  h[nh].name = H11C_LIT("Content-Length");
  h[nh++].value = cslice(clen);
  if (allow) {
    h[nh].name = H11C_LIT("Allow");
    h[nh++].value = cslice(allow);
  }
  if (close_after) {
    h[nh].name = H11C_LIT("Connection");
    h[nh++].value = H11C_LIT("close");
  }

  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_RESPONSE;
  ev.status_code = status;
  ev.reason = cslice(reason_phrase(status));
  ev.headers = h;
  ev.nheaders = nh;
  if (send_event(c, &ev) != 0)
    return -1;
  if (!head && len > 0) {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_DATA;
    ev.data.base = body;
    ev.data.len = len;
    if (send_event(c, &ev) != 0)
      return -1;
  }
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_END_OF_MESSAGE;
  return send_event(c, &ev);
}

/* After a protocol error or a timeout: answer with an error if a response
 * can still be started (h11's example server does the same). */
static void maybe_send_error(struct client *c, int status, const char *msg) {
  h11c_state st = h11c_conn_our_state(c->h11);
  char body[256];
  int n;
  if (c->io_failed || (st != H11C_IDLE && st != H11C_SEND_RESPONSE)) {
    log_msg(c, "cannot send a %d now (our state is %s)", status,
            h11c_state_name(st));
    return;
  }
  n = snprintf(body, sizeof body, "%d %s: %s\n", status, reason_phrase(status),
               msg);
  if (n < 0)
    n = 0;
  if ((size_t)n >= sizeof body)
    n = (int)sizeof body - 1;
  log_msg(c, "sending %d (%s)", status, msg);
  send_response(c, status, "text/plain; charset=utf-8", (const uint8_t *)body,
                (size_t)n, false, true, NULL);
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                 */
/* ------------------------------------------------------------------------ */

/* A copy of what we need from a Request event (its slices do not outlive
 * the next call into h11c). */
struct request {
  struct buffer method, target, version;
  struct buffer headers_text; /* "  name: value\n" lines */
  struct buffer content_type;
  bool has_content_type;
};

static void request_free(struct request *r) {
  free(r->method.data);
  free(r->target.data);
  free(r->version.data);
  free(r->headers_text.data);
  free(r->content_type.data);
  memset(r, 0, sizeof *r);
}

static bool request_copy(struct request *r, const h11c_event *ev) {
  size_t i;
  bool ok = buf_slice(&r->method, ev->method) &&
            buf_slice(&r->target, ev->target) &&
            buf_slice(&r->version, ev->http_version);
  for (i = 0; ok && i < ev->nheaders; i++) {
    const h11c_header *h = &ev->headers[i];
    ok = buf_str(&r->headers_text, "  ") &&
         buf_slice(&r->headers_text, h->name) &&
         buf_str(&r->headers_text, ": ") &&
         buf_slice(&r->headers_text, h->value) &&
         buf_str(&r->headers_text, "\n");
    if (ok && slice_eq(h->name, "content-type") && !r->has_content_type) {
      r->has_content_type = true;
      ok = buf_slice(&r->content_type, h->value) &&
           buf_append(&r->content_type, "", 1);
    }
  }
  return ok;
}

static bool method_is(const struct request *r, const char *m) {
  size_t n = strlen(m);
  return r->method.len == n && memcmp(r->method.data, m, n) == 0;
}

/* Handles one request whose Request event was just received.  Returns 0 if
 * the connection may go on to the next cycle. */
static int handle_request(struct client *c, const h11c_event *req_ev) {
  struct request r;
  struct buffer body = {NULL, 0, 0};
  bool too_big = false;
  int rc = -1;

  memset(&r, 0, sizeof r);
  c->requests++;
  if (!request_copy(&r, req_ev)) {
    maybe_send_error(c, 500, "out of memory");
    goto out;
  }
  log_msg(c, "%.*s %.*s HTTP/%.*s", (int)r.method.len, (char *)r.method.data,
          (int)r.target.len, (char *)r.target.data, (int)r.version.len,
          (char *)r.version.data);

  /* Read the body (sending 100 Continue first if the client waits). */
  for (;;) {
    h11c_event ev;
    int erc;
    memset(&ev, 0, sizeof ev);
    erc = next_event(c, &ev);
    if (erc == IO_ERROR) {
      if (c->timed_out)
        maybe_send_error(c, 408, "timed out reading the request body");
      goto out;
    }
    if (erc != H11C_OK) {
      const h11c_error *e = h11c_conn_last_error(c->h11);
      maybe_send_error(c, e->status_hint ? e->status_hint : 400,
                       h11c_reason_str(e->reason));
      goto out;
    }
    if (ev.type == H11C_EV_DATA) {
      if (body.len + ev.data.len > MAX_BODY) {
        too_big = true;
        break;
      }
      if (!buf_append(&body, ev.data.base, ev.data.len)) {
        maybe_send_error(c, 500, "out of memory");
        goto out;
      }
    } else if (ev.type == H11C_EV_END_OF_MESSAGE) {
      break;
    } else {
      maybe_send_error(c, 400, "unexpected event");
      goto out;
    }
  }

  if (too_big) {
    maybe_send_error(c, 413, "request body too large");
    goto out;
  }

  if (method_is(&r, "GET") || method_is(&r, "HEAD")) {
    struct buffer text = {NULL, 0, 0};
    char line[128];
    bool ok = buf_str(&text, "method: ") &&
              buf_append(&text, r.method.data, r.method.len) &&
              buf_str(&text, "\ntarget: ") &&
              buf_append(&text, r.target.data, r.target.len) &&
              buf_str(&text, "\nversion: ") &&
              buf_append(&text, r.version.data, r.version.len);
    snprintf(line, sizeof line,
             "\nconnection: %ld\nrequest: %ld\nbody-length: %zu\nheaders:\n",
             c->id, c->requests, body.len);
    ok = ok && buf_str(&text, line) &&
         buf_append(&text, r.headers_text.data, r.headers_text.len);
    if (!ok) {
      free(text.data);
      maybe_send_error(c, 500, "out of memory");
      goto out;
    }
    rc = send_response(c, 200, "text/plain; charset=utf-8", text.data, text.len,
                       method_is(&r, "HEAD"), false, NULL);
    free(text.data);
  } else if (method_is(&r, "POST") || method_is(&r, "PUT")) {
    rc = send_response(c, 200,
                       r.has_content_type ? (const char *)r.content_type.data
                                          : "application/octet-stream",
                       body.data, body.len, false, false, NULL);
  } else {
    static const char msg[] = "method not allowed\n";
    rc =
        send_response(c, 405, "text/plain; charset=utf-8", (const uint8_t *)msg,
                      sizeof msg - 1, false, false, "GET, HEAD, POST, PUT");
  }

out:
  free(body.data);
  request_free(&r);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Connections                                                              */
/* ------------------------------------------------------------------------ */

/* Close our side, then give the client a moment to see it and close its
 * side, reading (and dropping) whatever it still sends. */
static void shutdown_and_clean_up(struct client *c) {
  static uint8_t buf[4096];
  if (!c->io_failed && shutdown(c->fd, SHUT_WR) == 0) {
    set_timeout(c->fd, SO_RCVTIMEO,
                c->srv->timeout_s < 2 ? c->srv->timeout_s : 2);
    for (;;) {
      ssize_t n = recv(c->fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
    }
  }
  close(c->fd);
  c->fd = -1;
}

static void serve_connection(struct server *srv, int fd) {
  struct client c;
  memset(&c, 0, sizeof c);
  c.srv = srv;
  c.fd = fd;
  c.id = ++srv->connections;
  set_timeout(fd, SO_RCVTIMEO, srv->timeout_s);
  set_timeout(fd, SO_SNDTIMEO, srv->timeout_s);
  if (h11c_conn_new(&c.h11, H11C_SERVER, NULL, NULL) != H11C_OK) {
    close(fd);
    return;
  }
  log_msg(&c, "new connection");

  for (;;) {
    h11c_event ev;
    int rc;
    memset(&ev, 0, sizeof ev);
    rc = next_event(&c, &ev);
    if (rc == IO_ERROR) {
      if (c.timed_out) {
        h11c_slice pending;
        bool closed;
        h11c_conn_trailing_data(c.h11, &pending, &closed);
        if (pending.len > 0)
          maybe_send_error(&c, 408, "timed out reading the request");
        else
          log_msg(&c, "idle timeout");
      }
      break;
    }
    if (rc == H11C_ERR_REMOTE_PROTOCOL || rc == H11C_ERR_NOMEM) {
      const h11c_error *e = h11c_conn_last_error(c.h11);
      maybe_send_error(&c, e->status_hint ? e->status_hint : 400,
                       h11c_reason_str(e->reason));
      break;
    }
    if (rc != H11C_OK) {
      log_msg(&c, "unexpected next_event result %d", rc);
      break;
    }
    if (ev.type == H11C_EV_CONNECTION_CLOSED) {
      log_msg(&c, "client closed the connection");
      break;
    }
    if (ev.type != H11C_EV_REQUEST) {
      maybe_send_error(&c, 400, "unexpected event");
      break;
    }
    if (handle_request(&c, &ev) != 0)
      break;
    if (h11c_conn_our_state(c.h11) == H11C_MUST_CLOSE) {
      log_msg(&c, "connection is not reusable");
      break;
    }
    if (h11c_conn_start_next_cycle(c.h11) != H11C_OK) {
      log_msg(&c, "cannot reuse the connection (states %s/%s)",
              h11c_state_name(h11c_conn_our_state(c.h11)),
              h11c_state_name(h11c_conn_their_state(c.h11)));
      break;
    }
  }
  shutdown_and_clean_up(&c);
  h11c_conn_del(c.h11);
  log_msg(&c, "closed");
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

static void usage(FILE *f) {
  fprintf(f,
          "usage: %s [-p PORT] [-b ADDR] [--max-requests N] [-t SECONDS] "
          "[-q]\n",
          prog);
}

static int listen_on(const char *addr, const char *port) {
  struct addrinfo hints, *res = NULL, *ai;
  int fd = -1, rc, one = 1;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  rc = getaddrinfo(addr, port, &hints, &res);
  if (rc != 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, addr, gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0)
      continue;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
      break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0)
    fprintf(stderr, "%s: cannot listen on %s port %s: %s\n", prog, addr, port,
            strerror(errno));
  return fd;
}

static bool parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  long v;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

int main(int argc, char **argv) {
  struct server srv;
  const char *addr = "127.0.0.1", *port = "8080";
  struct sockaddr_storage ss;
  socklen_t sslen = sizeof ss;
  char host[1025], serv[32];
  struct sigaction sa;
  int lfd, i;
  long v;

  if (argv[0] && *argv[0]) {
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
  }
  memset(&srv, 0, sizeof srv);
  srv.timeout_s = 10;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "-q") == 0) {
      srv.quiet = true;
      continue;
    } else if (strcmp(a, "-p") != 0 && strcmp(a, "-b") != 0 &&
               strcmp(a, "-t") != 0 && strcmp(a, "--max-requests") != 0) {
      fprintf(stderr, "%s: unknown option %s\n", prog, a);
      usage(stderr);
      return 2;
    }
    if (!val) {
      fprintf(stderr, "%s: %s needs a value\n", prog, a);
      return 2;
    }
    i++;
    if (strcmp(a, "-p") == 0) {
      if (!parse_long(val, 0, 65535, &v)) {
        fprintf(stderr, "%s: bad port %s\n", prog, val);
        return 2;
      }
      port = val;
    } else if (strcmp(a, "-b") == 0) {
      addr = val;
    } else if (strcmp(a, "-t") == 0) {
      if (!parse_long(val, 1, 86400, &v)) {
        fprintf(stderr, "%s: bad timeout %s\n", prog, val);
        return 2;
      }
      srv.timeout_s = (int)v;
    } else {
      if (!parse_long(val, 1, 1000000000L, &v)) {
        fprintf(stderr, "%s: bad --max-requests %s\n", prog, val);
        return 2;
      }
      srv.max_requests = v;
    }
  }

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, NULL);

  lfd = listen_on(addr, port);
  if (lfd < 0)
    return 1;
  if (getsockname(lfd, (struct sockaddr *)&ss, &sslen) != 0 ||
      getnameinfo((struct sockaddr *)&ss, sslen, host, sizeof host, serv,
                  sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    fprintf(stderr, "%s: getsockname: %s\n", prog, strerror(errno));
    return 1;
  }
  if (ss.ss_family == AF_INET6)
    printf("listening on http://[%s]:%s/\n", host, serv);
  else
    printf("listening on http://%s:%s/\n", host, serv);
  fflush(stdout);

  while (!srv.max_requests || srv.answered < srv.max_requests) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      fprintf(stderr, "%s: accept: %s\n", prog, strerror(errno));
      close(lfd);
      return 1;
    }
    serve_connection(&srv, fd);
  }
  close(lfd);
  return 0;
}
