/*
 * Target 4, API sequences: the input is a script of calls on a client and
 * a server connection, valid and invalid alike (NULL pointers, unknown
 * roles, options and event types, out-of-order events, data after end of
 * input, sending after an error, the next cycle at the wrong time), with
 * allocation failures injected through the h11c_mem hooks.  Properties:
 * every call returns one of the codes its documentation lists, a call
 * rejected as an invalid argument changes no state, an error moves the
 * side the documentation names to ERROR, memory is only ever handled
 * through the hooks and all of it is freed, and nothing crashes or reads
 * out of bounds (the sanitizers watch).
 *
 * Input layout: fuzz/README.md.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MAX_CALLS 256

typedef struct api {
  fdp d;
  fmem mem;
  h11c_conn *conn[2];
  fbuf sent[2]; /* the last bytes each connection sent */
  bool eof[2];
} api;

static h11c_slice lit(const char *s) {
  h11c_slice r;
  r.base = (const uint8_t *)s;
  r.len = strlen(s);
  return r;
}

/* A slice from a table, from the input, or a NULL one (len > 0 with a NULL
 * base is an invalid argument). */
static h11c_slice pick_slice(api *a, const char *const *table, size_t n,
                             bool *bad) {
  size_t k = fdp_below(&a->d, n + 3);
  h11c_slice s = {NULL, 0};
  if (k < n)
    return lit(table[k]);
  if (k == n)
    return fdp_bytes(&a->d, fdp_below(&a->d, 32));
  if (k == n + 1)
    return s; /* empty */
  s.len = 1 + fdp_below(&a->d, 4);
  *bad = true;
  return s;
}

static const char *const METHODS[] = {"GET",  "HEAD", "CONNECT",
                                      "POST", "g e",  ""};
static const char *const TARGETS[] = {"/", "*", "a b", "\x7f", ""};
static const char *const VERSIONS[] = {"",   "1.1", "1.0",  "2",  "1",
                                       "11", "x.y", "1.1 ", "0.9"};
static const char *const REASONS[] = {"OK", "", "a\rb", "\x0b", "\x80"};
static const char *const NAMES[] = {
    "Host",       "Content-Length", "Transfer-Encoding",
    "Connection", "Upgrade",        "Expect",
    "",           "bad name",       "X"};
static const char *const VALUES[] = {"a",
                                     "5",
                                     "0",
                                     "chunked",
                                     "close",
                                     "keep-alive",
                                     "100-continue",
                                     "websocket",
                                     " x",
                                     "a\nb",
                                     "1, 2",
                                     "gzip, chunked",
                                     ""};
static const char *const EXTS[] = {";a=b", "a", ";\r", ";", ""};
static const int STATUSES[] = {-1,  0,   99,  100, 101, 103,  199,
                               200, 204, 304, 404, 999, 1000, INT_MAX};

typedef struct evbuf {
  h11c_event ev;
  h11c_header h[8];
} evbuf;

/* Builds an event to send; *bad is set when it has an invalid pointer
 * argument (which must be refused as H11C_ERR_INVALID_ARGUMENT). */
static void pick_event(api *a, evbuf *b, bool *bad) {
  static const int TYPES[] = {H11C_EV_REQUEST,
                              H11C_EV_INFORMATIONAL_RESPONSE,
                              H11C_EV_RESPONSE,
                              H11C_EV_DATA,
                              H11C_EV_END_OF_MESSAGE,
                              H11C_EV_CONNECTION_CLOSED,
                              H11C_EV_NONE,
                              7,
                              -1};
  size_t k, i;
  h11c_event *ev = &b->ev;
  memset(b, 0, sizeof *b);
  k = fdp_below(&a->d, sizeof TYPES / sizeof TYPES[0]);
  ev->type = (h11c_event_type)TYPES[k];
  if (ev->type < H11C_EV_REQUEST || ev->type > H11C_EV_CONNECTION_CLOSED)
    *bad = true;
  ev->method = pick_slice(a, METHODS, 6, bad);
  ev->target = pick_slice(a, TARGETS, 5, bad);
  ev->http_version = pick_slice(a, VERSIONS, 9, bad);
  ev->reason = pick_slice(a, REASONS, 5, bad);
  ev->status_code =
      STATUSES[fdp_below(&a->d, sizeof STATUSES / sizeof STATUSES[0])];
  ev->data = pick_slice(a, VALUES, 13, bad);
  ev->chunk_ext = pick_slice(a, EXTS, 5, bad);
  ev->chunk_start = fdp_bool(&a->d);
  ev->nheaders = fdp_below(&a->d, 9);
  if (ev->nheaders && fdp_u8(&a->d) == 0xff) {
    ev->headers = NULL;
    *bad = true;
  } else {
    ev->headers = b->h;
  }
  for (i = 0; i < ev->nheaders && i < 8; i++) {
    b->h[i].name = pick_slice(a, NAMES, 9, bad);
    if (fdp_u8(&a->d) & 1)
      b->h[i].raw_name = pick_slice(a, NAMES, 9, bad);
    b->h[i].value = pick_slice(a, VALUES, 13, bad);
  }
}

