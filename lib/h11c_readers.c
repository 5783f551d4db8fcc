/*
 * readers: bytes in the receive buffer become events (h11's _readers).
 *
 * Theory of operation: a head (start line and header section) is read only
 * once the whole block up to the first blank line ("\n\r?\n", so a bare LF
 * ends lines as h11 allows) is in the buffer; it is then consumed and
 * parsed in place.  obs-fold continuation lines are joined into the line
 * before them inside the buffer (the joined line is never longer than the
 * original bytes), and lower-cased names are copied to the reader's names. Body
 * readers hand out views of the buffer without copying.
 *
 * Errors are reported exactly when h11 reports them: a head is judged only
 * once complete (except for a first byte that no start line can begin
 * with), a chunk-size line only once its CRLF arrived, and the CRLF after
 * chunk data byte by byte.  An event whose end could not be seen within
 * max_incomplete_event_size bytes is refused (431) whether or not it
 * arrived in one piece, so that the result never depends on how the input
 * was split.
 */
#include "h11c_readers.h"

#include "h11c_abnf.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(H11C_NO_SIMD)
#include <emmintrin.h>
#endif

/* h11's chunk_size is HEXDIG{1,20}. */
#define CHUNK_SIZE_MAX_DIGITS 20

static h11c__read_result fail_with(h11c__reader *r, h11c__result res) {
  r->err = res;
  return H11C__READ_ERROR;
}

/* A violation with h11's default status hint, 400. */
static h11c__read_result fail(h11c__reader *r, h11c_reason reason) {
  return fail_with(r, H11C__BAD(reason));
}

/* The event's bytes exceed what may be buffered for one event.  len counts
 * the event including the byte that completed it; h11 refuses when, with
 * that byte still missing, more than the limit is buffered. */
static bool too_long(const h11c__reader *r, size_t len) {
  return len - 1 > r->max_event;
}

/* The index of the first byte at or after i in p[0, n) that is at most
 * 0x0d, or n.  Those are the bytes that can end a field line (LF, CR) or
 * spoil a value (NUL, VT, FF); HTAB and 0x01-0x08, also found, are
 * allowed in a value.  SSE2 looks at 16 bytes at a time; without it (or
 * with H11C_NO_SIMD) 8 bytes at a time are tested as one 64-bit word. */
static inline size_t find_ctl(const uint8_t *p, size_t i, size_t n) {
#if defined(__SSE2__) && !defined(H11C_NO_SIMD)
  const __m128i lim = _mm_set1_epi8(0x0d);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    unsigned m =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, lim), x));
    if (m)
      return i + (size_t)__builtin_ctz(m);
  }
#else
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, p + i, 8);
    /* Some byte is below 0x0e: find it below. */
    if (((x - ones * 0x0e) & ~x & highs) != 0)
      break;
  }
#endif
  for (; i < n; i++)
    if (p[i] <= 0x0d)
      return i;
  return n;
}

/* Lower-cases the field name at p[i, n) into out[i, ...) as far as it is
 * made of letters, digits and '-' (what nearly every name is made of), 16
 * bytes at a time with SSE2, and returns where that run ends; the caller
 * goes on byte by byte from there with the full token table.  out must
 * have room for n bytes.  Without SSE2 (or with H11C_NO_SIMD) it returns
 * i. */
static inline size_t lower_name_run(const uint8_t *p, size_t i, size_t n,
                                    uint8_t *out) {
#if defined(__SSE2__) && !defined(H11C_NO_SIMD)
  const __m128i a1 = _mm_set1_epi8('A' - 1), z1 = _mm_set1_epi8('Z' + 1);
  const __m128i la1 = _mm_set1_epi8('a' - 1), lz1 = _mm_set1_epi8('z' + 1);
  const __m128i d1 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
  const __m128i dash = _mm_set1_epi8('-'), bit = _mm_set1_epi8(0x20);
  for (; i + 16 <= n; i += 16) {
    /* Bytes above 0x7f are negative in these signed compares: in no
       range. */
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    __m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, a1), _mm_cmpgt_epi8(z1, x));
    __m128i l = _mm_or_si128(x, _mm_and_si128(up, bit));
    __m128i ok = _mm_or_si128(
        _mm_or_si128(
            _mm_and_si128(_mm_cmpgt_epi8(l, la1), _mm_cmpgt_epi8(lz1, l)),
            _mm_and_si128(_mm_cmpgt_epi8(x, d1), _mm_cmpgt_epi8(d9, x))),
        _mm_cmpeq_epi8(x, dash));
    unsigned m = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
    _mm_storeu_si128((__m128i *)(void *)(out + i), l);
    if (m)
      return i + (size_t)__builtin_ctz(m);
  }
