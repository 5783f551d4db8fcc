/*
 * conn: the connection (h11's _connection), the top of the library and
 * the only module with policy: it owns the receive side (a reader), the
 * send side (a writer's body and the output), the state machine, and the
 * decisions h11's Connection makes: body framing, keep-alive,
 * protocol-switch proposals, 100-continue, the response header clean-up,
 * and which side goes into ERROR when something fails.  Uses every other
 * module; struct h11c_conn is known only here.
 */
#include "h11c.h"
#include "h11c_abnf.h"
#include "h11c_events.h"
#include "h11c_headers.h"
#include "h11c_mem.h"
#include "h11c_names.h"
#include "h11c_rbuf.h"
#include "h11c_readers.h"
#include "h11c_state.h"
#include "h11c_writers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The request method, as far as framing cares. */
typedef enum method_kind {
  METHOD_NONE = 0,
  METHOD_OTHER,
  METHOD_HEAD,
  METHOD_CONNECT
} method_kind;

struct h11c_conn {
  h11c_mem mem;
  h11c_options opts;
  h11c_role our_role;
  h11c__cstate cs;
  /* The receive side: buffer, fields of the last event, body state. */
  h11c__reader rd;
  /* The body we are sending, and the output of the last send. */
  h11c__wbody wbody;
  h11c__bytes out;
  method_kind request_method;
  int their_http_version;
  /* Set with the option: the peer's HTTP/1.0 message asked to stay open. */
  bool their_http10_keep_alive;
  bool client_waiting_for_100;
  h11c_error err;
  /* Normalised copy of the fields of the event being sent, and the
     scratch space of the response clean-up. */
  h11c__fields send_hdrs;
  h11c__bytes send_scratch;
  h11c__bytes send_tokens;
};

static h11c_role their_role(const h11c_conn *conn) {
  return conn->our_role == H11C_CLIENT ? H11C_SERVER : H11C_CLIENT;
}

/* ---- errors ---- */

/* Records why the call in progress fails and returns its code:
 * H11C_ERR_NOMEM whenever memory ran out, else code. */
static int fail(h11c_conn *conn, int code, h11c__result res) {
  if (res.reason == H11C_REASON_NOMEM)
    code = H11C_ERR_NOMEM;
  conn->err.code = code;
  conn->err.reason = res.reason;
  conn->err.status_hint = res.status;
  conn->err.offset = conn->rd.rb.event_end;
  conn->err.body_received = conn->err.body_expected = 0;
  conn->err.body_chunked = false;
  return code;
}

static const h11c__result NOMEM = {H11C_REASON_NOMEM, 400};

/* Receiving failed (the peer broke the protocol, or memory ran out): their
 * side is in ERROR from now on. */
static int receive_failed(h11c_conn *conn, h11c__result res) {
  int code = fail(conn, H11C_ERR_REMOTE_PROTOCOL, res);
  if (res.reason == H11C_REASON_INCOMPLETE_BODY) {
    const h11c__rbody *b = &conn->rd.body;
    if (b->framing == H11C__FRAMING_CHUNKED) {
      conn->err.body_chunked = true;
    } else {
      conn->err.body_expected = b->length;
      conn->err.body_received = b->length - b->remaining;
    }
  }
  h11c__cstate_process_error(&conn->cs, their_role(conn));
  return code;
}

/* Sending failed after the event was found well-formed: our side is in
 * ERROR from now on. */
static int send_failed(h11c_conn *conn, h11c_reason reason) {
  int code = fail(conn, H11C_ERR_LOCAL_PROTOCOL, H11C__BAD(reason));
  h11c__cstate_process_error(&conn->cs, conn->our_role);
  return code;
}

/* ---- construction ---- */

void h11c_options_init(h11c_options *opts) {
  if (!opts)
    return;
  memset(opts, 0, sizeof(*opts));
  opts->max_incomplete_event_size = H11C_DEFAULT_MAX_INCOMPLETE_EVENT_SIZE;
}

