#include "diff/oracles/adapters.h"

#include <stdio.h>
#include <string.h>

#include <http_parser.h>

#include "diff/oracles/callbacks.h"

typedef struct ctx {
  vcb cb; /* first: p->data is also the vcb (vcb_span) */
  const verdict_params *params;
  const char *method;
} ctx;

static ctx *get(http_parser *p) { return (ctx *)p->data; }

CB_SPAN_CALLBACKS(http_parser, vcb_span)

static int on_headers_complete(http_parser *p) {
  ctx *c = get(p);
  bool response = p->type == HTTP_RESPONSE;
  int status = response ? (int)p->status_code : 0;
  if (vcb_headers_complete(
          &c->cb, response,
          response ? NULL : http_method_str((enum http_method)p->method),
          status, p->http_major, p->http_minor) != 0)
    return -1;
  return response ? vcb_response_body(c->method, status) : 0;
}

static int on_message_complete(http_parser *p) {
  ctx *c = get(p);
  c->cb.completed = true;
  c->cb.keep_alive = http_should_keep_alive(p) != 0;
  /* Pause, so that the driver learns where the message ended. */
  http_parser_pause(p, 1);
  return 0;
}

static const http_parser_settings settings = {
    CB_SPAN_SETTINGS,
    .on_headers_complete = on_headers_complete,
    .on_message_complete = on_message_complete,
};

int verdict_http_parser(const verdict_params *params, const uint8_t *data,
                        size_t len, verdict *out, char *err, size_t errlen) {
  http_parser p;
  ctx c;
  enum http_parser_type type =
      params->role == VERDICT_CLIENT ? HTTP_RESPONSE : HTTP_REQUEST;
  size_t pos = 0, guard = 0;
  uint64_t last_end = 0;
  int rc = 0;

  verdict_init(out, "http_parser", params->role);
  if (len && !data)
    return verdict_errf(err, errlen, "no input");
  memset(&c, 0, sizeof c);
  vcb_init(&c.cb, out);
  c.params = params;
  c.method = params->method ? params->method : "GET";
  http_parser_init(&p, type);
  p.data = &c;

  while (pos < len) {
    size_t end = len, n;
    enum http_errno e;
    if (params->chunk && len - pos > params->chunk - pos % params->chunk)
      end = pos + (params->chunk - pos % params->chunk);
    if (++guard > 4 * len + 64) {
      rc = verdict_errf(err, errlen,
                        "http_parser makes no progress at offset %zu", pos);
      goto done;
    }
    n = http_parser_execute(&p, &settings, (const char *)data + pos, end - pos);
    e = HTTP_PARSER_ERRNO(&p);
    if (c.cb.oom) {
      rc = verdict_errf(err, errlen, "out of memory");
      goto done;
    }
    if (e == HPE_OK) {
      if (n != end - pos) {
        rc = verdict_errf(err, errlen, "http_parser stopped at offset %zu",
                          pos + n);
        goto done;
      }
      pos = end;
      continue;
    }
    if (e == HPE_PAUSED && c.cb.completed) {
      size_t off = pos + n;
      bool upgrade = p.upgrade;
      int r = vcb_completed(&c.cb, params->role, p.upgrade != 0, off, len,
                            false, &last_end);
      if (r < 0) {
        rc = verdict_errf(err, errlen, "out of memory");
        goto done;
      }
      if (r == VCB_STOP)
        goto done;
      if (upgrade) {
        /* A declined switch (server side): a fresh parser goes on. */
        http_parser_init(&p, type);
        p.data = &c;
      } else {
        http_parser_pause(&p, 0);
      }
      pos = off;
      continue;
    }
    out->outcome = VERDICT_ERROR;
    out->error_status_hint = 400;
    out->error_offset_known = true;
    out->error_offset = last_end;
    goto done;
  }

  /* End of input. */
  {
    enum http_errno e;
    http_parser_execute(&p, &settings, NULL, 0);
    e = HTTP_PARSER_ERRNO(&p);
    if (vcb_finish(&c.cb, params->role, e == HPE_PAUSED, e == HPE_OK,
                   p.upgrade != 0, len, &last_end) < 0)
      rc = verdict_errf(err, errlen, "out of memory");
  }

done:
  vcb_free(&c.cb);
  return rc;
}