#else
  (void)p;
  (void)n;
  (void)out;
#endif
  return i;
}

/* Whether a field value (OWS already stripped) holds no byte h11 refuses
 * in one: NUL, LF, VT, FF, CR. */
static bool value_ok(const uint8_t *p, size_t n) {
  size_t i = 0;
  while ((i = find_ctl(p, i, n)) < n) {
    if (h11c__is(p[i], H11C__VALUE_BAD))
      return false;
    i++;
  }
  return true;
}

/* Appends the field name = line[0, n), value = line[vs, ve) to
 * r->hdrs.v; the lower-cased name is already at the end of r->names. */
static inline h11c__read_result push_header(h11c__reader *r,
                                            const uint8_t *line, size_t n,
                                            size_t vs, size_t ve, size_t *pn) {
  h11c_header *h;
  if (*pn >= r->hdrs.cap &&
      h11c__fields_reserve(&r->hdrs, r->mem, *pn + 1) != 0)
    return fail(r, H11C_REASON_NOMEM);
  h = &r->hdrs.v[(*pn)++];
  h->name.base = r->names.data + r->names.len;
  h->name.len = n;
  h->raw_name.base = line;
  h->raw_name.len = n;
  h->value.base = line + vs;
  h->value.len = ve - vs;
  r->names.len += n;
  return H11C__READ_EVENT;
}

/* Parses one logical header line "name:OWS value OWS" (h11's
 * header_field) and appends it to r->hdrs.v. */
static h11c__read_result add_header(h11c__reader *r, uint8_t *line, size_t len,
                                    size_t *pn) {
  size_t n = 0, vs, ve;
  /* r->names was reserved for the whole block: no reallocation here.
     The name is lower-cased into it while it is scanned. */
  uint8_t *lname = r->names.data + r->names.len;
  while (n < len) {
    uint8_t l = h11c__token_lower[line[n]];
    if (!l)
      break;
    lname[n++] = l;
  }
  if (n == 0 || n == len || line[n] != ':')
    return fail(r, H11C_REASON_BAD_HEADER_LINE);
  vs = n + 1;
  ve = len;
  while (vs < ve && h11c__is(line[vs], H11C__OWS))
    vs++;
  while (ve > vs && h11c__is(line[ve - 1], H11C__OWS))
    ve--;
  if (!value_ok(line + vs, ve - vs))
    return fail(r, H11C_REASON_BAD_HEADER_LINE);
  return push_header(r, line, n, vs, ve, pn);
}

/* The common case of parse_fields(): one pass over block[0, len) that
 * finds each line's end while it checks the value.  Returns
 * H11C__READ_NONE, having parsed nothing, if a line starts with SP or
 * HTAB (obs-fold, or a continuation at the start): parse_fields() then
 * takes the block.  Any other error is the one parse_fields() would
 * report for the block, since it lies within one line. */