int h11c_conn_new(h11c_conn **pconn, h11c_role our_role,
                  const h11c_options *opts, const h11c_mem *mem) {
  h11c_mem m;
  h11c_conn *conn;
  if (!pconn)
    return H11C_ERR_INVALID_ARGUMENT;
  *pconn = NULL;
  if (our_role != H11C_CLIENT && our_role != H11C_SERVER)
    return H11C_ERR_INVALID_ARGUMENT;
  if (opts && (opts->max_incomplete_event_size == 0 ||
               (opts->flags & ~(unsigned)(H11C_OPT_HTTP10_KEEP_ALIVE |
                                          H11C_OPT_CHUNK_EXTENSIONS))))
    return H11C_ERR_INVALID_ARGUMENT;
  if (mem) {
    if (!mem->malloc || !mem->realloc || !mem->free)
      return H11C_ERR_INVALID_ARGUMENT;
    m = *mem;
  } else {
    h11c__mem_default(&m);
  }
  conn = h11c__malloc(&m, sizeof(*conn));
  if (!conn)
    return H11C_ERR_NOMEM;
  memset(conn, 0, sizeof(*conn));
  conn->mem = m;
  if (opts)
    conn->opts = *opts;
  else
    h11c_options_init(&conn->opts);
  conn->our_role = our_role;
  h11c__cstate_init(&conn->cs);
  h11c__reader_init(&conn->rd, &conn->mem, conn->opts.max_incomplete_event_size,
                    (conn->opts.flags & H11C_OPT_CHUNK_EXTENSIONS) != 0);
  conn->their_http_version = -1;
  *pconn = conn;
  return H11C_OK;
}

void h11c_conn_del(h11c_conn *conn) {
  h11c_mem m;
  if (!conn)
    return;
  m = conn->mem;
  h11c__reader_free(&conn->rd);
  h11c__fields_free(&conn->send_hdrs, &m);
  h11c__bytes_free(&conn->out, &m);
  h11c__bytes_free(&conn->send_scratch, &m);
  h11c__bytes_free(&conn->send_tokens, &m);
  h11c__free(&m, conn);
}

/* ---- receiving ---- */

/* Takes the caller's unconsumed borrowed bytes into the connection's own
 * buffer.  Without the memory for that, they are dropped (the connection
 * keeps no reference to them) and the peer's state becomes ERROR. */
static int release_borrowed_slow(h11c_conn *conn) {
  /* The view changes: it may now hold complete events. */
  conn->rd.rb.stalled = false;
  if (h11c__rbuf_release(&conn->rd.rb, &conn->mem) != 0) {
    h11c__rbuf_forget(&conn->rd.rb);
    return receive_failed(conn, NOMEM);
  }
  return H11C_OK;
}

static inline int release_borrowed(h11c_conn *conn) {
  if (!h11c__rbuf_lends(&conn->rd.rb))
    return H11C_OK;
  return release_borrowed_slow(conn);
}

static inline int receive(h11c_conn *conn, const uint8_t *data, size_t len,
                          bool borrow) {
  h11c__rbuf *rb = &conn->rd.rb;
  bool stalled;
  int rv = release_borrowed(conn);
  if (rv != H11C_OK || len == 0)
    return rv;
  stalled = rb->stalled;
  rb->stalled = false;
  if (rb->closed)
    return fail(conn, H11C_ERR_INVALID_ARGUMENT,
                H11C__BAD(H11C_REASON_DATA_AFTER_EOF));
  if (borrow && h11c__rbuf_len(rb) == 0) {
    h11c__rbuf_borrow(rb, data, len);
    return H11C_OK;
  }
  if (borrow && stalled && len > H11C__PULL_MIN) {
    /* The buffer holds part of one event: only what completes it will be
       copied (h11c_conn_next_event() pulls it in). */
    h11c__rbuf_set_pending(rb, data, len);
    return H11C_OK;
  }
  if (h11c__rbuf_append(rb, &conn->mem, data, len) != 0)
    return fail(conn, H11C_ERR_NOMEM, NOMEM);
  return H11C_OK;
}

int h11c_conn_receive_data(h11c_conn *conn, const uint8_t *data, size_t len) {
  if (!conn || (!data && len))
    return H11C_ERR_INVALID_ARGUMENT;
  return receive(conn, data, len, false);
}

int h11c_conn_receive_borrowed(h11c_conn *conn, const uint8_t *data,
                               size_t len) {
  if (!conn || (!data && len))
    return H11C_ERR_INVALID_ARGUMENT;
  return receive(conn, data, len, true);
}

int h11c_conn_release_borrowed(h11c_conn *conn) {
  if (!conn)
    return H11C_ERR_INVALID_ARGUMENT;
  return release_borrowed(conn);
}

int h11c_conn_receive_eof(h11c_conn *conn) {
  if (!conn)
    return H11C_ERR_INVALID_ARGUMENT;
  conn->rd.rb.closed = true;
  return H11C_OK;
}

/* ---- h11's _process_event ---- */

/* "1.1" -> 11.  Received versions are always <digit>.<digit>; a sent
 * event's is empty (HTTP/1.1) or checked before it gets here. */
static int version_num(h11c_slice v) {
  if (v.len != 3)
    return 11;
  return (v.base[0] - '0') * 10 + (v.base[2] - '0');
}

