/*
 * llhttp 8.1.0 (Debian's C sources, default settings) as a benchmark
 * peer: callbacks collect the spans a whole-event API gives (collect.h),
 * count messages and sum body bytes.  Whole delivery is one
 * llhttp_execute() over the buffer.
 */
#include "collect.h"

#include <llhttp.h>

#include <string.h>

static collect *C(llhttp_t *p) { return p->data; }

static int on_message_begin(llhttp_t *p) {
  collect_begin(C(p));
  return 0;
}
static int on_method(llhttp_t *p, const char *at, size_t len) {
  span_add(&C(p)->method, at, len);
  return 0;
}
static int on_url(llhttp_t *p, const char *at, size_t len) {
  span_add(&C(p)->target, at, len);
  return 0;
}
static int on_status(llhttp_t *p, const char *at, size_t len) {
  span_add(&C(p)->target, at, len);
  return 0;
}
static int on_header_field(llhttp_t *p, const char *at, size_t len) {
  collect_field(C(p), at, len);
  return 0;
}
static int on_header_value(llhttp_t *p, const char *at, size_t len) {
  collect_value(C(p), at, len);
  return 0;
}
static int on_headers_complete(llhttp_t *p) {
  C(p)->r->headers += C(p)->nh;
  C(p)->last = 0;
  return 0;
}
static int on_body(llhttp_t *p, const char *at, size_t len) {
  (void)at;
  C(p)->r->body_bytes += len;
  return 0;
}
static int on_message_complete(llhttp_t *p) {
  C(p)->r->messages++;
  return 0;
}

bool peer_llhttp(const workload *w, size_t piece, bench_result *r) {
  llhttp_settings_t settings;
  llhttp_t parser;
  collect c;
  size_t pos = 0;
  if (w->kind == WL_SEND)
    return false; /* no send side */
  llhttp_settings_init(&settings);
  settings.on_message_begin = on_message_begin;
  settings.on_method = on_method;
  settings.on_url = on_url;
  settings.on_status = on_status;
  settings.on_header_field = on_header_field;
  settings.on_header_value = on_header_value;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = on_body;
  settings.on_message_complete = on_message_complete;
  llhttp_init(&parser, w->kind == WL_REQUESTS ? HTTP_REQUEST : HTTP_RESPONSE,
              &settings);
  memset(&c, 0, sizeof c);
  c.r = r;
  parser.data = &c;
  if (piece == 0)
    piece = w->len;
  while (pos < w->len) {
    size_t n = w->len - pos;
    llhttp_errno_t err;
    if (n > piece)
      n = piece;
    err = llhttp_execute(&parser, (const char *)w->buf + pos, n);
    if (err != HPE_OK) {
      bench_fail(r, "llhttp: %s (%s)", llhttp_errno_name(err),
                 llhttp_get_error_reason(&parser));
      return true;
    }
    pos += n;
  }
  return true;
}

size_t idle_bytes_llhttp(void) { return sizeof(llhttp_t); }
