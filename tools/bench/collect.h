/*
 * What the callback parsers' callbacks collect: the spans a whole-event
 * API hands over (method, target or status, every header name and value)
 * and the counts the benchmark checks.  Spans that arrive in several
 * pieces are extended: the pieces of one span are contiguous in the
 * workload's buffer.  The callbacks themselves are the harness's callback
 * kit (diff/oracles/callbacks.h) with collect_span() as their sink.
 */
#ifndef H11C_BENCH_COLLECT_H
#define H11C_BENCH_COLLECT_H

#include "bench.h"

#include <stddef.h>

#include "diff/oracles/callbacks.h"

#define COLLECT_MAX_HEADERS 64

typedef struct span {
  const char *p;
  size_t n;
} span;

typedef struct collect {
  span method, target; /* target: the URL, or a response's reason */
  span names[COLLECT_MAX_HEADERS];
  span values[COLLECT_MAX_HEADERS];
  size_t nh;
  int last; /* 0: other, 1: header name, 2: header value */
  bench_result *r;
} collect;

static inline void span_add(span *s, const char *at, size_t len) {
  if (s->n == 0)
    s->p = at;
  s->n += len;
}

static inline void collect_begin(collect *c) {
  c->method.n = c->target.n = 0;
  c->nh = 0;
  c->last = 0;
}

static inline void collect_field(collect *c, const char *at, size_t len) {
  if (c->last != 1) {
    if (c->nh == COLLECT_MAX_HEADERS) {
      bench_fail(c->r, "more than %d headers", COLLECT_MAX_HEADERS);
      return;
    }
    c->names[c->nh].p = at;
    c->names[c->nh].n = len;
    c->values[c->nh].n = 0;
    c->nh++;
    c->last = 1;
  } else {
    c->names[c->nh - 1].n += len;
  }
}

static inline void collect_value(collect *c, const char *at, size_t len) {
  if (c->nh == 0)
    return;
  if (c->last != 2) {
    c->values[c->nh - 1].p = at;
    c->values[c->nh - 1].n = len;
    c->last = 2;
  } else {
    c->values[c->nh - 1].n += len;
  }
}

/* The sink of the kit's callbacks: data is the collect. */
static inline int collect_span(void *data, cb_span kind, const char *at,
                               size_t len) {
  collect *c = data;
  switch (kind) {
  case CB_BEGIN:
    collect_begin(c);
    break;
  case CB_METHOD:
    span_add(&c->method, at, len);
    break;
  case CB_TARGET:
  case CB_REASON:
    span_add(&c->target, at, len);
    break;
  case CB_FIELD_NAME:
    collect_field(c, at, len);
    break;
  case CB_FIELD_VALUE:
    collect_value(c, at, len);
    break;
  case CB_BODY:
    c->r->body_bytes += len;
    break;
  }
  return 0;
}

#endif /* H11C_BENCH_COLLECT_H */