/* h11's _keep_alive for HTTP/1.1 and later, plus the RFC 9112 rule h11
 * leaves out. */
static inline __attribute__((always_inline)) bool
keep_alive_11(const h11c_event *ev, const h11c__framing_info *fi) {
  if (fi->connection_close)
    return false;
  /* RFC 9112 §6.1: after a request with both Content-Length and
     Transfer-Encoding the server MUST close the connection. */
  return !(ev->type == H11C_EV_REQUEST && fi->has_content_length &&
           fi->has_transfer_encoding);
}

/* h11's _keep_alive, plus the RFC 9112 rules h11 leaves out. */
static bool keep_alive(h11c_conn *conn, h11c_role role, const h11c_event *ev,
                       const h11c__framing_info *fi) {
  bool theirs = role == their_role(conn);
  if (theirs)
    conn->their_http10_keep_alive = false;
  if (!keep_alive_11(ev, fi))
    return false;
  if (version_num(ev->http_version) < 11) {
    /* RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding ends the
       connection in any case. */
    if ((conn->opts.flags & H11C_OPT_HTTP10_KEEP_ALIVE) &&
        !fi->has_transfer_encoding && fi->connection_keep_alive) {
      if (theirs)
        conn->their_http10_keep_alive = true;
      return true;
    }
    return false;
  }
  return true;
}

static inline __attribute__((always_inline)) method_kind
method_of(h11c_slice m) {
  if (m.len == 4 && memcmp(m.base, "HEAD", 4) == 0)
    return METHOD_HEAD;
  if (m.len == 7 && memcmp(m.base, "CONNECT", 7) == 0)
    return METHOD_CONNECT;
  return METHOD_OTHER;
}

/* h11's _body_framing, after RFC 9112 §6.3: how the body of the message
 * that ev starts is delimited (the length in *plen). */
static inline __attribute__((always_inline)) h11c__framing
body_framing(method_kind method, const h11c_event *ev,
             const h11c__framing_info *fi, uint64_t *plen) {
  *plen = 0;
  if (ev->type == H11C_EV_RESPONSE &&
      (ev->status_code == 204 || ev->status_code == 304 ||
       method == METHOD_HEAD ||
       (method == METHOD_CONNECT && ev->status_code >= 200 &&
        ev->status_code < 300)))
    return H11C__FRAMING_LENGTH; /* step 1: no body */
  if (fi->has_transfer_encoding)
    return H11C__FRAMING_CHUNKED; /* step 2: T-E beats C-L */
  if (fi->has_content_length) {
    *plen = fi->content_length; /* step 3 */
    return H11C__FRAMING_LENGTH;
  }
  /* step 4: a request without either has no body; a response runs until
     the connection closes. */
  return ev->type == H11C_EV_REQUEST ? H11C__FRAMING_LENGTH
                                     : H11C__FRAMING_CLOSE;
}

/* What the public event functions share: ev is a Request or Response
 * whose fields are valid; *fi says what they say. */
static int scan_head(const h11c_event *ev, h11c__framing_info *fi) {
  h11c__result res;
  if (!ev || !h11c__event_args_ok(ev) ||
      (ev->type != H11C_EV_REQUEST && ev->type != H11C_EV_RESPONSE))
    return H11C_ERR_INVALID_ARGUMENT;
  res = h11c__headers_check(ev->headers, ev->nheaders, 0, NULL, NULL, fi);
  return res.reason == H11C_REASON_NONE ? H11C_OK : H11C_ERR_LOCAL_PROTOCOL;
}

int h11c_event_body_framing(h11c_slice request_method, const h11c_event *ev,
                            h11c_framing *pframing, uint64_t *plength) {
  h11c__framing_info fi;
  uint64_t len;
  h11c__framing f;
  int rv;
  if (!pframing || !plength || (request_method.len && !request_method.base))
    return H11C_ERR_INVALID_ARGUMENT;
  rv = scan_head(ev, &fi);
  if (rv != H11C_OK)
    return rv;
  f = body_framing(method_of(request_method), ev, &fi, &len);
  *pframing = f == H11C__FRAMING_CHUNKED ? H11C_FRAMING_CHUNKED
              : f == H11C__FRAMING_CLOSE ? H11C_FRAMING_CLOSE
                                         : H11C_FRAMING_CONTENT_LENGTH;
  *plength = len;
  return H11C_OK;
}

int h11c_event_keep_alive(const h11c_event *ev, bool *pkeep) {
  h11c__framing_info fi;
  int rv;
  if (!pkeep)
    return H11C_ERR_INVALID_ARGUMENT;
  rv = scan_head(ev, &fi);
  if (rv != H11C_OK)
    return rv;
  *pkeep = keep_alive_11(ev, &fi) && version_num(ev->http_version) >= 11;
  return H11C_OK;
}

