/*
 * Target 3, round trip: the input is a script of events that a client and
 * a server connection send each other (requests, informational and final
 * responses, body data with chunk extensions, trailers, the next cycle,
 * closing).  Every event one side sends successfully is delivered to the
 * other side at once, cut as the script says, and the receiver pulls every
 * event it can.  Properties:
 *
 * - the sender never emits bytes its own receiver rejects;
 * - what the receiver parses is semantically what was sent: the same
 *   start line, the header list the sender documents it writes (Host
 *   first, Content-Length normalised, a response's framing headers and
 *   Connection tokens rewritten as h11 does), the same body bytes chunk by
 *   chunk, the same chunk extensions (without trailing whitespace) and
 *   trailers, and an EndOfMessage exactly where the body ends;
 * - h11c_conn_send() and h11c_conn_send_copy() produce the same bytes: each
 *   side is a pair of twin connections fed the same events, one sending
 *   with each call, and the twins must agree on every result and state;
 * - a sender refuses body data beyond its Content-Length, an early
 *   EndOfMessage and trailers on a body that is not chunked;
 * - when a side closes, the peer sees ConnectionClosed between exchanges
 *   and an error in the middle of one (as h11 does); bytes the peer holds
 *   back while paused must be whole events still to come.
 *
 * Input layout: fuzz/README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MAX_OPS 64
#define MAX_FIELDS 10
#define ARENA_SIZE (64 * 1024)

enum { BODY_NONE = 0, BODY_LENGTH, BODY_CHUNKED };

/* What one direction (client to server, or server to client) carries: the
 * transcript the receiver must produce, built from the events sent, and
 * the one it did produce. */
typedef struct flow {
  fbuf expected, actual;
  fbuf edata, adata;
  bool eopen, aopen;
  /* The message being sent, as the model sees it. */
  bool active;
  int framing;
  uint64_t remaining;
  /* The message being received. */
  bool rx_chunked;
  bool rx_in_chunk;
} flow;

typedef struct side {
  h11c_role role;
  h11c_conn *c[2]; /* [0] sends with h11c_conn_send, [1] with send_copy */
} side;

typedef struct rt {
  fdp d;
  fmem mem;
  side cli, srv;
  flow up;   /* client to server */
  flow down; /* server to client */
  bool stop;
  bool chunk_ext_opt;
  /* What the server knows about the request it answers. */
  bool req_head;
  bool req_close;
  bool req_upgrade;
  bool req_is_connect;
  bool req_is_head;
  /* Strings built for events live here until the input is done. */
  uint8_t *arena;
  size_t arena_used;
} rt;

/* ---- arena ---- */

static uint8_t *arena_alloc(rt *t, size_t n) {
  uint8_t *p;
  if (n > ARENA_SIZE - t->arena_used) {
    t->stop = true;
    return NULL;
  }
  p = t->arena + t->arena_used;
  t->arena_used += n;
  return p;
}

static h11c_slice arena_copy(rt *t, const void *src, size_t n) {
  h11c_slice s = {NULL, 0};
  uint8_t *p = arena_alloc(t, n ? n : 1);
  if (!p)
    return s;
  if (n)
    memcpy(p, src, n);
  s.base = p;
  s.len = n;
  return s;
}

static h11c_slice lit(const char *s) {
  h11c_slice r;
  r.base = (const uint8_t *)s;
  r.len = strlen(s);
  return r;
}

/* ---- transcripts ---- */

static void put_fields(fbuf *o, const h11c_header *h, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    h11c_slice name = h[i].raw_name.base ? h[i].raw_name : h[i].name;
    fbuf_puts(o, "  ");
    fbuf_slice(o, name);
    fbuf_puts(o, ": \"");
    fbuf_slice(o, h[i].value);
    fbuf_puts(o, "\"\n");
  }
}

/* Host first, then the others in order (h11's write_headers). */
static void put_fields_wire_order(fbuf *o, const h11c_header *h, size_t n) {
  size_t i;
  int pass;
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < n; i++) {
      h11c_slice name = h[i].raw_name.base ? h[i].raw_name : h[i].name;
      if (fz_slice_ieq(name, "host") == (pass == 0))
        put_fields(o, &h[i], 1);
    }
}

static void put_start_line(fbuf *o, const h11c_event *ev) {
  fbuf_start_line(o, ev);
  fbuf_puts(o, " HTTP/1.1\n");
}

static void flush_body(fbuf *o, fbuf *data, bool *open, const char *what) {
  if (!*open)
    return;
  fbuf_printf(o, "%s \"", what);
  fbuf_escape(o, data->p, data->len);
  fbuf_puts(o, "\"\n");
  data->len = 0;
  *open = false;
}

