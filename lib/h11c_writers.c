/*
 * Sending (h11's _events validation, _writers, and the response header
 * clean-up of Connection._clean_up_response_headers_for_sending).
 *
 * h11c_conn_send() runs three steps:
 *   1. h11c__validate_event(): what h11 checks when an event object is
 *      built (names, values, Content-Length, Transfer-Encoding, Host,
 *      method, target, status range).  A failure changes no state.
 *   2. the state machine (h11c_conn.c), after the response clean-up here.
 *   3. h11c__write_event(): the bytes, with the checks h11's writers make
 *      (HTTP/1.1 only, the declared length, trailers).
 */
#include "h11c_int.h"

#include <stdlib.h>
#include <string.h>

static int local_fail(h11c_conn *conn, h11c_reason reason, int status) {
  return h11c__fail(conn, H11C_ERR_LOCAL_PROTOCOL, reason, status);
}

static int reserve_send_headers(h11c_conn *conn, size_t n) {
  return h11c__headers_reserve(&conn->mem, &conn->send_hdrs,
                               &conn->send_hdrs_cap, n);
}

static bool valid_target(h11c_slice s) {
  size_t i;
  if (s.len == 0)
    return false;
  for (i = 0; i < s.len; i++)
    if (!h11c__is(s.base[i], H11C__VCHAR))
      return false;
  return true;
}

/* A chunk extension to send: no CR, LF or NUL, which would let it inject
 * lines, and nothing h11c's own reader refuses. */
static bool valid_chunk_ext(h11c_slice s) {
  size_t i;
  if (s.base[0] != ';')
    return false;
  for (i = 0; i < s.len; i++)
    if (s.base[i] == '\r' || s.base[i] == '\n' || s.base[i] == 0)
      return false;
  return true;
}

/* A reason phrase to send: the bytes h11's status-line reader accepts
 * (anything but NUL, LF, VT, FF and CR).  h11 does not check what it
 * sends, so a reason could inject header lines. */
static bool valid_reason(h11c_slice s) {
  size_t i;
  for (i = 0; i < s.len; i++)
    if (h11c__is(s.base[i], H11C__VALUE_BAD))
      return false;
  return true;
}

int h11c__validate_event(h11c_conn *conn, const h11c_event *ev,
                         size_t *pnheaders, h11c__framing_info *fi) {
  size_t i, n = 0;
  int status;
  h11c_reason r;
  memset(fi, 0, sizeof(*fi));
  *pnheaders = 0;
  switch (ev->type) {
  case H11C_EV_DATA:
    if (ev->chunk_ext.len && !valid_chunk_ext(ev->chunk_ext))
      return local_fail(conn, H11C_REASON_BAD_CHUNK_EXT, 400);
    return 0;
  case H11C_EV_CONNECTION_CLOSED:
    return 0;
  case H11C_EV_REQUEST:
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
  case H11C_EV_END_OF_MESSAGE:
    break;
  default:
    return h11c__fail(conn, H11C_ERR_INVALID_ARGUMENT,
                      H11C_REASON_INVALID_ARGUMENT, 400);
  }
  if (reserve_send_headers(conn, ev->nheaders + 1) != 0)
    return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
  for (i = 0; i < ev->nheaders; i++) {
    h11c_header h = ev->headers[i];
    h11c_slice name = h11c__hdr_name(&h);
    if (!h11c__valid_name(name))
      return local_fail(conn, H11C_REASON_BAD_HEADER_NAME, 400);
    if (!h11c__valid_value(h.value))
      return local_fail(conn, H11C_REASON_BAD_HEADER_VALUE, 400);
    h.raw_name = name;
    if (h.value.len == 0)
      h.value = H11C_LIT(""); /* never compute with a NULL base */
    conn->send_hdrs[n++] = h;
  }
  r = h11c__headers_check(conn->send_hdrs, &n, true,
                          ev->type == H11C_EV_REQUEST, false, fi, &status);
  if (r != H11C_REASON_NONE)
    return local_fail(conn, r, status);
  *pnheaders = n;
  if (ev->type == H11C_EV_REQUEST) {
    size_t hosts = fi->hosts;
    bool v11 = ev->http_version.len == 0 || H11C__IEQ(ev->http_version, "1.1");
    if (v11 && hosts == 0)
      return local_fail(conn, H11C_REASON_MISSING_HOST, 400);
    if (hosts > 1)
      return local_fail(conn, H11C_REASON_MULTIPLE_HOST, 400);
    if (!h11c__valid_name(ev->method)) /* method = token */
      return local_fail(conn, H11C_REASON_BAD_METHOD, 400);
    if (!valid_target(ev->target))
      return local_fail(conn, H11C_REASON_BAD_TARGET, 400);
    /* RFC 9112 §6.2: a sender MUST NOT send Content-Length in a message
       that contains Transfer-Encoding (h11 sends both). */
    if (fi->has_content_length && fi->has_transfer_encoding)
      return local_fail(conn, H11C_REASON_CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                        400);
  } else if (ev->type != H11C_EV_END_OF_MESSAGE) {
    bool info = ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
    if (info ? (ev->status_code < 100 || ev->status_code >= 200)
             : (ev->status_code < 200 || ev->status_code >= 1000))
      return local_fail(conn, H11C_REASON_BAD_STATUS_CODE, 400);
    if (!valid_reason(ev->reason))
      return local_fail(conn, H11C_REASON_BAD_REASON, 400);
    /* RFC 9110 §8.6 and RFC 9112 §6.1: no Content-Length or
       Transfer-Encoding in a 1xx or 204 response. */
    if ((info || ev->status_code == 204) &&
        (fi->has_content_length || fi->has_transfer_encoding))
      return local_fail(conn, H11C_REASON_FORBIDDEN_FRAMING_HEADER, 400);
  }
  return 0;
}

