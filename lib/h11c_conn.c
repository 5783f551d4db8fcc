/*
 * The connection (h11's _connection): the glue between the receive buffer,
 * the readers, the state machine and the writers, and the only module with
 * policy (keep-alive, protocol-switch proposals, 100-continue, framing).
 */
#include "h11c_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ---- */

static void *default_malloc(size_t size, void *user) {
  (void)user;
  return malloc(size);
}
static void *default_realloc(void *ptr, size_t size, void *user) {
  (void)user;
  return realloc(ptr, size);
}
static void default_free(void *ptr, void *user) {
  (void)user;
  free(ptr);
}

void *h11c__malloc(const h11c_mem *mem, size_t size) {
  return mem->malloc(size ? size : 1, mem->user);
}
void *h11c__realloc(const h11c_mem *mem, void *ptr, size_t size) {
  if (!ptr)
    return h11c__malloc(mem, size);
  return mem->realloc(ptr, size ? size : 1, mem->user);
}
void h11c__free(const h11c_mem *mem, void *ptr) {
  if (ptr)
    mem->free(ptr, mem->user);
}

int h11c__bytes_reserve(h11c__bytes *b, const h11c_mem *mem, size_t need) {
  size_t ncap;
  uint8_t *nd;
  if (need <= b->cap)
    return 0;
  ncap = h11c__grown_cap(b->cap, 64, need);
  if (!ncap)
    return H11C_ERR_NOMEM;
  nd = h11c__realloc(mem, b->data, ncap);
  if (!nd)
    return H11C_ERR_NOMEM;
  b->data = nd;
  b->cap = ncap;
  return 0;
}

int h11c__bytes_append(h11c__bytes *b, const h11c_mem *mem, const void *p,
                       size_t len) {
  if (len == 0)
    return 0;
  if (len > SIZE_MAX - b->len || h11c__bytes_reserve(b, mem, b->len + len) != 0)
    return H11C_ERR_NOMEM;
  memcpy(b->data + b->len, p, len);
  b->len += len;
  return 0;
}

int h11c__headers_reserve(const h11c_mem *mem, h11c_header **parr, size_t *pcap,
                          size_t n) {
  size_t ncap;
  h11c_header *na;
  if (n <= *pcap)
    return 0;
  ncap = h11c__grown_cap(*pcap, 16, n);
  if (!ncap || ncap > SIZE_MAX / sizeof(*na))
    return H11C_ERR_NOMEM;
  na = h11c__realloc(mem, *parr, ncap * sizeof(*na));
  if (!na)
    return H11C_ERR_NOMEM;
  *parr = na;
  *pcap = ncap;
  return 0;
}

