/* The tests' growable byte buffer; see strbuf.h. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *strbuf_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fprintf(stderr, "strbuf: out of memory\n");
    abort();
  }
  return q;
}

static void strbuf_reserve(strbuf *b, size_t extra) {
  if (b->len + extra + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
      cap *= 2;
    b->p = strbuf_xrealloc(b->p, cap);
    b->cap = cap;
  }
}

void strbuf_put(strbuf *b, const void *p, size_t n) {
  strbuf_reserve(b, n);
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
}

void strbuf_puts(strbuf *b, const char *s) { strbuf_put(b, s, strlen(s)); }

void strbuf_fill(strbuf *b, uint8_t c, size_t n) {
  strbuf_reserve(b, n);
  memset(b->p + b->len, c, n);
  b->len += n;
  b->p[b->len] = 0;
}

void strbuf_printf(strbuf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    abort();
  strbuf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void strbuf_escape(strbuf *b, const void *p, size_t n) {
  static const char from[] = "\r\n\t\"\\", to[] = "rnt\"\\";
  const uint8_t *s = p;
  size_t i;
  for (i = 0; i < n; i++) {
    uint8_t c = s[i];
    const char *k = c ? strchr(from, c) : NULL;
    if (k)
      strbuf_printf(b, "\\%c", to[k - from]);
    else if (c == 0)
      strbuf_puts(b, "\\0");
    else if (c < 0x20 || c >= 0x7f)
      strbuf_printf(b, "\\x%02x", c);
    else
      strbuf_put(b, &c, 1);
  }
}

const char *strbuf_str(strbuf *b) {
  if (!b->p) {
    strbuf_reserve(b, 0);
    b->p[0] = 0;
  }
  return (const char *)b->p;
}

void strbuf_reset(strbuf *b) {
  b->len = 0;
  if (b->p)
    b->p[0] = 0;
}

void strbuf_free(strbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