static h11c__read_result parse_plain_fields(h11c__reader *r,
                                            const uint8_t *block, size_t len,
                                            size_t *pn) {
  size_t pos = 0;
  for (;;) {
    const uint8_t *line = block + pos;
    uint8_t *lname = r->names.data + r->names.len;
    size_t n = 0, vs, ve, j;
    if (line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
      return H11C__READ_EVENT; /* the blank line */
    if (h11c__is(line[0], H11C__OWS))
      return H11C__READ_NONE;
    /* The common bytes of a name 16 at a time; then add_header()'s name
       loop without its bound check (sharing one bounded loop cost about 12
       instructions a field): the block's final LF stops it.  The names
       buffer holds len bytes and the names so far are no longer than the
       lines so far, so the 16-byte stores fit. */
    n = lower_name_run(line, 0, len - pos, lname);
    for (;;) {
      uint8_t l = h11c__token_lower[line[n]];
      if (!l)
        break;
      lname[n++] = l;
    }
    if (n == 0 || line[n] != ':')
      return fail(r, H11C_REASON_BAD_HEADER_LINE);
    vs = n + 1;
    while (h11c__is(line[vs], H11C__OWS))
      vs++;
    j = vs;
    for (;;) {
      uint8_t c;
      j = find_ctl(block, pos + j, len) - pos;
      if (pos + j >= len) /* cannot happen: the block ends with LF */
        return fail(r, H11C_REASON_BAD_HEADER_LINE);
      c = line[j];
      if (c == '\n' || (c == '\r' && line[j + 1] == '\n'))
        break;
      /* A CR not before LF, NUL, VT or FF; HTAB and 0x01-0x08 are
         allowed. */
      if (h11c__is(c, H11C__VALUE_BAD))
        return fail(r, H11C_REASON_BAD_HEADER_LINE);
      j++;
    }
    ve = j;
    while (ve > vs && h11c__is(line[ve - 1], H11C__OWS))
      ve--;
    pos += j + (line[j] == '\r' ? 2 : 1);
    if (h11c__is(block[pos], H11C__OWS))
      return H11C__READ_NONE; /* an obs-fold continues this field */
    if (push_header(r, line, n, vs, ve, pn) != H11C__READ_EVENT)
      return H11C__READ_ERROR;
  }
}

/* Splits the header lines of block[0, len) (which ends with the blank
 * line), joins obs-fold continuations in place and parses each field.
 * Returns the number of fields in *pn. */
static h11c__read_result parse_fields(h11c__reader *r, uint8_t *block,
                                      size_t len, size_t *pn) {
  size_t pos = 0;
  uint8_t *cur = NULL; /* the logical line being built */
  size_t curlen = 0;
  h11c__read_result res;
  *pn = 0;
  r->names.len = 0;
  if (h11c__bytes_reserve(&r->names, r->mem, len ? len : 1) != 0)
    return fail(r, H11C_REASON_NOMEM);
  res = parse_plain_fields(r, block, len, pn);
  if (res != H11C__READ_NONE)
    return res;
  /* obs-fold: start again, joining lines. */
  *pn = 0;
  r->names.len = 0;
  for (;;) {
    uint8_t *ls = block + pos;
    const uint8_t *lf = memchr(ls, '\n', len - pos);
    size_t ll = (size_t)(lf - ls);
    pos += ll + 1;
    if (ll && ls[ll - 1] == '\r')
      ll--;
    if (ll == 0)
      break; /* the blank line */
    if (h11c__is(ls[0], H11C__OWS)) {
      /* obs-fold (RFC 9112 §5.2): h11 appends " " and the continuation
         without its leading whitespace to the previous line as it is. */
      size_t k = 0;
      if (!cur)
        return fail(r, H11C_REASON_CONTINUATION_AT_START);
      if (r->rb.borrowed && block != r->fold.data) {
        /* The caller's bytes are never written: start again on a copy. */
        r->fold.len = 0;
        if (h11c__bytes_append(&r->fold, r->mem, block, len) != 0)
          return fail(r, H11C_REASON_NOMEM);
        block = r->fold.data;
        pos = 0;
        cur = NULL;
        *pn = 0;
        r->names.len = 0;
        continue;
      }
      while (k < ll && h11c__is(ls[k], H11C__OWS))
        k++;
      cur[curlen] = ' ';
      memmove(cur + curlen + 1, ls + k, ll - k);
      curlen += 1 + ll - k;
      continue;
    }
    if (cur && add_header(r, cur, curlen, pn) != H11C__READ_EVENT)
      return H11C__READ_ERROR;
    cur = ls;
    curlen = ll;
  }
  if (cur && add_header(r, cur, curlen, pn) != H11C__READ_EVENT)
    return H11C__READ_ERROR;
  return H11C__READ_EVENT;
}

static bool parse_version(const uint8_t *p, h11c_slice *pv) {
  if (memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9' || p[6] != '.' ||
      p[7] < '0' || p[7] > '9')
    return false;
  pv->base = p + 5;
  pv->len = 3;
  return true;
}

/* The index of the first byte at or after i in p[0, n) that is not a
 * VCHAR (%x21-7E), or n: 16 bytes at a time with SSE2, then one by one. */
static inline size_t vchar_span(const uint8_t *p, size_t i, size_t n) {
#if defined(__SSE2__) && !defined(H11C_NO_SIMD)
  const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
  for (; i + 16 <= n; i += 16) {
    /* Signed compares: bytes above 0x7f are negative, so not above SP. */
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, sp), _mm_cmplt_epi8(x, del));
    unsigned m = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
    if (m)
      return i + (size_t)__builtin_ctz(m);
  }