void h11c__body_framing(h11c__method method, const h11c_event *ev,
                        const h11c__framing_info *fi, h11c__body *body) {
  memset(body, 0, sizeof(*body));
  /* h11 _body_framing, after RFC 9112 §6.3. */
  if (ev->type == H11C_EV_RESPONSE &&
      (ev->status_code == 204 || ev->status_code == 304 ||
       method == H11C__METHOD_HEAD ||
       (method == H11C__METHOD_CONNECT && ev->status_code >= 200 &&
        ev->status_code < 300))) {
    body->framing = H11C__FRAMING_LENGTH; /* step 1: no body */
    return;
  }
  if (fi->has_transfer_encoding) {
    body->framing = H11C__FRAMING_CHUNKED; /* step 2: T-E beats C-L */
    return;
  }
  if (fi->has_content_length) {
    body->framing = H11C__FRAMING_LENGTH; /* step 3 */
    body->remaining = body->declared = fi->content_length;
    return;
  }
  /* step 4: a request without either has no body; a response runs until
     the connection closes. */
  body->framing =
      ev->type == H11C_EV_REQUEST ? H11C__FRAMING_LENGTH : H11C__FRAMING_CLOSE;
}

static int cmp_slice(const void *a, const void *b) {
  const h11c_slice *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->base, y->base, n) : 0;
  if (c)
    return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* Removes every field called name (lower case) from conn->send_hdrs. */
static void remove_headers(h11c_conn *conn, size_t *pn, const char *name,
                           size_t namelen) {
  size_t i, out = 0;
  for (i = 0; i < *pn; i++)
    if (!h11c__slice_ieq(conn->send_hdrs[i].raw_name, name, namelen))
      conn->send_hdrs[out++] = conn->send_hdrs[i];
  *pn = out;
}

static void append_header(h11c_conn *conn, size_t *pn, h11c_slice name,
                          h11c_slice value) {
  h11c_header *h = &conn->send_hdrs[(*pn)++];
  h->name = h->raw_name = name;
  h->value = value;
}

/* h11's set_comma_header(headers, b"connection", sorted(tokens)), where the
 * tokens are the current ones without drop, plus add. */
static int rewrite_connection(h11c_conn *conn, size_t *pn, const char *drop,
                              size_t droplen, h11c_slice add) {
  size_t i, total = 0, ntok = 0, k;
  h11c_slice *tok;
  uint8_t *w;
  for (i = 0; i < *pn; i++)
    if (H11C__IEQ(conn->send_hdrs[i].raw_name, "connection"))
      total += conn->send_hdrs[i].value.len + 1;
  conn->send_scratch.len = 0;
  conn->send_tokens.len = 0;
  if (h11c__bytes_reserve(&conn->send_scratch, &conn->mem, total + 1) != 0 ||
      h11c__bytes_reserve(&conn->send_tokens, &conn->mem,
                          (total / 2 + 2) * sizeof(h11c_slice)) != 0)
    return H11C_ERR_NOMEM;
  tok = (h11c_slice *)(void *)conn->send_tokens.data;
  w = conn->send_scratch.data;
  for (i = 0; i < *pn; i++) {
    h11c_slice v = conn->send_hdrs[i].value;
    size_t a = 0;
    if (!H11C__IEQ(conn->send_hdrs[i].raw_name, "connection"))
      continue;
    while (a <= v.len) {
      size_t b = a, s, e;
      while (b < v.len && v.base[b] != ',')
        b++;
      s = a;
      e = b;
      while (s < e && h11c__is(v.base[s], H11C__OWS))
        s++;
      while (e > s && h11c__is(v.base[e - 1], H11C__OWS))
        e--;
      if (e > s) {
        h11c_slice t;
        t.base = w;
        t.len = e - s;
        for (k = s; k < e; k++)
          *w++ = h11c__lower[v.base[k]];
        if (!h11c__slice_ieq(t, drop, droplen))
          tok[ntok++] = t;
      }
      a = b + 1;
    }
  }
  tok[ntok++] = add;
  qsort(tok, ntok, sizeof(*tok), cmp_slice);
  remove_headers(conn, pn, "connection", 10);
  if (reserve_send_headers(conn, *pn + ntok + 1) != 0)
    return H11C_ERR_NOMEM;
  for (i = 0; i < ntok; i++) {
    if (i > 0 && cmp_slice(&tok[i - 1], &tok[i]) == 0)
      continue; /* h11 builds a set */
    append_header(conn, pn, H11C_LIT("Connection"), tok[i]);
  }
  return 0;
}

