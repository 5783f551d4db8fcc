#include "diff/oracles/callbacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fields_clear(verdict_fields *f) {
  size_t i;
  for (i = 0; i < f->len; i++) {
    free(f->items[i].name.base);
    free(f->items[i].value.base);
  }
  f->len = 0;
}

void vcb_init(vcb *c, verdict *v) {
  memset(c, 0, sizeof *c);
  c->v = v;
}

void vcb_free(vcb *c) {
  verdict_bytes_free(&c->target);
  verdict_bytes_free(&c->reason);
  fields_clear(&c->fields);
  free(c->fields.items);
  verdict_bytes_free(&c->name);
  verdict_bytes_free(&c->value);
  memset(c, 0, sizeof *c);
}

static void message_begin(vcb *c) {
  c->cur = NULL;
  c->target.len = 0;
  c->reason.len = 0;
  fields_clear(&c->fields);
  c->fstate = 0;
  c->name.len = 0;
  c->value.len = 0;
  c->value_end = NULL;
  c->completed = false;
  c->keep_alive = false;
}

static int oom(vcb *c) {
  c->oom = true;
  return -1;
}

static int span_target(vcb *c, const char *at, size_t len) {
  return verdict_bytes_append(&c->target, (const uint8_t *)at, len) ? oom(c)
                                                                    : 0;
}

static int span_reason(vcb *c, const char *at, size_t len) {
  return verdict_bytes_append(&c->reason, (const uint8_t *)at, len) ? oom(c)
                                                                    : 0;
}

static bool is_ws(uint8_t ch) { return ch == ' ' || ch == '\t'; }

void vcb_normalize_value(verdict_bytes *b) {
  size_t i = 0, o = 0, start, end;
  uint8_t *p = b->base;
  if (!b->len)
    return;
  /* obs-fold: CRLF or LF followed by SP/HTAB becomes one SP. */
  while (i < b->len) {
    size_t j = i;
    if (p[j] == '\r' && j + 1 < b->len && p[j + 1] == '\n')
      j++;
    if (p[j] == '\n' && j + 1 < b->len && is_ws(p[j + 1])) {
      j++;
      while (j < b->len && is_ws(p[j]))
        j++;
      p[o++] = ' ';
      i = j;
      continue;
    }
    p[o++] = p[i++];
  }
  b->len = o;
  start = 0;
  end = b->len;
  while (start < end && is_ws(p[start]))
    start++;
  while (end > start && is_ws(p[end - 1]))
    end--;
  if (start)
    memmove(p, p + start, end - start);
  b->len = end - start;
}

/* Ends the field being reported, if any, and stores it. */
static int flush_field(vcb *c) {
  size_t i;
  if (c->fstate == 0)
    return 0;
  for (i = 0; i < c->name.len; i++)
    if (c->name.base[i] >= 'A' && c->name.base[i] <= 'Z')
      c->name.base[i] = (uint8_t)(c->name.base[i] + ('a' - 'A'));
  vcb_normalize_value(&c->value);
  if (verdict_fields_add(&c->fields, c->name.base, c->name.len, c->value.base,
                         c->value.len) != 0)
    return oom(c);
  c->fstate = 0;
  c->name.len = 0;
  c->value.len = 0;
  c->value_end = NULL;
  return 0;
}

static int field_name(vcb *c, const char *at, size_t len) {
  if (c->fstate == 2 && flush_field(c) != 0)
    return -1;
  c->fstate = 1;
  return verdict_bytes_append(&c->name, (const uint8_t *)at, len) ? oom(c) : 0;
}

static int field_value(vcb *c, const char *at, size_t len) {
  if (c->fstate == 2 && c->value_end && at > c->value_end &&
      (size_t)(at - c->value_end) <= 256 &&
      verdict_bytes_append(&c->value, (const uint8_t *)c->value_end,
                           (size_t)(at - c->value_end)) != 0)
    return oom(c);
  c->fstate = 2;
  c->value_end = at + len;
  return verdict_bytes_append(&c->value, (const uint8_t *)at, len) ? oom(c) : 0;
}

static int span_body(vcb *c, const char *at, size_t len) {
  if (!c->cur)
    return 0;
  return verdict_bytes_append(&c->cur->body, (const uint8_t *)at, len) ? oom(c)
                                                                       : 0;
}