#endif
  while (i < n && h11c__is(p[i], H11C__VCHAR))
    i++;
  return i;
}

/* request-line = method SP request-target SP HTTP-version, with h11's
 * request_target = VCHAR+. */
static bool parse_request_line(const uint8_t *p, size_t len, h11c_event *ev) {
  size_t i = 0, t;
  while (i < len && h11c__is(p[i], H11C__TCHAR))
    i++;
  if (i == 0 || i == len || p[i] != ' ')
    return false;
  ev->method.base = p;
  ev->method.len = i;
  t = ++i;
  i = vchar_span(p, i, len);
  if (i == t || i == len || p[i] != ' ')
    return false;
  ev->target.base = p + t;
  ev->target.len = i - t;
  i++;
  return len - i == 8 && parse_version(p + i, &ev->http_version);
}

/* status-line = HTTP-version SP 3DIGIT [SP reason-phrase]; h11 allows the
 * reason (and its SP) to be missing, and any byte in it but NUL, LF, VT,
 * FF and CR. */
static bool parse_status_line(const uint8_t *p, size_t len, h11c_event *ev) {
  size_t i;
  if (len < 12 || !parse_version(p, &ev->http_version) || p[8] != ' ')
    return false;
  for (i = 9; i < 12; i++)
    if (p[i] < '0' || p[i] > '9')
      return false;
  ev->status_code = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  ev->reason.base = p + 12;
  ev->reason.len = 0;
  if (len == 12)
    return true;
  if (p[12] != ' ' || !value_ok(p + 13, len - 13))
    return false;
  ev->reason.base = p + 13;
  ev->reason.len = len - 13;
  return true;
}

/* Finds and consumes a complete block up to the first blank line (a head
 * or a trailer section), refusing one longer than the event limit.
 * Returns H11C__READ_EVENT with its length in *pblen. */
static h11c__read_result take_block(h11c__reader *r, size_t *pblen) {
  size_t blen = h11c__rbuf_find_blank_line(&r->rb);
  if (blen == 0)
    return H11C__READ_NONE;
  if (too_long(r, blen))
    return fail_with(r, h11c__result_of(H11C_REASON_BUFFER_TOO_LONG, 431));
  h11c__rbuf_consume(&r->rb, blen);
  *pblen = blen;
  return H11C__READ_EVENT;
}

/* h11's maybe_read_from_IDLE_client and
 * maybe_read_from_SEND_RESPONSE_server. */
