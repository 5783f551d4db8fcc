/*
 * Receive-side driver shared by fuzz_server and fuzz_client.
 *
 * One run drives one connection over the input as
 * diff/model/FORMAT.md says (server: answer each complete request with
 * 200, or 405 to CONNECT, and go on while the connection can be kept
 * alive; client: send a request, read the responses to it, and go on with
 * the next request while the connection can be reused), and writes a
 * transcript: every event, with the Data of one chunk (or one message)
 * merged, and the outcome.  Bytes are handed over only when the connection
 * asks for more (and, in eager runs, also after every event).
 *
 * Each input is run twice, in one piece and split as its split byte says;
 * the two transcripts must be identical (split invariance).  During each
 * run every call is followed by checks: states valid and consistent,
 * nothing consumed beyond what was given, the unparsed bytes are exactly
 * the rest of the input (asked after every call but a borrowed delivery,
 * see after_call_checks()), Data bytes are exactly the input bytes just
 * consumed and add up to the declared Content-Length, chunk flags pair up,
 * EndOfMessage comes after all the data, keep-alive and 100-continue
 * follow the headers, an error leaves the peer in ERROR and every later
 * call fails cleanly, and a server can still send its error response.
 */
#include "fuzz_receive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/verdict.h"
#include "diff/oracles/adapters.h"
#include "fuzz_common.h"

/* max_incomplete_event_size, chosen by bits 0-1 of the configuration byte. */
static const size_t MAX_INCOMPLETE[4] = {16384, 200, 64, 1024};

/* Body framing the headers announce (the model, independent of h11c). */
enum { BODY_LENGTH = 1, BODY_CHUNKED, BODY_CLOSE };

/* Client request kinds, chosen by the request byte. */
enum {
  K_UPGRADE = 1u << 0,
  K_BODY_CL = 1u << 1,
  K_BODY_CHUNKED = 1u << 2,
  K_EXPECT = 1u << 3,
  K_CLOSE = 1u << 4,
  K_KEEP_ALIVE = 1u << 5
};

typedef struct kind {
  const char *method;
  unsigned flags;
} kind;

static const kind KINDS[16] = {
    {"GET", 0},
    {"HEAD", 0},
    {"CONNECT", 0},
    {"GET", K_UPGRADE},
    {"POST", K_BODY_CL},
    {"POST", K_BODY_CL | K_EXPECT},
    {"GET", K_CLOSE},
    {"OPTIONS", 0},
    {"POST", K_BODY_CHUNKED},
    {"HEAD", K_CLOSE},
    {"CONNECT", K_CLOSE},
    {"GET", K_UPGRADE | K_CLOSE},
    {"DELETE", 0},
    {"PUT", K_BODY_CHUNKED | K_EXPECT},
    {"GET", K_KEEP_ALIVE},
    {"PATCH", K_BODY_CL},
};

/* Responses read by one client run, at most. */
#define MAX_EXCHANGES 64

typedef struct rx {
  /* Configuration. */
  h11c_role role;
  h11c_options opts;
  uint8_t request_byte;
  bool eager;
  /* Pieces go to h11c_conn_receive_borrowed() from heap copies, each
     poisoned and freed as soon as the connection has let go of it. */
  bool borrow;
  uint8_t *lent;
  size_t lent_len;
  const uint8_t *in;
  size_t len;
  fsplit split;
  /* The connection. */
  fmem mem;
  h11c_conn *conn;
  size_t fed;
  bool eof;
  uint64_t consumed;
  uint64_t last_end;  /* end of the last complete message */
  uint64_t event_end; /* bytes consumed when the last event was returned */
  int their_version;  /* what their_http_version must say */
  bool done;
  /* The message being received. */
  bool msg_active;
  int framing;
  uint64_t expect, got;
  bool in_chunk;
  bool keep_alive; /* model of h11c_conn_keep_alive() */
  bool proposes_switch;
  bool is_connect;
  /* Client: the exchange in progress. */
  const kind *kind;
  bool body_pending;
  unsigned exchanges;
  /* Transcript. */
  fbuf out;
  fbuf data;
  bool data_open;
  const char *outcome; /* as put_outcome() wrote it */
} rx;

static int version_num(h11c_slice v) {
  return (v.base[0] - '0') * 10 + (v.base[2] - '0');
}

/* ---- transcript ---- */

static void flush_data(rx *r) {
  if (!r->data_open)
    return;
  fbuf_puts(&r->out, "DATA \"");
  fbuf_escape(&r->out, r->data.p, r->data.len);
  fbuf_puts(&r->out, "\"\n");
  r->data.len = 0;
  r->data_open = false;
}

static void put_fields(fbuf *out, const h11c_header *h, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    fbuf_puts(out, "  ");
    fbuf_slice(out, h[i].raw_name);
    fbuf_puts(out, ": \"");
    fbuf_slice(out, h[i].value);
    fbuf_puts(out, "\"\n");
  }
}

