/*
 * h11c as a benchmark peer.
 *
 * Requests (a, b, and e's input) go to a server connection, which answers
 * every request as h11's state machine requires before it will parse the
 * next pipelined one: a Response (Content-Length: 0) and EndOfMessage
 * through h11c_conn_send(), then h11c_conn_start_next_cycle().  For e the
 * answer is the workload's response: 6 headers and a 4 KiB Data body,
 * which must come back as the caller's own pointer (zero copy).
 *
 * Responses (c, d) go to a client connection, which sends a GET before
 * each response it reads, then starts the next cycle.
 *
 * So h11c's figures include the per-message state machine and the
 * serialising of the minimal counterpart message, which the callback
 * parsers do not do; that is the work an h11 user's loop does.
 *
 * Whole delivery hands the buffer over in 64 KiB receive calls (a read
 * buffer's worth), pieces one receive call each, all through
 * h11c_conn_receive_borrowed(): heads are parsed and bodies handed out in
 * place, and only the part of an event that straddles two deliveries is
 * copied.  Every allocation goes through counting hooks.
 */
#include "bench.h"

#include <h11c.h>

#include <stdlib.h>
#include <string.h>

#define WHOLE_PIECE ((size_t)64 * 1024)

/* ---- counting allocator hooks ---- */

typedef struct memcount {
  uint64_t allocs; /* malloc and realloc calls */
  int64_t live;    /* bytes requested and not freed */
} memcount;

/* Each block carries its requested size in front of it. */
#define HDR 16

static void *m_malloc(size_t n, void *user) {
  memcount *mc = user;
  unsigned char *p = malloc(n + HDR);
  if (!p)
    return NULL;
  memcpy(p, &n, sizeof n);
  mc->allocs++;
  mc->live += (int64_t)n;
  return p + HDR;
}

static void *m_realloc(void *ptr, size_t n, void *user) {
  memcount *mc = user;
  unsigned char *p = (unsigned char *)ptr - HDR, *q;
  size_t old;
  memcpy(&old, p, sizeof old);
  q = realloc(p, n + HDR);
  if (!q)
    return NULL;
  memcpy(q, &n, sizeof n);
  mc->allocs++;
  mc->live += (int64_t)n - (int64_t)old;
  return q + HDR;
}

static void m_free(void *ptr, void *user) {
  memcount *mc = user;
  unsigned char *p;
  size_t old;
  if (!ptr)
    return;
  p = (unsigned char *)ptr - HDR;
  memcpy(&old, p, sizeof old);
  mc->live -= (int64_t)old;
  free(p);
}

/* ---- the messages h11c sends ---- */

static h11c_slice sl(const char *s) {
  h11c_slice x;
  x.base = (const uint8_t *)s;
  x.len = strlen(s);
  return x;
}

static int send_ev(h11c_conn *conn, const h11c_event *ev, bench_result *r,
                   const uint8_t *passthrough) {
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t niov = 0, i;
  bool seen = passthrough == NULL;
  int rv = h11c_conn_send(conn, ev, iov, &niov);
  if (rv != H11C_OK) {
    bench_fail(r, "h11c_conn_send: %s",
               h11c_reason_str(h11c_conn_last_error(conn)->reason));
    return rv;
  }
  for (i = 0; i < niov; i++) {
    r->out_bytes += iov[i].len;
    if (iov[i].base == passthrough)
      seen = true;
  }
  if (!seen)
    r->copied_data++;
  return 0;
}

typedef struct sender {
  h11c_header hdrs[BENCH_SEND_NHEADERS];
  h11c_event head, data, end, req;
  h11c_header host;
} sender;

static void sender_init(sender *s, const workload *w) {
  size_t i;
  memset(s, 0, sizeof *s);
  s->head.type = H11C_EV_RESPONSE;
  s->head.status_code = 200;
  s->head.reason = sl("OK");
  s->head.headers = s->hdrs;
  if (w->kind == WL_SEND) {
    for (i = 0; i < BENCH_SEND_NHEADERS; i++) {
      s->hdrs[i].name = sl(bench_send_headers[i][0]);
      s->hdrs[i].value = sl(bench_send_headers[i][1]);
    }
    s->head.nheaders = BENCH_SEND_NHEADERS;
    s->data.type = H11C_EV_DATA;
    s->data.data.base = bench_send_body;
    s->data.data.len = w->send_body_len;
  } else {
    s->hdrs[0].name = sl("Content-Length");
    s->hdrs[0].value = sl("0");
    s->head.nheaders = 1;
  }
  s->end.type = H11C_EV_END_OF_MESSAGE;
  s->host.name = sl("Host");
  s->host.value = sl("bench.example");
  s->req.type = H11C_EV_REQUEST;
  s->req.method = sl("GET");
  s->req.target = sl("/");
  s->req.headers = &s->host;
  s->req.nheaders = 1;
}