/* h11's _clean_up_response_headers_for_sending. */
int h11c__clean_up_response(h11c_conn *conn, const h11c_event *ev, size_t *pn,
                            h11c__framing_info *fi) {
  h11c__body framing;
  h11c__method method = conn->request_method;
  bool need_close = false, changed = false;
  bool peer11 = conn->their_http_version >= 11;
  int status;
  if (method == H11C__METHOD_HEAD)
    method = H11C__METHOD_OTHER; /* choose headers as for GET */
  h11c__body_framing(method, ev, fi, &framing);
  if (framing.framing == H11C__FRAMING_CHUNKED ||
      framing.framing == H11C__FRAMING_CLOSE) {
    changed = true;
    remove_headers(conn, pn, "content-length", 14);
    remove_headers(conn, pn, "transfer-encoding", 17);
    if (!peer11) {
      if (conn->request_method != H11C__METHOD_HEAD)
        need_close = true;
    } else {
      append_header(conn, pn, H11C_LIT("Transfer-Encoding"),
                    H11C_LIT("chunked"));
    }
  }
  if (!conn->cs.keep_alive || need_close) {
    changed = true;
    if (rewrite_connection(conn, pn, "keep-alive", 10, H11C_LIT("close")) != 0)
      return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
  } else if (conn->their_http10_keep_alive && !fi->connection_close) {
    /* With H11C_OPT_HTTP10_KEEP_ALIVE: tell the HTTP/1.0 client that the
       connection stays open (RFC 9112 Appendix C.2.2). */
    changed = true;
    if (rewrite_connection(conn, pn, "", 0, H11C_LIT("keep-alive")) != 0)
      return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
  }
  if (changed) {
    /* The list was valid and only lost or gained valid fields: this only
       recomputes what the state machine reads. */
    h11c_reason r = h11c__headers_check(conn->send_hdrs, pn, false, false,
                                        false, fi, &status);
    (void)r;
  }
  return 0;
}

/* ---- bytes ----
 *
 * Each writer computes the exact size of what it writes, reserves it in
 * conn->out once, and then copies without further checks. */

static uint8_t *copy(uint8_t *w, const void *p, size_t n) {
  if (n)
    memcpy(w, p, n);
  return w + n;
}

#define COPY_LIT(w, s) copy((w), (s), sizeof(s) - 1)

/* Adds n to *total; false on overflow. */
static bool add_size(size_t *total, size_t n) {
  if (n > SIZE_MAX - *total)
    return false;
  *total += n;
  return true;
}

/* The size of a header section as write_headers() writes it. */
static bool headers_size(const h11c_header *h, size_t n, size_t *total) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!add_size(total, h[i].raw_name.len) ||
        !add_size(total, h[i].value.len) || !add_size(total, 4))
      return false;
  return add_size(total, 2);
}

/* h11's write_headers: Host first, then the rest in order, then CRLF. */
static uint8_t *write_headers(uint8_t *w, const h11c_header *h, size_t n) {
  int pass;
  size_t i;
  for (pass = 0; pass < 2; pass++) {
    for (i = 0; i < n; i++) {
      bool host = H11C__IEQ(h[i].raw_name, "host");
      if (host != (pass == 0))
        continue;
      w = copy(w, h[i].raw_name.base, h[i].raw_name.len);
      w = COPY_LIT(w, ": ");
      w = copy(w, h[i].value.base, h[i].value.len);
      w = COPY_LIT(w, "\r\n");
    }
  }
  return COPY_LIT(w, "\r\n");
}

/* Makes room for size bytes of output and returns where they go. */
static uint8_t *reserve_out(h11c_conn *conn, size_t size) {
  if (h11c__bytes_reserve(&conn->out, &conn->mem, size) != 0) {
    h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
    return NULL;
  }
  return conn->out.data;
}