static void put_head(rx *r, const h11c_event *ev) {
  fbuf *o = &r->out;
  flush_data(r);
  fbuf_start_line(o, ev);
  fbuf_puts(o, " HTTP/");
  fbuf_slice(o, ev->http_version);
  fbuf_printf(o, " at=%llu\n", (unsigned long long)r->consumed);
  put_fields(o, ev->headers, ev->nheaders);
}

/* The reason as the transcript records it.  A start line that begins with
 * CR LF is "no request line" while "\r" alone is already "illegal request
 * line" (h11 does the same); both are the same error class, so they are
 * recorded as one. */
static const char *reason_class(h11c_reason reason) {
  if (reason == H11C_REASON_NO_REQUEST_LINE)
    reason = H11C_REASON_BAD_REQUEST_LINE;
  else if (reason == H11C_REASON_NO_RESPONSE_LINE)
    reason = H11C_REASON_BAD_STATUS_LINE;
  return h11c_reason_name(reason);
}

static void put_outcome(rx *r, const char *outcome) {
  r->outcome = outcome;
  flush_data(r);
  fbuf_printf(&r->out, "OUTCOME %s last_end=%llu", outcome,
              (unsigned long long)r->last_end);
  if (strcmp(outcome, "error") == 0 || strcmp(outcome, "incomplete") == 0) {
    const h11c_error *e = h11c_conn_last_error(r->conn);
    fbuf_printf(&r->out, " hint=%d reason=%s", e->status_hint,
                reason_class(e->reason));
  } else {
    fbuf_printf(&r->out, " leftover=%llu",
                (unsigned long long)(r->len - r->consumed));
  }
  fbuf_puts(&r->out, "\n");
  r->done = true;
}

/* ---- checks after every call ---- */

/* The checks after a call; with trailing, also trailing_data(), which
 * joins borrowed bytes waiting behind an incomplete event into the
 * connection's buffer (so it is not asked right after a borrowed
 * delivery, which would keep next_event() from pulling them in). */
static void after_call_checks(rx *r, bool trailing) {
  h11c_slice t;
  bool closed;
  uint64_t c = h11c_conn_bytes_consumed(r->conn);
  fz_check_states(r->conn);
  FUZZ_CHECK(c >= r->consumed, "bytes_consumed went back from %llu to %llu",
             (unsigned long long)r->consumed, (unsigned long long)c);
  FUZZ_CHECK(c <= r->fed, "%llu bytes consumed but only %zu given",
             (unsigned long long)c, r->fed);
  r->consumed = c;
  FUZZ_CHECK(h11c_conn_their_http_version(r->conn) == r->their_version,
             "their_http_version %d, expected %d",
             h11c_conn_their_http_version(r->conn), r->their_version);
  if (!trailing)
    return;
  h11c_conn_trailing_data(r->conn, &t, &closed);
  FUZZ_CHECK(t.len == r->fed - c,
             "trailing_data holds %zu bytes; given %zu, consumed %llu", t.len,
             r->fed, (unsigned long long)c);
  FUZZ_CHECK(t.len == 0 || memcmp(t.base, r->in + c, t.len) == 0,
             "trailing_data is not the unconsumed input");
  FUZZ_CHECK(closed == r->eof, "trailing_data closed flag is %d", closed);
}

static void after_call(rx *r) { after_call_checks(r, true); }

/* The connection no longer looks at the last borrowed piece. */
static void give_back(rx *r) {
  if (!r->lent)
    return;
  memset(r->lent, 0xA5, r->lent_len);
  free(r->lent);
  r->lent = NULL;
  r->lent_len = 0;
}

static void feed(rx *r) {
  size_t n = fsplit_next(&r->split, r->len - r->fed);
  int rc;
  if (r->borrow) {
    uint8_t *p = malloc(n ? n : 1);
    FUZZ_CHECK(p != NULL, "out of memory");
    memcpy(p, r->in + r->fed, n);
    rc = h11c_conn_receive_borrowed(r->conn, p, n);
    /* (In eager runs the previous piece was still lent: the call took
       over what was left of it.) */
    give_back(r);
    r->lent = p;
    r->lent_len = n;
  } else {
    rc = h11c_conn_receive_data(r->conn, r->in + r->fed, n);
  }
  FUZZ_CHECK(rc == H11C_OK, "receiving %zu bytes returned %d", n, rc);
  r->fed += n;
  after_call_checks(r, !r->borrow);
}

/* ---- our own sends ---- */