static h11c__read_result read_head(h11c__reader *r, h11c_event *ev,
                                   h11c__framing_info *fi, bool request) {
  h11c__rbuf *rb = &r->rb;
  uint8_t *p = h11c__rbuf_ptr(rb);
  size_t len = h11c__rbuf_len(rb), blen = 0, ll, n;
  h11c__read_result res;
  h11c_reason none =
      request ? H11C_REASON_NO_REQUEST_LINE : H11C_REASON_NO_RESPONSE_LINE;
  if (len >= 1 && p[0] == '\n') {
    h11c__rbuf_consume(rb, 1);
    return fail(r, none);
  }
  if (len >= 2 && p[0] == '\r' && p[1] == '\n') {
    h11c__rbuf_consume(rb, 2);
    return fail(r, none);
  }
  /* No start line can begin with a control byte or SP: h11 refuses such a
     head before it is complete, so refuse it whatever its length. */
  if (len > 0 && p[0] < 0x21)
    return fail(r, request ? H11C_REASON_BAD_REQUEST_LINE
                           : H11C_REASON_BAD_STATUS_LINE);
  res = take_block(r, &blen);
  if (res != H11C__READ_EVENT)
    return res;
  h11c__rbuf_presize(rb, r->mem,
                     blen > H11C__PRESIZE_MAX
                         ? H11C__PRESIZE_MAX
                         : blen +
                               (blen > H11C__PULL_MIN ? blen : H11C__PULL_MIN));

  ll = (size_t)((const uint8_t *)memchr(p, '\n', blen) - p);
  n = ll + 1;
  if (ll && p[ll - 1] == '\r')
    ll--;
  memset(ev, 0, sizeof(*ev));
  if (request) {
    if (!parse_request_line(p, ll, ev))
      return fail(r, H11C_REASON_BAD_REQUEST_LINE);
  } else if (!parse_status_line(p, ll, ev)) {
    return fail(r, H11C_REASON_BAD_STATUS_LINE);
  }
  if (parse_fields(r, p + n, blen - n, &ev->nheaders) != H11C__READ_EVENT)
    return H11C__READ_ERROR;
  {
    h11c__result res2 = h11c__headers_check(
        r->hdrs.v, ev->nheaders,
        H11C__HDRS_LOWER_NAMES | (request ? H11C__HDRS_REQUEST : 0u), r->hdrs.v,
        &ev->nheaders, fi);
    if (res2.reason != H11C_REASON_NONE)
      return fail_with(r, res2);
  }
  ev->headers = r->hdrs.v;
  if (request) {
    /* RFC 9112 §3.2 (h11 checks version "1.1" exactly). */
    size_t hosts = fi->hosts;
    if (hosts == 0 && h11c__version_is_11(ev->http_version))
      return fail(r, H11C_REASON_MISSING_HOST);
    if (hosts > 1)
      return fail(r, H11C_REASON_MULTIPLE_HOST);
    ev->type = H11C_EV_REQUEST;
  } else if (ev->status_code < 200) {
    if (ev->status_code < 100)
      return fail(r, H11C_REASON_BAD_STATUS_CODE);
    ev->type = H11C_EV_INFORMATIONAL_RESPONSE;
  } else {
    ev->type = H11C_EV_RESPONSE;
  }
  return H11C__READ_EVENT;
}

h11c__read_result h11c__read_head(h11c__reader *r, bool request, h11c_event *ev,
                                  h11c__framing_info *fi) {
  /* Two copies, each with the role known. */
  return request ? read_head(r, ev, fi, true) : read_head(r, ev, fi, false);
}

static void data_event(h11c__reader *r, h11c_event *ev, size_t n) {
  memset(ev, 0, sizeof(*ev));
  ev->type = H11C_EV_DATA;
  ev->data.base = h11c__rbuf_ptr(&r->rb);
  ev->data.len = n;
  h11c__rbuf_consume(&r->rb, n);
}

static void eom_event(h11c_event *ev) {
  memset(ev, 0, sizeof(*ev));
  ev->type = H11C_EV_END_OF_MESSAGE;
}

/* chunk-size line: h11's HEXDIG{1,20} (";" any)? OWS CRLF, with the size
 * limited to 64 bits and no bare CR in the extension (RFC 9112 §2.2). */
