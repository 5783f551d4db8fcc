#define _POSIX_C_SOURCE 200809L
#include "diff/model/json_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct reader {
  const char *p;
  const char *end;
  const char *start;
  char *err;
  size_t errlen;
  bool failed;
} reader;

static void rfail(reader *r, const char *fmt, ...) {
  va_list ap;
  if (r->failed)
    return;
  r->failed = true;
  if (r->err && r->errlen) {
    int n = snprintf(r->err, r->errlen,
                     "JSON at byte %zu: ", (size_t)(r->p - r->start));
    if (n >= 0 && (size_t)n < r->errlen) {
      va_start(ap, fmt);
      vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
}

static void skip_ws(reader *r) {
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

typedef struct sbuf {
  char *p;
  size_t len, cap;
} sbuf;

static bool sb_put(sbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 32;
    char *q;
    while (cap < b->len + n + 1)
      cap *= 2;
    q = realloc(b->p, cap);
    if (!q)
      return false;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return true;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static bool read_hex4(reader *r, unsigned *out) {
  unsigned v = 0;
  int i;
  if (r->end - r->p < 4) {
    rfail(r, "short \\u escape");
    return false;
  }
  for (i = 0; i < 4; i++) {
    int h = hexval(r->p[i]);
    if (h < 0) {
      rfail(r, "bad \\u escape");
      return false;
    }
    v = v * 16 + (unsigned)h;
  }
  r->p += 4;
  *out = v;
  return true;
}

static bool put_utf8(sbuf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xc0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xe0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[2] = (char)(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    u[0] = (char)(0xf0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    n = 4;
  }
  return sb_put(b, u, n);
}

/* At the opening quote. */
static bool read_string(reader *r, char **out, size_t *outlen) {
  sbuf b = {NULL, 0, 0};
  r->p++;
  if (!sb_put(&b, "", 0))
    goto oom;
  for (;;) {
    const char *run = r->p;
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' &&
           (unsigned char)*r->p >= 0x20)
      r->p++;
    if (r->p > run && !sb_put(&b, run, (size_t)(r->p - run)))
      goto oom;
    if (r->p >= r->end) {
      rfail(r, "unterminated string");
      goto bad;
    }
    if (*r->p == '"') {
      r->p++;
      break;
    }
    if ((unsigned char)*r->p < 0x20) {
      rfail(r, "control byte in string");
      goto bad;
    }
    r->p++; /* backslash */
    if (r->p >= r->end) {
      rfail(r, "unterminated escape");
      goto bad;
    }
    {
      char c = *r->p++, e = 0;
      switch (c) {
      case '"':
      case '\\':
      case '/':
        e = c;
        break;
      case 'b':
        e = '\b';
        break;
      case 'f':
        e = '\f';
        break;
      case 'n':
        e = '\n';
        break;
      case 'r':
        e = '\r';
        break;
      case 't':
        e = '\t';
        break;
      case 'u': {
        unsigned cp;
        if (!read_hex4(r, &cp))
          goto bad;
        if (cp < 0x100) {
          char one = (char)cp;
          if (!sb_put(&b, &one, 1))
            goto oom;
          continue;
        }
        if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 6 &&
            r->p[0] == '\\' && r->p[1] == 'u') {
          unsigned lo;
          r->p += 2;
          if (!read_hex4(r, &lo))
            goto bad;
          if (lo >= 0xdc00 && lo < 0xe000)
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (!put_utf8(&b, cp))
          goto oom;
        continue;
      }
      default:
        rfail(r, "bad escape \\%c", c);
        goto bad;
      }
      if (!sb_put(&b, &e, 1))
        goto oom;
    }
  }
  *out = b.p;
  *outlen = b.len;
  return true;
oom:
  rfail(r, "out of memory");
bad:
  free(b.p);
  return false;
}

static bool parse_value(reader *r, jv *v, int depth);

static bool grow(void **p, size_t *cap, size_t n, size_t size) {
  if (n < *cap)
    return true;
  {
    size_t nc = *cap ? *cap * 2 : 8;
    void *q = realloc(*p, nc * size);
    if (!q)
      return false;
    *p = q;
    *cap = nc;
  }
  return true;
}

static bool parse_array(reader *r, jv *v, int depth) {
  size_t cap = 0;
  v->type = JV_ARRAY;
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == ']') {
    r->p++;
    return true;
  }
  for (;;) {
    if (!grow((void **)&v->items, &cap, v->n, sizeof *v->items)) {
      rfail(r, "out of memory");
      return false;
    }
    memset(&v->items[v->n], 0, sizeof *v->items);
    v->n++;
    if (!parse_value(r, &v->items[v->n - 1], depth + 1))
      return false;
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == ']') {
      r->p++;
      return true;
    }
    rfail(r, "expected , or ]");
    return false;
  }
}

static bool parse_object(reader *r, jv *v, int depth) {
  size_t cap = 0, kcap = 0, lcap = 0;
  v->type = JV_OBJECT;
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == '}') {
    r->p++;
    return true;
  }
  for (;;) {
    char *key;
    size_t klen;
    skip_ws(r);
    if (r->p >= r->end || *r->p != '"') {
      rfail(r, "expected a key");
      return false;
    }
    if (!read_string(r, &key, &klen))
      return false;
    if (!grow((void **)&v->items, &cap, v->n, sizeof *v->items) ||
        !grow((void **)&v->keys, &kcap, v->n, sizeof *v->keys) ||
        !grow((void **)&v->keylens, &lcap, v->n, sizeof *v->keylens)) {
      free(key);
      rfail(r, "out of memory");
      return false;
    }
    memset(&v->items[v->n], 0, sizeof *v->items);
    v->keys[v->n] = key;
    v->keylens[v->n] = klen;
    v->n++;
    skip_ws(r);
    if (r->p >= r->end || *r->p != ':') {
      rfail(r, "expected :");
      return false;
    }
    r->p++;
    if (!parse_value(r, &v->items[v->n - 1], depth + 1))
      return false;
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == '}') {
      r->p++;
      return true;
    }
    rfail(r, "expected , or }");
    return false;
  }
}