static int send_ev(rx *r, const h11c_event *ev, bool copy) {
  int rc;
  if (copy) {
    const uint8_t *p = NULL;
    size_t n = 0;
    rc = h11c_conn_send_copy(r->conn, ev, &p, &n);
    if (rc == H11C_OK)
      FUZZ_CHECK(p != NULL, "send_copy succeeded with a NULL buffer");
  } else {
    h11c_slice iov[H11C_SEND_IOV_MAX];
    size_t n = 99, i;
    rc = h11c_conn_send(r->conn, ev, iov, &n);
    if (rc == H11C_OK) {
      FUZZ_CHECK(n <= H11C_SEND_IOV_MAX, "send produced %zu slices", n);
      for (i = 0; i < n; i++)
        FUZZ_CHECK(iov[i].base != NULL && iov[i].len > 0,
                   "send produced an empty slice %zu", i);
    }
  }
  after_call(r);
  return rc;
}

static h11c_header field(const char *name, const char *value) {
  h11c_header h;
  memset(&h, 0, sizeof h);
  h.name.base = (const uint8_t *)name;
  h.name.len = strlen(name);
  h.value.base = (const uint8_t *)value;
  h.value.len = strlen(value);
  return h;
}

static void must_send(rx *r, const h11c_event *ev, bool copy,
                      const char *what) {
  int rc = send_ev(r, ev, copy);
  FUZZ_CHECK(rc == H11C_OK, "sending %s failed: %d %s (our state %s)", what, rc,
             h11c_reason_name(h11c_conn_last_error(r->conn)->reason),
             h11c_state_name(h11c_conn_our_state(r->conn)));
}

/* Server: the answer to a complete request (diff/model/FORMAT.md), which
 * declines any protocol switch. */
static void respond(rx *r) {
  h11c_header cl = field("Content-Length", "0");
  h11c_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_RESPONSE;
  ev.status_code = r->is_connect ? 405 : 200;
  ev.headers = &cl;
  ev.nheaders = 1;
  must_send(r, &ev, false, "the response");
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_END_OF_MESSAGE;
  must_send(r, &ev, true, "the response's EndOfMessage");
}

/* Client: the body of the current request, and its end. */
static void send_body(rx *r) {
  h11c_event ev;
  h11c_header trailer = field("X-Trailer", "1");
  bool chunked = (r->kind->flags & K_BODY_CHUNKED) != 0;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_DATA;
  ev.data = H11C_LIT("hello");
  if (chunked)
    ev.chunk_ext = H11C_LIT(";x=1");
  must_send(r, &ev, false, "the request body");
  FUZZ_CHECK(!h11c_conn_client_is_waiting_for_100_continue(r->conn),
             "still waiting for 100-continue after sending body data");
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_END_OF_MESSAGE;
  if (chunked) {
    ev.headers = &trailer;
    ev.nheaders = 1;
  }
  must_send(r, &ev, true, "the request's EndOfMessage");
  r->body_pending = false;
}

static void send_request(rx *r) {
  h11c_header h[8];
  size_t n = 0;
  h11c_event ev;
  unsigned f;
  r->kind = &KINDS[r->exchanges == 0 ? (r->request_byte & 15)
                                     : (r->request_byte >> 4)];
  f = r->kind->flags;
  h[n++] = field("Host", "example");
  if (f & K_UPGRADE) {
    h[n++] = field("Upgrade", "websocket");
    h[n++] = field("Connection", "upgrade");
  }
  if (f & K_BODY_CL)
    h[n++] = field("Content-Length", "5");
  if (f & K_BODY_CHUNKED)
    h[n++] = field("Transfer-Encoding", "chunked");
  if (f & K_EXPECT)
    h[n++] = field("Expect", "100-continue");
  if (f & K_CLOSE)
    h[n++] = field("Connection", "close");
  if (f & K_KEEP_ALIVE)
    h[n++] = field("Connection", "keep-alive");
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_REQUEST;
  ev.method.base = (const uint8_t *)r->kind->method;
  ev.method.len = strlen(r->kind->method);
  r->is_connect = strcmp(r->kind->method, "CONNECT") == 0;
  ev.target = r->is_connect ? H11C_LIT("example:443") : H11C_LIT("/");
  ev.headers = h;
  ev.nheaders = n;
  must_send(r, &ev, r->exchanges & 1, "the request");
  FUZZ_CHECK(h11c_conn_client_is_waiting_for_100_continue(r->conn) ==
                 ((f & K_EXPECT) != 0),
             "client_is_waiting_for_100_continue is wrong after the request");
  if (f & (K_BODY_CL | K_BODY_CHUNKED)) {
    r->body_pending = true;
    if (!(f & K_EXPECT))
      send_body(r);
  } else {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_END_OF_MESSAGE;
    must_send(r, &ev, false, "the request's EndOfMessage");
  }
  r->exchanges++;
}

/* ---- events ---- */

static void check_state(rx *r, h11c_role role, h11c_state want,
                        const char *when) {
  h11c_state s = h11c_conn_state(r->conn, role);
  FUZZ_CHECK(s == want, "%s: %s is %s, expected %s", when, h11c_role_name(role),
             h11c_state_name(s), h11c_state_name(want));
}

static h11c_role their_role(const rx *r) {
  return r->role == H11C_SERVER ? H11C_CLIENT : H11C_SERVER;
}

