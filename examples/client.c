/*
 * A small blocking HTTP/1.1 client on h11c.
 *
 *   client [-v] [-t SECONDS] [-X METHOD] [-d BODY|@FILE] [-H 'Name: value']...
 *          [-o FILE] URL...
 *
 * Each URL (http://HOST[:PORT]/PATH, HOST a name such as localhost, or a
 * numeric IPv4 or [IPv6] address) is fetched in turn.  Consecutive URLs for
 * the same host and port reuse the connection while the server keeps it
 * alive.  For every response the status line and headers are printed to
 * standard output, then a blank line and the body (1xx responses are
 * printed too, without a body); trailers, if any, follow the body.  With
 * -o the bodies go to FILE instead (all of them, one after another) and
 * standard output gets the rest.
 *
 * -d sends BODY (or the contents of FILE) with a Content-Length; the method
 * is then POST unless -X says otherwise.  -v reports connections on
 * standard error.  -t bounds connecting and every read and write (default
 * 10 seconds).
 *
 * Exit status: 0 if every URL got a complete response (whatever its
 * status), 1 on a network or protocol error, 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <h11c.h>

#define RECV_SIZE 65536
/* next_event(): reading from the socket failed (not an h11c code). */
#define IO_ERROR (-100)

struct url {
  char host[256];      /* without brackets */
  char port[8];        /* numeric */
  char authority[300]; /* the Host header: as written in the URL */
  const char *target;  /* points into the URL string, or "/" */
  size_t target_len;
};

struct header {
  char *name;
  char *value;
};

struct options {
  const char *method;
  const uint8_t *body;
  size_t body_len;
  bool has_body;
  struct header *headers;
  size_t nheaders;
  FILE *body_out; /* stdout or -o FILE */
  bool verbose;
  int timeout_s;
};

struct connection {
  int fd;
  h11c_conn *h11;
  char host[256];
  char port[8];
  int id;
  int requests;
};

static const char *prog = "client";

static void usage(FILE *f) {
  fprintf(f,
          "usage: %s [-v] [-t SECONDS] [-X METHOD] [-d BODY|@FILE]\n"
          "          [-H 'Name: value']... [-o FILE] URL...\n",
          prog);
}

/* ------------------------------------------------------------------------ */
/* URLs                                                                     */
/* ------------------------------------------------------------------------ */