static h11c_reason process_event(h11c_conn *conn, h11c_role role,
                                 const h11c_event *ev,
                                 const h11c__framing_info *fi) {
  h11c_role our = conn->our_role, their = their_role(conn);
  h11c_state old_our = conn->cs.states[our];
  h11c_state old_their = conn->cs.states[their];
  unsigned server_switch = 0;
  bool head = ev->type == H11C_EV_REQUEST || ev->type == H11C_EV_RESPONSE ||
              ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
  h11c_reason r;

  if (ev->type == H11C_EV_DATA) {
    /* The common case, short: Data only ever takes SEND_BODY to itself,
       which changes no joint state, proposal or framing. */
    if (conn->cs.states[role] != H11C_SEND_BODY)
      return H11C_REASON_BAD_EVENT_FOR_STATE;
    if (role == H11C_CLIENT)
      conn->client_waiting_for_100 = false;
    return H11C_REASON_NONE;
  }
  if (role == H11C_CLIENT && ev->type == H11C_EV_REQUEST) {
    if (method_of(ev->method) == METHOD_CONNECT)
      h11c__cstate_switch_proposal(&conn->cs, H11C__SWITCH_CONNECT);
    if (fi->upgrade)
      h11c__cstate_switch_proposal(&conn->cs, H11C__SWITCH_UPGRADE);
  }
  if (role == H11C_SERVER) {
    if (ev->type == H11C_EV_INFORMATIONAL_RESPONSE && ev->status_code == 101)
      server_switch = H11C__SWITCH_UPGRADE;
    else if (ev->type == H11C_EV_RESPONSE &&
             (conn->cs.pending_switch & H11C__SWITCH_CONNECT) &&
             ev->status_code >= 200 && ev->status_code < 300)
      server_switch = H11C__SWITCH_CONNECT;
  }
  r = h11c__cstate_process_event(&conn->cs, role, ev->type, server_switch);
  if (r != H11C_REASON_NONE)
    return r;

  if (ev->type == H11C_EV_REQUEST)
    conn->request_method = method_of(ev->method);
  if (role == their && head)
    conn->their_http_version = version_num(ev->http_version);
  if ((ev->type == H11C_EV_REQUEST || ev->type == H11C_EV_RESPONSE) &&
      !keep_alive(conn, role, ev, fi))
    h11c__cstate_keep_alive_disabled(&conn->cs);

  /* 100-continue (RFC 9110 §10.1.1); h11 ignores Expect below HTTP/1.1. */
  if (ev->type == H11C_EV_REQUEST && version_num(ev->http_version) >= 11 &&
      fi->expect_continue)
    conn->client_waiting_for_100 = true;
  if (ev->type == H11C_EV_INFORMATIONAL_RESPONSE ||
      ev->type == H11C_EV_RESPONSE)
    conn->client_waiting_for_100 = false;
  if (role == H11C_CLIENT && ev->type == H11C_EV_END_OF_MESSAGE)
    conn->client_waiting_for_100 = false;

  /* h11's _respond_to_state_changes: a side entering SEND_BODY gets the
     body framing of the event that took it there.  The framing is only
     consulted in SEND_BODY, and the writer still needs it for the
     EndOfMessage that leaves SEND_BODY. */
  if (conn->cs.states[our] != old_our &&
      conn->cs.states[our] == H11C_SEND_BODY) {
    uint64_t len;
    conn->wbody.framing = body_framing(conn->request_method, ev, fi, &len);
    conn->wbody.remaining = len;
  }
  if (conn->cs.states[their] != old_their &&
      conn->cs.states[their] == H11C_SEND_BODY) {
    uint64_t len;
    h11c__framing f = body_framing(conn->request_method, ev, fi, &len);
    h11c__reader_start_body(&conn->rd, f, len);
  }
  return H11C_REASON_NONE;
}

/* ---- next_event ---- */

/* One reader step for the state their side is in.  With H11C__READ_EVENT
 * and a head, *fi holds what its fields say; with H11C__READ_ERROR, *perr
 * says why. */