/* The connection's keep-alive model for a received head (h11's
 * _keep_alive plus RFC 9112 §6.1 for requests with both framing headers,
 * and the HTTP/1.0 keep-alive option). */
static bool head_keeps_alive(const rx *r, const h11c_event *ev, bool has_cl,
                             bool has_te) {
  const h11c_header *h = ev->headers;
  size_t n = ev->nheaders;
  if (fz_has_token(h, n, "connection", "close"))
    return false;
  if (ev->type == H11C_EV_REQUEST && has_cl && has_te)
    return false;
  if (version_num(ev->http_version) < 11)
    return (r->opts.flags & H11C_OPT_HTTP10_KEEP_ALIVE) && !has_te &&
           fz_has_token(h, n, "connection", "keep-alive");
  return true;
}

/* The first bytes of a head are the start line, verbatim. */
static void check_start_line(const rx *r, uint64_t start,
                             const h11c_event *ev) {
  const uint8_t *p = r->in + start;
  size_t avail = (size_t)(r->consumed - start);
  if (ev->type == H11C_EV_REQUEST) {
    size_t m = ev->method.len, t = ev->target.len;
    FUZZ_CHECK(avail >= m + 1 + t + 1 + 8,
               "request head shorter than its line");
    FUZZ_CHECK(memcmp(p, ev->method.base, m) == 0 && p[m] == ' ' &&
                   memcmp(p + m + 1, ev->target.base, t) == 0 &&
                   p[m + 1 + t] == ' ' &&
                   memcmp(p + m + t + 2, "HTTP/", 5) == 0 &&
                   memcmp(p + m + t + 7, ev->http_version.base, 3) == 0,
               "the request line is not the input's first line");
  } else {
    char code[8];
    snprintf(code, sizeof code, "%03d", ev->status_code % 1000);
    FUZZ_CHECK(avail >= 12 && memcmp(p, "HTTP/", 5) == 0 &&
                   memcmp(p + 5, ev->http_version.base, 3) == 0 &&
                   p[8] == ' ' && memcmp(p + 9, code, 3) == 0,
               "the status line is not the input's first line");
    if (ev->reason.len)
      FUZZ_CHECK(avail >= 13 + ev->reason.len &&
                     memcmp(p + 13, ev->reason.base, ev->reason.len) == 0,
                 "the reason phrase is not the input's");
  }
}

static void on_request(rx *r, const h11c_event *ev, uint64_t start) {
  bool has_cl, has_te;
  uint64_t cl;
  int ver = version_num(ev->http_version);
  FUZZ_CHECK(r->role == H11C_SERVER, "a client received a Request");
  FUZZ_CHECK(!r->msg_active, "a Request inside a message");
  fz_check_head(ev);
  fz_check_fields(ev->headers, ev->nheaders, &has_cl, &cl, &has_te);
  check_start_line(r, start, ev);
  check_state(r, H11C_CLIENT, H11C_SEND_BODY, "after a Request");
  check_state(r, H11C_SERVER, H11C_SEND_RESPONSE, "after a Request");
  r->msg_active = true;
  r->got = 0;
  r->in_chunk = false;
  r->framing = has_te ? BODY_CHUNKED : BODY_LENGTH;
  r->expect = has_te ? 0 : cl;
  r->is_connect = fz_slice_eq_str(ev->method, "CONNECT");
  r->proposes_switch =
      r->is_connect || fz_has_token(ev->headers, ev->nheaders, "upgrade", NULL);
  r->keep_alive = head_keeps_alive(r, ev, has_cl, has_te);
  FUZZ_CHECK(h11c_conn_keep_alive(r->conn) == r->keep_alive,
             "keep_alive is %d after this request, expected %d",
             h11c_conn_keep_alive(r->conn), r->keep_alive);
  FUZZ_CHECK(h11c_conn_they_are_waiting_for_100_continue(r->conn) ==
                 (ver >= 11 && fz_has_token(ev->headers, ev->nheaders, "expect",
                                            "100-continue")),
             "they_are_waiting_for_100_continue is wrong after a Request");
  put_head(r, ev);
}

static void switched(rx *r, const char *why) {
  h11c_event ev;
  int rc;
  check_state(r, H11C_SERVER, H11C_SWITCHED_PROTOCOL, why);
  check_state(r, H11C_CLIENT, H11C_SWITCHED_PROTOCOL, why);
  memset(&ev, 0, sizeof ev);
  rc = h11c_conn_next_event(r->conn, &ev);
  FUZZ_CHECK(rc == H11C_PAUSED, "next_event after a switch returned %d", rc);
  after_call(r);
  r->last_end = r->consumed;
  put_outcome(r, "switched");
}

