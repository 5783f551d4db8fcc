#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- property checks ---- */

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt,
               ...) {
  va_list ap;
  fprintf(stderr, "\n==h11c-fuzz== property failed at %s:%d: %s\n", file, line,
          cond);
  fputs("==h11c-fuzz== ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  abort();
}

bool fuzz_verbose(void) {
  static int v = -1;
  if (v < 0)
    v = getenv("H11C_FUZZ_VERBOSE") != NULL;
  return v != 0;
}

/* ---- byte buffer ---- */

static void fbuf_reserve(fbuf *b, size_t extra) {
  size_t need = b->len + extra + 1, ncap;
  uint8_t *np;
  if (need <= b->cap)
    return;
  ncap = b->cap ? b->cap : 256;
  while (ncap < need)
    ncap *= 2;
  np = realloc(b->p, ncap);
  if (!np) {
    fputs("==h11c-fuzz== out of memory in the harness\n", stderr);
    abort();
  }
  b->p = np;
  b->cap = ncap;
}

void fbuf_put(fbuf *b, const void *p, size_t n) {
  fbuf_reserve(b, n);
  if (n)
    memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
}

void fbuf_puts(fbuf *b, const char *s) { fbuf_put(b, s, strlen(s)); }

void fbuf_printf(fbuf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  fbuf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void fbuf_escape(fbuf *b, const void *p, size_t n) {
  const uint8_t *s = p;
  size_t i;
  fbuf_reserve(b, 4 * n);
  for (i = 0; i < n; i++) {
    uint8_t c = s[i];
    char *w = (char *)b->p + b->len;
    if (c == '\r') {
      memcpy(w, "\\r", 2);
      b->len += 2;
    } else if (c == '\n') {
      memcpy(w, "\\n", 2);
      b->len += 2;
    } else if (c == '\t') {
      memcpy(w, "\\t", 2);
      b->len += 2;
    } else if (c == '"' || c == '\\') {
      w[0] = '\\';
      w[1] = (char)c;
      b->len += 2;
    } else if (c < 0x20 || c > 0x7e) {
      static const char hex[] = "0123456789abcdef";
      w[0] = '\\';
      w[1] = 'x';
      w[2] = hex[c >> 4];
      w[3] = hex[c & 15];
      b->len += 4;
    } else {
      w[0] = (char)c;
      b->len += 1;
    }
  }
  b->p[b->len] = 0;
}

void fbuf_slice(fbuf *b, h11c_slice s) { fbuf_escape(b, s.base, s.len); }

const char *fbuf_str(fbuf *b) {
  if (!b->p) {
    fbuf_reserve(b, 0);
    b->p[0] = 0;
  }
  return (const char *)b->p;
}

void fbuf_start_line(fbuf *b, const h11c_event *ev) {
  if (ev->type == H11C_EV_REQUEST) {
    fbuf_puts(b, "REQUEST ");
    fbuf_slice(b, ev->method);
    fbuf_puts(b, " ");
    fbuf_slice(b, ev->target);
  } else {
    fbuf_printf(b, "%s %d \"",
                ev->type == H11C_EV_RESPONSE ? "RESPONSE" : "INFORMATIONAL",
                ev->status_code);
    fbuf_slice(b, ev->reason);
    fbuf_puts(b, "\"");
  }
}

void fbuf_free(fbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

bool fbuf_eq(const fbuf *a, const fbuf *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* ---- byte provider ---- */

uint8_t fdp_u8(fdp *d) {
  uint8_t v;
  if (d->n == 0)
    return 0;
  v = d->p[0];
  d->p++;
  d->n--;
  return v;
}

uint16_t fdp_u16(fdp *d) {
  uint16_t hi = fdp_u8(d);
  return (uint16_t)(hi << 8 | fdp_u8(d));
}

size_t fdp_below(fdp *d, size_t n) {
  if (n <= 1)
    return 0;
  if (n <= 256)
    return fdp_u8(d) % n;
  return fdp_u16(d) % n;
}

bool fdp_bool(fdp *d) { return fdp_u8(d) & 1; }

h11c_slice fdp_bytes(fdp *d, size_t max) {
  h11c_slice s;
  size_t n = max < d->n ? max : d->n;
  s.base = d->p;
  s.len = n;
  d->p += n;
  d->n -= n;
  return s;
}

bool fdp_empty(const fdp *d) { return d->n == 0; }

/* ---- split plans ---- */

fsplit fsplit_whole(void) {
  fsplit s;
  memset(&s, 0, sizeof s);
  return s;
}

fsplit fsplit_from_byte(uint8_t b, size_t total) {
  fsplit s;
  size_t m = (size_t)(b & 63) + 1;
  s.rng = (uint32_t)(b * 2654435761u) ^ (uint32_t)total ^ 0x9e3779b9u;
  if (!s.rng)
    s.rng = 1;
  switch (b >> 6) {
  case 0:
    s.mode = 1;
    s.m = m;
    break;
  case 1:
    s.mode = 2;
    s.m = m;
    break;
  case 2:
    s.mode = 2;
    s.m = 64 * m;
    break;
  default:
    /* Mostly small pieces with an occasional large one. */
    s.mode = 3;
    s.m = m;
    break;
  }
  return s;
}

static uint32_t xorshift32(uint32_t *st) {
  uint32_t x = *st;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *st = x;
  return x;
}

size_t fsplit_next(fsplit *s, size_t left) {
  size_t n;
  switch (s->mode) {
  case 1:
    n = s->m;
    break;
  case 2:
    n = 1 + xorshift32(&s->rng) % s->m;
    break;
  case 3: {
    uint32_t r = xorshift32(&s->rng);
    n = (r & 7) == 0 ? 1 + (r >> 3) % 4096 : 1 + (r >> 3) % s->m;
    break;
  }
  default:
    n = left;
    break;
  }
  return n < left ? n : left;
}

/* ---- counting allocator ---- */

static bool fmem_should_fail(fmem *m) {
  m->calls++;
  if (m->fail_at &&
      (m->calls == m->fail_at || (m->fail_after && m->calls > m->fail_at))) {
    m->failures++;
    return true;
  }
  return false;
}

static size_t fmem_find(const fmem *m, const void *p) {
  size_t i;
  for (i = 0; i < m->nlive; i++)
    if (m->ptr[i] == p)
      return i;
  return SIZE_MAX;
}

static void fmem_add(fmem *m, void *p, size_t size) {
  FUZZ_CHECK(m->nlive < FMEM_MAX_LIVE, "more than %d live allocations",
             FMEM_MAX_LIVE);
  m->ptr[m->nlive] = p;
  m->size[m->nlive] = size;
  m->nlive++;
  m->live_bytes += size;
  if (m->live_bytes > m->peak_bytes)
    m->peak_bytes = m->live_bytes;
}

static void fmem_remove(fmem *m, size_t i) {
  m->live_bytes -= m->size[i];
  m->nlive--;
  m->ptr[i] = m->ptr[m->nlive];
  m->size[i] = m->size[m->nlive];
}

static void *fmem_malloc(size_t size, void *user) {
  fmem *m = user;
  void *p;
  FUZZ_CHECK(size > 0, "malloc(0) from the library");
  if (fmem_should_fail(m))
    return NULL;
  p = malloc(size);
  if (p)
    fmem_add(m, p, size);
  return p;
}

static void *fmem_realloc(void *ptr, size_t size, void *user) {
  fmem *m = user;
  size_t i = fmem_find(m, ptr);
  void *p;
  FUZZ_CHECK(ptr != NULL, "realloc(NULL) reached the hook");
  FUZZ_CHECK(i != SIZE_MAX, "realloc of a block the allocator never gave out");
  FUZZ_CHECK(size > 0, "realloc to 0 bytes from the library");
  if (fmem_should_fail(m))
    return NULL;
  p = realloc(ptr, size);
  if (!p)
    return NULL;
  fmem_remove(m, i);
  fmem_add(m, p, size);
  return p;
}

static void fmem_free(void *ptr, void *user) {
  fmem *m = user;
  size_t i;
  if (!ptr)
    return;
  i = fmem_find(m, ptr);
  FUZZ_CHECK(i != SIZE_MAX, "free of a block the allocator never gave out");
  fmem_remove(m, i);
  free(ptr);
}

h11c_mem fmem_hooks(fmem *m) {
  h11c_mem h;
  h.user = m;
  h.malloc = fmem_malloc;
  h.realloc = fmem_realloc;
  h.free = fmem_free;
  return h;
}

void fmem_check_empty(const fmem *m) {
  FUZZ_CHECK(m->nlive == 0, "%zu block(s) (%zu bytes) leaked", m->nlive,
             m->live_bytes);
}

/* ---- byte classes ---- */

bool fz_is_tchar(uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return true;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

bool fz_is_vchar(uint8_t c) { return c >= 0x21 && c <= 0x7e; }

bool fz_is_ows(uint8_t c) { return c == ' ' || c == '\t'; }

bool fz_is_value_bad(uint8_t c) {
  return c == 0 || c == '\n' || c == 0x0b || c == 0x0c || c == '\r';
}

bool fz_slice_eq(h11c_slice a, h11c_slice b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

bool fz_slice_eq_str(h11c_slice a, const char *s) {
  size_t n = strlen(s);
  return a.len == n && (n == 0 || memcmp(a.base, s, n) == 0);
}

static uint8_t lower(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

bool fz_slice_ieq(h11c_slice a, const char *lowerlit) {
  size_t n = strlen(lowerlit), i;
  if (a.len != n)
    return false;
  for (i = 0; i < n; i++)
    if (lower(a.base[i]) != (uint8_t)lowerlit[i])
      return false;
  return true;
}

h11c_slice fz_strip_ows(h11c_slice s) {
  while (s.len && fz_is_ows(s.base[0])) {
    s.base++;
    s.len--;
  }
  while (s.len && fz_is_ows(s.base[s.len - 1]))
    s.len--;
  return s;
}

size_t fz_count(const h11c_header *h, size_t n, const char *lname) {
  size_t i, k = 0;
  for (i = 0; i < n; i++)
    if (fz_slice_ieq(h[i].name, lname))
      k++;
  return k;
}

h11c_slice fz_get(const h11c_header *h, size_t n, const char *lname) {
  size_t i;
  h11c_slice none = {NULL, 0};
  for (i = 0; i < n; i++)
    if (fz_slice_ieq(h[i].name, lname))
      return h[i].value;
  return none;
}

bool fz_comma_next(h11c_slice v, size_t *pos, h11c_slice *el) {
  size_t a = *pos, b = a;
  if (a > v.len)
    return false;
  while (b < v.len && v.base[b] != ',')
    b++;
  el->base = v.base ? v.base + a : v.base;
  el->len = b - a;
  *el = fz_strip_ows(*el);
  *pos = b + 1;
  return true;
}

bool fz_has_token(const h11c_header *h, size_t n, const char *lname,
                  const char *token) {
  size_t i;
  for (i = 0; i < n; i++) {
    size_t pos = 0;
    h11c_slice el;
    if (!fz_slice_ieq(h[i].name, lname))
      continue;
    while (fz_comma_next(h[i].value, &pos, &el))
      if (el.len && (!token || fz_slice_ieq(el, token)))
        return true;
  }
  return false;
}

/* ---- received-event validity ---- */

void fz_check_fields(const h11c_header *h, size_t n, bool *has_cl, uint64_t *cl,
                     bool *has_te) {
  size_t i, j, ncl = 0, nte = 0;
  uint64_t v = 0;
  FUZZ_CHECK(n == 0 || h != NULL, "%zu headers but no array", n);
  for (i = 0; i < n; i++) {
    h11c_slice name = h[i].name, raw = h[i].raw_name, val = h[i].value;
    FUZZ_CHECK(name.len > 0 && name.base, "header %zu has an empty name", i);
    FUZZ_CHECK(raw.len == name.len && raw.base,
               "header %zu: raw_name length %zu != name length %zu", i, raw.len,
               name.len);
    for (j = 0; j < name.len; j++) {
      FUZZ_CHECK(fz_is_tchar(raw.base[j]),
                 "header %zu: name byte 0x%02x is not a tchar", i, raw.base[j]);
      FUZZ_CHECK(name.base[j] == lower(raw.base[j]),
                 "header %zu: name is not the lower-cased raw_name", i);
    }
    FUZZ_CHECK(val.len == 0 || val.base, "header %zu: NULL value", i);
    if (val.len) {
      FUZZ_CHECK(!fz_is_ows(val.base[0]) && !fz_is_ows(val.base[val.len - 1]),
                 "header %zu: value keeps surrounding whitespace", i);
    }
    for (j = 0; j < val.len; j++)
      FUZZ_CHECK(!fz_is_value_bad(val.base[j]),
                 "header %zu: value byte 0x%02x is not allowed", i,
                 val.base[j]);
    if (fz_slice_ieq(name, "content-length")) {
      ncl++;
      FUZZ_CHECK(val.len >= 1 && val.len <= 20,
                 "Content-Length value of %zu bytes", val.len);
      v = 0;
      for (j = 0; j < val.len; j++) {
        unsigned d = (unsigned)(val.base[j] - '0');
        FUZZ_CHECK(d <= 9, "Content-Length is not normalised to digits");
        FUZZ_CHECK(v <= (UINT64_MAX - d) / 10,
                   "Content-Length above 2^64-1 was accepted");
        v = v * 10 + d;
      }
    } else if (fz_slice_ieq(name, "transfer-encoding")) {
      nte++;
      FUZZ_CHECK(fz_slice_eq_str(val, "chunked"),
                 "Transfer-Encoding other than \"chunked\" was accepted");
    }
  }
  FUZZ_CHECK(ncl <= 1, "%zu Content-Length fields after normalisation", ncl);
  FUZZ_CHECK(nte <= 1, "%zu Transfer-Encoding fields accepted", nte);
  if (has_cl)
    *has_cl = ncl == 1;
  if (cl)
    *cl = ncl ? v : 0;
  if (has_te)
    *has_te = nte == 1;
}

static void check_version(h11c_slice v) {
  FUZZ_CHECK(v.len == 3 && v.base[0] >= '0' && v.base[0] <= '9' &&
                 v.base[1] == '.' && v.base[2] >= '0' && v.base[2] <= '9',
             "http_version is not <digit>.<digit>");
}

void fz_check_head(const h11c_event *ev) {
  size_t i;
  check_version(ev->http_version);
  if (ev->type == H11C_EV_REQUEST) {
    FUZZ_CHECK(ev->method.len > 0, "empty method");
    for (i = 0; i < ev->method.len; i++)
      FUZZ_CHECK(fz_is_tchar(ev->method.base[i]), "method byte 0x%02x",
                 ev->method.base[i]);
    FUZZ_CHECK(ev->target.len > 0, "empty target");
    for (i = 0; i < ev->target.len; i++)
      FUZZ_CHECK(fz_is_vchar(ev->target.base[i]), "target byte 0x%02x",
                 ev->target.base[i]);
    FUZZ_CHECK(fz_count(ev->headers, ev->nheaders, "host") <= 1,
               "a request with several Host fields was accepted");
    if (fz_slice_eq_str(ev->http_version, "1.1"))
      FUZZ_CHECK(fz_count(ev->headers, ev->nheaders, "host") == 1,
                 "an HTTP/1.1 request without Host was accepted");
  } else {
    if (ev->type == H11C_EV_INFORMATIONAL_RESPONSE)
      FUZZ_CHECK(ev->status_code >= 100 && ev->status_code <= 199,
                 "informational status %d", ev->status_code);
    else
      FUZZ_CHECK(ev->status_code >= 200 && ev->status_code <= 999,
                 "final status %d", ev->status_code);
    for (i = 0; i < ev->reason.len; i++)
      FUZZ_CHECK(!fz_is_value_bad(ev->reason.base[i]),
                 "reason byte 0x%02x was accepted", ev->reason.base[i]);
  }
  fz_check_fields(ev->headers, ev->nheaders, NULL, NULL, NULL);
}

static bool state_valid(h11c_state s) {
  return (unsigned)s <= (unsigned)H11C_ERROR;
}

void fz_check_states(const h11c_conn *conn) {
  h11c_state c = h11c_conn_state(conn, H11C_CLIENT);
  h11c_state s = h11c_conn_state(conn, H11C_SERVER);
  h11c_role our = h11c_conn_our_role(conn);
  FUZZ_CHECK(state_valid(c) && state_valid(s), "invalid state %d/%d", (int)c,
             (int)s);
  FUZZ_CHECK(c != H11C_SEND_RESPONSE, "client in SEND_RESPONSE");
  FUZZ_CHECK(s != H11C_MIGHT_SWITCH_PROTOCOL,
             "server in MIGHT_SWITCH_PROTOCOL");
  FUZZ_CHECK(h11c_conn_our_state(conn) == (our == H11C_CLIENT ? c : s),
             "our_state disagrees with state(our_role)");
  FUZZ_CHECK(h11c_conn_their_state(conn) == (our == H11C_CLIENT ? s : c),
             "their_state disagrees with state(their_role)");
  /* The server leaves IDLE only because of a request or its own
     response; a client that has not sent anything keeps it idle. */
  if (c == H11C_IDLE)
    FUZZ_CHECK(s == H11C_IDLE || s == H11C_SEND_BODY || s == H11C_DONE ||
                   s == H11C_MUST_CLOSE || s == H11C_CLOSED || s == H11C_ERROR,
               "client IDLE with server %s", h11c_state_name(s));
  /* Joint states h11's state-triggered transitions rule out. */
  FUZZ_CHECK(!(c == H11C_MIGHT_SWITCH_PROTOCOL && s == H11C_SWITCHED_PROTOCOL),
             "client MIGHT_SWITCH_PROTOCOL with server SWITCHED_PROTOCOL");
  FUZZ_CHECK(!(c == H11C_CLOSED && (s == H11C_DONE || s == H11C_IDLE)),
             "client CLOSED with server %s", h11c_state_name(s));
  FUZZ_CHECK(!(s == H11C_CLOSED && (c == H11C_DONE || c == H11C_IDLE)),
             "server CLOSED with client %s", h11c_state_name(c));
  FUZZ_CHECK(!(c == H11C_ERROR && s == H11C_DONE),
             "client ERROR with server DONE");
  FUZZ_CHECK(!(s == H11C_ERROR && c == H11C_DONE),
             "server ERROR with client DONE");
  if (!h11c_conn_keep_alive(conn))
    FUZZ_CHECK(c != H11C_DONE && s != H11C_DONE,
               "keep-alive is off but a side is DONE");
  if (h11c_conn_they_are_waiting_for_100_continue(conn))
    FUZZ_CHECK(our == H11C_SERVER &&
                   h11c_conn_client_is_waiting_for_100_continue(conn),
               "they_are_waiting_for_100_continue inconsistent");
}

static unsigned touch(h11c_slice s) {
  unsigned acc = 0;
  size_t i;
  for (i = 0; i < s.len; i++)
    acc = acc * 31 + s.base[i];
  return acc;
}

unsigned fz_touch_event(const h11c_event *ev) {
  unsigned acc = touch(ev->method) ^ touch(ev->target) ^ touch(ev->reason) ^
                 touch(ev->http_version) ^ touch(ev->data) ^
                 touch(ev->chunk_ext);
  size_t i;
  for (i = 0; i < ev->nheaders; i++)
    acc ^= touch(ev->headers[i].name) ^ touch(ev->headers[i].raw_name) ^
           touch(ev->headers[i].value);
  return acc;
}
