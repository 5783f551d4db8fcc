#include "diff/model/verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int verdict_errf(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (err && errlen) {
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

void verdict_init(verdict *v, const char *impl, verdict_role role) {
  memset(v, 0, sizeof *v);
  if (impl) {
    strncpy(v->impl, impl, sizeof v->impl - 1);
    v->impl[sizeof v->impl - 1] = '\0';
  }
  v->role = role;
  v->outcome = VERDICT_CLOSED;
}

void verdict_bytes_free(verdict_bytes *b) {
  free(b->base);
  memset(b, 0, sizeof *b);
}

static void fields_free(verdict_fields *f) {
  size_t i;
  for (i = 0; i < f->len; i++) {
    verdict_bytes_free(&f->items[i].name);
    verdict_bytes_free(&f->items[i].value);
  }
  free(f->items);
  memset(f, 0, sizeof *f);
}

void verdict_free(verdict *v) {
  size_t i;
  for (i = 0; i < v->nmessages; i++) {
    verdict_message *m = &v->messages[i];
    verdict_bytes_free(&m->method);
    verdict_bytes_free(&m->target);
    verdict_bytes_free(&m->reason);
    verdict_bytes_free(&m->version);
    fields_free(&m->headers);
    verdict_bytes_free(&m->body);
    fields_free(&m->trailers);
  }
  free(v->messages);
  v->messages = NULL;
  v->nmessages = v->cap = 0;
}

verdict_message *verdict_add_message(verdict *v, bool is_response) {
  verdict_message *m;
  if (v->nmessages == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    verdict_message *p = realloc(v->messages, cap * sizeof *p);
    if (!p)
      return NULL;
    v->messages = p;
    v->cap = cap;
  }
  m = &v->messages[v->nmessages++];
  memset(m, 0, sizeof *m);
  m->is_response = is_response;
  return m;
}

int verdict_bytes_append(verdict_bytes *b, const uint8_t *s, size_t len) {
  if (len == 0)
    return 0;
  if (len > SIZE_MAX - b->len)
    return -1;
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : 16;
    uint8_t *p;
    while (cap < b->len + len)
      cap = cap > SIZE_MAX / 2 ? b->len + len : cap * 2;
    p = realloc(b->base, cap);
    if (!p)
      return -1;
    b->base = p;
    b->cap = cap;
  }
  memcpy(b->base + b->len, s, len);
  b->len += len;
  return 0;
}

int verdict_bytes_set(verdict_bytes *b, const uint8_t *s, size_t len) {
  b->len = 0;
  return verdict_bytes_append(b, s, len);
}

int verdict_fields_add(verdict_fields *f, const uint8_t *name, size_t nlen,
                       const uint8_t *value, size_t vlen) {
  verdict_field *it;
  if (f->len == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    verdict_field *p = realloc(f->items, cap * sizeof *p);
    if (!p)
      return -1;
    f->items = p;
    f->cap = cap;
  }
  it = &f->items[f->len];
  memset(it, 0, sizeof *it);
  if (verdict_bytes_set(&it->name, name, nlen) != 0 ||
      verdict_bytes_set(&it->value, value, vlen) != 0) {
    verdict_bytes_free(&it->name);
    verdict_bytes_free(&it->value);
    return -1;
  }
  f->len++;
  return 0;
}

const char *verdict_role_name(verdict_role role) {
  return role == VERDICT_CLIENT ? "client" : "server";
}

const char *verdict_outcome_name(verdict_outcome outcome) {
  switch (outcome) {
  case VERDICT_CLOSED:
    return "closed";
  case VERDICT_ERROR:
    return "error";
  case VERDICT_INCOMPLETE:
    return "incomplete";
  case VERDICT_MUST_CLOSE:
    return "must_close";
  case VERDICT_SWITCHED:
    return "switched";
  }
  return "unknown";
}

static void write_bytes(json_writer *w, const verdict_bytes *b) {
  json_latin1(w, b->base, b->len);
}

static void write_fields(json_writer *w, const verdict_fields *f) {
  size_t i;
  json_begin_array(w);
  for (i = 0; i < f->len; i++) {
    json_begin_array(w);
    write_bytes(w, &f->items[i].name);
    write_bytes(w, &f->items[i].value);
    json_end_array(w);
  }
  json_end_array(w);
}

void verdict_to_json(const verdict *v, json_writer *w) {
  size_t i;
  json_begin_object(w);
  json_key(w, "impl");
  json_cstr(w, v->impl);
  json_key(w, "role");
  json_cstr(w, verdict_role_name(v->role));
  json_key(w, "messages");
  json_begin_array(w);
  for (i = 0; i < v->nmessages; i++) {
    const verdict_message *m = &v->messages[i];
    json_begin_object(w);
    if (m->is_response) {
      json_key(w, "status");
      json_int(w, m->status);
      json_key(w, "reason");
      write_bytes(w, &m->reason);
    } else {
      json_key(w, "method");
      write_bytes(w, &m->method);
      json_key(w, "target");
      write_bytes(w, &m->target);
    }
    json_key(w, "version");
    write_bytes(w, &m->version);
    json_key(w, "headers");
    write_fields(w, &m->headers);
    json_key(w, "body");
    write_bytes(w, &m->body);
    json_key(w, "trailers");
    write_fields(w, &m->trailers);
    json_key(w, "end");
    if (m->complete)
      json_uint(w, m->end);
    else
      json_null(w);
    json_end_object(w);
  }
  json_end_array(w);
  json_key(w, "outcome");
  json_cstr(w, verdict_outcome_name(v->outcome));
  json_key(w, "error");
  if (v->outcome == VERDICT_ERROR) {
    json_begin_object(w);
    json_key(w, "status_hint");
    json_int(w, v->error_status_hint);
    json_key(w, "offset");
    if (v->error_offset_known)
      json_uint(w, v->error_offset);
    else
      json_null(w);
    json_end_object(w);
  } else {
    json_null(w);
  }
  json_key(w, "leftover");
  json_uint(w, v->leftover);
  json_end_object(w);
}

bool verdict_same(const verdict *a, const verdict *b) {
  json_writer x, y;
  bool eq;
  json_writer_init(&x);
  json_writer_init(&y);
  verdict_to_json(a, &x);
  verdict_to_json(b, &y);
  eq = strcmp(json_writer_str(&x), json_writer_str(&y)) == 0;
  json_writer_free(&x);
  json_writer_free(&y);
  return eq;
}

void verdict_print(FILE *f, const char *label, const verdict *v) {
  json_writer w;
  json_writer_init(&w);
  verdict_to_json(v, &w);
  fprintf(f, "%s: %s\n", label, json_writer_str(&w));
  json_writer_free(&w);
}