static void on_response(rx *r, const h11c_event *ev, uint64_t start) {
  bool has_cl, has_te, info = ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
  uint64_t cl;
  unsigned f = r->kind->flags;
  int st = ev->status_code;
  FUZZ_CHECK(r->role == H11C_CLIENT, "a server received a response");
  FUZZ_CHECK(!r->msg_active, "a response inside a message");
  fz_check_head(ev);
  fz_check_fields(ev->headers, ev->nheaders, &has_cl, &cl, &has_te);
  check_start_line(r, start, ev);
  FUZZ_CHECK(!h11c_conn_client_is_waiting_for_100_continue(r->conn),
             "still waiting for 100-continue after a response");
  put_head(r, ev);
  if (info && st == 101) {
    FUZZ_CHECK(f & K_UPGRADE, "101 accepted without an Upgrade proposal");
    r->last_end = r->consumed;
    switched(r, "after 101");
    return;
  }
  if (!info && r->is_connect && st >= 200 && st < 300) {
    r->last_end = r->consumed;
    switched(r, "after a 2xx answer to CONNECT");
    return;
  }
  if (info) {
    check_state(r, H11C_SERVER, H11C_SEND_RESPONSE, "after a 1xx");
    if (r->body_pending)
      send_body(r);
    r->last_end = r->consumed;
    return;
  }
  check_state(r, H11C_SERVER, H11C_SEND_BODY, "after a Response");
  r->keep_alive = !(f & K_CLOSE) && head_keeps_alive(r, ev, has_cl, has_te);
  FUZZ_CHECK(h11c_conn_keep_alive(r->conn) == r->keep_alive,
             "keep_alive is %d after this response, expected %d",
             h11c_conn_keep_alive(r->conn), r->keep_alive);
  r->msg_active = true;
  r->got = 0;
  r->in_chunk = false;
  if (strcmp(r->kind->method, "HEAD") == 0 || st == 204 || st == 304) {
    r->framing = BODY_LENGTH;
    r->expect = 0;
  } else if (has_te) {
    r->framing = BODY_CHUNKED;
  } else if (has_cl) {
    r->framing = BODY_LENGTH;
    r->expect = cl;
  } else {
    r->framing = BODY_CLOSE;
  }
  if (r->body_pending)
    send_body(r);
}

static void on_data(rx *r, const h11c_event *ev) {
  size_t n = ev->data.len;
  h11c_slice x = ev->chunk_ext;
  FUZZ_CHECK(r->msg_active, "Data outside a message");
  FUZZ_CHECK(n > 0 && ev->data.base, "empty Data event");
  FUZZ_CHECK(r->consumed >= n &&
                 memcmp(ev->data.base, r->in + r->consumed - n, n) == 0,
             "Data bytes are not the %zu input bytes just consumed", n);
  check_state(r, their_role(r), H11C_SEND_BODY, "after Data");
  FUZZ_CHECK(!h11c_conn_they_are_waiting_for_100_continue(r->conn),
             "still waiting for 100-continue after body data");
  if (r->framing == BODY_CHUNKED) {
    FUZZ_CHECK(ev->chunk_start == !r->in_chunk, "chunk_start is %d inside=%d",
               ev->chunk_start, r->in_chunk);
    if (ev->chunk_start)
      flush_data(r);
    r->in_chunk = !ev->chunk_end;
  } else {
    FUZZ_CHECK(!ev->chunk_start && !ev->chunk_end,
               "chunk flags on a body that is not chunked");
  }
  if (x.len) {
    size_t i;
    FUZZ_CHECK(r->opts.flags & H11C_OPT_CHUNK_EXTENSIONS,
               "chunk_ext reported without the option");
    FUZZ_CHECK(ev->chunk_start, "chunk_ext on a Data that starts no chunk");
    FUZZ_CHECK(x.base[0] == ';', "chunk_ext does not start with ';'");
    FUZZ_CHECK(!fz_is_ows(x.base[x.len - 1]),
               "chunk_ext keeps trailing whitespace");
    for (i = 0; i < x.len; i++)
      FUZZ_CHECK(x.base[i] != '\r' && x.base[i] != '\n',
                 "chunk_ext holds CR or LF");
    flush_data(r);
    fbuf_puts(&r->out, "CHUNK_EXT \"");
    fbuf_slice(&r->out, x);
    fbuf_puts(&r->out, "\"\n");
  }
  if (r->framing == BODY_LENGTH)
    FUZZ_CHECK(r->got + n <= r->expect,
               "%llu body bytes for a Content-Length of %llu",
               (unsigned long long)(r->got + n), (unsigned long long)r->expect);
  r->got += n;
  fbuf_put(&r->data, ev->data.base, n);
  r->data_open = true;
  if (r->framing == BODY_CHUNKED && ev->chunk_end)
    flush_data(r);
}