/* Full rendering of a received event, to compare the twins. */
static void render_event(fbuf *o, const h11c_event *ev) {
  fbuf_printf(o, "%s status=%d start=%d end=%d", h11c_event_type_name(ev->type),
              ev->status_code, ev->chunk_start, ev->chunk_end);
  fbuf_puts(o, " m=");
  fbuf_slice(o, ev->method);
  fbuf_puts(o, " t=");
  fbuf_slice(o, ev->target);
  fbuf_puts(o, " r=");
  fbuf_slice(o, ev->reason);
  fbuf_puts(o, " v=");
  fbuf_slice(o, ev->http_version);
  fbuf_puts(o, " d=");
  fbuf_slice(o, ev->data);
  fbuf_puts(o, " x=");
  fbuf_slice(o, ev->chunk_ext);
  fbuf_puts(o, "\n");
  put_fields(o, ev->headers, ev->nheaders);
}

/* ---- the header model ---- */

typedef struct flist {
  h11c_header h[MAX_FIELDS * 2 + 4];
  size_t n;
} flist;

static void flist_add(flist *l, h11c_slice name, h11c_slice value) {
  h11c_header *h = &l->h[l->n++];
  memset(h, 0, sizeof *h);
  h->raw_name = name;
  h->name = name;
  h->value = value;
}

static h11c_slice wire_name(const h11c_header *h) {
  return h->raw_name.base ? h->raw_name : h->name;
}

/* What h11c documents it sends for a header list: the names as given,
 * Content-Length reduced to its one value (later ones dropped) and
 * Transfer-Encoding as "chunked". */
static void normalise(flist *l, const h11c_header *h, size_t n) {
  size_t i;
  bool seen_cl = false;
  l->n = 0;
  for (i = 0; i < n; i++) {
    h11c_slice name = wire_name(&h[i]), v = h[i].value;
    if (fz_slice_ieq(name, "content-length")) {
      size_t k = 0;
      if (seen_cl)
        continue;
      seen_cl = true;
      while (k < v.len && v.base[k] != ',')
        k++;
      v.len = k;
      v = fz_strip_ows(v);
    } else if (fz_slice_ieq(name, "transfer-encoding")) {
      v = lit("chunked");
    }
    flist_add(l, name, v);
  }
}

static bool flist_has(const flist *l, const char *lname) {
  size_t i;
  for (i = 0; i < l->n; i++)
    if (fz_slice_ieq(wire_name(&l->h[i]), lname))
      return true;
  return false;
}

static void flist_remove(flist *l, const char *lname) {
  size_t i, out = 0;
  for (i = 0; i < l->n; i++)
    if (!fz_slice_ieq(wire_name(&l->h[i]), lname))
      l->h[out++] = l->h[i];
  l->n = out;
}

static int cmp_slices(const void *a, const void *b) {
  const h11c_slice *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->base, y->base, n) : 0;
  if (c)
    return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* h11's set_comma_header(b"connection", sorted(tokens - {keep-alive} |
 * {close})), one field per token. */
static void rewrite_connection_close(rt *t, flist *l) {
  h11c_slice tok[64];
  size_t ntok = 0, i, j;
  for (i = 0; i < l->n; i++) {
    size_t pos = 0;
    h11c_slice el;
    if (!fz_slice_ieq(wire_name(&l->h[i]), "connection"))
      continue;
    while (fz_comma_next(l->h[i].value, &pos, &el)) {
      if (el.len && !fz_slice_ieq(el, "keep-alive") && ntok < 63) {
        uint8_t *p = arena_alloc(t, el.len);
        if (!p)
          return;
        for (j = 0; j < el.len; j++)
          p[j] =
              (uint8_t)(el.base[j] >= 'A' && el.base[j] <= 'Z' ? el.base[j] + 32
                                                               : el.base[j]);
        tok[ntok].base = p;
        tok[ntok].len = el.len;
        ntok++;
      }
    }
  }
  tok[ntok++] = lit("close");
  qsort(tok, ntok, sizeof tok[0], cmp_slices);
  flist_remove(l, "connection");
  for (i = 0; i < ntok; i++)
    if (i == 0 || cmp_slices(&tok[i - 1], &tok[i]) != 0)
      flist_add(l, lit("Connection"), tok[i]);
}

/* ---- sending ---- */

static void check_twins(const side *s, const char *when) {
  int r;
  for (r = 0; r < 2; r++)
    FUZZ_CHECK(h11c_conn_state(s->c[0], (h11c_role)r) ==
                   h11c_conn_state(s->c[1], (h11c_role)r),
               "%s: the twin %s connections disagree on %s's state", when,
               h11c_role_name(s->role), h11c_role_name((h11c_role)r));
  FUZZ_CHECK(h11c_conn_keep_alive(s->c[0]) == h11c_conn_keep_alive(s->c[1]),
             "%s: the twins disagree on keep-alive", when);
  fz_check_states(s->c[0]);
}

/* Sends ev on both twins; returns 0 with the bytes in *wire, or the
 * error code (both twins must fail alike). */