static h11c__read_result extract_event(h11c_conn *conn, h11c_event *ev,
                                       h11c__framing_info *fi,
                                       h11c__result *perr) {
  h11c_role their = their_role(conn);
  h11c_state state = conn->cs.states[their];
  h11c__rbuf *rb = &conn->rd.rb;
  h11c__read_result res;
  switch (state) {
  case H11C_IDLE:
  case H11C_SEND_RESPONSE:
    res = h11c__read_head(&conn->rd, their == H11C_CLIENT, ev, fi);
    break;
  case H11C_SEND_BODY:
    res = h11c__read_body(&conn->rd, ev);
    break;
  default: /* DONE, MUST_CLOSE, CLOSED: expect nothing */
    if (h11c__rbuf_len(rb) > 0) {
      *perr = H11C__BAD(H11C_REASON_DATA_WHEN_EXPECTING_EOF);
      return H11C__READ_ERROR;
    }
    res = H11C__READ_NONE;
    break;
  }
  if (res == H11C__READ_NONE && rb->closed && h11c__rbuf_len(rb) == 0 &&
      rb->pend_len == 0) {
    if (state == H11C_SEND_BODY)
      res = h11c__read_body_eof(&conn->rd, ev);
    else {
      memset(ev, 0, sizeof(*ev));
      ev->type = H11C_EV_CONNECTION_CLOSED;
      res = H11C__READ_EVENT;
    }
  }
  if (res == H11C__READ_ERROR)
    *perr = conn->rd.err;
  return res;
}

int h11c_conn_next_event(h11c_conn *conn, h11c_event *ev) {
  h11c__rbuf *rb;
  /* What a head's fields say: filled in by heads, the only events whose
     processing reads it. */
  h11c__framing_info fi;
  h11c__result err;
  h11c_state state;
  h11c__read_result res;
  h11c_reason r;
  if (!conn || !ev)
    return H11C_ERR_INVALID_ARGUMENT;
  rb = &conn->rd.rb;
  /* Pending borrowed bytes become the view once it is empty. */
  h11c__rbuf_settle(rb);
  state = conn->cs.states[their_role(conn)];
  if (state == H11C_ERROR)
    return fail(conn, H11C_ERR_REMOTE_PROTOCOL,
                H11C__BAD(H11C_REASON_PEER_IN_ERROR));
  if ((state == H11C_DONE && h11c__rbuf_len(rb) > 0) ||
      state == H11C_MIGHT_SWITCH_PROTOCOL || state == H11C_SWITCHED_PROTOCOL)
    return H11C_PAUSED;
  for (;;) {
    res = extract_event(conn, ev, &fi, &err);
    /* Past the event-size limit the event is refused (431) whatever
       follows: pulling more would only copy it. */
    if (res != H11C__READ_NONE || rb->pend_len == 0 ||
        h11c__rbuf_len(rb) > conn->opts.max_incomplete_event_size)
      break;
    /* Bytes received while the buffer held part of an event join it only
       as far as needed to complete it. */
    if (h11c__rbuf_pull(rb, &conn->mem) < 0)
      return receive_failed(conn, NOMEM);
  }
  if (res == H11C__READ_ERROR)
    return receive_failed(conn, err);
  if (res == H11C__READ_NONE) {
    if (h11c__rbuf_len(rb) > conn->opts.max_incomplete_event_size)
      return receive_failed(conn,
                            h11c__result_of(H11C_REASON_BUFFER_TOO_LONG, 431));
    if (rb->closed)
      return receive_failed(conn, H11C__BAD(H11C_REASON_UNEXPECTED_CLOSE));
    /* The caller may reuse borrowed bytes now: keep what is left. */
    if (release_borrowed(conn) != H11C_OK)
      return conn->err.code;
    rb->stalled = true;
    return H11C_NEED_DATA;
  }
  h11c__rbuf_settle(rb);
  rb->stalled = false;
  r = process_event(conn, their_role(conn), ev, &fi);
  if (r != H11C_REASON_NONE)
    return receive_failed(conn, H11C__BAD(r));
  rb->event_end = rb->consumed;
  return H11C_OK;
}

/* ---- sending ---- */

static int cmp_slice(const void *a, const void *b) {
  const h11c_slice *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->base, y->base, n) : 0;
  if (c)
    return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* Removes every field called name (lower case) from conn->send_hdrs. */
static void remove_fields(h11c_conn *conn, size_t *pn, const char *name,
                          size_t namelen) {
  h11c_header *v = conn->send_hdrs.v;
  size_t i, out = 0;
  for (i = 0; i < *pn; i++)
    if (!h11c__slice_ieq(v[i].raw_name, name, namelen))
      v[out++] = v[i];
  *pn = out;
}

/* Appends a field; there is room (see h11c__event_check()). */
static void append_field(h11c_conn *conn, size_t *pn, h11c_slice name,
                         h11c_slice value) {
  h11c_header *h = &conn->send_hdrs.v[(*pn)++];
  h->name = h->raw_name = name;
  h->value = value;
}