static void on_end_of_message(rx *r, const h11c_event *ev) {
  FUZZ_CHECK(r->msg_active, "EndOfMessage outside a message");
  flush_data(r);
  if (r->framing == BODY_LENGTH)
    FUZZ_CHECK(r->got == r->expect,
               "EndOfMessage after %llu of %llu body bytes",
               (unsigned long long)r->got, (unsigned long long)r->expect);
  else if (r->framing == BODY_CHUNKED)
    FUZZ_CHECK(!r->in_chunk, "EndOfMessage inside a chunk");
  else
    FUZZ_CHECK(r->eof && r->consumed == r->len,
               "a close-delimited body ended before the end of input");
  if (r->framing != BODY_CHUNKED)
    FUZZ_CHECK(ev->nheaders == 0, "trailers on a body that is not chunked");
  fz_check_fields(ev->headers, ev->nheaders, NULL, NULL, NULL);
  fbuf_printf(&r->out, "END_OF_MESSAGE at=%llu\n",
              (unsigned long long)r->consumed);
  put_fields(&r->out, ev->headers, ev->nheaders);
  r->msg_active = false;
  r->last_end = r->consumed;

  if (r->role == H11C_SERVER) {
    h11c_state want = r->proposes_switch ? H11C_MIGHT_SWITCH_PROTOCOL
                      : r->keep_alive    ? H11C_DONE
                                         : H11C_MUST_CLOSE;
    check_state(r, H11C_CLIENT, want, "after the request's EndOfMessage");
    FUZZ_CHECK(!h11c_conn_they_are_waiting_for_100_continue(r->conn),
               "still waiting for 100-continue after the request ended");
    respond(r);
    want = r->keep_alive ? H11C_DONE : H11C_MUST_CLOSE;
    check_state(r, H11C_SERVER, want, "after responding");
    check_state(r, H11C_CLIENT, want, "after responding");
    if (!r->keep_alive) {
      put_outcome(r, "must_close");
      return;
    }
  } else {
    if (r->eof || !r->keep_alive) {
      put_outcome(r, "must_close");
      return;
    }
    check_state(r, H11C_CLIENT, H11C_DONE, "after the response");
    check_state(r, H11C_SERVER, H11C_DONE, "after the response");
  }
  FUZZ_CHECK(h11c_conn_start_next_cycle(r->conn) == H11C_OK,
             "start_next_cycle failed with both sides DONE");
  after_call(r);
  check_state(r, H11C_CLIENT, H11C_IDLE, "after start_next_cycle");
  check_state(r, H11C_SERVER, H11C_IDLE, "after start_next_cycle");
  if (r->role == H11C_CLIENT) {
    if (r->exchanges >= MAX_EXCHANGES) {
      put_outcome(r, "exchange_limit");
      return;
    }
    send_request(r);
  }
}

static void on_closed(rx *r) {
  h11c_event ev;
  int rc;
  FUZZ_CHECK(!r->msg_active, "ConnectionClosed inside a message");
  FUZZ_CHECK(r->eof && r->consumed == r->len,
             "ConnectionClosed before all input was consumed");
  check_state(r, their_role(r), H11C_CLOSED, "after ConnectionClosed");
  fbuf_puts(&r->out, "CLOSED\n");
  memset(&ev, 0, sizeof ev);
  rc = h11c_conn_next_event(r->conn, &ev);
  FUZZ_CHECK(rc == H11C_OK && ev.type == H11C_EV_CONNECTION_CLOSED,
             "ConnectionClosed is not repeated (%d, type %d)", rc, ev.type);
  after_call(r);
  put_outcome(r, "closed");
}

/* After a receive error: h11c_error is filled in, the peer is in ERROR,
 * every later call fails cleanly, and a server can still answer. */