static int send_both(side *s, const h11c_event *ev, fbuf *wire) {
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t niov = 99, i, len = 0;
  const uint8_t *out = NULL;
  int rc0, rc1;
  wire->len = 0;
  rc0 = h11c_conn_send(s->c[0], ev, iov, &niov);
  rc1 = h11c_conn_send_copy(s->c[1], ev, &out, &len);
  FUZZ_CHECK(rc0 == rc1, "send returned %d, send_copy %d", rc0, rc1);
  if (rc0 != H11C_OK) {
    FUZZ_CHECK(rc0 == H11C_ERR_LOCAL_PROTOCOL,
               "sending a well-formed call failed with %d", rc0);
    FUZZ_CHECK(h11c_conn_last_error(s->c[0])->reason ==
                   h11c_conn_last_error(s->c[1])->reason,
               "the twins fail for different reasons");
    check_twins(s, "after a failed send");
    return rc0;
  }
  FUZZ_CHECK(niov <= H11C_SEND_IOV_MAX, "%zu slices", niov);
  for (i = 0; i < niov; i++) {
    FUZZ_CHECK(iov[i].base && iov[i].len, "empty slice from send");
    fbuf_put(wire, iov[i].base, iov[i].len);
  }
  if (ev->type == H11C_EV_DATA && ev->data.len) {
    /* The payload is passed through: the caller's own pointer. */
    bool found = false;
    for (i = 0; i < niov; i++)
      found |= iov[i].base == ev->data.base && iov[i].len == ev->data.len;
    FUZZ_CHECK(found, "Data payload was not passed through");
  }
  if (fuzz_verbose()) {
    fbuf v = {0};
    fbuf_escape(&v, wire->p, wire->len);
    fprintf(stderr, "%s sends %s: \"%s\"\n", h11c_role_name(s->role),
            h11c_event_type_name(ev->type), fbuf_str(&v));
    fbuf_free(&v);
  }
  FUZZ_CHECK(out != NULL, "send_copy gave a NULL buffer");
  FUZZ_CHECK(len == wire->len && (len == 0 || memcmp(out, wire->p, len) == 0),
             "send_copy wrote other bytes than send");
  check_twins(s, "after a send");
  return 0;
}

/* ---- receiving ---- */

static void rx_event(flow *f, const h11c_event *ev) {
  fbuf *o = &f->actual;
  switch (ev->type) {
  case H11C_EV_REQUEST:
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
    fz_check_head(ev);
    FUZZ_CHECK(fz_slice_eq_str(ev->http_version, "1.1"),
               "h11c sent a version other than 1.1");
    flush_body(o, &f->adata, &f->aopen, "PARTIAL_BODY");
    put_start_line(o, ev);
    put_fields(o, ev->headers, ev->nheaders);
    if (ev->type != H11C_EV_INFORMATIONAL_RESPONSE) {
      f->rx_chunked =
          fz_count(ev->headers, ev->nheaders, "transfer-encoding") > 0;
      f->rx_in_chunk = false;
    }
    break;
  case H11C_EV_DATA:
    FUZZ_CHECK(ev->data.len > 0, "empty Data");
    if (f->rx_chunked) {
      FUZZ_CHECK(ev->chunk_start == !f->rx_in_chunk, "chunk_start misplaced");
      if (ev->chunk_start) {
        fbuf_puts(o, "CHUNK_EXT \"");
        fbuf_slice(o, ev->chunk_ext);
        fbuf_puts(o, "\"\n");
      }
      f->rx_in_chunk = !ev->chunk_end;
    }
    fbuf_put(&f->adata, ev->data.base, ev->data.len);
    f->aopen = true;
    if (f->rx_chunked && ev->chunk_end)
      flush_body(o, &f->adata, &f->aopen, "CHUNK");
    break;
  case H11C_EV_END_OF_MESSAGE:
    FUZZ_CHECK(!f->rx_in_chunk, "EndOfMessage inside a chunk");
    flush_body(o, &f->adata, &f->aopen, "BODY");
    fbuf_puts(o, "END_OF_MESSAGE\n");
    fz_check_fields(ev->headers, ev->nheaders, NULL, NULL, NULL);
    put_fields(o, ev->headers, ev->nheaders);
    break;
  case H11C_EV_CONNECTION_CLOSED:
    flush_body(o, &f->adata, &f->aopen, "PARTIAL_BODY");
    fbuf_puts(o, "CLOSED\n");
    break;
  default:
    FUZZ_CHECK(0, "event type %d", (int)ev->type);
  }
}

/* Pulls events from both twins of the receiving side until they need
 * data; any receive error is a finding, except (early_eof) the error that
 * end of input in the middle of an exchange must give.  Once everything
 * sent has been delivered (all_in), nothing may be left unparsed unless
 * the receiver is paused. */