static void bytes_free(h11c__bytes *b, const h11c_mem *mem) {
  h11c__free(mem, b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* ---- errors ---- */

int h11c__fail(h11c_conn *conn, int code, h11c_reason reason, int status) {
  if (reason == H11C_REASON_NOMEM)
    code = H11C_ERR_NOMEM;
  conn->err.code = code;
  conn->err.reason = reason;
  conn->err.status_hint = status;
  conn->err.offset = (size_t)conn->rb.event_end;
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
    m.user = NULL;
    m.malloc = default_malloc;
    m.realloc = default_realloc;
    m.free = default_free;
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
  conn->their_http_version = -1;
  *pconn = conn;
  return H11C_OK;
}

void h11c_conn_del(h11c_conn *conn) {
  h11c_mem m;
  if (!conn)
    return;
  m = conn->mem;
  h11c__rbuf_free(&conn->rb, &m);
  h11c__free(&m, conn->hdrs);
  h11c__free(&m, conn->send_hdrs);
  bytes_free(&conn->names, &m);
  bytes_free(&conn->fold, &m);
  bytes_free(&conn->chunk_ext, &m);
  bytes_free(&conn->out, &m);
  bytes_free(&conn->send_scratch, &m);
  bytes_free(&conn->send_tokens, &m);
  h11c__free(&m, conn);
}

static h11c_role their_role(const h11c_conn *conn) {
  return conn->our_role == H11C_CLIENT ? H11C_SERVER : H11C_CLIENT;
}

/* ---- receiving ---- */

static int receive_failed(h11c_conn *conn) {
  h11c__cstate_process_error(&conn->cs, their_role(conn));
  return conn->err.code;
}

/* Takes the caller's unconsumed borrowed bytes into the connection's own
 * buffer.  Without the memory for that, they are dropped (the connection
 * keeps no reference to them) and the peer's state becomes ERROR. */
static int release_borrowed_slow(h11c_conn *conn) {
  /* The view changes: it may now hold complete events. */
  conn->rb.stalled = false;
  if (h11c__rbuf_release(&conn->rb, &conn->mem) != 0) {
    h11c__rbuf_forget(&conn->rb);
    h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
    return receive_failed(conn);
  }
  return H11C_OK;
}

static inline int release_borrowed(h11c_conn *conn) {
  if (!h11c__rbuf_lends(&conn->rb))
    return H11C_OK;
  return release_borrowed_slow(conn);
}

static inline int receive(h11c_conn *conn, const uint8_t *data, size_t len,
                          bool borrow) {
  h11c__rbuf *rb = &conn->rb;
  bool stalled;
  int rv = release_borrowed(conn);
  if (rv != H11C_OK || len == 0)
    return rv;
  stalled = rb->stalled;
  rb->stalled = false;
  if (rb->closed)
    return h11c__fail(conn, H11C_ERR_INVALID_ARGUMENT,
                      H11C_REASON_DATA_AFTER_EOF, 400);
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
    return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
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
  conn->rb.closed = true;
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

/* h11's _keep_alive, plus the RFC 9112 rules h11 leaves out. */
static bool keep_alive(h11c_conn *conn, h11c_role role, const h11c_event *ev,
                       const h11c__framing_info *fi) {
  bool theirs = role == their_role(conn);
  if (theirs)
    conn->their_http10_keep_alive = false;
  if (fi->connection_close)
    return false;
  /* RFC 9112 §6.1: after a request with both Content-Length and
     Transfer-Encoding the server MUST close the connection. */
  if (ev->type == H11C_EV_REQUEST && fi->has_content_length &&
      fi->has_transfer_encoding)
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

static h11c__method method_kind(h11c_slice m) {
  if (m.len == 4 && memcmp(m.base, "HEAD", 4) == 0)
    return H11C__METHOD_HEAD;
  if (m.len == 7 && memcmp(m.base, "CONNECT", 7) == 0)
    return H11C__METHOD_CONNECT;
  return H11C__METHOD_OTHER;
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
    if (method_kind(ev->method) == H11C__METHOD_CONNECT)
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
    conn->request_method = method_kind(ev->method);
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
  if (role == H11C_CLIENT &&
      (ev->type == H11C_EV_DATA || ev->type == H11C_EV_END_OF_MESSAGE))
    conn->client_waiting_for_100 = false;

  /* h11's _respond_to_state_changes: a side entering SEND_BODY gets the
     body framing of the event that took it there.  The framing is only
     consulted in SEND_BODY, and the writer still needs it for the
     EndOfMessage that leaves SEND_BODY. */
  if (conn->cs.states[our] != old_our && conn->cs.states[our] == H11C_SEND_BODY)
    h11c__body_framing(conn->request_method, ev, fi, &conn->writer);
  if (conn->cs.states[their] != old_their &&
      conn->cs.states[their] == H11C_SEND_BODY)
    h11c__body_framing(conn->request_method, ev, fi, &conn->reader);
  return H11C_REASON_NONE;
}

/* ---- next_event ---- */

static h11c__read_result extract_event(h11c_conn *conn, h11c_event *ev) {
  h11c_role their = their_role(conn);
  h11c_state state = conn->cs.states[their];
  size_t len = h11c__rbuf_len(&conn->rb);
  h11c__read_result res;
  switch (state) {
  case H11C_IDLE:
  case H11C_SEND_RESPONSE:
    res = their == H11C_CLIENT ? h11c__read_request_head(conn, ev)
                               : h11c__read_response_head(conn, ev);
    break;
  case H11C_SEND_BODY:
    res = h11c__read_body(conn, ev);
    break;
  default: /* DONE, MUST_CLOSE, CLOSED: expect nothing */
    if (len > 0) {
      h11c__fail(conn, H11C_ERR_REMOTE_PROTOCOL,
                 H11C_REASON_DATA_WHEN_EXPECTING_EOF, 400);
      return H11C__READ_ERROR;
    }
    res = H11C__READ_NONE;
    break;
  }
  if (res == H11C__READ_NONE && conn->rb.closed &&
      h11c__rbuf_len(&conn->rb) == 0 && conn->rb.pend_len == 0) {
    if (state == H11C_SEND_BODY)
      return h11c__read_body_eof(conn, ev);
    memset(ev, 0, sizeof(*ev));
    ev->type = H11C_EV_CONNECTION_CLOSED;
    return H11C__READ_EVENT;
  }
  return res;
}

int h11c_conn_next_event(h11c_conn *conn, h11c_event *ev) {
  h11c_state state;
  h11c__read_result res;
  h11c_reason r;
  if (!conn || !ev)
    return H11C_ERR_INVALID_ARGUMENT;
  /* Pending borrowed bytes become the view once it is empty. */
  h11c__rbuf_settle(&conn->rb);
  state = conn->cs.states[their_role(conn)];
  if (state == H11C_ERROR)
    return h11c__fail(conn, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_PEER_IN_ERROR,
                      400);
  if ((state == H11C_DONE && h11c__rbuf_len(&conn->rb) > 0) ||
      state == H11C_MIGHT_SWITCH_PROTOCOL || state == H11C_SWITCHED_PROTOCOL)
    return H11C_PAUSED;
  for (;;) {
    res = extract_event(conn, ev);
    /* Past the event-size limit the event is refused (431) whatever
       follows: pulling more would only copy it. */
    if (res != H11C__READ_NONE || conn->rb.pend_len == 0 ||
        h11c__rbuf_len(&conn->rb) > conn->opts.max_incomplete_event_size)
      break;
    /* Bytes received while the buffer held part of an event join it only
       as far as needed to complete it. */
    if (h11c__rbuf_pull(&conn->rb, &conn->mem) < 0) {
      h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
      return receive_failed(conn);
    }
  }
  if (res == H11C__READ_ERROR)
    return receive_failed(conn);
  if (res == H11C__READ_NONE) {
    if (h11c__rbuf_len(&conn->rb) > conn->opts.max_incomplete_event_size) {
      h11c__fail(conn, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_BUFFER_TOO_LONG,
                 431);
      return receive_failed(conn);
    }
    if (conn->rb.closed) {
      h11c__fail(conn, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_UNEXPECTED_CLOSE,
                 400);
      return receive_failed(conn);
    }
    /* The caller may reuse borrowed bytes now: keep what is left. */
    if (release_borrowed(conn) != H11C_OK)
      return conn->err.code;
    conn->rb.stalled = true;
    return H11C_NEED_DATA;
  }
  h11c__rbuf_settle(&conn->rb);
  conn->rb.stalled = false;
  r = process_event(conn, their_role(conn), ev, &conn->rx_fi);
  if (r != H11C_REASON_NONE) {
    h11c__fail(conn, H11C_ERR_REMOTE_PROTOCOL, r, 400);
    return receive_failed(conn);
  }
  conn->rb.event_end = conn->rb.consumed;
  return H11C_OK;
}

/* ---- sending ---- */

static bool slice_ok(h11c_slice s) { return s.base || s.len == 0; }

static bool event_args_ok(const h11c_event *ev) {
  size_t i;
  if (ev->type < H11C_EV_REQUEST || ev->type > H11C_EV_CONNECTION_CLOSED)
    return false;
  if (!slice_ok(ev->method) || !slice_ok(ev->target) || !slice_ok(ev->reason) ||
      !slice_ok(ev->http_version) || !slice_ok(ev->data) ||
      !slice_ok(ev->chunk_ext))
    return false;
  if (ev->nheaders && !ev->headers)
    return false;
  for (i = 0; i < ev->nheaders; i++)
    if (!slice_ok(ev->headers[i].name) || !slice_ok(ev->headers[i].value) ||
        !slice_ok(ev->headers[i].raw_name))
      return false;
  return true;
}

static int send_failed_with(h11c_conn *conn, int code) {
  h11c__cstate_process_error(&conn->cs, conn->our_role);
  return code;
}

/* Serialises ev into conn->out (prefix), the passthrough payload and an
 * optional CRLF suffix. */
static int send_event(h11c_conn *conn, const h11c_event *ev, bool *pdata,
                      bool *psuffix) {
  h11c__framing_info fi;
  size_t n;
  int rv;
  h11c_reason r;
  *pdata = *psuffix = false;
  conn->out.len = 0;
  if (!event_args_ok(ev))
    return h11c__fail(conn, H11C_ERR_INVALID_ARGUMENT,
                      H11C_REASON_INVALID_ARGUMENT, 400);
  if (conn->cs.states[conn->our_role] == H11C_ERROR)
    return h11c__fail(conn, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_US_IN_ERROR,
                      400);
  rv = h11c__validate_event(conn, ev, &n, &fi);
  if (rv == H11C_ERR_NOMEM)
    return send_failed_with(conn, rv);
  if (rv != 0)
    return rv; /* the event is malformed: no state changes, as in h11 */
  if ((ev->type == H11C_EV_REQUEST || ev->type == H11C_EV_RESPONSE ||
       ev->type == H11C_EV_INFORMATIONAL_RESPONSE) &&
      !(ev->http_version.len == 0 || H11C__IEQ(ev->http_version, "1.1")))
    /* h11's writers refuse this after the state machine moved: our side
       ends in ERROR either way. */
    return send_failed_with(conn, h11c__fail(conn, H11C_ERR_LOCAL_PROTOCOL,
                                             H11C_REASON_ONLY_HTTP11, 400));
  if (ev->type == H11C_EV_RESPONSE) {
    rv = h11c__clean_up_response(conn, ev, &n, &fi);
    if (rv != 0)
      return send_failed_with(conn, rv);
  }
  {
    h11c_event e = *ev;
    e.headers = conn->send_hdrs;
    e.nheaders = n;
    r = process_event(conn, conn->our_role, &e, &fi);
  }
  if (r != H11C_REASON_NONE)
    return send_failed_with(conn,
                            h11c__fail(conn, H11C_ERR_LOCAL_PROTOCOL, r, 400));
  if (ev->type == H11C_EV_CONNECTION_CLOSED)
    return 0;
  rv = h11c__write_event(conn, ev, conn->send_hdrs, n, psuffix);
  if (rv != 0)
    return send_failed_with(conn, rv);
  *pdata = ev->type == H11C_EV_DATA && ev->data.len > 0 &&
           (conn->writer.framing != H11C__FRAMING_CHUNKED || *psuffix);
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
    return send_failed_with(
        conn, h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400));
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
    return h11c__fail(conn, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_NOT_REUSABLE,
                      400);
  conn->request_method = H11C__METHOD_NONE;
  memset(&conn->reader, 0, sizeof(conn->reader));
  memset(&conn->writer, 0, sizeof(conn->writer));
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

void h11c_conn_trailing_data(const h11c_conn *conn, h11c_slice *pdata,
                             bool *pclosed) {
  if (conn && conn->rb.pend_len) {
    /* Borrowed bytes wait behind an incomplete event: join them so that
       one slice holds every unparsed byte.  The connection is the
       caller's non-const object; only the buffer's layout changes (see
       h11c.h for the case without memory). */
    h11c__rbuf *rb = (h11c__rbuf *)(uintptr_t)&conn->rb;
    (void)h11c__rbuf_release(rb, &conn->mem);
  }
  if (pdata) {
    pdata->base = conn ? h11c__rbuf_ptr(&conn->rb) : NULL;
    pdata->len = conn ? h11c__rbuf_len(&conn->rb) : 0;
  }
  if (pclosed)
    *pclosed = conn && conn->rb.closed;
}

uint64_t h11c_conn_bytes_consumed(const h11c_conn *conn) {
  return conn ? conn->rb.consumed : 0;
}

const h11c_error *h11c_conn_last_error(const h11c_conn *conn) {
  static const h11c_error none = {H11C_OK, H11C_REASON_NONE, 0, 0};
  return conn ? &conn->err : &none;
}