typedef struct snap {
  h11c_state st[2];
  uint64_t consumed;
  size_t trailing;
  bool closed;
} snap;

/* trailing_data() is not a query, but with receive_data() only (no
 * borrowed bytes) it changes nothing. */
static snap take(h11c_conn *c) {
  snap s;
  h11c_slice t;
  s.st[0] = h11c_conn_state(c, H11C_CLIENT);
  s.st[1] = h11c_conn_state(c, H11C_SERVER);
  s.consumed = h11c_conn_bytes_consumed(c);
  h11c_conn_trailing_data(c, &t, &s.closed);
  s.trailing = t.len;
  return s;
}

static bool same(snap x, snap y) {
  return x.st[0] == y.st[0] && x.st[1] == y.st[1] && x.consumed == y.consumed &&
         x.trailing == y.trailing && x.closed == y.closed;
}

static void check_error(const h11c_conn *c, int rc) {
  const h11c_error *e = h11c_conn_last_error(c);
  FUZZ_CHECK(e->code == rc, "last_error code %d after a call that returned %d",
             e->code, rc);
  FUZZ_CHECK(e->reason > H11C_REASON_NONE && e->reason < H11C_REASON__COUNT,
             "error reason %d", (int)e->reason);
  FUZZ_CHECK(h11c_reason_str(e->reason) && h11c_reason_name(e->reason),
             "no text for reason %d", (int)e->reason);
}

static void op_new(api *a, int i) {
  static const size_t MAXES[] = {0, 1, 16, 16384, SIZE_MAX};
  h11c_options o;
  h11c_mem hooks = fmem_hooks(&a->mem);
  const h11c_options *po = NULL;
  const h11c_mem *pm = &hooks;
  h11c_conn *c = (h11c_conn *)(uintptr_t)1;
  int role = (int)fdp_below(&a->d, 4), rc;
  bool want_invalid = role > 1;
  uint8_t how = fdp_u8(&a->d);
  unsigned long failures = a->mem.failures;
  if (role == 3)
    role = -1;
  if (how & 1) {
    h11c_options_init(&o);
    o.max_incomplete_event_size = MAXES[fdp_below(&a->d, 5)];
    o.flags = fdp_u8(&a->d) & 7u;
    want_invalid |= o.max_incomplete_event_size == 0 || (o.flags & 4);
    po = &o;
  }
  if (how & 2) {
    pm = NULL; /* the C library's allocator */
  } else if (how & 4) {
    hooks.realloc = NULL;
    want_invalid = true;
  }
  if (how & 8) {
    rc = h11c_conn_new(NULL, (h11c_role)role, po, pm);
    FUZZ_CHECK(rc == H11C_ERR_INVALID_ARGUMENT, "conn_new(NULL) gave %d", rc);
    return;
  }
  h11c_conn_del(a->conn[i]);
  a->conn[i] = NULL;
  a->sent[i].len = 0;
  a->eof[i] = false;
  rc = h11c_conn_new(&c, (h11c_role)role, po, pm);
  if (want_invalid) {
    FUZZ_CHECK(rc == H11C_ERR_INVALID_ARGUMENT && c == NULL,
               "conn_new with bad arguments gave %d", rc);
    return;
  }
  if (rc == H11C_ERR_NOMEM) {
    FUZZ_CHECK(c == NULL && a->mem.failures > failures && pm,
               "conn_new NOMEM without an allocation failure");
    return;
  }
  FUZZ_CHECK(rc == H11C_OK && c != NULL, "conn_new gave %d", rc);
  FUZZ_CHECK(h11c_conn_our_role(c) == (h11c_role)role, "our_role");
  FUZZ_CHECK(h11c_conn_our_state(c) == H11C_IDLE &&
                 h11c_conn_their_state(c) == H11C_IDLE,
             "a new connection is not IDLE/IDLE");
  FUZZ_CHECK(h11c_conn_their_http_version(c) == -1 &&
                 h11c_conn_bytes_consumed(c) == 0 && h11c_conn_keep_alive(c) &&
                 h11c_conn_last_error(c)->code == H11C_OK,
             "a new connection is not fresh");
  a->conn[i] = c;
}

