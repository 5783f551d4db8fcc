#include "diff/model/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_writer_init(json_writer *w) { memset(w, 0, sizeof *w); }

void json_writer_free(json_writer *w) {
  free(w->buf);
  memset(w, 0, sizeof *w);
}

void json_writer_reset(json_writer *w) {
  char *buf = w->buf;
  size_t cap = w->cap;
  memset(w, 0, sizeof *w);
  w->buf = buf;
  w->cap = cap;
  if (buf)
    buf[0] = '\0';
}

const char *json_writer_str(const json_writer *w) {
  return w->buf ? w->buf : "";
}

size_t json_writer_len(const json_writer *w) { return w->len; }

bool json_writer_ok(const json_writer *w) {
  return !w->failed && w->depth == 0 && !w->after_key;
}

static bool reserve(json_writer *w, size_t more) {
  size_t need, cap;
  char *p;
  if (w->failed)
    return false;
  if (more > SIZE_MAX - w->len - 1) {
    w->failed = true;
    return false;
  }
  need = w->len + more + 1;
  if (need <= w->cap)
    return true;
  cap = w->cap ? w->cap : 256;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  p = realloc(w->buf, cap);
  if (!p) {
    w->failed = true;
    return false;
  }
  w->buf = p;
  w->cap = cap;
  return true;
}

static void put(json_writer *w, const char *s, size_t n) {
  if (!reserve(w, n))
    return;
  memcpy(w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = '\0';
}

static void puts_(json_writer *w, const char *s) { put(w, s, strlen(s)); }

/* Called before every value: writes the separator that precedes it. */
static void before_value(json_writer *w) {
  if (w->depth > 0) {
    int top = w->depth - 1;
    if (w->is_object[top]) {
      if (!w->after_key) {
        w->failed = true; /* a value in an object needs a key */
        return;
      }
      w->after_key = false;
      return; /* the key wrote the separator */
    }
    if (!w->empty[top])
      put(w, ", ", 2);
    w->empty[top] = false;
  }
}

static void begin(json_writer *w, bool object) {
  before_value(w);
  if (w->depth >= JSON_MAX_DEPTH) {
    w->failed = true;
    return;
  }
  w->empty[w->depth] = true;
  w->is_object[w->depth] = object;
  w->depth++;
  put(w, object ? "{" : "[", 1);
}

static void end(json_writer *w, bool object) {
  if (w->depth == 0 || w->is_object[w->depth - 1] != object || w->after_key) {
    w->failed = true;
    return;
  }
  w->depth--;
  put(w, object ? "}" : "]", 1);
}

void json_begin_object(json_writer *w) { begin(w, true); }
void json_end_object(json_writer *w) { end(w, true); }
void json_begin_array(json_writer *w) { begin(w, false); }
void json_end_array(json_writer *w) { end(w, false); }

static void string_body(json_writer *w, const uint8_t *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t i, run = 0;
  put(w, "\"", 1);
  for (i = 0; i < len; i++) {
    uint8_t c = s[i];
    char esc[7];
    const char *e = NULL;
    size_t elen = 2;
    switch (c) {
    case '"':
      e = "\\\"";
      break;
    case '\\':
      e = "\\\\";
      break;
    case '\n':
      e = "\\n";
      break;
    case '\r':
      e = "\\r";
      break;
    case '\t':
      e = "\\t";
      break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        esc[0] = '\\';
        esc[1] = 'u';
        esc[2] = '0';
        esc[3] = '0';
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        esc[6] = '\0';
        e = esc;
        elen = 6;
      }
      break;
    }
    if (!e) {
      run++;
      continue;
    }
    if (run)
      put(w, (const char *)s + i - run, run);
    run = 0;
    put(w, e, elen);
  }
  if (run)
    put(w, (const char *)s + len - run, run);
  put(w, "\"", 1);
}

void json_key(json_writer *w, const char *key) {
  int top = w->depth - 1;
  if (w->depth == 0 || !w->is_object[top] || w->after_key) {
    w->failed = true;
    return;
  }
  if (!w->empty[top])
    put(w, ", ", 2);
  w->empty[top] = false;
  string_body(w, (const uint8_t *)key, strlen(key));
  put(w, ": ", 2);
  w->after_key = true;
}

void json_latin1(json_writer *w, const uint8_t *s, size_t len) {
  before_value(w);
  if (len && !s) {
    w->failed = true;
    return;
  }
  string_body(w, s, len);
}

void json_cstr(json_writer *w, const char *s) {
  json_latin1(w, (const uint8_t *)s, strlen(s));
}

void json_int(json_writer *w, long long v) {
  char tmp[32];
  before_value(w);
  snprintf(tmp, sizeof tmp, "%lld", v);
  puts_(w, tmp);
}

void json_uint(json_writer *w, uint64_t v) {
  char tmp[32];
  before_value(w);
  snprintf(tmp, sizeof tmp, "%" PRIu64, v);
  puts_(w, tmp);
}

void json_bool(json_writer *w, bool v) {
  before_value(w);
  puts_(w, v ? "true" : "false");
}

void json_null(json_writer *w) {
  before_value(w);
  puts_(w, "null");
}