int vcb_span(void *data, cb_span kind, const char *at, size_t len) {
  vcb *c = data;
  switch (kind) {
  case CB_BEGIN:
    message_begin(c);
    return 0;
  case CB_METHOD:
    return 0; /* the adapters take the method from the parser */
  case CB_TARGET:
    return span_target(c, at, len);
  case CB_REASON:
    return span_reason(c, at, len);
  case CB_FIELD_NAME:
    return field_name(c, at, len);
  case CB_FIELD_VALUE:
    return field_value(c, at, len);
  case CB_BODY:
    return span_body(c, at, len);
  }
  return 0;
}

/* Moves the pending fields into dst. */
static int take_fields(vcb *c, verdict_fields *dst) {
  size_t i;
  for (i = 0; i < c->fields.len; i++)
    if (verdict_fields_add(
            dst, c->fields.items[i].name.base, c->fields.items[i].name.len,
            c->fields.items[i].value.base, c->fields.items[i].value.len) != 0)
      return oom(c);
  fields_clear(&c->fields);
  return 0;
}

int vcb_headers_complete(vcb *c, bool is_response, const char *method,
                         int status, unsigned major, unsigned minor) {
  verdict_message *m;
  char ver[16];
  if (flush_field(c) != 0)
    return -1;
  m = verdict_add_message(c->v, is_response);
  if (!m)
    return oom(c);
  if (is_response) {
    m->status = status;
    if (verdict_bytes_set(&m->reason, c->reason.base, c->reason.len) != 0)
      return oom(c);
  } else if (verdict_bytes_set(&m->method, (const uint8_t *)method,
                               strlen(method)) != 0 ||
             verdict_bytes_set(&m->target, c->target.base, c->target.len) !=
                 0) {
    return oom(c);
  }
  snprintf(ver, sizeof ver, "%u.%u", major, minor);
  if (verdict_bytes_set(&m->version, (const uint8_t *)ver, strlen(ver)) != 0)
    return oom(c);
  if (take_fields(c, &m->headers) != 0)
    return -1;
  c->cur = m;
  return 0;
}

int vcb_message_complete(vcb *c, uint64_t end) {
  if (flush_field(c) != 0)
    return -1;
  if (!c->cur)
    return 0;
  if (take_fields(c, &c->cur->trailers) != 0)
    return -1;
  c->cur->complete = true;
  c->cur->end = end;
  c->cur = NULL;
  return 0;
}

int vcb_response_body(const char *method, int status) {
  if (strcmp(method, "CONNECT") == 0)
    return 2;
  if (status >= 100 && status < 200 && status != 101)
    return 1;
  if (strcmp(method, "HEAD") == 0)
    return 1;
  if (status == 304)
    return 1;
  return 0;
}

int vcb_finish(vcb *c, verdict_role role, bool paused, bool ok, bool upgrade,
               uint64_t len, uint64_t *last_end) {
  if (c->oom)
    return -1;
  if (paused && c->completed) {
    /* A body that ends at EOF. */
    if (vcb_completed(c, role, upgrade, len, len, true, last_end) < 0)
      return -1;
    if (role == VERDICT_SERVER)
      c->v->outcome = VERDICT_MUST_CLOSE;
  } else if (ok) {
    /* Between messages.  A client that gets here has not had its final
       response (it stops at that): the input was cut. */
    c->v->outcome =
        role == VERDICT_CLIENT ? VERDICT_INCOMPLETE : VERDICT_CLOSED;
  } else {
    c->v->outcome = VERDICT_INCOMPLETE;
  }
  return 0;
}

int vcb_completed(vcb *c, verdict_role role, bool upgrade, uint64_t off,
                  uint64_t len, bool eof, uint64_t *last_end) {
  verdict *v = c->v;
  verdict_message *m = c->cur;
  bool ka = c->keep_alive;
  c->completed = false;
  if (vcb_message_complete(c, off) != 0)
    return -1;
  *last_end = off;
  if (role == VERDICT_SERVER) {
    if (!ka) {
      v->outcome = VERDICT_MUST_CLOSE;
      v->leftover = len - off;
      return VCB_STOP;
    }
    return VCB_GO_ON;
  }
  if (m && m->status >= 100 && m->status < 200 && !upgrade)
    return VCB_GO_ON; /* informational: the final response is still to come */
  if (upgrade)
    v->outcome = VERDICT_SWITCHED;
  else
    v->outcome = ka && !eof ? VERDICT_CLOSED : VERDICT_MUST_CLOSE;
  v->leftover = len - off;
  return VCB_STOP;
}