static void op_receive_data(api *a, h11c_conn *c, int i) {
  h11c_slice b;
  snap before = take(c);
  unsigned long failures = a->mem.failures;
  bool null = fdp_u8(&a->d) == 0xff;
  int rc;
  if (fdp_bool(&a->d) && a->sent[1 - i].len) {
    /* What the other connection sent, for realistic states. */
    b.base = a->sent[1 - i].p;
    b.len = a->sent[1 - i].len;
  } else {
    b = fdp_bytes(&a->d, fdp_below(&a->d, 80));
  }
  if (null) {
    b.base = NULL;
    b.len = 1;
  }
  rc = h11c_conn_receive_data(c, b.base, b.len);
  if (null || (a->eof[i] && b.len)) {
    FUZZ_CHECK(rc == H11C_ERR_INVALID_ARGUMENT,
               "receive_data (NULL or after EOF) gave %d", rc);
    FUZZ_CHECK(same(before, take(c)), "a refused receive_data changed state");
  } else if (rc == H11C_ERR_NOMEM) {
    FUZZ_CHECK(a->mem.failures > failures, "NOMEM without a failure");
    FUZZ_CHECK(same(before, take(c)), "receive_data NOMEM changed state");
  } else {
    FUZZ_CHECK(rc == H11C_OK, "receive_data gave %d", rc);
    before.trailing += b.len;
    FUZZ_CHECK(same(before, take(c)), "receive_data did more than append");
  }
}

static void op_next_event(api *a, h11c_conn *c, int i) {
  h11c_event ev;
  snap before = take(c);
  unsigned long failures = a->mem.failures;
  int rc;
  (void)i;
  if (fdp_u8(&a->d) == 0xff) {
    rc = h11c_conn_next_event(c, NULL);
    FUZZ_CHECK(rc == H11C_ERR_INVALID_ARGUMENT, "next_event(NULL) gave %d", rc);
    FUZZ_CHECK(same(before, take(c)), "next_event(NULL) changed state");
    return;
  }
  memset(&ev, 0, sizeof ev);
  rc = h11c_conn_next_event(c, &ev);
  switch (rc) {
  case H11C_OK:
    FUZZ_CHECK(ev.type >= H11C_EV_REQUEST &&
                   ev.type <= H11C_EV_CONNECTION_CLOSED,
               "event type %d", (int)ev.type);
    (void)fz_touch_event(&ev);
    if (ev.type != H11C_EV_DATA && ev.type != H11C_EV_CONNECTION_CLOSED)
      fz_check_fields(ev.headers, ev.nheaders, NULL, NULL, NULL);
    break;
  case H11C_NEED_DATA:
  case H11C_PAUSED:
    FUZZ_CHECK(before.st[0] == take(c).st[0] && before.st[1] == take(c).st[1],
               "NEED_DATA/PAUSED changed a state");
    break;
  case H11C_ERR_NOMEM:
    FUZZ_CHECK(a->mem.failures > failures, "NOMEM without a failure");
    /* fall through */
  case H11C_ERR_REMOTE_PROTOCOL:
    check_error(c, rc);
    FUZZ_CHECK(h11c_conn_their_state(c) == H11C_ERROR,
               "a receive error left the peer in %s",
               h11c_state_name(h11c_conn_their_state(c)));
    break;
  default:
    FUZZ_CHECK(0, "next_event gave %d", rc);
  }
}

/* Validation failures: h11 refuses these when the event is built, so the
 * state does not change. */
static bool validation_reason(h11c_reason r) {
  switch (r) {
  case H11C_REASON_BAD_HEADER_NAME:
  case H11C_REASON_BAD_HEADER_VALUE:
  case H11C_REASON_BAD_CONTENT_LENGTH:
  case H11C_REASON_CONFLICTING_CONTENT_LENGTH:
  case H11C_REASON_MULTIPLE_TRANSFER_ENCODING:
  case H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING:
  case H11C_REASON_CHUNK_NOT_FINAL:
  case H11C_REASON_MISSING_HOST:
  case H11C_REASON_MULTIPLE_HOST:
  case H11C_REASON_BAD_METHOD:
  case H11C_REASON_BAD_TARGET:
  case H11C_REASON_CONTENT_LENGTH_WITH_TRANSFER_ENCODING:
  case H11C_REASON_BAD_STATUS_CODE:
  case H11C_REASON_BAD_REASON:
  case H11C_REASON_FORBIDDEN_FRAMING_HEADER:
  case H11C_REASON_BAD_CHUNK_EXT:
    return true;
  default:
    return false;
  }
}