static int respond(h11c_conn *conn, const sender *s, const workload *w,
                   bench_result *r) {
  if (send_ev(conn, &s->head, r, NULL) != 0)
    return -1;
  if (w->kind == WL_SEND && send_ev(conn, &s->data, r, bench_send_body) != 0)
    return -1;
  return send_ev(conn, &s->end, r, NULL);
}

static int request(h11c_conn *conn, const sender *s, bench_result *r) {
  if (send_ev(conn, &s->req, r, NULL) != 0)
    return -1;
  return send_ev(conn, &s->end, r, NULL);
}

/* Whether s lies inside the workload's buffer (compared as integers:
 * the pointers may belong to different objects). */
static bool within(const workload *w, h11c_slice s) {
  uintptr_t b = (uintptr_t)w->buf, p = (uintptr_t)s.base;
  return p >= b && p - b <= w->len && s.len <= w->len - (p - b);
}

/* Runs the exchange over w's bytes, piece bytes per receive call.  With
 * pmc, the connection's allocator counts are left there and the
 * connection is not deleted but returned in *pconn. */
static void run(const workload *w, size_t piece, bench_result *r, memcount *mc,
                h11c_conn **pconn) {
  h11c_mem mem;
  h11c_conn *conn;
  sender s;
  bool client = w->kind == WL_RESPONSES;
  size_t feed = piece ? piece : WHOLE_PIECE, pos = 0;
  uint64_t at_first = 0;
  h11c_event ev;

  mem.user = mc;
  mem.malloc = m_malloc;
  mem.realloc = m_realloc;
  mem.free = m_free;
  *pconn = NULL;
  sender_init(&s, w);
  if (h11c_conn_new(&conn, client ? H11C_CLIENT : H11C_SERVER, NULL, &mem) !=
      H11C_OK) {
    bench_fail(r, "h11c_conn_new failed");
    return;
  }
  *pconn = conn;
  if (client && request(conn, &s, r) != 0)
    return;
  for (;;) {
    int rv = h11c_conn_next_event(conn, &ev);
    if (rv == H11C_OK) {
      switch (ev.type) {
      case H11C_EV_REQUEST:
      case H11C_EV_RESPONSE:
        r->headers += ev.nheaders;
        break;
      case H11C_EV_DATA:
        r->body_bytes += ev.data.len;
        if (!within(w, ev.data))
          r->rx_copied_bytes += ev.data.len;
        break;
      case H11C_EV_END_OF_MESSAGE:
        r->messages++;
        if (!client && respond(conn, &s, w, r) != 0)
          return;
        if (h11c_conn_start_next_cycle(conn) != H11C_OK) {
          bench_fail(r, "h11c_conn_start_next_cycle failed");
          return;
        }
        if (r->messages == 1)
          at_first = mc->allocs;
        if (client) {
          h11c_slice rest;
          h11c_conn_trailing_data(conn, &rest, NULL);
          if ((pos < w->len || rest.len > 0) && request(conn, &s, r) != 0)
            return;
        }
        break;
      default:
        bench_fail(r, "h11c: unexpected %s event",
                   h11c_event_type_name(ev.type));
        return;
      }
    } else if (rv == H11C_NEED_DATA) {
      size_t n = w->len - pos;
      if (n == 0)
        break;
      if (n > feed)
        n = feed;
      if (h11c_conn_receive_borrowed(conn, w->buf + pos, n) != H11C_OK) {
        bench_fail(r, "h11c_conn_receive_borrowed failed");
        return;
      }
      pos += n;
    } else {
      bench_fail(r, "h11c_conn_next_event: %s (%s)", h11c_status_str(rv),
                 h11c_reason_str(h11c_conn_last_error(conn)->reason));
      return;
    }
  }
  r->allocs = mc->allocs;
  r->allocs_after_first = r->messages ? mc->allocs - at_first : 0;
}

bool peer_h11c(const workload *w, size_t piece, bench_result *r) {
  memcount mc = {0, 0};
  h11c_conn *conn;
  run(w, piece, r, &mc, &conn);
  h11c_conn_del(conn);
  return true;
}

size_t idle_bytes_h11c(const workload *w) {
  memcount mc = {0, 0};
  h11c_conn *conn;
  bench_result r;
  workload one = workload_prefix(w, 1);
  size_t live;
  memset(&r, 0, sizeof r);
  /* One message delivered in one receive call. */
  run(&one, one.len, &r, &mc, &conn);
  live = r.failed ? 0 : (size_t)mc.live;
  h11c_conn_del(conn);
  return live;
}