static bool literal(reader *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) >= n && memcmp(r->p, word, n) == 0) {
    r->p += n;
    return true;
  }
  return false;
}

static bool parse_number(reader *r, jv *v) {
  char tmp[64];
  const char *s = r->p;
  size_t n;
  bool integer = true;
  char *endp;
  while (r->p < r->end && (strchr("+-0123456789", *r->p) || *r->p == '.' ||
                           *r->p == 'e' || *r->p == 'E')) {
    if (*r->p == '.' || *r->p == 'e' || *r->p == 'E')
      integer = false;
    r->p++;
  }
  n = (size_t)(r->p - s);
  if (n == 0 || n >= sizeof tmp) {
    rfail(r, "bad number");
    return false;
  }
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  v->type = JV_NUMBER;
  errno = 0;
  v->num = strtod(tmp, &endp);
  if (*endp) {
    rfail(r, "bad number");
    return false;
  }
  if (integer) {
    errno = 0;
    v->i = strtoll(tmp, &endp, 10);
    v->is_int = errno == 0 && !*endp;
  }
  return true;
}

static bool parse_value(reader *r, jv *v, int depth) {
  if (depth > MAX_DEPTH) {
    rfail(r, "nesting too deep");
    return false;
  }
  skip_ws(r);
  if (r->p >= r->end) {
    rfail(r, "unexpected end");
    return false;
  }
  switch (*r->p) {
  case '{':
    return parse_object(r, v, depth);
  case '[':
    return parse_array(r, v, depth);
  case '"':
    v->type = JV_STRING;
    return read_string(r, &v->s, &v->len);
  case 't':
    if (literal(r, "true")) {
      v->type = JV_BOOL;
      v->b = true;
      return true;
    }
    break;
  case 'f':
    if (literal(r, "false")) {
      v->type = JV_BOOL;
      return true;
    }
    break;
  case 'n':
    if (literal(r, "null")) {
      v->type = JV_NULL;
      return true;
    }
    break;
  default:
    if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
      return parse_number(r, v);
    break;
  }
  rfail(r, "unexpected byte");
  return false;
}

void jv_free(jv *v) {
  size_t i;
  if (!v)
    return;
  free(v->s);
  for (i = 0; i < v->n; i++) {
    jv_free(&v->items[i]);
    if (v->keys)
      free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->keylens);
  memset(v, 0, sizeof *v);
}

int jv_parse(const char *text, size_t len, jv *out, char *err, size_t errlen) {
  reader r;
  memset(out, 0, sizeof *out);
  r.p = r.start = text;
  r.end = text + len;
  r.err = err;
  r.errlen = errlen;
  r.failed = false;
  if (!parse_value(&r, out, 0)) {
    jv_free(out);
    return -1;
  }
  skip_ws(&r);
  if (r.p != r.end) {
    rfail(&r, "trailing bytes");
    jv_free(out);
    return -1;
  }
  return 0;
}

int jv_parse_file(const char *path, jv *out, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc;
  memset(out, 0, sizeof *out);
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  for (;;) {
    size_t n;
    if (len == cap) {
      size_t nc = cap ? cap * 2 : 65536;
      char *q = realloc(buf, nc);
      if (!q) {
        free(buf);
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
      }
      buf = q;
      cap = nc;
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
  }
  if (ferror(f)) {
    snprintf(err, errlen, "%s: read error", path);
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  rc = jv_parse(buf, len, out, err, errlen);
  if (rc != 0 && err && errlen) {
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s: %s", path, err);
    snprintf(err, errlen, "%s", tmp);
  }
  free(buf);
  return rc;
}

const jv *jv_get(const jv *obj, const char *key) {
  size_t i, klen = strlen(key);
  if (!obj || obj->type != JV_OBJECT)
    return NULL;
  for (i = 0; i < obj->n; i++)
    if (obj->keylens[i] == klen && memcmp(obj->keys[i], key, klen) == 0)
      return &obj->items[i];
  return NULL;
}

const char *jv_get_str(const jv *obj, const char *key) {
  const jv *v = jv_get(obj, key);
  return v && v->type == JV_STRING ? v->s : NULL;
}