/* h11's set_comma_header(headers, b"connection", sorted(tokens)), where the
 * tokens are the current ones without drop, plus add.  Returns 0 or -1
 * (out of memory). */
static int rewrite_connection(h11c_conn *conn, size_t *pn, const char *drop,
                              size_t droplen, h11c_slice add) {
  size_t i, total = 0, ntok = 0, k;
  h11c_slice *tok;
  uint8_t *w;
  for (i = 0; i < *pn; i++)
    if (H11C__IEQ(conn->send_hdrs.v[i].raw_name, "connection"))
      total += conn->send_hdrs.v[i].value.len + 1;
  conn->send_scratch.len = 0;
  conn->send_tokens.len = 0;
  if (h11c__bytes_reserve(&conn->send_scratch, &conn->mem, total + 1) != 0 ||
      h11c__bytes_reserve(&conn->send_tokens, &conn->mem,
                          (total / 2 + 2) * sizeof(h11c_slice)) != 0)
    return -1;
  tok = (h11c_slice *)(void *)conn->send_tokens.data;
  w = conn->send_scratch.data;
  for (i = 0; i < *pn; i++) {
    h11c__list it;
    h11c_slice el;
    if (!H11C__IEQ(conn->send_hdrs.v[i].raw_name, "connection"))
      continue;
    it = h11c__list_start(conn->send_hdrs.v[i].value);
    while (h11c__list_next(&it, &el)) {
      h11c_slice t;
      if (!el.len)
        continue;
      t.base = w;
      t.len = el.len;
      for (k = 0; k < el.len; k++)
        *w++ = h11c__lower[el.base[k]];
      if (!h11c__slice_ieq(t, drop, droplen))
        tok[ntok++] = t;
    }
  }
  tok[ntok++] = add;
  qsort(tok, ntok, sizeof(*tok), cmp_slice);
  remove_fields(conn, pn, "connection", 10);
  if (h11c__fields_reserve(&conn->send_hdrs, &conn->mem, *pn + ntok + 1) != 0)
    return -1;
  for (i = 0; i < ntok; i++) {
    if (i > 0 && cmp_slice(&tok[i - 1], &tok[i]) == 0)
      continue; /* h11 builds a set */
    append_field(conn, pn, H11C_LIT("Connection"), tok[i]);
  }
  return 0;
}

/* Whether h11's _clean_up_response_headers_for_sending changes the fields
 * of the response ev; *pframing gets the framing it chooses them for. */
static bool response_needs_clean_up(const h11c_conn *conn, const h11c_event *ev,
                                    const h11c__framing_info *fi,
                                    h11c__framing *pframing) {
  method_kind method = conn->request_method;
  uint64_t len;
  if (method == METHOD_HEAD)
    method = METHOD_OTHER; /* choose fields as for GET */
  *pframing = body_framing(method, ev, fi, &len);
  return *pframing == H11C__FRAMING_CHUNKED ||
         *pframing == H11C__FRAMING_CLOSE || !conn->cs.keep_alive ||
         (conn->their_http10_keep_alive && !fi->connection_close);
}

/* h11's _clean_up_response_headers_for_sending, on conn->send_hdrs, with
 * *fi kept equal to what the changed fields say. */
static h11c_reason clean_up_response(h11c_conn *conn, h11c__framing framing,
                                     size_t *pn, h11c__framing_info *fi) {
  bool need_close = false;
  bool peer11 = conn->their_http_version >= 11;
  if (framing == H11C__FRAMING_CHUNKED || framing == H11C__FRAMING_CLOSE) {
    remove_fields(conn, pn, "content-length", 14);
    remove_fields(conn, pn, "transfer-encoding", 17);
    fi->has_content_length = false;
    fi->content_length = 0;
    fi->has_transfer_encoding = false;
    if (!peer11) {
      if (conn->request_method != METHOD_HEAD)
        need_close = true;
    } else {
      append_field(conn, pn, H11C_LIT("Transfer-Encoding"),
                   H11C_LIT("chunked"));
      fi->has_transfer_encoding = true;
    }
  }
  if (!conn->cs.keep_alive || need_close) {
    if (rewrite_connection(conn, pn, "keep-alive", 10, H11C_LIT("close")) != 0)
      return H11C_REASON_NOMEM;
    fi->connection_close = true;
    fi->connection_keep_alive = false;
  } else if (conn->their_http10_keep_alive && !fi->connection_close) {
    /* With H11C_OPT_HTTP10_KEEP_ALIVE: tell the HTTP/1.0 client that the
       connection stays open (RFC 9112 Appendix C.2.2). */
    if (rewrite_connection(conn, pn, "", 0, H11C_LIT("keep-alive")) != 0)
      return H11C_REASON_NOMEM;
    fi->connection_keep_alive = true;
  }
  /* fi->host_late stays right: removing fields keeps the others' order and
     added ones go last, so Host can only have come to the front, where the
     writer's Host-first pass finds it. */
  return H11C_REASON_NONE;
}