static void pull_until(rt *t, side *s, flow *f, bool all_in, bool early_eof) {
  fbuf r0 = {0}, r1 = {0};
  for (;;) {
    h11c_event e0, e1;
    int rc0, rc1;
    memset(&e0, 0, sizeof e0);
    memset(&e1, 0, sizeof e1);
    rc0 = h11c_conn_next_event(s->c[0], &e0);
    rc1 = h11c_conn_next_event(s->c[1], &e1);
    FUZZ_CHECK(rc0 == rc1, "twins: next_event returned %d and %d", rc0, rc1);
    if (rc0 < 0 && early_eof) {
      FUZZ_CHECK(rc0 == H11C_ERR_REMOTE_PROTOCOL, "end of input gave %d", rc0);
      flush_body(&f->actual, &f->adata, &f->aopen, "PARTIAL_BODY");
      fbuf_puts(&f->actual, "CLOSED_EARLY\n");
      break;
    }
    if (rc0 < 0) {
      fprintf(stderr, "---- received so far:\n%s", fbuf_str(&f->actual));
      FUZZ_CHECK(0, "the %s rejected what h11c sent: %s",
                 h11c_role_name(s->role),
                 h11c_reason_name(h11c_conn_last_error(s->c[0])->reason));
    }
    if (rc0 != H11C_OK) {
      h11c_slice rest;
      h11c_conn_trailing_data(s->c[0], &rest, NULL);
      if (rc0 == H11C_NEED_DATA) {
        FUZZ_CHECK(!all_in || rest.len == 0,
                   "%zu sent bytes were left unparsed by the %s", rest.len,
                   h11c_role_name(s->role));
      } else {
        h11c_state th = h11c_conn_their_state(s->c[0]);
        FUZZ_CHECK(rc0 == H11C_PAUSED, "next_event returned %d", rc0);
        FUZZ_CHECK(th == H11C_DONE || th == H11C_MIGHT_SWITCH_PROTOCOL ||
                       th == H11C_SWITCHED_PROTOCOL,
                   "PAUSED with the peer in %s", h11c_state_name(th));
      }
      break;
    }
    r0.len = r1.len = 0;
    render_event(&r0, &e0);
    render_event(&r1, &e1);
    FUZZ_CHECK(fbuf_eq(&r0, &r1), "twins received different events:\n%s%s",
               fbuf_str(&r0), fbuf_str(&r1));
    rx_event(f, &e0);
    if (e0.type == H11C_EV_REQUEST) {
      /* What the server now knows about the request it will answer. */
      t->req_head = true;
      t->req_close =
          fz_has_token(e0.headers, e0.nheaders, "connection", "close");
      t->req_upgrade = fz_has_token(e0.headers, e0.nheaders, "upgrade", NULL);
      t->req_is_connect = fz_slice_eq_str(e0.method, "CONNECT");
      t->req_is_head = fz_slice_eq_str(e0.method, "HEAD");
    }
    check_twins(s, "after an event");
    if (e0.type == H11C_EV_CONNECTION_CLOSED)
      break;
  }
  fbuf_free(&r0);
  fbuf_free(&r1);
}

static void pull(rt *t, side *s, flow *f, bool all_in) {
  pull_until(t, s, f, all_in, false);
}

/* Hands the bytes to the peer's twins in the pieces the script chooses. */
static void deliver(rt *t, side *to, flow *f, const fbuf *wire) {
  fsplit sp = fsplit_from_byte(fdp_u8(&t->d), wire->len);
  size_t off = 0;
  while (off < wire->len) {
    size_t n = fsplit_next(&sp, wire->len - off);
    FUZZ_CHECK(h11c_conn_receive_data(to->c[0], wire->p + off, n) == 0 &&
                   h11c_conn_receive_data(to->c[1], wire->p + off, n) == 0,
               "receive_data failed");
    off += n;
    pull(t, to, f, off == wire->len);
  }
  if (wire->len == 0)
    pull(t, to, f, true);
}

/* ---- building events from the script ---- */

static const char *const METHODS[] = {"GET",     "HEAD",    "POST",   "PUT",
                                      "CONNECT", "OPTIONS", "DELETE", "PATCH"};
static const char *const TARGETS[] = {"/",           "/a?b=c#d",   "*",
                                      "example:443", "http://a/b", "/%00"};
static const char *const NAMES[] = {"Host",
                                    "Content-Length",
                                    "Transfer-Encoding",
                                    "Connection",
                                    "Upgrade",
                                    "Expect",
                                    "X-Custom",
                                    "Trailer",
                                    "host",
                                    "CONTENT-LENGTH",
                                    "TE"};
static const char *const VALUES[] = {
    "example",          "0",     "5",          "5, 5",     "chunked",
    "CHUNKED",          "close", "keep-alive", "upgrade",  "websocket",
    "100-continue",     "gzip",  "a\001b",     "\xff\x80", "Close, Upgrade",
    "a, keep-alive, B", "",      "x y"};

