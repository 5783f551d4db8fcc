#include "diff/explore/mutate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

uint64_t mut_next(mut_rng *r) {
  /* xorshift64* */
  uint64_t x = r->s ? r->s : 0x9e3779b97f4a7c15ull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545f4914f6cdd1dull;
}

size_t mut_below(mut_rng *r, size_t n) {
  return n <= 1 ? 0 : (size_t)(mut_next(r) % n);
}

#define PICK(r, arr) (arr)[mut_below((r), sizeof(arr) / sizeof((arr)[0]))]

/* ------------------------------------------------------------------------ */
/* Output builder (silently stops at max)                                   */
/* ------------------------------------------------------------------------ */

typedef struct ob {
  uint8_t *p;
  size_t len, max;
} ob;

static void put(ob *b, const void *s, size_t n) {
  if (n > b->max - b->len)
    n = b->max - b->len;
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void puts_(ob *b, const char *s) { put(b, s, strlen(s)); }

/* ------------------------------------------------------------------------ */
/* Message structure                                                        */
/* ------------------------------------------------------------------------ */

typedef struct shape {
  size_t start_end;      /* end of the start line, past its LF (or len) */
  size_t head_end;       /* past the blank line (or len) */
  size_t nlines;         /* field lines */
  size_t ls[64], le[64]; /* each field line: [ls, le) including its LF */
} shape;

static void analyse(const uint8_t *d, size_t len, shape *s) {
  size_t i = 0;
  memset(s, 0, sizeof *s);
  while (i < len && d[i] != '\n')
    i++;
  s->start_end = i < len ? i + 1 : len;
  s->head_end = len;
  i = s->start_end;
  while (i < len) {
    size_t j = i;
    while (j < len && d[j] != '\n')
      j++;
    if (j - i == 0 || (j - i == 1 && d[i] == '\r')) {
      s->head_end = j < len ? j + 1 : len;
      return;
    }
    if (s->nlines < 64) {
      s->ls[s->nlines] = i;
      s->le[s->nlines] = j < len ? j + 1 : len;
      s->nlines++;
    }
    i = j < len ? j + 1 : len;
  }
}

/* A position between field lines (where a new line can go). */
static size_t field_slot(mut_rng *r, const shape *s) {
  size_t k = mut_below(r, s->nlines + 1);
  return k < s->nlines ? s->ls[k]
                       : (s->nlines ? s->le[s->nlines - 1] : s->start_end);
}

/* Copies in, replacing [a, b) with rep. */
static size_t splice_out(const uint8_t *in, size_t len, size_t a, size_t b,
                         const void *rep, size_t replen, uint8_t *out,
                         size_t max) {
  ob o = {out, 0, max};
  put(&o, in, a);
  put(&o, rep, replen);
  put(&o, in + b, len - b);
  return o.len;
}

static bool name_is(const uint8_t *d, size_t ls, size_t le, const char *nm) {
  size_t n = strlen(nm), i;
  if (le - ls <= n || d[ls + n] != ':')
    return false;
  for (i = 0; i < n; i++) {
    uint8_t c = d[ls + i];
    if (c >= 'A' && c <= 'Z')
      c = (uint8_t)(c + 32);
    if (c != (uint8_t)nm[i])
      return false;
  }
  return true;
}

/* ------------------------------------------------------------------------ */
/* Variants                                                                 */
/* ------------------------------------------------------------------------ */

static const char *cl_values[] = {"0",
                                  "1",
                                  "5",
                                  "+5",
                                  "-5",
                                  "05",
                                  "000000000000000000005",
                                  " 5",
                                  "5 ",
                                  "5,5",
                                  "5, 5",
                                  "5, 0",
                                  "0, 5",
                                  "0x5",
                                  "5e0",
                                  "5.0",
                                  "",
                                  "5 5",
                                  "\"5\"",
                                  "18446744073709551621",
                                  "99999999999999999999",
                                  "4294967301",
                                  "5\t",
                                  "\t5",
                                  "5;",
                                  ",5",
                                  "5,"};

static const char *te_values[] = {"chunked",
                                  "Chunked",
                                  "CHUNKED",
                                  " chunked",
                                  "chunked ",
                                  "\tchunked",
                                  "chunked\t",
                                  "chunked, chunked",
                                  "gzip, chunked",
                                  "chunked, gzip",
                                  "identity",
                                  "identity, chunked",
                                  "chunked, identity",
                                  "xchunked",
                                  "chunk",
                                  ",chunked",
                                  "chunked,",
                                  ", chunked",
                                  "\"chunked\"",
                                  "'chunked'",
                                  "chunked;a=b",
                                  "\x0b"
                                  "chunked",
                                  "\xa0"
                                  "chunked",
                                  "chunked\x00",
                                  "",
                                  "gzip",
                                  "chunked , gzip",
                                  "chunkedx",
                                  "\x0c"
                                  "chunked",
                                  "chu nked"};

static const char *te_names[] = {
    "Transfer-Encoding",    "transfer-encoding",  "TRANSFER-ENCODING",
    "Transfer-encoding",    "Transfer_Encoding",  "Transfer-Encoding ",
    "Transfer Encoding",    " Transfer-Encoding", "Transfer-Encoding\t",
    "Transfer-\x82ncoding", "XTransfer-Encoding"};

static const char *versions[] = {
    "HTTP/1.1",  "HTTP/1.0",  "HTTP/1.2",   "HTTP/2.0", "HTTP/0.9",
    "http/1.1",  "HTTP/1.10", "HTTP/01.1",  "HTTP/1",   "HTTP/9.9",
    "HTTP/1.1 ", "HTTP /1.1", "HTTP/1.1\t", "HTTP/3",   "HTTP/1.1\r"};

static const char *methods[] = {
    "GET",    "POST",  "HEAD", "PUT",      "CONNECT", "OPTIONS",
    "DELETE", "PATCH", "get",  "FOO",      "G(T",     "PRI",
    "TRACE",  "GET ",  " GET", "M-SEARCH", "Get"};

static const char *targets[] = {"/",    "*",      "a:80",   "http://b/x",
                                "/a b", "/a\x7f", "/#frag", "/?q=\"x\"",
                                "//",   "/\x80",  "a"};

static const char *statuses[] = {"100", "101",  "103", "199",  "200",
                                 "204", "304",  "404", "1000", "20",
                                 "099", "200 ", "2xx"};

static const char *extra_fields[] = {
    "Host: b\r\n",
    "Connection: close\r\n",
    "Connection: keep-alive\r\n",
    "Connection: upgrade\r\nUpgrade: websocket\r\n",
    "Upgrade: h2c\r\n",
    "Expect: 100-continue\r\n",
    "Content-Length: 0\r\n",
    "Transfer-Encoding: chunked\r\n",
    "X: y\r\n",
    ": empty\r\n",
    "X\r\n",
    "X : y\r\n",
    "Trailer: X\r\n",
    "Connection: close, Transfer-Encoding\r\n",
    "Proxy-Connection: keep-alive\r\n",
};

static const char *trailer_fields[] = {"Content-Length: 5\r\n",
                                       "Transfer-Encoding: chunked\r\n",
                                       "X: y\r\n",
                                       "Host: evil\r\n",
                                       " folded\r\n",
                                       "bad line\r\n",
                                       "X: a\r\n b\r\n",
                                       "Connection: close\r\n",
                                       "X:\x01\r\n"};

static const char *bytes_to_insert[] = {
    "\r",   "\n",   "\x00", " ", "\t", ":",    ";",  ",",   "\x0b",
    "\x7f", "\xa0", "\xff", "0", "a",  "\r\n", "\"", "\x0c"};

/* ------------------------------------------------------------------------ */
/* Operators                                                                */
/* ------------------------------------------------------------------------ */

static size_t body_len(const shape *s, size_t len) {
  return len > s->head_end ? len - s->head_end : 0;
}

/* Writes the head with line inserted before field line k (k == nlines:
 * after the last one), dropping the fields named drop (lower case) if
 * given; returns where the rest of the input starts. */
static size_t head_with(ob *o, const uint8_t *in, const shape *s, size_t k,
                        const char *line, const char *drop) {
  size_t i;
  put(o, in, s->start_end);
  for (i = 0; i < s->nlines; i++) {
    if (i == k)
      puts_(o, line);
    if (drop && name_is(in, s->ls[i], s->le[i], drop))
      continue;
    put(o, in + s->ls[i], s->le[i] - s->ls[i]);
  }
  if (k >= s->nlines)
    puts_(o, line);
  return s->nlines ? s->le[s->nlines - 1] : s->start_end;
}

static size_t op_content_length(mut_rng *r, const uint8_t *in, size_t len,
                                uint8_t *out, size_t max) {
  shape s;
  ob o = {out, 0, max};
  char line[96];
  size_t rest;
  analyse(in, len, &s);
  if (mut_below(r, 3) == 0) {
    size_t bl = body_len(&s, len);
    long long v = (long long)bl + (long long)mut_below(r, 3) - 1;
    snprintf(line, sizeof line, "Content-Length: %lld\r\n", v < 0 ? 0 : v);
  } else {
    snprintf(line, sizeof line, "Content-Length: %s\r\n", PICK(r, cl_values));
  }
  rest = head_with(&o, in, &s, mut_below(r, s.nlines + 1), line,
                   mut_below(r, 2) ? "content-length" : NULL);
  put(&o, in + rest, len - rest);
  return o.len;
}

/* A valid chunked encoding of data, or a variant of it. */
static void chunked_body(mut_rng *r, ob *o, const uint8_t *data, size_t n,
                         bool vary) {
  size_t pos = 0, nchunks = 1 + mut_below(r, 3), k;
  size_t which = vary ? mut_below(r, nchunks + 1) : (size_t)-1;
  static const char *exts[] = {";a=b",   ";",   ";a=\"x;y\"",   ";a\rb",
                               ";\x01",  " ;a", ";a=\"b\r\n\"", "; a = b",
                               ";a=b c", "\t;a"};
  static const char *size_forms[] = {"%zx",  "%zX",   "000%zx",
                                     "%zx ", "%zx\t", "0x%zx",
                                     "+%zx", " %zx",  "1000000000000000%zx",
                                     "%zx;", "-%zx"};
  static const char *eols[] = {"\r\n", "\n", "\r", "\r\r\n", "\n\r"};
  static const char *data_ends[] = {"\r\n", "\n", "", "XX", "\r", "\r\r\n"};
  static const char *lasts[] = {
      "0\r\n\r\n",         "00\r\n\r\n",
      "0;x\r\n\r\n",       "0\n\n",
      "0\r\n\n",           "0\r\n",
      "0\r\nX: y\r\n\r\n", "0\n\r\n",
      "0 \r\n\r\n",        "000000000000000000000\r\n\r\n"};
  for (k = 0; k < nchunks; k++) {
    size_t take = k + 1 == nchunks ? n - pos : mut_below(r, n - pos + 1);
    char sz[64];
    bool v = k == which;
    size_t part = v ? mut_below(r, 4) : 4;
    if (take == 0 && k + 1 < nchunks)
      continue;
    if (take == 0)
      break;
    if (part == 0)
      snprintf(sz, sizeof sz, PICK(r, size_forms), take);
    else
      snprintf(sz, sizeof sz, "%zx", take);
    puts_(o, sz);
    if (part == 1)
      puts_(o, PICK(r, exts));
    puts_(o, part == 2 ? PICK(r, eols) : "\r\n");
    put(o, data + pos, take);
    puts_(o, part == 3 ? PICK(r, data_ends) : "\r\n");
    pos += take;
  }
  puts_(o, which == nchunks ? PICK(r, lasts) : "0\r\n\r\n");
}

static size_t op_te(mut_rng *r, const uint8_t *in, size_t len, uint8_t *out,
                    size_t max) {
  shape s;
  ob o = {out, 0, max};
  char line[96];
  size_t rest;
  analyse(in, len, &s);
  snprintf(line, sizeof line, "%s: %s\r\n",
           mut_below(r, 3) ? "Transfer-Encoding" : PICK(r, te_names),
           mut_below(r, 4) == 0 ? "chunked" : PICK(r, te_values));
  rest = head_with(&o, in, &s, mut_below(r, s.nlines + 1), line, NULL);
  if (mut_below(r, 2) == 0 && s.head_end > rest && s.head_end <= len) {
    put(&o, in + rest, s.head_end - rest);
    chunked_body(r, &o, in + s.head_end, body_len(&s, len),
                 mut_below(r, 2) == 0);
  } else {
    put(&o, in + rest, len - rest);
  }
  return o.len;
}

static size_t op_field_games(mut_rng *r, const uint8_t *in, size_t len,
                             uint8_t *out, size_t max) {
  shape s;
  size_t k, ls, le, colon;
  analyse(in, len, &s);
  if (!s.nlines)
    return 0;
  k = mut_below(r, s.nlines);
  ls = s.ls[k];
  le = s.le[k];
  for (colon = ls; colon < le && in[colon] != ':'; colon++)
    ;
  switch (mut_below(r, 9)) {
  case 0: /* space or tab before the colon */
    if (colon >= le)
      return 0;
    return splice_out(in, len, colon, colon, mut_below(r, 2) ? " " : "\t", 1,
                      out, max);
  case 1: { /* no whitespace after the colon */
    size_t v = colon + 1;
    while (v < le && (in[v] == ' ' || in[v] == '\t'))
      v++;
    if (colon >= le)
      return 0;
    return splice_out(in, len, colon + 1, v, "", 0, out, max);
  }
  case 2: /* a leading space or tab */
    return splice_out(in, len, ls, ls, mut_below(r, 2) ? " " : "\t", 1, out,
                      max);
  case 3: { /* '_' for '-' */
    size_t i;
    for (i = ls; i < colon && i < le; i++)
      if (in[i] == '-') {
        return splice_out(in, len, i, i + 1, "_", 1, out, max);
      }
    return 0;
  }
  case 4: { /* case */
    size_t i, n = splice_out(in, len, 0, 0, "", 0, out, max);
    bool up = mut_below(r, 2);
    for (i = ls; i < colon && i < le && i < n; i++) {
      uint8_t c = out[i];
      if (up && c >= 'a' && c <= 'z')
        out[i] = (uint8_t)(c - 32);
      else if (!up && c >= 'A' && c <= 'Z')
        out[i] = (uint8_t)(c + 32);
    }
    return n;
  }
  case 5: { /* a byte right after the colon */
    static const char *b[] = {"\x0b", "\x0c", "\xa0", "\x00", "\x01",
                              "\x85", "\xff", "\t",   "  "};
    const char *x = PICK(r, b);
    if (colon >= le)
      return 0;
    return splice_out(in, len, colon + 1, colon + 1, x, x[0] ? strlen(x) : 1,
                      out, max);
  }
  case 6: { /* a byte before the line end */
    static const char *b[] = {" ", "\t", "\x0b", "\x00", "\r", "\x7f", ","};
    const char *x = PICK(r, b);
    size_t at = le;
    if (at > ls && in[at - 1] == '\n')
      at--;
    if (at > ls && in[at - 1] == '\r')
      at--;
    return splice_out(in, len, at, at, x, x[0] ? strlen(x) : 1, out, max);
  }
  case 7: /* the line removed */
    return splice_out(in, len, ls, le, "", 0, out, max);
  default: /* the line doubled */
    return splice_out(in, len, ls, ls, in + ls, le - ls, out, max);
  }
}

static size_t op_fold(mut_rng *r, const uint8_t *in, size_t len, uint8_t *out,
                      size_t max) {
  shape s;
  size_t k, ls, le, colon, at;
  static const char *folds[] = {"\r\n ", "\r\n\t", "\n ", "\r\n  "};
  static const char *lines[] = {" Transfer-Encoding: chunked\r\n", " X: y\r\n",
                                "\tContent-Length: 0\r\n", " chunked\r\n"};
  analyse(in, len, &s);
  if (!s.nlines || mut_below(r, 3) == 0) {
    const char *l = PICK(r, lines);
    at = s.nlines ? s.le[mut_below(r, s.nlines)] : s.start_end;
    return splice_out(in, len, at, at, l, strlen(l), out, max);
  }
  k = mut_below(r, s.nlines);
  ls = s.ls[k];
  le = s.le[k];
  for (colon = ls; colon < le && in[colon] != ':'; colon++)
    ;
  if (colon + 1 >= le)
    return 0;
  at = colon + 1 + mut_below(r, le - colon - 1);
  {
    const char *f = PICK(r, folds);
    return splice_out(in, len, at, at, f, strlen(f), out, max);
  }
}

static size_t op_line_endings(mut_rng *r, const uint8_t *in, size_t len,
                              uint8_t *out, size_t max) {
  size_t n = 0, i, pick, seen = 0;
  static const char *reps[] = {"\n",   "\r",       "\r\r\n",
                               "\n\r", "\r\n\r\n", "\r \n"};
  for (i = 0; i + 1 < len; i++)
    if (in[i] == '\r' && in[i + 1] == '\n')
      n++;
  if (n == 0 || mut_below(r, 4) == 0) {
    size_t at = mut_below(r, len + 1);
    return splice_out(in, len, at, at, mut_below(r, 2) ? "\r" : "\n", 1, out,
                      max);
  }
  pick = mut_below(r, n);
  for (i = 0; i + 1 < len; i++) {
    if (in[i] == '\r' && in[i + 1] == '\n') {
      if (seen++ == pick) {
        const char *x = PICK(r, reps);
        return splice_out(in, len, i, i + 2, x, strlen(x), out, max);
      }
    }
  }
  return 0;
}

static size_t op_chunked(mut_rng *r, const uint8_t *in, size_t len,
                         uint8_t *out, size_t max) {
  shape s;
  ob o = {out, 0, max};
  size_t i;
  bool has_te = false;
  static const uint8_t dflt[] = "hello world";
  analyse(in, len, &s);
  for (i = 0; i < s.nlines; i++)
    if (name_is(in, s.ls[i], s.le[i], "transfer-encoding"))
      has_te = true;
  if (!has_te && mut_below(r, 5)) {
    size_t fe = s.nlines ? s.le[s.nlines - 1] : s.start_end;
    put(&o, in, fe);
    puts_(&o, "Transfer-Encoding: chunked\r\n");
    put(&o, in + fe, s.head_end - fe);
  } else {
    put(&o, in, s.head_end);
  }
  if (s.head_end >= len && (s.head_end == 0 || in[s.head_end - 1] != '\n'))
    puts_(&o, "\r\n\r\n");
  if (body_len(&s, len))
    chunked_body(r, &o, in + s.head_end, body_len(&s, len), true);
  else
    chunked_body(r, &o, dflt, 1 + mut_below(r, sizeof dflt - 1), true);
  return o.len;
}

/* The start line's tokens: [t0s,t0e) [t1s,t1e) [t2s, end of line). */
static bool start_tokens(const uint8_t *in, size_t len, size_t *b, size_t nb) {
  size_t i = 0, k = 0, end;
  while (i < len && in[i] != '\n')
    i++;
  end = i;
  if (end > 0 && in[end - 1] == '\r')
    end--;
  i = 0;
  b[k++] = 0;
  while (i < end && k < nb) {
    if (in[i] == ' ') {
      b[k++] = i;
      if (k < nb)
        b[k++] = i + 1;
    }
    i++;
  }
  while (k < nb)
    b[k++] = end;
  return true;
}

static size_t op_version(mut_rng *r, const uint8_t *in, size_t len,
                         verdict_role role, uint8_t *out, size_t max) {
  size_t t[6];
  const char *v = PICK(r, versions);
  start_tokens(in, len, t, 6);
  if (role == VERDICT_CLIENT)
    return splice_out(in, len, t[0], t[1], v, strlen(v), out, max);
  if (mut_below(r, 6) == 0) /* drop the version: an HTTP/0.9 line */
    return splice_out(in, len, t[3], t[5], "", 0, out, max);
  return splice_out(in, len, t[4], t[5], v, strlen(v), out, max);
}

static size_t op_method(mut_rng *r, const uint8_t *in, size_t len,
                        verdict_role role, uint8_t *out, size_t max) {
  size_t t[6];
  start_tokens(in, len, t, 6);
  if (role == VERDICT_CLIENT) {
    const char *st = PICK(r, statuses);
    if (mut_below(r, 4) == 0) /* no reason phrase */
      return splice_out(in, len, t[2], t[5], st, strlen(st), out, max);
    return splice_out(in, len, t[2], t[3], st, strlen(st), out, max);
  }
  if (mut_below(r, 3) == 0) {
    const char *tg = PICK(r, targets);
    return splice_out(in, len, t[2], t[3], tg, strlen(tg), out, max);
  }
  {
    const char *m = PICK(r, methods);
    return splice_out(in, len, t[0], t[1], m, strlen(m), out, max);
  }
}

static size_t op_fields(mut_rng *r, const uint8_t *in, size_t len, uint8_t *out,
                        size_t max) {
  shape s;
  size_t at;
  analyse(in, len, &s);
  if (s.nlines && mut_below(r, 3) == 0) {
    /* a field doubled with a different value */
    size_t k = mut_below(r, s.nlines), colon;
    ob o = {out, 0, max};
    for (colon = s.ls[k]; colon < s.le[k] && in[colon] != ':'; colon++)
      ;
    if (colon >= s.le[k])
      return 0;
    put(&o, in, s.le[k]);
    put(&o, in + s.ls[k], colon + 1 - s.ls[k]);
    puts_(&o, mut_below(r, 2) ? " 0\r\n" : " other\r\n");
    put(&o, in + s.le[k], len - s.le[k]);
    return o.len;
  }
  at = field_slot(r, &s);
  {
    const char *f = PICK(r, extra_fields);
    return splice_out(in, len, at, at, f, strlen(f), out, max);
  }
}

static size_t op_trailers(mut_rng *r, const uint8_t *in, size_t len,
                          uint8_t *out, size_t max) {
  size_t i;
  const char *t = PICK(r, trailer_fields);
  /* the last "0\r\n" that starts a line */
  for (i = len; i >= 3; i--) {
    size_t at = i - 3;
    if (in[at] == '0' && in[at + 1] == '\r' && in[at + 2] == '\n' &&
        (at == 0 || in[at - 1] == '\n'))
      return splice_out(in, len, i, i, t, strlen(t), out, max);
  }
  return 0;
}

static size_t op_bytes(mut_rng *r, const uint8_t *in, size_t len, uint8_t *out,
                       size_t max) {
  size_t at = mut_below(r, len + 1);
  const char *b = PICK(r, bytes_to_insert);
  size_t blen = b[0] ? strlen(b) : 1;
  switch (mut_below(r, 3)) {
  case 0:
    return splice_out(in, len, at, at, b, blen, out, max);
  case 1:
    if (at >= len)
      return 0;
    return splice_out(in, len, at, at + 1, "", 0, out, max);
  default:
    if (at >= len)
      return 0;
    return splice_out(in, len, at, at + 1, b, blen, out, max);
  }
}

static size_t op_splice(mut_rng *r, const uint8_t *in, size_t len,
                        const mut_seed *seeds, size_t nseeds, uint8_t *out,
                        size_t max) {
  ob o = {out, 0, max};
  switch (mut_below(r, 3)) {
  case 0:
    if (nseeds) {
      const mut_seed *sd = &seeds[mut_below(r, nseeds)];
      put(&o, in, len);
      put(&o, sd->data, sd->len);
      return o.len;
    }
    /* fall through */
  case 1:
    put(&o, in, len);
    put(&o, in, len);
    return o.len;
  default:
    if (len < 2)
      return 0;
    put(&o, in, 1 + mut_below(r, len - 1));
    return o.len;
  }
}

size_t mut_apply(mut_rng *r, const uint8_t *in, size_t len, verdict_role role,
                 char *method, const mut_seed *seeds, size_t nseeds,
                 uint8_t *out, size_t max, const char **name) {
  size_t n = 0;
  int tries;
  for (tries = 0; tries < 8 && n == 0; tries++) {
    size_t op = mut_below(r, role == VERDICT_CLIENT ? 14 : 13);
    switch (op) {
    case 0:
      *name = "content-length";
      n = op_content_length(r, in, len, out, max);
      break;
    case 1:
      *name = "te";
      n = op_te(r, in, len, out, max);
      break;
    case 2:
      *name = "field-games";
      n = op_field_games(r, in, len, out, max);
      break;
    case 3:
      *name = "obs-fold";
      n = op_fold(r, in, len, out, max);
      break;
    case 4:
      *name = "line-endings";
      n = op_line_endings(r, in, len, out, max);
      break;
    case 5:
    case 6:
      *name = "chunked";
      n = op_chunked(r, in, len, out, max);
      break;
    case 7:
      *name = "version";
      n = op_version(r, in, len, role, out, max);
      break;
    case 8:
      *name = "method";
      n = op_method(r, in, len, role, out, max);
      break;
    case 9:
      *name = "fields";
      n = op_fields(r, in, len, out, max);
      break;
    case 10:
      *name = "trailers";
      n = op_trailers(r, in, len, out, max);
      break;
    case 11:
      *name = "bytes";
      n = op_bytes(r, in, len, out, max);
      break;
    case 12:
      *name = "splice";
      n = op_splice(r, in, len, seeds, nseeds, out, max);
      break;
    default: {
      static const char *ms[] = {"GET", "HEAD", "CONNECT", "POST", "OPTIONS"};
      const char *m = PICK(r, ms);
      *name = "request-method";
      snprintf(method, MUT_METHOD_MAX, "%s", strcmp(m, "GET") ? m : "");
      n = len < max ? len : max;
      memcpy(out, in, n);
      break;
    }
    }
  }
  if (n == 0) {
    *name = "copy";
    n = len < max ? len : max;
    memcpy(out, in, n);
  }
  return n;
}
