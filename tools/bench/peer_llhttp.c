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

CB_SPAN_CALLBACKS(llhttp_t, collect_span)
CB_METHOD_CALLBACK(llhttp_t, collect_span)

static int on_headers_complete(llhttp_t *p) {
  C(p)->r->headers += C(p)->nh;
  C(p)->last = 0;
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
  settings.on_message_begin = cb_on_message_begin;
  settings.on_method = cb_on_method;
  settings.on_url = cb_on_url;
  settings.on_status = cb_on_status;
  settings.on_header_field = cb_on_header_field;
  settings.on_header_value = cb_on_header_value;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = cb_on_body;
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