static h11c_slice pick_bytes(rt *t, size_t max) {
  size_t n = fdp_below(&t->d, max + 1);
  h11c_slice s = fdp_bytes(&t->d, n);
  return arena_copy(t, s.base, s.len);
}

static h11c_slice pick_token(rt *t, const char *const *table, size_t ntable) {
  size_t k = fdp_below(&t->d, ntable + 2);
  if (k < ntable)
    return lit(table[k]);
  return pick_bytes(t, k == ntable ? 8 : 24);
}

static h11c_slice pick_value(rt *t) {
  size_t k = fdp_below(&t->d, 20);
  char num[24];
  if (k < 18)
    return lit(VALUES[k]);
  if (k == 18) {
    snprintf(num, sizeof num, "%u", (unsigned)fdp_below(&t->d, 300));
    return arena_copy(t, num, strlen(num));
  }
  return pick_bytes(t, 16);
}

static size_t pick_fields(rt *t, h11c_header *h, size_t max) {
  size_t n = fdp_below(&t->d, max + 1), i, j;
  for (i = 0; i < n; i++) {
    uint8_t how;
    memset(&h[i], 0, sizeof h[i]);
    h[i].name = pick_token(t, NAMES, sizeof NAMES / sizeof NAMES[0]);
    how = fdp_u8(&t->d);
    if (how & 1) {
      /* raw_name takes precedence: same name, other casing. */
      uint8_t *p = arena_alloc(t, h[i].name.len ? h[i].name.len : 1);
      if (!p)
        return i;
      for (j = 0; j < h[i].name.len; j++) {
        uint8_t c = h[i].name.base[j];
        p[j] = (how & 2) && c >= 'a' && c <= 'z'    ? (uint8_t)(c - 32)
               : !(how & 2) && c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32)
                                                    : c;
      }
      h[i].raw_name.base = p;
      h[i].raw_name.len = h[i].name.len;
    }
    h[i].value = pick_value(t);
  }
  return n;
}

/* ---- the steps ---- */

/* The sender's model for the head just sent on flow f. */
static void start_message(flow *f, int framing, uint64_t length) {
  if (framing == BODY_LENGTH && length == 0)
    framing = BODY_NONE;
  f->active = true;
  f->framing = framing;
  f->remaining = length;
  if (framing == BODY_NONE) {
    /* The receiver ends a message without body at once. */
    fbuf_puts(&f->expected, "END_OF_MESSAGE\n");
  }
}

static int framing_of(const flist *l, uint64_t *plen) {
  size_t i;
  *plen = 0;
  if (flist_has(l, "transfer-encoding"))
    return BODY_CHUNKED;
  for (i = 0; i < l->n; i++)
    if (fz_slice_ieq(wire_name(&l->h[i]), "content-length")) {
      h11c_slice v = l->h[i].value;
      size_t k;
      for (k = 0; k < v.len; k++)
        *plen = *plen * 10 + (uint64_t)(v.base[k] - '0');
      return BODY_LENGTH;
    }
  return BODY_NONE;
}

static void step_request(rt *t, fbuf *wire) {
  h11c_header h[MAX_FIELDS];
  h11c_event ev;
  flist l;
  uint64_t len;
  int framing;
  size_t vk;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_REQUEST;
  ev.method = pick_token(t, METHODS, sizeof METHODS / sizeof METHODS[0]);
  ev.target = pick_token(t, TARGETS, sizeof TARGETS / sizeof TARGETS[0]);
  vk = fdp_below(&t->d, 8);
  ev.http_version = vk == 6 ? lit("1.1") : vk == 7 ? lit("1.0") : lit("");
  ev.nheaders = pick_fields(t, h, MAX_FIELDS);
  ev.headers = h;
  if (t->stop || send_both(&t->cli, &ev, wire) != 0) {
    t->stop = true;
    return;
  }
  normalise(&l, h, ev.nheaders);
  put_start_line(&t->up.expected, &ev);
  put_fields_wire_order(&t->up.expected, l.h, l.n);
  framing = framing_of(&l, &len);
  start_message(&t->up, framing, len);
  deliver(t, &t->srv, &t->up, wire);
}