static void op_send(api *a, h11c_conn *c, int i) {
  evbuf b;
  bool bad = false, copy = fdp_bool(&a->d);
  uint8_t nulls = fdp_u8(&a->d);
  snap before;
  unsigned long failures;
  int rc;
  pick_event(a, &b, &bad);
  before = take(c);
  failures = a->mem.failures;
  a->sent[i].len = 0;
  if (copy) {
    const uint8_t *out = NULL;
    size_t len = 0;
    if (nulls == 0xff) {
      rc = h11c_conn_send_copy(c, &b.ev, NULL, &len);
      bad = true;
    } else if (nulls == 0xfe) {
      rc = h11c_conn_send_copy(c, NULL, &out, &len);
      bad = true;
    } else {
      rc = h11c_conn_send_copy(c, &b.ev, &out, &len);
    }
    if (rc == H11C_OK) {
      FUZZ_CHECK(out != NULL, "send_copy gave NULL");
      fbuf_put(&a->sent[i], out, len);
    }
  } else {
    h11c_slice iov[H11C_SEND_IOV_MAX];
    size_t n = 0, k;
    if (nulls == 0xff) {
      rc = h11c_conn_send(c, &b.ev, iov, NULL);
      bad = true;
    } else if (nulls == 0xfe) {
      rc = h11c_conn_send(c, &b.ev, NULL, &n);
      bad = true;
    } else {
      rc = h11c_conn_send(c, &b.ev, iov, &n);
    }
    if (rc == H11C_OK) {
      FUZZ_CHECK(n <= H11C_SEND_IOV_MAX, "%zu slices", n);
      for (k = 0; k < n; k++) {
        FUZZ_CHECK(iov[k].base && iov[k].len, "empty slice");
        fbuf_put(&a->sent[i], iov[k].base, iov[k].len);
      }
    }
  }
  if (fuzz_verbose())
    fprintf(stderr, "%s: %s %s -> %d %s (our state %s)\n",
            h11c_role_name(h11c_conn_our_role(c)), copy ? "send_copy" : "send",
            h11c_event_type_name(b.ev.type), rc,
            h11c_reason_name(h11c_conn_last_error(c)->reason),
            h11c_state_name(h11c_conn_our_state(c)));
  if (bad) {
    FUZZ_CHECK(rc == H11C_ERR_INVALID_ARGUMENT,
               "send with an invalid argument gave %d", rc);
    FUZZ_CHECK(same(before, take(c)), "a refused send changed state");
    return;
  }
  switch (rc) {
  case H11C_OK:
    break;
  case H11C_ERR_NOMEM:
    FUZZ_CHECK(a->mem.failures > failures, "NOMEM without a failure");
    check_error(c, rc);
    FUZZ_CHECK(h11c_conn_our_state(c) == H11C_ERROR, "send NOMEM left us in %s",
               h11c_state_name(h11c_conn_our_state(c)));
    break;
  case H11C_ERR_LOCAL_PROTOCOL: {
    h11c_reason r = h11c_conn_last_error(c)->reason;
    check_error(c, rc);
    /* h11c.h: a malformed event changes nothing; any other refusal
       leaves our side in ERROR. */
    if (validation_reason(r))
      FUZZ_CHECK(same(before, take(c)),
                 "refusing a malformed event (%s) changed state",
                 h11c_reason_name(r));
    else
      FUZZ_CHECK(h11c_conn_our_state(c) == H11C_ERROR,
                 "send failed (%s) and left us in %s", h11c_reason_name(r),
                 h11c_state_name(h11c_conn_our_state(c)));
    break;
  }
  default:
    FUZZ_CHECK(0, "send gave %d", rc);
  }
}

static void op_cycle(api *a, h11c_conn *c) {
  snap before = take(c);
  bool both_done = before.st[0] == H11C_DONE && before.st[1] == H11C_DONE;
  int rc = h11c_conn_start_next_cycle(c);
  (void)a;
  if (both_done) {
    FUZZ_CHECK(rc == H11C_OK, "start_next_cycle from DONE/DONE gave %d", rc);
    FUZZ_CHECK(h11c_conn_our_state(c) == H11C_IDLE &&
                   h11c_conn_their_state(c) == H11C_IDLE,
               "not IDLE after start_next_cycle");
  } else {
    FUZZ_CHECK(rc == H11C_ERR_LOCAL_PROTOCOL, "start_next_cycle gave %d", rc);
    FUZZ_CHECK(same(before, take(c)), "a refused start_next_cycle changed "
                                      "state");
  }
}

