#include "diff/model/verdict_parse.h"

#include <stdio.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *what) {
  if (err && errlen)
    snprintf(err, errlen, "verdict JSON: %s", what);
  return -1;
}

static int get_bytes(const jv *obj, const char *key, verdict_bytes *b,
                     char *err, size_t errlen) {
  const jv *s = jv_get(obj, key);
  if (!s || s->type != JV_STRING)
    return bad(err, errlen, key);
  if (verdict_bytes_set(b, (const uint8_t *)s->s, s->len) != 0)
    return bad(err, errlen, "out of memory");
  return 0;
}

static int get_fields(const jv *obj, const char *key, verdict_fields *f,
                      char *err, size_t errlen) {
  const jv *a = jv_get(obj, key);
  size_t i;
  if (!a || a->type != JV_ARRAY)
    return bad(err, errlen, key);
  for (i = 0; i < a->n; i++) {
    const jv *p = &a->items[i];
    if (p->type != JV_ARRAY || p->n != 2 || p->items[0].type != JV_STRING ||
        p->items[1].type != JV_STRING)
      return bad(err, errlen, key);
    if (verdict_fields_add(f, (const uint8_t *)p->items[0].s, p->items[0].len,
                           (const uint8_t *)p->items[1].s,
                           p->items[1].len) != 0)
      return bad(err, errlen, "out of memory");
  }
  return 0;
}

static bool get_uint(const jv *v, uint64_t *out) {
  if (!v || v->type != JV_NUMBER || !v->is_int || v->i < 0)
    return false;
  *out = (uint64_t)v->i;
  return true;
}

int verdict_from_jv(const jv *j, verdict *out, char *err, size_t errlen) {
  const char *impl = jv_get_str(j, "impl");
  const char *role = jv_get_str(j, "role");
  const char *outcome = jv_get_str(j, "outcome");
  const jv *msgs = jv_get(j, "messages");
  const jv *e;
  size_t i;

  verdict_init(out, impl ? impl : "", VERDICT_SERVER);
  if (!impl || !role || !outcome || !msgs || msgs->type != JV_ARRAY)
    return bad(err, errlen, "missing impl, role, outcome or messages");
  if (strcmp(role, "client") == 0)
    out->role = VERDICT_CLIENT;
  else if (strcmp(role, "server") != 0)
    return bad(err, errlen, "role");
  for (i = 0; i < msgs->n; i++) {
    const jv *m = &msgs->items[i];
    bool response = jv_get(m, "status") != NULL;
    verdict_message *vm = verdict_add_message(out, response);
    const jv *end;
    if (!vm)
      return bad(err, errlen, "out of memory");
    if (response) {
      const jv *st = jv_get(m, "status");
      if (st->type != JV_NUMBER || !st->is_int)
        return bad(err, errlen, "status");
      vm->status = (int)st->i;
      if (get_bytes(m, "reason", &vm->reason, err, errlen) != 0)
        return -1;
    } else if (get_bytes(m, "method", &vm->method, err, errlen) != 0 ||
               get_bytes(m, "target", &vm->target, err, errlen) != 0) {
      return -1;
    }
    if (get_bytes(m, "version", &vm->version, err, errlen) != 0 ||
        get_fields(m, "headers", &vm->headers, err, errlen) != 0 ||
        get_bytes(m, "body", &vm->body, err, errlen) != 0 ||
        get_fields(m, "trailers", &vm->trailers, err, errlen) != 0)
      return -1;
    end = jv_get(m, "end");
    if (!end)
      return bad(err, errlen, "end");
    if (end->type == JV_NULL) {
      vm->complete = false;
    } else if (get_uint(end, &vm->end)) {
      vm->complete = true;
    } else {
      return bad(err, errlen, "end");
    }
  }
  if (strcmp(outcome, "closed") == 0)
    out->outcome = VERDICT_CLOSED;
  else if (strcmp(outcome, "error") == 0)
    out->outcome = VERDICT_ERROR;
  else if (strcmp(outcome, "incomplete") == 0)
    out->outcome = VERDICT_INCOMPLETE;
  else if (strcmp(outcome, "must_close") == 0)
    out->outcome = VERDICT_MUST_CLOSE;
  else if (strcmp(outcome, "switched") == 0)
    out->outcome = VERDICT_SWITCHED;
  else
    return bad(err, errlen, "outcome");
  e = jv_get(j, "error");
  if (out->outcome == VERDICT_ERROR) {
    const jv *hint = jv_get(e, "status_hint");
    const jv *off = jv_get(e, "offset");
    if (!hint || hint->type != JV_NUMBER || !hint->is_int || !off)
      return bad(err, errlen, "error");
    out->error_status_hint = (int)hint->i;
    if (off->type == JV_NULL)
      out->error_offset_known = false;
    else if (get_uint(off, &out->error_offset))
      out->error_offset_known = true;
    else
      return bad(err, errlen, "error offset");
  }
  if (!get_uint(jv_get(j, "leftover"), &out->leftover))
    return bad(err, errlen, "leftover");
  return 0;
}

int verdict_from_json(const char *text, size_t len, verdict *out, char *err,
                      size_t errlen) {
  jv j;
  int rc;
  if (jv_parse(text, len, &j, err, errlen) != 0) {
    verdict_init(out, "", VERDICT_SERVER);
    return -1;
  }
  rc = verdict_from_jv(&j, out, err, errlen);
  jv_free(&j);
  return rc;
}
