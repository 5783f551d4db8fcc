/*
 * http_parser 2.9.4 (Debian's libhttp-parser-dev) as a benchmark peer,
 * with the same callbacks as the llhttp peer.  The method is the parser's
 * enum (http_parser has no method span).
 */
#include "collect.h"

#include <http_parser.h>

#include <string.h>

static collect *C(http_parser *p) { return p->data; }

CB_SPAN_CALLBACKS(http_parser, collect_span)

static int on_headers_complete(http_parser *p) {
  C(p)->r->headers += C(p)->nh;
  C(p)->last = 0;
  return 0;
}
static int on_message_complete(http_parser *p) {
  C(p)->r->messages++;
  return 0;
}

bool peer_http_parser(const workload *w, size_t piece, bench_result *r) {
  http_parser_settings settings;
  http_parser parser;
  collect c;
  size_t pos = 0;
  if (w->kind == WL_SEND)
    return false;
  memset(&settings, 0, sizeof settings);
  settings.on_message_begin = cb_on_message_begin;
  settings.on_url = cb_on_url;
  settings.on_status = cb_on_status;
  settings.on_header_field = cb_on_header_field;
  settings.on_header_value = cb_on_header_value;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = cb_on_body;
  settings.on_message_complete = on_message_complete;
  http_parser_init(&parser,
                   w->kind == WL_REQUESTS ? HTTP_REQUEST : HTTP_RESPONSE);
  memset(&c, 0, sizeof c);
  c.r = r;
  parser.data = &c;
  if (piece == 0)
    piece = w->len;
  while (pos < w->len) {
    size_t n = w->len - pos, got;
    if (n > piece)
      n = piece;
    got =
        http_parser_execute(&parser, &settings, (const char *)w->buf + pos, n);
    if (HTTP_PARSER_ERRNO(&parser) != HPE_OK || got != n) {
      bench_fail(r, "http_parser: %s",
                 http_errno_name(HTTP_PARSER_ERRNO(&parser)));
      return true;
    }
    pos += n;
  }
  return true;
}

size_t idle_bytes_http_parser(void) { return sizeof(http_parser); }