static void step_data(rt *t, side *s, side *peer, flow *f, fbuf *wire) {
  h11c_event ev;
  uint8_t how = fdp_u8(&t->d);
  size_t n;
  int rc;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_DATA;
  if ((how & 3) == 0 && f->active && f->framing == BODY_LENGTH &&
      f->remaining <= 4096) {
    uint8_t *p;
    n = (size_t)f->remaining;
    p = arena_alloc(t, n ? n : 1);
    if (!p)
      return;
    memset(p, 'a' + (how >> 4), n);
    ev.data.base = p;
    ev.data.len = n;
  } else {
    h11c_slice b =
        fdp_bytes(&t->d, fdp_below(&t->d, (how & 3) == 3 ? 2049 : 65));
    ev.data = arena_copy(t, b.base, b.len);
  }
  if (how & 4) {
    static const char *const EXTS[] = {";a=b", ";a=\"b c\"", "; x",
                                       ";",    ";a=b  ",     ";\x01\xff"};
    size_t k = fdp_below(&t->d, 7);
    if (k < 6) {
      ev.chunk_ext = lit(EXTS[k]);
    } else {
      h11c_slice b = fdp_bytes(&t->d, fdp_below(&t->d, 17));
      uint8_t *p = arena_alloc(t, b.len + 1);
      if (!p)
        return;
      p[0] = ';';
      if (b.len)
        memcpy(p + 1, b.base, b.len);
      ev.chunk_ext.base = p;
      ev.chunk_ext.len = b.len + 1;
    }
  }
  if (t->stop)
    return;
  rc = send_both(s, &ev, wire);
  if (rc != 0) {
    t->stop = true;
    return;
  }
  FUZZ_CHECK(f->active, "Data accepted outside a message");
  if (f->framing == BODY_LENGTH) {
    FUZZ_CHECK(ev.data.len <= f->remaining,
               "%zu bytes of Data accepted with %llu left of Content-Length",
               ev.data.len, (unsigned long long)f->remaining);
    f->remaining -= ev.data.len;
    fbuf_put(&f->edata, ev.data.base, ev.data.len);
    if (ev.data.len)
      f->eopen = true;
    if (f->remaining == 0) {
      /* The receiver ends the message with its last byte. */
      flush_body(&f->expected, &f->edata, &f->eopen, "BODY");
      fbuf_puts(&f->expected, "END_OF_MESSAGE\n");
      f->framing = BODY_NONE;
    }
  } else if (f->framing == BODY_CHUNKED) {
    if (ev.data.len) {
      /* The receiver reports the extension without trailing whitespace. */
      h11c_slice x = ev.chunk_ext;
      while (x.len && fz_is_ows(x.base[x.len - 1]))
        x.len--;
      fbuf_puts(&f->expected, "CHUNK_EXT \"");
      if (t->chunk_ext_opt)
        fbuf_slice(&f->expected, x);
      fbuf_puts(&f->expected, "\"\nCHUNK \"");
      fbuf_slice(&f->expected, ev.data);
      fbuf_puts(&f->expected, "\"\n");
    }
  } else {
    FUZZ_CHECK(ev.data.len == 0, "Data accepted on a message without body");
  }
  deliver(t, peer, f, wire);
}

static void step_end(rt *t, side *s, side *peer, flow *f, fbuf *wire) {
  h11c_header h[MAX_FIELDS];
  h11c_event ev;
  flist l;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_END_OF_MESSAGE;
  if (fdp_u8(&t->d) & 1) {
    ev.nheaders = pick_fields(t, h, 4);
    ev.headers = h;
  }
  if (t->stop || send_both(s, &ev, wire) != 0) {
    t->stop = true;
    return;
  }
  FUZZ_CHECK(f->active, "EndOfMessage accepted outside a message");
  f->active = false;
  if (f->framing == BODY_LENGTH)
    FUZZ_CHECK(f->remaining == 0,
               "EndOfMessage accepted with %llu bytes of Content-Length left",
               (unsigned long long)f->remaining);
  if (f->framing != BODY_CHUNKED)
    FUZZ_CHECK(ev.nheaders == 0, "trailers accepted on a body that is not "
                                 "chunked");
  if (f->framing != BODY_NONE) {
    flush_body(&f->expected, &f->edata, &f->eopen, "BODY");
    fbuf_puts(&f->expected, "END_OF_MESSAGE\n");
    normalise(&l, h, ev.nheaders);
    put_fields_wire_order(&f->expected, l.h, l.n);
  }
  deliver(t, peer, f, wire);
}

/* After 101 or a 2xx to CONNECT both connections see the server in
 * SWITCHED_PROTOCOL, and the client too once it had finished its request
 * (h11 lets a server switch while the client is still sending). */
static void switched(rt *t) {
  int i;
  side *sides[2] = {&t->cli, &t->srv};
  for (i = 0; i < 2; i++) {
    h11c_state c = h11c_conn_state(sides[i]->c[0], H11C_CLIENT);
    h11c_state s = h11c_conn_state(sides[i]->c[0], H11C_SERVER);
    FUZZ_CHECK(s == H11C_SWITCHED_PROTOCOL &&
                   (c == H11C_SWITCHED_PROTOCOL || c == H11C_SEND_BODY),
               "after a switch the %s sees client %s, server %s",
               h11c_role_name(sides[i]->role), h11c_state_name(c),
               h11c_state_name(s));
  }
  t->stop = true;
}