static bool parse_url(const char *s, struct url *u) {
  const char *auth, *auth_end, *host, *host_end, *port = NULL;
  size_t hlen, alen, i;

  memset(u, 0, sizeof *u);
  if (strncasecmp(s, "http://", 7) != 0)
    return false;
  auth = s + 7;
  auth_end = auth + strcspn(auth, "/?#");
  alen = (size_t)(auth_end - auth);
  if (alen == 0 || alen >= sizeof u->authority || memchr(auth, '@', alen))
    return false;
  memcpy(u->authority, auth, alen);
  u->authority[alen] = '\0';

  if (auth[0] == '[') {
    host = auth + 1;
    host_end = memchr(host, ']', (size_t)(auth_end - host));
    if (!host_end)
      return false;
    if (host_end + 1 < auth_end) {
      if (host_end[1] != ':')
        return false;
      port = host_end + 2;
    }
  } else {
    host = auth;
    host_end = memchr(auth, ':', alen);
    if (host_end)
      port = host_end + 1;
    else
      host_end = auth_end;
  }
  hlen = (size_t)(host_end - host);
  if (hlen == 0 || hlen >= sizeof u->host)
    return false;
  memcpy(u->host, host, hlen);
  u->host[hlen] = '\0';

  if (port && port < auth_end) {
    size_t plen = (size_t)(auth_end - port);
    long v = 0;
    if (plen > 5)
      return false;
    for (i = 0; i < plen; i++) {
      if (port[i] < '0' || port[i] > '9')
        return false;
      v = v * 10 + (port[i] - '0');
    }
    if (v < 1 || v > 65535)
      return false;
    snprintf(u->port, sizeof u->port, "%ld", v);
  } else {
    strcpy(u->port, "80");
  }

  if (*auth_end == '/' || *auth_end == '?') {
    u->target = auth_end;
    u->target_len = strcspn(auth_end, "#");
    if (*auth_end == '?') {
      /* "http://h?q" means "/?q"; keep it simple and refuse it. */
      return false;
    }
  } else {
    u->target = "/";
    u->target_len = 1;
  }
  for (i = 0; i < u->target_len; i++) {
    unsigned char c = (unsigned char)u->target[i];
    if (c <= 0x20 || c >= 0x7f)
      return false; /* must be percent-encoded already */
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Sockets                                                                  */
/* ------------------------------------------------------------------------ */

static void set_timeouts(int fd, int seconds) {
  struct timeval tv;
  tv.tv_sec = seconds;
  tv.tv_usec = 0;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* connect() with a timeout.  Returns 0 or an errno value. */
static int connect_timeout(int fd, const struct sockaddr *sa, socklen_t salen,
                           int seconds) {
  int flags = fcntl(fd, F_GETFL), err = 0;
  socklen_t elen = sizeof err;
  struct pollfd pfd;

  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
    return errno;
  if (connect(fd, sa, salen) == 0)
    goto done;
  if (errno != EINPROGRESS && errno != EINTR)
    return errno;
  pfd.fd = fd;
  pfd.events = POLLOUT;
  for (;;) {
    int n = poll(&pfd, 1, seconds * 1000);
    if (n > 0)
      break;
    if (n == 0)
      return ETIMEDOUT;
    if (errno != EINTR)
      return errno;
  }
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
    return errno;
  if (err)
    return err;
done:
  if (fcntl(fd, F_SETFL, flags) < 0)
    return errno;
  return 0;
}

static int open_socket(const char *host, const char *port, int timeout_s) {
  struct addrinfo hints, *res = NULL, *ai;
  int rc, fd = -1, last_err = 0;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, host, gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      last_err = errno;
      continue;
    }
    last_err = connect_timeout(fd, ai->ai_addr, ai->ai_addrlen, timeout_s);
    if (last_err == 0)
      break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    fprintf(stderr, "%s: connecting to %s port %s: %s\n", prog, host, port,
            strerror(last_err ? last_err : EHOSTUNREACH));
    return -1;
  }
  set_timeouts(fd, timeout_s);
  return fd;
}

/* Writes every byte of iov, retrying after EINTR and partial writes.
 * Returns 0 or -1 with errno set (ETIMEDOUT when the send timeout hit). */
static int write_all(int fd, struct iovec *iov, int iovcnt) {
  while (iovcnt > 0) {
    ssize_t n = writev(fd, iov, iovcnt);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        errno = ETIMEDOUT;
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

/* ------------------------------------------------------------------------ */
/* Talking HTTP                                                             */
/* ------------------------------------------------------------------------ */

static void conn_close(struct connection *c, bool verbose) {
  if (c->fd >= 0) {
    close(c->fd);
    if (verbose)
      fprintf(stderr, "* connection #%d closed\n", c->id);
  }
  h11c_conn_del(c->h11);
  c->fd = -1;
  c->h11 = NULL;
}

static int conn_open(struct connection *c, const struct url *u,
                     const struct options *o) {
  static int next_id = 0;
  c->fd = open_socket(u->host, u->port, o->timeout_s);
  if (c->fd < 0)
    return -1;
  if (h11c_conn_new(&c->h11, H11C_CLIENT, NULL, NULL) != H11C_OK) {
    fprintf(stderr, "%s: out of memory\n", prog);
    close(c->fd);
    c->fd = -1;
    return -1;
  }
  snprintf(c->host, sizeof c->host, "%s", u->host);
  snprintf(c->port, sizeof c->port, "%s", u->port);
  c->id = ++next_id;
  c->requests = 0;
  if (o->verbose)
    fprintf(stderr, "* connected to %s port %s (#%d)\n", u->host, u->port,
            c->id);
  return 0;
}

/* Sends one event.  Returns 0, or -1 (errno set for an I/O failure, 0 for a
 * protocol error, which is reported here). */
static int send_event(struct connection *c, const h11c_event *ev) {
  h11c_slice out[H11C_SEND_IOV_MAX];
  struct iovec iov[H11C_SEND_IOV_MAX];
  size_t n = 0, i;
  int rc = h11c_conn_send(c->h11, ev, out, &n);
  if (rc != H11C_OK) {
    fprintf(stderr, "%s: cannot send %s: %s\n", prog,
            h11c_event_type_name(ev->type),
            h11c_reason_str(h11c_conn_last_error(c->h11)->reason));
    errno = 0;
    return -1;
  }
  for (i = 0; i < n; i++) {
    iov[i].iov_base = (void *)out[i].base;
    iov[i].iov_len = out[i].len;
  }
  if (write_all(c->fd, iov, (int)n) != 0) {
    int e = errno;
    h11c_conn_send_failed(c->h11);
    errno = e;
    return -1;
  }
  return 0;
}

/* The next event, reading from the socket as needed.  Returns H11C_OK, or
 * IO_ERROR after an I/O error (errno set), or a negative h11c code. */
static int next_event(struct connection *c, h11c_event *ev,
                      uint64_t *received) {
  static uint8_t buf[RECV_SIZE];
  for (;;) {
    int rc = h11c_conn_next_event(c->h11, ev);
    ssize_t n;
    if (rc != H11C_NEED_DATA)
      return rc == H11C_PAUSED ? H11C_ERR_REMOTE_PROTOCOL : rc;
    do
      n = recv(c->fd, buf, sizeof buf, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        errno = ETIMEDOUT;
      return IO_ERROR;
    }
    if (n == 0) {
      h11c_conn_receive_eof(c->h11);
    } else {
      *received += (uint64_t)n;
      if (h11c_conn_receive_data(c->h11, buf, (size_t)n) != H11C_OK) {
        errno = ENOMEM;
        return IO_ERROR;
      }
    }
  }
}

static void print_head(const h11c_event *ev) {
  size_t i;
  printf("HTTP/%.*s %d %.*s\n", (int)ev->http_version.len,
         (const char *)ev->http_version.base, ev->status_code,
         (int)ev->reason.len, (const char *)ev->reason.base);
  for (i = 0; i < ev->nheaders; i++) {
    const h11c_header *h = &ev->headers[i];
    h11c_slice name = h->raw_name.base ? h->raw_name : h->name;
    printf("%.*s: %.*s\n", (int)name.len, (const char *)name.base,
           (int)h->value.len, (const char *)h->value.base);
  }
  printf("\n");
}

static bool has_header(const struct options *o, const char *name) {
  size_t i;
  for (i = 0; i < o->nheaders; i++)
    if (strcasecmp(o->headers[i].name, name) == 0)
      return true;
  return false;
}

static h11c_slice cslice(const char *s) {
  h11c_slice sl;
  sl.base = (const uint8_t *)s;
  sl.len = strlen(s);
  return sl;
}

/* Outcome of one exchange. */
enum exchange_result {
  EXCHANGE_OK,
  EXCHANGE_FAILED,
  /* The reused connection was gone before any of the response arrived: the
     request may be retried on a new connection. */
  EXCHANGE_STALE
};

static enum exchange_result exchange(struct connection *c, const struct url *u,
                                     const struct options *o, bool reused) {
  h11c_header *hdrs;
  size_t nh = 0, i;
  h11c_event ev;
  char clen[32];
  uint64_t received = 0;
  bool got_final = false;
  int rc;

  hdrs = calloc(o->nheaders + 3, sizeof *hdrs);
  if (!hdrs) {
    fprintf(stderr, "%s: out of memory\n", prog);
    return EXCHANGE_FAILED;
  }
  if (!has_header(o, "Host")) {
    hdrs[nh].name = H11C_LIT("Host");
    hdrs[nh++].value = cslice(u->authority);
  }
  if (!has_header(o, "User-Agent")) {
    hdrs[nh].name = H11C_LIT("User-Agent");
    hdrs[nh++].value = H11C_LIT("h11c-example-client/" H11C_VERSION_STRING);
  }
  for (i = 0; i < o->nheaders; i++) {
    hdrs[nh].name = cslice(o->headers[i].name);
    hdrs[nh++].value = cslice(o->headers[i].value);
  }
  if (o->has_body && !has_header(o, "Content-Length") &&
      !has_header(o, "Transfer-Encoding")) {
    snprintf(clen, sizeof clen, "%zu", o->body_len);
    hdrs[nh].name = H11C_LIT("Content-Length");
    hdrs[nh++].value = cslice(clen);
  }

  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_REQUEST;
  ev.method = cslice(o->method);
  ev.target.base = (const uint8_t *)u->target;
  ev.target.len = u->target_len;
  ev.headers = hdrs;
  ev.nheaders = nh;
  rc = send_event(c, &ev);
  free(hdrs);
  if (rc == 0 && o->has_body && o->body_len > 0) {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_DATA;
    ev.data.base = o->body;
    ev.data.len = o->body_len;
    rc = send_event(c, &ev);
  }
  if (rc == 0) {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_END_OF_MESSAGE;
    rc = send_event(c, &ev);
  }
  if (rc != 0) {
    int e = errno;
    if (e == 0)
      return EXCHANGE_FAILED; /* protocol error, already reported */
    if (reused && (e == EPIPE || e == ECONNRESET))
      return EXCHANGE_STALE;
    /* The server may have answered early and closed; read what it sent. */
    if (e != EPIPE && e != ECONNRESET) {
      fprintf(stderr, "%s: sending the request: %s\n", prog, strerror(e));
      return EXCHANGE_FAILED;
    }
  }
  c->requests++;

  for (;;) {
    memset(&ev, 0, sizeof ev);
    rc = next_event(c, &ev, &received);
    if (rc == IO_ERROR) {
      int e = errno;
      if (reused && received == 0 && (e == ECONNRESET || e == EPIPE))
        return EXCHANGE_STALE;
      fprintf(stderr, "%s: receiving the response: %s\n", prog, strerror(e));
      return EXCHANGE_FAILED;
    }
    if (rc != H11C_OK) {
      const h11c_error *err = h11c_conn_last_error(c->h11);
      if (reused && received == 0)
        return EXCHANGE_STALE;
      fprintf(stderr, "%s: bad response: %s\n", prog,
              h11c_reason_str(err->reason));
      return EXCHANGE_FAILED;
    }
    switch (ev.type) {
    case H11C_EV_INFORMATIONAL_RESPONSE:
      print_head(&ev);
      break;
    case H11C_EV_RESPONSE:
      print_head(&ev);
      got_final = true;
      break;
    case H11C_EV_DATA:
      if (ev.data.len &&
          fwrite(ev.data.base, 1, ev.data.len, o->body_out) != ev.data.len) {
        fprintf(stderr, "%s: writing the body: %s\n", prog, strerror(errno));
        return EXCHANGE_FAILED;
      }
      break;
    case H11C_EV_END_OF_MESSAGE:
      for (i = 0; i < ev.nheaders; i++) {
        const h11c_header *h = &ev.headers[i];
        h11c_slice name = h->raw_name.base ? h->raw_name : h->name;
        printf("%.*s: %.*s\n", (int)name.len, (const char *)name.base,
               (int)h->value.len, (const char *)h->value.base);
      }
      fflush(stdout);
      if (o->body_out != stdout)
        fflush(o->body_out);
      return got_final ? EXCHANGE_OK : EXCHANGE_FAILED;
    case H11C_EV_CONNECTION_CLOSED:
    default:
      fprintf(stderr, "%s: connection closed before a response\n", prog);
      return EXCHANGE_FAILED;
    }
  }
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

static int read_body_file(const char *path, struct options *o) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0, n;
  if (!f) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    return -1;
  }
  do {
    if (len == cap) {
      uint8_t *p;
      cap = cap ? cap * 2 : 65536;
      p = realloc(buf, cap);
      if (!p) {
        free(buf);
        fclose(f);
        fprintf(stderr, "%s: out of memory\n", prog);
        return -1;
      }
      buf = p;
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
  } while (n > 0);
  if (ferror(f)) {
    fprintf(stderr, "%s: %s: read error\n", prog, path);
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  o->body = buf;
  o->body_len = len;
  return 0;
}

static int add_header(struct options *o, const char *arg) {
  const char *colon = strchr(arg, ':');
  const char *v;
  struct header *p;
  size_t vlen;
  if (!colon || colon == arg) {
    fprintf(stderr, "%s: -H wants 'Name: value', got '%s'\n", prog, arg);
    return -1;
  }
  v = colon + 1;
  while (*v == ' ' || *v == '\t')
    v++;
  vlen = strlen(v);
  while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
    vlen--;
  p = realloc(o->headers, (o->nheaders + 1) * sizeof *p);
  if (!p)
    return -1;
  o->headers = p;
  p[o->nheaders].name = strndup(arg, (size_t)(colon - arg));
  p[o->nheaders].value = strndup(v, vlen);
  if (!p[o->nheaders].name || !p[o->nheaders].value)
    return -1;
  o->nheaders++;
  return 0;
}

int main(int argc, char **argv) {
  struct options o;
  struct connection c;
  const char *out_path = NULL, *data_arg = NULL;
  struct sigaction sa;
  int opt, status = 0, i;
  size_t k;

  if (argv[0] && *argv[0]) {
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
  }
  memset(&o, 0, sizeof o);
  o.timeout_s = 10;
  while ((opt = getopt(argc, argv, "X:d:H:o:t:vh")) != -1) {
    switch (opt) {
    case 'X':
      o.method = optarg;
      break;
    case 'd':
      data_arg = optarg;
      break;
    case 'H':
      if (add_header(&o, optarg) != 0)
        return 2;
      break;
    case 'o':
      out_path = optarg;
      break;
    case 't':
      o.timeout_s = atoi(optarg);
      if (o.timeout_s <= 0) {
        fprintf(stderr, "%s: bad -t\n", prog);
        return 2;
      }
      break;
    case 'v':
      o.verbose = true;
      break;
    case 'h':
      usage(stdout);
      return 0;
    default:
      usage(stderr);
      return 2;
    }
  }
  if (optind >= argc) {
    usage(stderr);
    return 2;
  }
  if (data_arg) {
    o.has_body = true;
    if (data_arg[0] == '@') {
      if (read_body_file(data_arg + 1, &o) != 0)
        return 2;
    } else {
      o.body = (const uint8_t *)data_arg;
      o.body_len = strlen(data_arg);
    }
  }
  if (!o.method)
    o.method = o.has_body ? "POST" : "GET";
  if (!*o.method || strpbrk(o.method, " \t\r\n")) {
    fprintf(stderr, "%s: bad method\n", prog);
    return 2;
  }
  for (i = optind; i < argc; i++) {
    struct url u;
    if (!parse_url(argv[i], &u)) {
      fprintf(stderr, "%s: unsupported URL: %s\n", prog, argv[i]);
      return 2;
    }
  }
  o.body_out = stdout;
  if (out_path) {
    o.body_out = fopen(out_path, "wb");
    if (!o.body_out) {
      fprintf(stderr, "%s: %s: %s\n", prog, out_path, strerror(errno));
      return 2;
    }
  }

  /* A peer that goes away must give EPIPE, not kill us. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, NULL);

  memset(&c, 0, sizeof c);
  c.fd = -1;
  for (i = optind; i < argc && status == 0; i++) {
    struct url u;
    bool reused = false;
    int attempt;
    parse_url(argv[i], &u);
    for (attempt = 0; attempt < 2; attempt++) {
      enum exchange_result r;
      if (c.fd >= 0 &&
          (strcmp(c.host, u.host) != 0 || strcmp(c.port, u.port) != 0))
        conn_close(&c, o.verbose);
      if (c.fd >= 0) {
        reused = true;
        if (o.verbose)
          fprintf(stderr, "* reusing connection #%d\n", c.id);
      } else {
        reused = false;
        if (conn_open(&c, &u, &o) != 0) {
          status = 1;
          break;
        }
      }
      r = exchange(&c, &u, &o, reused);
      if (r == EXCHANGE_STALE) {
        if (o.verbose)
          fprintf(stderr, "* connection #%d was closed by the server\n", c.id);
        conn_close(&c, o.verbose);
        continue;
      }
      if (r == EXCHANGE_FAILED) {
        status = 1;
        conn_close(&c, o.verbose);
        break;
      }
      /* Keep the connection for the next URL if both sides allow it. */
      if (h11c_conn_start_next_cycle(c.h11) != H11C_OK)
        conn_close(&c, o.verbose);
      break;
    }
    if (attempt == 2)
      status = 1;
  }
  conn_close(&c, o.verbose);

  if (fflush(stdout) != 0)
    status = 1;
  if (out_path && fclose(o.body_out) != 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, out_path, strerror(errno));
    status = 1;
  }
  if (data_arg && data_arg[0] == '@')
    free((void *)o.body);
  for (k = 0; k < o.nheaders; k++) {
    free(o.headers[k].name);
    free(o.headers[k].value);
  }
  free(o.headers);
  return status;
}