static h11c__read_result read_chunk_size(h11c__reader *r, size_t linelen) {
  h11c__rbody *b = &r->body;
  const uint8_t *p = h11c__rbuf_ptr(&r->rb);
  size_t end = linelen - 2, i = 0, k;
  uint64_t size = 0;
  while (i < end && h11c__is(p[i], H11C__HEX)) {
    unsigned c = p[i];
    unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (size >> 60)
      return fail(r, H11C_REASON_BAD_CHUNK_HEADER);
    size = size << 4 | d;
    i++;
  }
  if (i == 0 || i > CHUNK_SIZE_MAX_DIGITS)
    return fail(r, H11C_REASON_BAD_CHUNK_HEADER);
  r->chunk_ext.len = 0;
  if (i < end && p[i] == ';') {
    size_t e = end;
    for (k = i; k < end; k++)
      if (p[k] == '\n' || p[k] == '\r')
        return fail(r, H11C_REASON_BAD_CHUNK_HEADER);
    while (e > i && h11c__is(p[e - 1], H11C__OWS))
      e--;
    if (r->chunk_exts &&
        h11c__bytes_append(&r->chunk_ext, r->mem, p + i, e - i) != 0)
      return fail(r, H11C_REASON_NOMEM);
  } else {
    for (k = i; k < end; k++)
      if (!h11c__is(p[k], H11C__OWS))
        return fail(r, H11C_REASON_BAD_CHUNK_HEADER);
  }
  h11c__rbuf_consume(&r->rb, linelen);
  if (size == 0) {
    b->chunk_state = H11C__CHUNK_TRAILER;
  } else {
    b->remaining = size;
    b->chunk_state = H11C__CHUNK_DATA;
    b->chunk_start_pending = true;
  }
  return H11C__READ_EVENT;
}

static h11c__read_result read_trailer(h11c__reader *r, h11c_event *ev) {
  h11c__rbuf *rb = &r->rb;
  uint8_t *p = h11c__rbuf_ptr(rb);
  size_t len = h11c__rbuf_len(rb), blen = 0, n;
  h11c__read_result res;
  h11c__result res2;
  h11c__framing_info fi;
  if (len >= 1 && p[0] == '\n') {
    h11c__rbuf_consume(rb, 1);
    eom_event(ev);
    return H11C__READ_EVENT;
  }
  if (len >= 2 && p[0] == '\r' && p[1] == '\n') {
    h11c__rbuf_consume(rb, 2);
    eom_event(ev);
    return H11C__READ_EVENT;
  }
  res = take_block(r, &blen);
  if (res != H11C__READ_EVENT)
    return res;
  if (parse_fields(r, p, blen, &n) != H11C__READ_EVENT)
    return H11C__READ_ERROR;
  /* The framing fields of a trailer section change nothing, but their
     rules still apply. */
  res2 = h11c__headers_check(r->hdrs.v, n, H11C__HDRS_LOWER_NAMES, r->hdrs.v,
                             &n, &fi);
  if (res2.reason != H11C_REASON_NONE)
    return fail_with(r, res2);
  eom_event(ev);
  ev->headers = r->hdrs.v;
  ev->nheaders = n;
  return H11C__READ_EVENT;
}

/* The length of a chunk-size line that is nothing but hex digits and
 * CRLF (the common case), found without a search; 0 for any other line,
 * which h11c__rbuf_find_crlf() then finds. */
static size_t plain_size_line(const h11c__rbuf *rb) {
  const uint8_t *p = h11c__rbuf_ptr(rb);
  size_t len = h11c__rbuf_len(rb), i = 0;
  while (i < len && i <= 16 && h11c__is(p[i], H11C__HEX))
    i++;
  if (i > 0 && i + 1 < len && p[i] == '\r' && p[i + 1] == '\n')
    return i + 2;
  return 0;
}