static void step_response(rt *t, bool info, fbuf *wire) {
  static const int FINAL[] = {200, 201, 204, 304, 400, 404, 500, 299};
  static const int INFO[] = {100, 101, 102, 103};
  static const char *const REASONS[] = {"", "OK", "Switching Protocols",
                                        "No \tContent", "\x80\xff"};
  h11c_header h[MAX_FIELDS];
  h11c_event ev;
  flist l;
  bool ka = !t->req_close, to_connect = t->req_is_connect;
  size_t k;
  memset(&ev, 0, sizeof ev);
  ev.type = info ? H11C_EV_INFORMATIONAL_RESPONSE : H11C_EV_RESPONSE;
  k = fdp_below(&t->d, 6);
  if (info)
    ev.status_code = k < 4 ? INFO[k] : 100 + (int)fdp_below(&t->d, 100);
  else
    ev.status_code = k < 5 ? FINAL[k] : 200 + (int)fdp_below(&t->d, 800);
  k = fdp_below(&t->d, 6);
  ev.reason = k < 5 ? lit(REASONS[k]) : pick_bytes(t, 16);
  if (fdp_u8(&t->d) & 1)
    ev.http_version = lit("1.1");
  ev.nheaders = pick_fields(t, h, MAX_FIELDS);
  ev.headers = h;
  if (!t->req_head)
    return; /* answering before the request arrived: fuzz_api's ground */
  if (h11c_conn_our_state(t->srv.c[0]) == H11C_SEND_RESPONSE)
    FUZZ_CHECK(h11c_conn_keep_alive(t->srv.c[0]) == ka,
               "the server's keep-alive does not follow the request");
  if (t->stop || send_both(&t->srv, &ev, wire) != 0) {
    t->stop = true;
    return;
  }
  normalise(&l, h, ev.nheaders);
  if (!info) {
    /* h11's _clean_up_response_headers_for_sending, with the method
       taken as GET for a HEAD request. */
    int st = ev.status_code;
    bool no_body =
        st == 204 || st == 304 || (to_connect && st >= 200 && st < 300);
    if (!no_body && !flist_has(&l, "transfer-encoding") &&
        !flist_has(&l, "content-length")) {
      flist_add(&l, lit("Transfer-Encoding"), lit("chunked"));
    } else if (!no_body && flist_has(&l, "transfer-encoding")) {
      flist_remove(&l, "content-length");
      flist_remove(&l, "transfer-encoding");
      flist_add(&l, lit("Transfer-Encoding"), lit("chunked"));
    }
    if (!ka)
      rewrite_connection_close(t, &l);
  }
  put_start_line(&t->down.expected, &ev);
  put_fields_wire_order(&t->down.expected, l.h, l.n);
  if (info) {
    deliver(t, &t->cli, &t->down, wire);
    if (ev.status_code == 101) {
      FUZZ_CHECK(t->req_upgrade, "101 sent without an Upgrade proposal");
      switched(t);
    }
    return;
  }
  {
    uint64_t len;
    int framing = framing_of(&l, &len);
    int st = ev.status_code;
    if (t->req_is_head || st == 204 || st == 304)
      framing = BODY_NONE;
    if (to_connect && st >= 200 && st < 300) {
      deliver(t, &t->cli, &t->down, wire);
      switched(t);
      return;
    }
    start_message(&t->down, framing, len);
  }
  deliver(t, &t->cli, &t->down, wire);
}

static void step_cycle(rt *t) {
  side *sides[2] = {&t->cli, &t->srv};
  int i, k;
  for (i = 0; i < 2; i++) {
    bool both_done =
        h11c_conn_state(sides[i]->c[0], H11C_CLIENT) == H11C_DONE &&
        h11c_conn_state(sides[i]->c[0], H11C_SERVER) == H11C_DONE;
    for (k = 0; k < 2; k++) {
      int rc = h11c_conn_start_next_cycle(sides[i]->c[k]);
      FUZZ_CHECK(rc == (both_done ? H11C_OK : H11C_ERR_LOCAL_PROTOCOL),
                 "start_next_cycle returned %d (both DONE: %d)", rc, both_done);
    }
    check_twins(sides[i], "after start_next_cycle");
    if (both_done) {
      /* Bytes the peer sent early were held back (PAUSED); parse them. */
      if (sides[i] == &t->srv)
        t->req_head = false;
      pull(t, sides[i], sides[i] == &t->srv ? &t->up : &t->down, true);
    }
  }
}