static void on_error(rx *r) {
  const h11c_error *e = h11c_conn_last_error(r->conn);
  h11c_reason reason = e->reason;
  h11c_event ev;
  int rc, hint = e->status_hint;
  uint64_t consumed;

  FUZZ_CHECK(e->code == H11C_ERR_REMOTE_PROTOCOL, "last_error code %d",
             e->code);
  FUZZ_CHECK(reason > H11C_REASON_NONE && reason < H11C_REASON__COUNT &&
                 reason != H11C_REASON_NOMEM,
             "receive error with reason %d", (int)reason);
  FUZZ_CHECK(hint == 400 || hint == 431 || hint == 501, "status hint %d", hint);
  FUZZ_CHECK((hint == 431) == (reason == H11C_REASON_BUFFER_TOO_LONG),
             "status hint %d for %s", hint, h11c_reason_name(reason));
  if (hint == 501)
    FUZZ_CHECK(reason == H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING ||
                   reason == H11C_REASON_MULTIPLE_TRANSFER_ENCODING,
               "status hint 501 for %s", h11c_reason_name(reason));
  /* h11c.h: the bytes consumed into the events returned before the failing
     one, whatever the split. */
  FUZZ_CHECK(e->offset == r->event_end,
             "error offset %llu, but the last event ended at %llu",
             (unsigned long long)e->offset, (unsigned long long)r->event_end);
  check_state(r, their_role(r), H11C_ERROR, "after a receive error");
  flush_data(r);
  put_outcome(r, r->eof ? "incomplete" : "error");

  /* A server answers the bad request and closes. */
  if (r->role == H11C_SERVER) {
    h11c_state ours = h11c_conn_our_state(r->conn);
    FUZZ_CHECK(ours == H11C_IDLE || ours == H11C_SEND_RESPONSE,
               "server in %s when the request failed", h11c_state_name(ours));
    {
      h11c_header h[2];
      h[0] = field("Connection", "close");
      h[1] = field("Content-Length", "0");
      memset(&ev, 0, sizeof ev);
      ev.type = H11C_EV_RESPONSE;
      ev.status_code = hint;
      ev.headers = h;
      ev.nheaders = 2;
      must_send(r, &ev, false, "the error response");
    }
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_END_OF_MESSAGE;
    must_send(r, &ev, true, "the error response's EndOfMessage");
    check_state(r, H11C_SERVER, H11C_MUST_CLOSE, "after the error response");
  }
  if (h11c_conn_our_state(r->conn) == H11C_MUST_CLOSE) {
    memset(&ev, 0, sizeof ev);
    ev.type = H11C_EV_CONNECTION_CLOSED;
    must_send(r, &ev, false, "ConnectionClosed");
    check_state(r, r->role, H11C_CLOSED, "after sending ConnectionClosed");
  }

  /* Every later call fails cleanly, and changes nothing it should not. */
  consumed = r->consumed;
  memset(&ev, 0, sizeof ev);
  rc = h11c_conn_next_event(r->conn, &ev);
  FUZZ_CHECK(rc == H11C_ERR_REMOTE_PROTOCOL,
             "next_event after an error returned %d", rc);
  FUZZ_CHECK(h11c_conn_bytes_consumed(r->conn) == consumed,
             "next_event after an error consumed bytes");
  check_state(r, their_role(r), H11C_ERROR, "after a repeated next_event");
  FUZZ_CHECK(h11c_conn_start_next_cycle(r->conn) == H11C_ERR_LOCAL_PROTOCOL,
             "start_next_cycle succeeded with the peer in ERROR");
  if (!r->eof) {
    rc = h11c_conn_receive_data(r->conn, (const uint8_t *)"GET", 3);
    FUZZ_CHECK(rc == H11C_OK, "receive_data after an error returned %d", rc);
  }
  FUZZ_CHECK(h11c_conn_receive_eof(r->conn) == H11C_OK,
             "receive_eof after an error failed");
  FUZZ_CHECK(h11c_conn_receive_data(r->conn, (const uint8_t *)"x", 1) ==
                 H11C_ERR_INVALID_ARGUMENT,
             "receive_data after end of input did not fail");
  rc = h11c_conn_next_event(r->conn, &ev);
  FUZZ_CHECK(rc == H11C_ERR_REMOTE_PROTOCOL,
             "next_event after an error and EOF returned %d", rc);
  check_state(r, their_role(r), H11C_ERROR, "at the end");
  fz_check_states(r->conn);
}

/* ---- one run ---- */

static void run(rx *r) {
  h11c_mem hooks = fmem_hooks(&r->mem);
  int rc = h11c_conn_new(&r->conn, r->role, &r->opts, &hooks);
  FUZZ_CHECK(rc == H11C_OK, "h11c_conn_new failed: %d", rc);
  r->their_version = -1;
  after_call(r);
  if (r->role == H11C_CLIENT)
    send_request(r);

  while (!r->done) {
    h11c_event ev;
    uint64_t start = r->consumed;
    h11c_state our0 = h11c_conn_our_state(r->conn);
    h11c_state their0 = h11c_conn_their_state(r->conn);
    memset(&ev, 0, sizeof ev);
    rc = h11c_conn_next_event(r->conn, &ev);
    if (rc == H11C_OK &&
        (ev.type == H11C_EV_REQUEST || ev.type == H11C_EV_RESPONSE ||
         ev.type == H11C_EV_INFORMATIONAL_RESPONSE))
      r->their_version = version_num(ev.http_version);
    after_call(r);
    switch (rc) {
    case H11C_OK:
      (void)fz_touch_event(&ev);
      switch (ev.type) {
      case H11C_EV_REQUEST:
        on_request(r, &ev, start);
        break;
      case H11C_EV_INFORMATIONAL_RESPONSE:
      case H11C_EV_RESPONSE:
        on_response(r, &ev, start);
        break;
      case H11C_EV_DATA:
        on_data(r, &ev);
        break;
      case H11C_EV_END_OF_MESSAGE:
        on_end_of_message(r, &ev);
        break;
      case H11C_EV_CONNECTION_CLOSED:
        on_closed(r);
        break;
      default:
        FUZZ_CHECK(0, "next_event returned event type %d", (int)ev.type);
      }
      r->event_end = r->consumed;
      if (r->eager && r->fed < r->len && !r->done)
        feed(r);
      break;
    case H11C_NEED_DATA:
      FUZZ_CHECK(h11c_conn_our_state(r->conn) == our0 &&
                     h11c_conn_their_state(r->conn) == their0,
                 "NEED_DATA changed a state");
      /* The connection has let go of the borrowed piece: a reference it
         kept would now read freed memory. */
      give_back(r);
      if (r->fed < r->len) {
        feed(r);
      } else {
        FUZZ_CHECK(!r->eof, "NEED_DATA after end of input");
        FUZZ_CHECK(h11c_conn_receive_eof(r->conn) == H11C_OK,
                   "receive_eof failed");
        r->eof = true;
        after_call(r);
      }
      break;
    case H11C_ERR_REMOTE_PROTOCOL:
      on_error(r);
      break;
    default:
      FUZZ_CHECK(0, "next_event returned %d (%s) in state %s/%s", rc,
                 h11c_status_str(rc), h11c_state_name(our0),
                 h11c_state_name(their0));
    }
  }
  /* Memory stays proportional to the input (the receive buffer, the
     header array and the lower-cased names). */
  FUZZ_CHECK(r->mem.peak_bytes <= 64 * r->len + 65536,
             "peak memory %zu bytes for %zu input bytes", r->mem.peak_bytes,
             r->len);
  h11c_conn_del(r->conn);
  r->conn = NULL;
  give_back(r);
  fmem_check_empty(&r->mem);
}