/* The fields of ev as they are sent: ev's own where h11 would store and
 * send them unchanged, else a normalised (and for a response cleaned-up)
 * copy in conn->send_hdrs.  *pfields and *pn get them. */
static h11c_reason fields_to_send(h11c_conn *conn, const h11c_event *ev,
                                  h11c__framing_info *fi,
                                  const h11c_header **pfields, size_t *pn) {
  h11c__framing framing = H11C__FRAMING_NONE;
  bool clean_up = ev->type == H11C_EV_RESPONSE &&
                  response_needs_clean_up(conn, ev, fi, &framing);
  h11c__framing_info fi2;
  *pfields = ev->headers;
  *pn = ev->nheaders;
  if (!fi->normalised && !clean_up)
    return H11C_REASON_NONE;
  /* One more field than the event has: the clean-up may add one. */
  if (h11c__fields_reserve(&conn->send_hdrs, &conn->mem, ev->nheaders + 1) != 0)
    return H11C_REASON_NOMEM;
  /* Checked already: this only normalises (and cannot fail). */
  (void)h11c__headers_check(ev->headers, ev->nheaders,
                            ev->type == H11C_EV_REQUEST ? H11C__HDRS_REQUEST
                                                        : 0u,
                            conn->send_hdrs.v, pn, &fi2);
  if (clean_up) {
    h11c_reason r = clean_up_response(conn, framing, pn, fi);
    if (r != H11C_REASON_NONE)
      return r;
  }
  /* Only now: the clean-up may have moved the array. */
  *pfields = conn->send_hdrs.v;
  return H11C_REASON_NONE;
}

/* Serialises ev into conn->out (prefix), the passthrough payload (*pdata)
 * and an optional CRLF suffix. */
static int send_event(h11c_conn *conn, const h11c_event *ev, bool *pdata,
                      bool *psuffix) {
  h11c__framing_info fi;
  h11c__result res;
  const h11c_header *fields;
  size_t n;
  h11c_reason r;
  *pdata = *psuffix = false;
  conn->out.len = 0;
  if (!h11c__event_args_ok(ev))
    return fail(conn, H11C_ERR_INVALID_ARGUMENT,
                H11C__BAD(H11C_REASON_INVALID_ARGUMENT));
  if (conn->cs.states[conn->our_role] == H11C_ERROR)
    return fail(conn, H11C_ERR_LOCAL_PROTOCOL,
                H11C__BAD(H11C_REASON_US_IN_ERROR));
  res = h11c__event_check(ev, &fi);
  if (res.reason != H11C_REASON_NONE)
    /* The event is malformed: no state changes, as in h11. */
    return fail(conn, H11C_ERR_LOCAL_PROTOCOL, res);
  r = fields_to_send(conn, ev, &fi, &fields, &n);
  if (r != H11C_REASON_NONE)
    return send_failed(conn, r);
  r = process_event(conn, conn->our_role, ev, &fi);
  if (r != H11C_REASON_NONE)
    return send_failed(conn, r);
  if ((ev->type == H11C_EV_REQUEST || ev->type == H11C_EV_RESPONSE ||
       ev->type == H11C_EV_INFORMATIONAL_RESPONSE) &&
      !h11c__version_is_11(ev->http_version))
    /* h11's writers refuse this after the state machine moved (the peer's
       side moves as the event says): our side ends in ERROR. */
    return send_failed(conn, H11C_REASON_ONLY_HTTP11);
  if (ev->type == H11C_EV_CONNECTION_CLOSED)
    return 0;
  r = h11c__write_event(&conn->wbody, &conn->out, &conn->mem, ev, fields, n,
                        fi.host_late, psuffix);
  if (r != H11C_REASON_NONE)
    return send_failed(conn, r);
  *pdata = ev->type == H11C_EV_DATA && ev->data.len > 0 &&
           (conn->wbody.framing != H11C__FRAMING_CHUNKED || *psuffix);
  return 0;
}