static void finish_out(h11c_conn *conn, const uint8_t *w) {
  conn->out.len = (size_t)(w - conn->out.data);
}

/* Writes v in the given base (10 or 16, lower-case digits) at the end of
 * buf[0, 24) and returns where the digits start. */
static char *format_uint(char buf[24], uint64_t v, unsigned base) {
  char *p = buf + 24;
  do {
    *--p = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  return p;
}

static bool sends_http11(const h11c_event *ev) {
  return ev->http_version.len == 0 || H11C__IEQ(ev->http_version, "1.1");
}

int h11c__write_event(h11c_conn *conn, const h11c_event *ev,
                      const h11c_header *headers, size_t nheaders,
                      bool *psuffix) {
  h11c__body *wr = &conn->writer;
  char num[24], *digits;
  size_t ndigits, size = 0;
  uint8_t *w;
  conn->out.len = 0;
  *psuffix = false;
  switch (ev->type) {
  case H11C_EV_REQUEST:
    if (!sends_http11(ev))
      return local_fail(conn, H11C_REASON_ONLY_HTTP11, 400);
    if (!add_size(&size, ev->method.len) || !add_size(&size, ev->target.len) ||
        !add_size(&size, sizeof(" ") - 1 + sizeof(" HTTP/1.1\r\n") - 1) ||
        !headers_size(headers, nheaders, &size) ||
        !(w = reserve_out(conn, size)))
      return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
    w = copy(w, ev->method.base, ev->method.len);
    w = COPY_LIT(w, " ");
    w = copy(w, ev->target.base, ev->target.len);
    w = COPY_LIT(w, " HTTP/1.1\r\n");
    finish_out(conn, write_headers(w, headers, nheaders));
    return 0;
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
    if (!sends_http11(ev))
      return local_fail(conn, H11C_REASON_ONLY_HTTP11, 400);
    /* validated: 100 <= status_code < 1000 */
    digits = format_uint(num, (uint64_t)ev->status_code, 10);
    ndigits = (size_t)(num + sizeof(num) - digits);
    if (!add_size(&size, ev->reason.len) ||
        !add_size(&size, sizeof("HTTP/1.1  \r\n") - 1 + ndigits) ||
        !headers_size(headers, nheaders, &size) ||
        !(w = reserve_out(conn, size)))
      return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
    w = COPY_LIT(w, "HTTP/1.1 ");
    w = copy(w, digits, ndigits);
    w = COPY_LIT(w, " ");
    w = copy(w, ev->reason.base, ev->reason.len);
    w = COPY_LIT(w, "\r\n");
    finish_out(conn, write_headers(w, headers, nheaders));
    return 0;
  case H11C_EV_DATA:
    if (wr->framing == H11C__FRAMING_LENGTH) {
      if (ev->data.len > wr->remaining)
        return local_fail(conn, H11C_REASON_TOO_MUCH_DATA, 400);
      wr->remaining -= ev->data.len;
    } else if (wr->framing == H11C__FRAMING_CHUNKED && ev->data.len) {
      digits = format_uint(num, (uint64_t)ev->data.len, 16);
      ndigits = (size_t)(num + sizeof(num) - digits);
      if (!add_size(&size, ev->chunk_ext.len) ||
          !add_size(&size, ndigits + 2) || !(w = reserve_out(conn, size)))
        return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
      w = copy(w, digits, ndigits);
      w = copy(w, ev->chunk_ext.base, ev->chunk_ext.len);
      finish_out(conn, COPY_LIT(w, "\r\n"));
      *psuffix = true;
    }
    return 0;
  case H11C_EV_END_OF_MESSAGE:
    if (wr->framing == H11C__FRAMING_LENGTH) {
      if (wr->remaining != 0)
        return local_fail(conn, H11C_REASON_TOO_LITTLE_DATA, 400);
      if (nheaders)
        return local_fail(conn, H11C_REASON_TRAILERS_WITH_CONTENT_LENGTH, 400);
    } else if (wr->framing == H11C__FRAMING_CHUNKED) {
      size = 3;
      if (!headers_size(headers, nheaders, &size) ||
          !(w = reserve_out(conn, size)))
        return h11c__fail(conn, H11C_ERR_NOMEM, H11C_REASON_NOMEM, 400);
      w = COPY_LIT(w, "0\r\n");
      finish_out(conn, write_headers(w, headers, nheaders));
    } else if (nheaders) {
      return local_fail(conn, H11C_REASON_TRAILERS_TO_HTTP10, 400);
    }
    return 0;
  default:
    return 0;
  }
}
