#include "diff/oracles/adapters.h"

#include <stdio.h>
#include <string.h>

#include <llhttp.h>

#include "diff/oracles/callbacks.h"

typedef struct ctx {
  vcb cb; /* first: p->data is also the vcb (vcb_span) */
  const verdict_params *params;
  const char *method; /* client role: the request's method */
} ctx;

static ctx *get(llhttp_t *p) { return (ctx *)p->data; }

CB_SPAN_CALLBACKS(llhttp_t, vcb_span)

static int on_headers_complete(llhttp_t *p) {
  ctx *c = get(p);
  bool response = p->type == HTTP_RESPONSE;
  int status = response ? llhttp_get_status_code(p) : 0;
  if (vcb_headers_complete(
          &c->cb, response,
          response ? NULL
                   : llhttp_method_name((llhttp_method_t)llhttp_get_method(p)),
          status, llhttp_get_http_major(p), llhttp_get_http_minor(p)) != 0)
    return -1;
  return response ? vcb_response_body(c->method, status) : 0;
}

static int on_message_complete(llhttp_t *p) {
  ctx *c = get(p);
  c->cb.completed = true;
  c->cb.keep_alive = llhttp_should_keep_alive(p) != 0;
  /* Pause, so that the driver learns where the message ended. */
  return HPE_PAUSED;
}

static const llhttp_settings_t settings = {
    CB_SPAN_SETTINGS,
    .on_headers_complete = on_headers_complete,
    .on_message_complete = on_message_complete,
};

static int run(const verdict_params *params, const uint8_t *data, size_t len,
               verdict *out, char *err, size_t errlen, bool lenient) {
  llhttp_t p;
  ctx c;
  size_t pos = 0, guard = 0;
  uint64_t last_end = 0;
  int rc = 0;
  /* After a pause, llhttp still has steps to take before the next byte
     (the upgrade check, after_message_complete): it must run again even
     when no input is left. */
  bool flush = false;

  verdict_init(out, lenient ? "llhttp-lenient" : "llhttp", params->role);
  if (len && !data)
    return verdict_errf(err, errlen, "no input");
  memset(&c, 0, sizeof c);
  vcb_init(&c.cb, out);
  c.params = params;
  c.method = params->method ? params->method : "GET";
  llhttp_init(&p, params->role == VERDICT_CLIENT ? HTTP_RESPONSE : HTTP_REQUEST,
              &settings);
  p.data = &c;
  if (lenient) {
    llhttp_set_lenient_headers(&p, 1);
    llhttp_set_lenient_chunked_length(&p, 1);
    llhttp_set_lenient_keep_alive(&p, 1);
    llhttp_set_lenient_transfer_encoding(&p, 1);
    p.lenient_flags |= LENIENT_VERSION;
  }

  while (pos < len || flush) {
    size_t end = len;
    llhttp_errno_t e;
    size_t off;
    flush = false;
    if (params->chunk && len - pos > params->chunk - pos % params->chunk)
      end = pos + (params->chunk - pos % params->chunk);
    if (++guard > 4 * len + 64) {
      rc = verdict_errf(err, errlen, "llhttp makes no progress at offset %zu",
                        pos);
      goto done;
    }
    e = llhttp_execute(&p, (const char *)data + pos, end - pos);
    if (e == HPE_OK) {
      pos = end;
      continue;
    }
    off = (size_t)((const uint8_t *)llhttp_get_error_pos(&p) - data);
    if (c.cb.oom) {
      rc = verdict_errf(err, errlen, "out of memory");
      goto done;
    }
    if (e == HPE_PAUSED && c.cb.completed) {
      int r = vcb_completed(&c.cb, params->role, llhttp_get_upgrade(&p) != 0,
                            off, len, false, &last_end);
      if (r < 0) {
        rc = verdict_errf(err, errlen, "out of memory");
        goto done;
      }
      if (r == VCB_STOP)
        goto done;
      llhttp_resume(&p);
      pos = off;
      flush = true;
      continue;
    }
    if (e == HPE_PAUSED_UPGRADE) {
      /* Only reached on the server side (a client stops at the message's
         completion): decline the switch and go on. */
      llhttp_resume_after_upgrade(&p);
      pos = off;
      flush = true;
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
    llhttp_errno_t e = llhttp_finish(&p);
    if (vcb_finish(&c.cb, params->role, e == HPE_PAUSED, e == HPE_OK,
                   llhttp_get_upgrade(&p) != 0, len, &last_end) < 0)
      rc = verdict_errf(err, errlen, "out of memory");
  }

done:
  vcb_free(&c.cb);
  return rc;
}

int verdict_llhttp(const verdict_params *params, const uint8_t *data,
                   size_t len, verdict *out, char *err, size_t errlen) {
  return run(params, data, len, out, err, errlen, false);
}

int verdict_llhttp_lenient(const verdict_params *params, const uint8_t *data,
                           size_t len, verdict *out, char *err, size_t errlen) {
  return run(params, data, len, out, err, errlen, true);
}