int h11c_conn_send(h11c_conn *conn, const h11c_event *ev,
                   h11c_slice iov[H11C_SEND_IOV_MAX], size_t *pniov) {
  bool data, suffix;
  size_t n = 0;
  int rv;
  if (!conn || !ev || !iov || !pniov)
    return H11C_ERR_INVALID_ARGUMENT;
  *pniov = 0;
  rv = send_event(conn, ev, &data, &suffix);
  if (rv != 0)
    return rv;
  if (conn->out.len) {
    iov[n].base = conn->out.data;
    iov[n++].len = conn->out.len;
  }
  if (data)
    iov[n++] = ev->data;
  if (suffix)
    iov[n++] = H11C_LIT("\r\n");
  *pniov = n;
  return 0;
}

int h11c_conn_send_copy(h11c_conn *conn, const h11c_event *ev,
                        const uint8_t **pout, size_t *plen) {
  bool data, suffix;
  int rv;
  if (!conn || !ev || !pout || !plen)
    return H11C_ERR_INVALID_ARGUMENT;
  *pout = NULL;
  *plen = 0;
  rv = send_event(conn, ev, &data, &suffix);
  if (rv != 0)
    return rv;
  if ((data && h11c__bytes_append(&conn->out, &conn->mem, ev->data.base,
                                  ev->data.len) != 0) ||
      (suffix && h11c__bytes_append(&conn->out, &conn->mem, "\r\n", 2) != 0))
    return send_failed(conn, H11C_REASON_NOMEM);
  *pout = conn->out.len ? conn->out.data : (const uint8_t *)"";
  *plen = conn->out.len;
  return 0;
}

void h11c_conn_send_failed(h11c_conn *conn) {
  if (conn)
    h11c__cstate_process_error(&conn->cs, conn->our_role);
}

int h11c_conn_start_next_cycle(h11c_conn *conn) {
  if (!conn)
    return H11C_ERR_INVALID_ARGUMENT;
  if (h11c__cstate_start_next_cycle(&conn->cs) != H11C_REASON_NONE)
    return fail(conn, H11C_ERR_LOCAL_PROTOCOL,
                H11C__BAD(H11C_REASON_NOT_REUSABLE));
  conn->request_method = METHOD_NONE;
  h11c__reader_start_body(&conn->rd, H11C__FRAMING_NONE, 0);
  memset(&conn->wbody, 0, sizeof(conn->wbody));
  return H11C_OK;
}

/* ---- queries ---- */

h11c_role h11c_conn_our_role(const h11c_conn *conn) {
  return conn ? conn->our_role : H11C_CLIENT;
}

h11c_state h11c_conn_state(const h11c_conn *conn, h11c_role role) {
  if (!conn || (role != H11C_CLIENT && role != H11C_SERVER))
    return H11C_ERROR;
  return conn->cs.states[role];
}

h11c_state h11c_conn_our_state(const h11c_conn *conn) {
  return conn ? conn->cs.states[conn->our_role] : H11C_ERROR;
}

h11c_state h11c_conn_their_state(const h11c_conn *conn) {
  return conn ? conn->cs.states[their_role(conn)] : H11C_ERROR;
}

int h11c_conn_their_http_version(const h11c_conn *conn) {
  return conn ? conn->their_http_version : -1;
}

bool h11c_conn_client_is_waiting_for_100_continue(const h11c_conn *conn) {
  return conn && conn->client_waiting_for_100;
}

bool h11c_conn_they_are_waiting_for_100_continue(const h11c_conn *conn) {
  return conn && conn->our_role == H11C_SERVER && conn->client_waiting_for_100;
}

bool h11c_conn_keep_alive(const h11c_conn *conn) {
  return conn && conn->cs.keep_alive;
}

int h11c_conn_trailing_data(h11c_conn *conn, h11c_slice *pdata, bool *pclosed) {
  h11c__rbuf *rb;
  int rv = H11C_OK;
  if (pdata) {
    pdata->base = NULL;
    pdata->len = 0;
  }
  if (pclosed)
    *pclosed = false;
  if (!conn)
    return H11C_ERR_INVALID_ARGUMENT;
  rb = &conn->rd.rb;
  /* Borrowed bytes that wait behind an incomplete event are joined to it,
     so that one slice holds every unparsed byte. */
  if (rb->pend_len && h11c__rbuf_release(rb, &conn->mem) != 0)
    rv = fail(conn, H11C_ERR_NOMEM, NOMEM);
  if (pdata) {
    pdata->base = h11c__rbuf_ptr(rb);
    pdata->len = h11c__rbuf_len(rb);
  }
  if (pclosed)
    *pclosed = rb->closed;
  return rv;
}

uint64_t h11c_conn_bytes_consumed(const h11c_conn *conn) {
  return conn ? conn->rd.rb.consumed : 0;
}

const h11c_error *h11c_conn_last_error(const h11c_conn *conn) {
  static const h11c_error none = {.code = H11C_OK};
  return conn ? &conn->err : &none;
}
