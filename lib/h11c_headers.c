/*
 * Header rules (h11's _headers): the Content-Length and Transfer-Encoding
 * checks of normalize_and_validate, and get_comma_header.
 */
#include "h11c_int.h"

#include <string.h>

/* h11 caps Content-Length at 20 digits (CONTENT_LENGTH_MAX_DIGITS, 0.15);
 * h11c also refuses any value above 2^64 - 1 (RFC 9112 §6.3 item 5: an
 * invalid length is unrecoverable; h11 uses big integers). */
#define CONTENT_LENGTH_MAX_DIGITS 20

bool h11c__parse_u64_dec(h11c_slice s, uint64_t *pv) {
  uint64_t v = 0;
  size_t i;
  for (i = 0; i < s.len; i++) {
    unsigned d = (unsigned)(s.base[i] - '0');
    if (v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  *pv = v;
  return true;
}

bool h11c__valid_name(h11c_slice name) {
  size_t i;
  if (name.len == 0)
    return false;
  for (i = 0; i < name.len; i++)
    if (!h11c__is(name.base[i], H11C__TCHAR))
      return false;
  return true;
}

bool h11c__valid_value(h11c_slice value) {
  size_t i;
  if (value.len == 0)
    return true;
  if (h11c__is(value.base[0], H11C__OWS) ||
      h11c__is(value.base[value.len - 1], H11C__OWS))
    return false;
  for (i = 0; i < value.len; i++)
    if (h11c__is(value.base[i], H11C__VALUE_BAD))
      return false;
  return true;
}

static h11c_slice strip_ows(h11c_slice s) {
  while (s.len && h11c__is(s.base[0], H11C__OWS)) {
    s.base++;
    s.len--;
  }
  while (s.len && h11c__is(s.base[s.len - 1], H11C__OWS))
    s.len--;
  return s;
}

static bool slice_eq(h11c_slice a, h11c_slice b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

/* Splits a Content-Length value on ',' and checks that all elements are
 * equal (h11 compares the stripped strings, so "5, 05" conflicts). */
static h11c_reason content_length_value(h11c_slice value, h11c_slice *pone) {
  h11c_slice first = {NULL, 0};
  size_t i = 0, n = 0;
  for (;;) {
    size_t j = i;
    h11c_slice el;
    while (j < value.len && value.base[j] != ',')
      j++;
    el.base = value.base + i;
    el.len = j - i;
    el = strip_ows(el);
    if (n++ == 0)
      first = el;
    else if (!slice_eq(first, el))
      return H11C_REASON_CONFLICTING_CONTENT_LENGTH;
    if (j == value.len)
      break;
    i = j + 1;
  }
  if (first.len == 0 || first.len > CONTENT_LENGTH_MAX_DIGITS)
    return H11C_REASON_BAD_CONTENT_LENGTH;
  for (i = 0; i < first.len; i++)
    if (first.base[i] < '0' || first.base[i] > '9')
      return H11C_REASON_BAD_CONTENT_LENGTH;
  *pone = first;
  return H11C_REASON_NONE;
}

/* The last non-empty comma element of a Transfer-Encoding value (empty
 * list elements are not codings, RFC 9110 §5.6.1). */
static h11c_slice last_coding(h11c_slice value) {
  size_t end = value.len;
  for (;;) {
    size_t i = end;
    h11c_slice s;
    while (i > 0 && value.base[i - 1] != ',')
      i--;
    s.base = value.base + i;
    s.len = end - i;
    s = strip_ows(s);
    if (s.len || i == 0)
      return s;
    end = i - 1;
  }
}

/* Notes "close" and "keep-alive" among the elements of a Connection
 * value (h11's get_comma_header: lower-cased, stripped). */
static void connection_tokens(h11c_slice v, h11c__framing_info *fi) {
  size_t a = 0;
  while (a < v.len) {
    const uint8_t *comma = memchr(v.base + a, ',', v.len - a);
    size_t b = comma ? (size_t)(comma - v.base) : v.len;
    h11c_slice el;
    el.base = v.base + a;
    el.len = b - a;
    el = strip_ows(el);
    if (H11C__IEQ(el, "close"))
      fi->connection_close = true;
    else if (H11C__IEQ(el, "keep-alive"))
      fi->connection_keep_alive = true;
    a = b + 1;
  }
}

/* Whether name (whose length is known to be that of lit) is lit: a plain
 * comparison where names are known to be lower-case. */
static inline bool name_is(h11c_slice name, bool lower, const char *lit,
                           size_t litlen) {
  return lower ? memcmp(name.base, lit, litlen) == 0
               : h11c__slice_ieq(name, lit, litlen);
}
#define NAME_IS(lit) name_is(name, lower_names, (lit), sizeof(lit) - 1)

h11c_reason h11c__headers_check(h11c_header *headers, size_t *pnheaders,
                                bool normalise, bool is_request,
                                bool lower_names, h11c__framing_info *fi,
                                int *pstatus) {
  size_t i, out = 0, n = *pnheaders;
  h11c_slice seen_cl = {NULL, 0};
  memset(fi, 0, sizeof(*fi));
  *pstatus = 400;
  for (i = 0; i < n; i++) {
    h11c_header *h = &headers[i];
    h11c_slice name = lower_names ? h->name : h11c__hdr_name(h);
    h11c_slice value = h->value;
    /* Dispatch on the length first: most fields are none of these. */
    switch (name.len) {
    case 4:
      if (NAME_IS("host"))
        fi->hosts++;
      break;
    case 6:
      if (NAME_IS("expect") && h11c__comma_list_has(value, "100-continue", 12))
        fi->expect_continue = true;
      break;
    case 7:
      if (NAME_IS("upgrade") && h11c__comma_list_has(value, NULL, 0))
        fi->upgrade = true;
      break;
    case 10:
      if (NAME_IS("connection"))
        connection_tokens(value, fi);
      break;
    case 14:
      if (NAME_IS("content-length")) {
        h11c_slice v;
        h11c_reason r = content_length_value(value, &v);
        if (r != H11C_REASON_NONE)
          return r;
        if (fi->has_content_length) {
          if (!slice_eq(seen_cl, v))
            return H11C_REASON_CONFLICTING_CONTENT_LENGTH;
          continue; /* h11 keeps only the first */
        }
        if (!h11c__parse_u64_dec(v, &fi->content_length))
          return H11C_REASON_BAD_CONTENT_LENGTH;
        fi->has_content_length = true;
        seen_cl = v;
        value = v;
      }
      break;
    case 17:
      if (NAME_IS("transfer-encoding")) {
        if (fi->has_transfer_encoding) {
          *pstatus = 501;
          return H11C_REASON_MULTIPLE_TRANSFER_ENCODING;
        }
        if (!H11C__IEQ(value, "chunked")) {
          /* RFC 9112 §6.1: a request whose final coding is not chunked
             MUST get 400; a coding we do not know gets h11's 501. */
          if (is_request && !H11C__IEQ(last_coding(value), "chunked")) {
            *pstatus = 400;
            return H11C_REASON_CHUNK_NOT_FINAL;
          }
          *pstatus = 501;
          return H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING;
        }
        /* h11 stores the lower-cased value, which can only be this. */
        value = H11C_LIT("chunked");
        fi->has_transfer_encoding = true;
      }
      break;
    default:
      break;
    }
    if (normalise) {
      if (out != i)
        headers[out] = *h;
      headers[out].value = value;
    }
    out++;
  }
  if (normalise)
    *pnheaders = out;
  return H11C_REASON_NONE;
}

bool h11c__comma_list_has(h11c_slice v, const char *token, size_t tokenlen) {
  size_t a = 0;
  while (a <= v.len) {
    const uint8_t *comma =
        a < v.len ? memchr(v.base + a, ',', v.len - a) : NULL;
    size_t b = comma ? (size_t)(comma - v.base) : v.len;
    h11c_slice el;
    el.base = v.base + a;
    el.len = b - a;
    el = strip_ows(el);
    if (el.len && (!token || h11c__slice_ieq(el, token, tokenlen)))
      return true;
    a = b + 1;
  }
  return false;
}