static h11c__read_result read_chunked(h11c__reader *r, h11c_event *ev) {
  h11c__rbody *b = &r->body;
  h11c__rbuf *rb = &r->rb;
  for (;;) {
    size_t len = h11c__rbuf_len(rb);
    switch (b->chunk_state) {
    case H11C__CHUNK_CRLF: {
      /* h11 0.16 checks the bytes after chunk data against CRLF. */
      const uint8_t *p = h11c__rbuf_ptr(rb);
      size_t k = 0;
      if (len == 0)
        return H11C__READ_NONE;
      while (k < len && b->crlf_seen < 2) {
        if (p[k] != "\r\n"[b->crlf_seen])
          return fail(r, H11C_REASON_BAD_CHUNK_FOOTER);
        b->crlf_seen++;
        k++;
      }
      h11c__rbuf_consume(rb, k);
      if (b->crlf_seen < 2)
        return H11C__READ_NONE;
      b->chunk_state = H11C__CHUNK_SIZE;
      break;
    }
    case H11C__CHUNK_SIZE: {
      size_t linelen = plain_size_line(rb);
      if (linelen == 0)
        linelen = h11c__rbuf_find_crlf(rb);
      if (linelen == 0)
        return H11C__READ_NONE;
      if (too_long(r, linelen))
        return fail_with(r, h11c__result_of(H11C_REASON_BUFFER_TOO_LONG, 431));
      if (read_chunk_size(r, linelen) != H11C__READ_EVENT)
        return H11C__READ_ERROR;
      break;
    }
    case H11C__CHUNK_DATA: {
      size_t n;
      h11c__rbuf_settle(rb);
      n = len = h11c__rbuf_len(rb);
      if (n == 0)
        return H11C__READ_NONE;
      if (n > b->remaining)
        n = (size_t)b->remaining;
      data_event(r, ev, n);
      b->remaining -= n;
      ev->chunk_start = b->chunk_start_pending;
      if (b->chunk_start_pending && r->chunk_ext.len) {
        ev->chunk_ext.base = r->chunk_ext.data;
        ev->chunk_ext.len = r->chunk_ext.len;
      }
      b->chunk_start_pending = false;
      if (b->remaining == 0) {
        ev->chunk_end = true;
        b->chunk_state = H11C__CHUNK_CRLF;
        b->crlf_seen = 0;
      }
      return H11C__READ_EVENT;
    }
    case H11C__CHUNK_TRAILER:
      return read_trailer(r, ev);
    }
  }
}

h11c__read_result h11c__read_body(h11c__reader *r, h11c_event *ev) {
  h11c__rbody *b = &r->body;
  size_t len;
  /* Body bytes that came with the end of a head copied from two
     deliveries are handed out from the caller's buffer. */
  h11c__rbuf_settle(&r->rb);
  len = h11c__rbuf_len(&r->rb);
  switch (b->framing) {
  case H11C__FRAMING_LENGTH:
    if (b->remaining == 0) {
      eom_event(ev);
      return H11C__READ_EVENT;
    }
    if (len == 0)
      return H11C__READ_NONE;
    if (len > b->remaining)
      len = (size_t)b->remaining;
    data_event(r, ev, len);
    b->remaining -= len;
    return H11C__READ_EVENT;
  case H11C__FRAMING_CHUNKED:
    return read_chunked(r, ev);
  case H11C__FRAMING_CLOSE:
    if (len == 0)
      return H11C__READ_NONE;
    data_event(r, ev, len);
    return H11C__READ_EVENT;
  case H11C__FRAMING_NONE:
  default:
    break;
  }
  return H11C__READ_NONE;
}

h11c__read_result h11c__read_body_eof(h11c__reader *r, h11c_event *ev) {
  if (r->body.framing == H11C__FRAMING_CLOSE) {
    eom_event(ev);
    return H11C__READ_EVENT;
  }
  return fail(r, H11C_REASON_INCOMPLETE_BODY);
}

void h11c__reader_init(h11c__reader *r, const h11c_mem *mem, size_t max_event,
                       bool chunk_exts) {
  memset(r, 0, sizeof(*r));
  r->mem = mem;
  r->max_event = max_event;
  r->chunk_exts = chunk_exts;
}

void h11c__reader_free(h11c__reader *r) {
  h11c__rbuf_free(&r->rb, r->mem);
  h11c__fields_free(&r->hdrs, r->mem);
  h11c__bytes_free(&r->names, r->mem);
  h11c__bytes_free(&r->fold, r->mem);
  h11c__bytes_free(&r->chunk_ext, r->mem);
}

void h11c__reader_start_body(h11c__reader *r, h11c__framing framing,
                             uint64_t length) {
  memset(&r->body, 0, sizeof(r->body));
  r->body.framing = framing;
  r->body.remaining = length;
  r->body.length = length;
}