static void init_rx(rx *r, h11c_role role, const uint8_t *data, size_t size,
                    size_t hdr) {
  uint8_t cfg = data[0];
  memset(r, 0, sizeof *r);
  r->role = role;
  h11c_options_init(&r->opts);
  r->opts.max_incomplete_event_size = MAX_INCOMPLETE[cfg & 3];
  if (cfg & 4)
    r->opts.flags |= H11C_OPT_HTTP10_KEEP_ALIVE;
  if (cfg & 8)
    r->opts.flags |= H11C_OPT_CHUNK_EXTENSIONS;
  if (role == H11C_CLIENT)
    r->request_byte = data[2];
  r->in = data + hdr;
  r->len = size - hdr;
}

/* The canonical verdict of the same bytes, from the harness's h11c driver
 * (diff/oracles/h11c.c, the one that writes h11c's verdicts): a server run
 * with the default options must end as it says, with the same outcome,
 * the same end of the last complete message and the same bytes left over.
 * The two drive one connection the same way (diff/model/FORMAT.md); this
 * run checks every call on the way, the verdict is what the harness
 * compares with the other implementations. */
static void check_verdict(const rx *r) {
  verdict_params p;
  verdict v;
  char err[256];
  uint64_t end = 0;
  size_t i;
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  FUZZ_CHECK(verdict_h11c(&p, r->in, r->len, &v, err, sizeof err) == 0,
             "the verdict driver failed: %s", err);
  for (i = 0; i < v.nmessages; i++)
    if (v.messages[i].complete)
      end = v.messages[i].end;
  FUZZ_CHECK(strcmp(verdict_outcome_name(v.outcome), r->outcome) == 0,
             "the verdict's outcome is %s, this run's %s",
             verdict_outcome_name(v.outcome), r->outcome);
  FUZZ_CHECK(end == r->last_end,
             "the verdict's last message ends at %llu, this run's at %llu",
             (unsigned long long)end, (unsigned long long)r->last_end);
  if (v.outcome != VERDICT_ERROR && v.outcome != VERDICT_INCOMPLETE)
    FUZZ_CHECK(v.leftover == r->len - r->consumed,
               "the verdict leaves %llu bytes over, this run %llu",
               (unsigned long long)v.leftover,
               (unsigned long long)(r->len - r->consumed));
  verdict_free(&v);
}

void fuzz_receive(h11c_role role, const uint8_t *data, size_t size) {
  size_t hdr = role == H11C_CLIENT ? 3 : 2;
  rx whole, split;
  if (size < hdr)
    return;
  init_rx(&whole, role, data, size, hdr);
  whole.split = fsplit_whole();
  whole.borrow = (data[0] & 64) != 0;
  run(&whole);
  /* Configuration bits 0-3 zero: the default options, as in a verdict. */
  if (role == H11C_SERVER && (data[0] & 15) == 0)
    check_verdict(&whole);
  init_rx(&split, role, data, size, hdr);
  split.split = fsplit_from_byte(data[1], split.len);
  split.eager = (data[0] & 16) != 0;
  split.borrow = (data[0] & 32) != 0;
  run(&split);
  if (!fbuf_eq(&whole.out, &split.out)) {
    fprintf(stderr, "---- delivered whole:\n%s---- delivered split:\n%s",
            fbuf_str(&whole.out), fbuf_str(&split.out));
    FUZZ_CHECK(0, "the verdict depends on how the input is split");
  }
  fbuf_free(&whole.out);
  fbuf_free(&whole.data);
  fbuf_free(&split.out);
  fbuf_free(&split.data);
}