static void step_close(rt *t, side *s, side *peer, flow *f, fbuf *wire) {
  h11c_event ev;
  int k;
  /* How the peer sees us: between exchanges, end of input is a clean
     ConnectionClosed; in the middle of one (a request not answered yet, a
     body not finished) it is an error, as in h11. */
  h11c_state seen = h11c_conn_their_state(peer->c[0]);
  bool clean = seen == H11C_IDLE || seen == H11C_DONE ||
               seen == H11C_MUST_CLOSE || seen == H11C_CLOSED;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_CONNECTION_CLOSED;
  if (send_both(s, &ev, wire) != 0) {
    t->stop = true;
    return;
  }
  FUZZ_CHECK(wire->len == 0, "ConnectionClosed produced bytes");
  FUZZ_CHECK(!f->active || f->framing == BODY_NONE,
             "ConnectionClosed accepted inside a message");
  if (!clean)
    flush_body(&f->expected, &f->edata, &f->eopen, "PARTIAL_BODY");
  fbuf_puts(&f->expected, clean ? "CLOSED\n" : "CLOSED_EARLY\n");
  for (k = 0; k < 2; k++)
    FUZZ_CHECK(h11c_conn_receive_eof(peer->c[k]) == H11C_OK,
               "receive_eof failed");
  pull_until(t, peer, f, true, !clean);
  t->stop = true;
}

/* Whether the receiving side still holds bytes it was given.  pull()
 * allows that only while it is paused (a pipelined request waits until the
 * server has finished its response and started the next cycle); the
 * events in those bytes are still to come. */
static bool holds_back(const side *s) {
  h11c_slice rest;
  h11c_conn_trailing_data(s->c[0], &rest, NULL);
  return rest.len > 0;
}

static void finish_flow(flow *f, const side *receiver, const char *name) {
  bool pending = holds_back(receiver);
  flush_body(&f->expected, &f->edata, &f->eopen, "PARTIAL_BODY");
  flush_body(&f->actual, &f->adata, &f->aopen, "PARTIAL_BODY");
  /* What is held back must be whole events after what was received. */
  if (pending && f->actual.len < f->expected.len &&
      memcmp(f->actual.p ? (const void *)f->actual.p : "", f->expected.p,
             f->actual.len) == 0 &&
      (f->actual.len == 0 || f->actual.p[f->actual.len - 1] == '\n'))
    f->expected.len = f->actual.len;
  if (!fbuf_eq(&f->expected, &f->actual)) {
    fprintf(stderr, "---- %s, sent:\n%s---- %s, received:\n%s", name,
            fbuf_str(&f->expected), name, fbuf_str(&f->actual));
    FUZZ_CHECK(0, "what was received differs from what was sent (%s)", name);
  }
  fbuf_free(&f->expected);
  fbuf_free(&f->actual);
  fbuf_free(&f->edata);
  fbuf_free(&f->adata);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  rt t;
  h11c_options opts;
  h11c_mem hooks;
  fbuf wire = {0};
  int k, op;
  uint8_t cfg;
  memset(&t, 0, sizeof t);
  t.d.p = data;
  t.d.n = size;
  cfg = fdp_u8(&t.d);
  h11c_options_init(&opts);
  opts.max_incomplete_event_size = (size_t)1 << 20;
  if (cfg & 1)
    opts.flags |= H11C_OPT_CHUNK_EXTENSIONS;
  t.chunk_ext_opt = (cfg & 1) != 0;
  t.arena = malloc(ARENA_SIZE);
  if (!t.arena)
    abort();
  hooks = fmem_hooks(&t.mem);
  t.cli.role = H11C_CLIENT;
  t.srv.role = H11C_SERVER;
  for (k = 0; k < 2; k++) {
    FUZZ_CHECK(h11c_conn_new(&t.cli.c[k], H11C_CLIENT, &opts, &hooks) == 0,
               "h11c_conn_new");
    FUZZ_CHECK(h11c_conn_new(&t.srv.c[k], H11C_SERVER, &opts, &hooks) == 0,
               "h11c_conn_new");
  }

  for (op = 0; op < MAX_OPS && !t.stop && !fdp_empty(&t.d); op++) {
    switch (fdp_u8(&t.d) % 10) {
    case 0:
      step_request(&t, &wire);
      break;
    case 1:
      step_data(&t, &t.cli, &t.srv, &t.up, &wire);
      break;
    case 2:
      step_end(&t, &t.cli, &t.srv, &t.up, &wire);
      break;
    case 3:
      step_response(&t, true, &wire);
      break;
    case 4:
      step_response(&t, false, &wire);
      break;
    case 5:
      step_data(&t, &t.srv, &t.cli, &t.down, &wire);
      break;
    case 6:
      step_end(&t, &t.srv, &t.cli, &t.down, &wire);
      break;
    case 7:
      step_cycle(&t);
      break;
    case 8:
      step_close(&t, &t.cli, &t.srv, &t.up, &wire);
      break;
    default:
      step_close(&t, &t.srv, &t.cli, &t.down, &wire);
      break;
    }
  }
  finish_flow(&t.up, &t.srv, "client to server");
  finish_flow(&t.down, &t.cli, "server to client");

  for (k = 0; k < 2; k++) {
    h11c_conn_del(t.cli.c[k]);
    h11c_conn_del(t.srv.c[k]);
  }
  fmem_check_empty(&t.mem);
  fbuf_free(&wire);
  free(t.arena);
  return 0;
}