static void op_queries(api *a, h11c_conn *c) {
  h11c_slice t;
  bool closed;
  int k = (int)fdp_u8(&a->d) - 128;
  FUZZ_CHECK(h11c_reason_str((h11c_reason)k) != NULL &&
                 h11c_reason_name((h11c_reason)k) != NULL &&
                 h11c_status_str(k) != NULL &&
                 h11c_state_name((h11c_state)k) != NULL &&
                 h11c_role_name((h11c_role)k) != NULL &&
                 h11c_event_type_name((h11c_event_type)k) != NULL,
             "a name function returned NULL for %d", k);
  (void)strlen(h11c_reason_str((h11c_reason)k));
  (void)strlen(h11c_state_name((h11c_state)k));
  (void)h11c_conn_state(c, (h11c_role)k);
  (void)h11c_conn_our_role(c);
  (void)h11c_conn_their_http_version(c);
  (void)h11c_conn_client_is_waiting_for_100_continue(c);
  (void)h11c_conn_they_are_waiting_for_100_continue(c);
  (void)h11c_conn_keep_alive(c);
  (void)h11c_conn_bytes_consumed(c);
  (void)h11c_conn_last_error(c)->code;
  h11c_conn_trailing_data(c, NULL, NULL);
  h11c_conn_trailing_data(c, &t, NULL);
  h11c_conn_trailing_data(c, NULL, &closed);
  h11c_conn_trailing_data(c, &t, &closed);
  if (t.len) {
    size_t j;
    unsigned acc = 0;
    for (j = 0; j < t.len; j++)
      acc += t.base[j];
    (void)acc;
  }
  if (c == NULL) {
    h11c_options_init(NULL);
    h11c_conn_del(NULL);
    h11c_conn_send_failed(NULL);
    FUZZ_CHECK(h11c_conn_receive_eof(NULL) == H11C_ERR_INVALID_ARGUMENT &&
                   h11c_conn_receive_data(NULL, NULL, 0) ==
                       H11C_ERR_INVALID_ARGUMENT &&
                   h11c_conn_start_next_cycle(NULL) ==
                       H11C_ERR_INVALID_ARGUMENT,
               "a call on a NULL connection did not fail");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  api a;
  h11c_mem hooks;
  int i, calls;
  memset(&a, 0, sizeof a);
  a.d.p = data;
  a.d.n = size;
  a.mem.fail_at = fdp_u8(&a.d);
  a.mem.fail_after = fdp_bool(&a.d);
  hooks = fmem_hooks(&a.mem);
  for (i = 0; i < 2; i++)
    if (h11c_conn_new(&a.conn[i], i ? H11C_SERVER : H11C_CLIENT, NULL,
                      &hooks) != H11C_OK)
      a.conn[i] = NULL;

  for (calls = 0; calls < MAX_CALLS && !fdp_empty(&a.d); calls++) {
    uint8_t op = fdp_u8(&a.d);
    i = op & 1;
    h11c_conn *c = a.conn[i];
    op >>= 1;
    if (op % 11 != 0 && op % 11 != 9 && !c)
      continue;
    if (fuzz_verbose())
      fprintf(stderr,
              "call %d: op %d on connection %d (calls to the "
              "allocator so far: %lu)\n",
              calls, op % 11, i, a.mem.calls);
    switch (op % 11) {
    case 0:
      op_new(&a, i);
      break;
    case 1:
    case 2:
      op_receive_data(&a, c, i);
      break;
    case 3:
      FUZZ_CHECK(h11c_conn_receive_eof(c) == H11C_OK, "receive_eof failed");
      a.eof[i] = true;
      break;
    case 4:
    case 5:
      op_next_event(&a, c, i);
      break;
    case 6:
    case 7:
      op_send(&a, c, i);
      break;
    case 8:
      if (fdp_bool(&a.d)) {
        h11c_conn_send_failed(c);
        FUZZ_CHECK(h11c_conn_our_state(c) == H11C_ERROR,
                   "send_failed did not move us to ERROR");
      } else {
        op_cycle(&a, c);
      }
      break;
    case 9:
      op_queries(&a, c);
      break;
    default:
      op_next_event(&a, c, i);
      break;
    }
    if (a.conn[0])
      fz_check_states(a.conn[0]);
    if (a.conn[1])
      fz_check_states(a.conn[1]);
  }
  for (i = 0; i < 2; i++) {
    h11c_conn_del(a.conn[i]);
    fbuf_free(&a.sent[i]);
  }
  fmem_check_empty(&a.mem);
  return 0;
}
