/*
 * headers: field rules (h11's _headers): the Content-Length and
 * Transfer-Encoding checks of normalize_and_validate, and get_comma_header.
 */
#include "h11c_headers.h"

#include "h11c_abnf.h"

#include <string.h>

/* h11 caps Content-Length at 20 digits (CONTENT_LENGTH_MAX_DIGITS, 0.15);
 * h11c also refuses any value above 2^64 - 1 (RFC 9112 §6.3 item 5: an
 * invalid length is unrecoverable; h11 uses big integers). */
#define CONTENT_LENGTH_MAX_DIGITS 20

/* Parses a decimal Content-Length; false on overflow of 64 bits. */
static inline __attribute__((always_inline)) bool parse_u64_dec(h11c_slice s,
                                                                uint64_t *pv) {
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
  return name.len > 0 && h11c__all_in(name, H11C__TCHAR);
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

static bool slice_eq(h11c_slice a, h11c_slice b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

/* Splits a Content-Length value on ',' and checks that all elements are
 * equal (h11 compares the stripped strings, so "5, 05" conflicts). */
static inline __attribute__((always_inline)) h11c_reason
content_length_value(h11c_slice value, h11c_slice *pone) {
  h11c__list it = h11c__list_start(value);
  h11c_slice first, el;
  size_t i;
  h11c__list_next(&it, &first);
  while (h11c__list_next(&it, &el))
    if (!slice_eq(first, el))
      return H11C_REASON_CONFLICTING_CONTENT_LENGTH;
  if (first.len == 0 || first.len > CONTENT_LENGTH_MAX_DIGITS)
    return H11C_REASON_BAD_CONTENT_LENGTH;
  for (i = 0; i < first.len; i++)
    if (first.base[i] < '0' || first.base[i] > '9')
      return H11C_REASON_BAD_CONTENT_LENGTH;
  *pone = first;
  return H11C_REASON_NONE;
}

/* Whether the last non-empty element of a Transfer-Encoding value is
 * chunked (empty list elements are not codings, RFC 9110 §5.6.1). */
static bool chunked_is_final(h11c_slice value) {
  h11c__list it = h11c__list_start(value);
  h11c_slice el, last = {NULL, 0};
  while (h11c__list_next(&it, &el))
    if (el.len)
      last = el;
  return H11C__IEQ(last, "chunked");
}

/* Whether some element of a list value is token (lower case), compared as
 * h11's get_comma_header does: case-insensitively; a NULL token matches
 * any non-empty element. */
static bool list_has(h11c_slice value, const char *token, size_t tokenlen) {
  h11c__list it = h11c__list_start(value);
  h11c_slice el;
  while (h11c__list_next(&it, &el))
    if (el.len && (!token || h11c__slice_ieq(el, token, tokenlen)))
      return true;
  return false;
}

/* Notes "close" and "keep-alive" among the elements of a Connection
 * value. */
static inline __attribute__((always_inline)) void
connection_tokens(h11c_slice value, h11c__framing_info *fi) {
  h11c__list it = h11c__list_start(value);
  h11c_slice el;
  while (h11c__list_next(&it, &el)) {
    if (H11C__IEQ(el, "close"))
      fi->connection_close = true;
    else if (H11C__IEQ(el, "keep-alive"))
      fi->connection_keep_alive = true;
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

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* h11c__headers_check(), with lower_names and send as arguments so that
 * each caller below gets a copy with them known. */
static ALWAYS_INLINE h11c__result check(const h11c_header *in, size_t n,
                                        bool lower_names, bool send,
                                        unsigned flags, h11c_header *out,
                                        size_t *pnout, h11c__framing_info *fi) {
  size_t i, k = 0;
  h11c_slice seen_cl = {NULL, 0};
  memset(fi, 0, sizeof(*fi));
  for (i = 0; i < n; i++) {
    const h11c_header *h = &in[i];
    h11c_slice name = lower_names ? h->name : h11c__hdr_name(h);
    h11c_slice value = h->value;
    /* h11 checks each field in turn, name and value first. */
    if (send && !h11c__valid_name(name))
      return H11C__BAD(H11C_REASON_BAD_HEADER_NAME);
    if (send && !h11c__valid_value(value))
      return H11C__BAD(H11C_REASON_BAD_HEADER_VALUE);
    /* Dispatch on the length first: most fields are none of these. */
    switch (name.len) {
    case 4:
      if (NAME_IS("host")) {
        if (k > fi->hosts)
          fi->host_late = true;
        fi->hosts++;
      }
      break;
    case 6:
      if (NAME_IS("expect") && list_has(value, "100-continue", 12))
        fi->expect_continue = true;
      break;
    case 7:
      if (NAME_IS("upgrade") && list_has(value, NULL, 0))
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
          return H11C__BAD(r);
        if (fi->has_content_length) {
          if (!slice_eq(seen_cl, v))
            return H11C__BAD(H11C_REASON_CONFLICTING_CONTENT_LENGTH);
          fi->normalised = true;
          continue; /* h11 keeps only the first */
        }
        if (!parse_u64_dec(v, &fi->content_length))
          return H11C__BAD(H11C_REASON_BAD_CONTENT_LENGTH);
        fi->has_content_length = true;
        seen_cl = v;
        if (v.len != value.len)
          fi->normalised = true;
        value = v;
      }
      break;
    case 17:
      if (NAME_IS("transfer-encoding")) {
        if (fi->has_transfer_encoding)
          return h11c__result_of(H11C_REASON_MULTIPLE_TRANSFER_ENCODING, 501);
        if (!H11C__IEQ(value, "chunked")) {
          /* RFC 9112 §6.1: a request whose final coding is not chunked
             MUST get 400; a coding we do not know gets h11's 501. */
          if ((flags & H11C__HDRS_REQUEST) && !chunked_is_final(value))
            return H11C__BAD(H11C_REASON_CHUNK_NOT_FINAL);
          return h11c__result_of(H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING,
                                 501);
        }
        /* h11 stores the lower-cased value, which can only be this. */
        if (memcmp(value.base, "chunked", 7) != 0)
          fi->normalised = true;
        value = H11C_LIT("chunked");
        fi->has_transfer_encoding = true;
      }
      break;
    default:
      break;
    }
    if (out) {
      if (out + k != h) {
        out[k] = *h;
        if (!h->raw_name.base)
          out[k].raw_name = h->name;
      }
      out[k].value = value.base ? value : H11C_LIT(""); /* never NULL */
    }
    k++;
  }
  if (pnout)
    *pnout = k;
  return H11C__OK_RESULT;
}

h11c__result h11c__headers_check(const h11c_header *in, size_t n,
                                 unsigned flags, h11c_header *out,
                                 size_t *pnout, h11c__framing_info *fi) {
  if (flags & H11C__HDRS_LOWER_NAMES) /* received */
    return check(in, n, true, false, flags, out, pnout, fi);
  return check(in, n, false, (flags & H11C__HDRS_SEND) != 0, flags, out, pnout,
               fi);
}
