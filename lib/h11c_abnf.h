/*
 * abnf: byte classes of the grammar (h11's _abnf), ASCII case folding and
 * the comma-separated list walk of RFC 9110 §5.6.1.  Knows no other
 * module.
 */
#ifndef H11C_ABNF_H
#define H11C_ABNF_H

#include "h11c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
  /* RFC 9110 §5.6.2 tchar. */
  H11C__TCHAR = 1 << 0,
  /* RFC 5234 VCHAR, %x21-7E: the bytes h11 allows in a request-target. */
  H11C__VCHAR = 1 << 1,
  /* Bytes h11 refuses inside a field value once the surrounding OWS is
     stripped: NUL, LF, VT, FF, CR (its field_vchar is [^\x00\s], and SP and
     HTAB are allowed between visible bytes). */
  H11C__VALUE_BAD = 1 << 2,
  /* SP or HTAB. */
  H11C__OWS = 1 << 3,
  /* HEXDIG. */
  H11C__HEX = 1 << 4
};

extern const uint8_t h11c__ctype[256];
/* ASCII lower-casing, as Python's bytes.lower(). */
extern const uint8_t h11c__lower[256];
/* tchar lower-cased, 0 for any other byte. */
extern const uint8_t h11c__token_lower[256];

static inline bool h11c__is(uint8_t c, unsigned cls) {
  return (h11c__ctype[c] & cls) != 0;
}

/* Whether every byte of s is in the class (true for an empty s). */
static inline bool h11c__all_in(h11c_slice s, unsigned cls) {
  size_t i;
  for (i = 0; i < s.len; i++)
    if (!h11c__is(s.base[i], cls))
      return false;
  return true;
}

/* Case-insensitive comparison of s with the lower-case ASCII string lit. */
static inline bool h11c__slice_ieq(h11c_slice s, const char *lit,
                                   size_t litlen) {
  size_t i;
  if (s.len != litlen)
    return false;
  for (i = 0; i < litlen; i++)
    if (h11c__lower[s.base[i]] != (uint8_t)lit[i])
      return false;
  return true;
}
#define H11C__IEQ(s, lit) h11c__slice_ieq((s), (lit), sizeof(lit) - 1)

/* Whether an HTTP-version ("<digit>.<digit>", as events carry it) is
 * 1.1; the empty version of an event to send means 1.1 too. */
static inline bool h11c__version_is_11(h11c_slice v) {
  return v.len == 0 || (v.len == 3 && v.base[0] == '1' && v.base[1] == '.' &&
                        v.base[2] == '1');
}

/* s without leading and trailing SP and HTAB. */
static inline h11c_slice h11c__strip_ows(h11c_slice s) {
  while (s.len && h11c__is(s.base[0], H11C__OWS)) {
    s.base++;
    s.len--;
  }
  while (s.len && h11c__is(s.base[s.len - 1], H11C__OWS))
    s.len--;
  return s;
}

/* Walks the elements of a comma-separated list value (RFC 9110 §5.6.1,
 * h11's split on ","): every element, the empty ones included, with
 * surrounding whitespace removed.  A value of n commas has n + 1
 * elements; the empty value has one, empty.
 *
 *   h11c__list it = h11c__list_start(value);
 *   h11c_slice el;
 *   while (h11c__list_next(&it, &el)) ...
 */
typedef struct h11c__list {
  const uint8_t *p;
  size_t left; /* bytes after p */
  bool done;
} h11c__list;

static inline h11c__list h11c__list_start(h11c_slice value) {
  h11c__list it;
  it.p = value.base;
  it.left = value.len;
  it.done = false;
  return it;
}

static inline bool h11c__list_next(h11c__list *it, h11c_slice *pel) {
  const uint8_t *comma;
  h11c_slice el;
  if (it->done)
    return false;
  comma = it->left ? (const uint8_t *)memchr(it->p, ',', it->left) : NULL;
  el.base = it->p;
  el.len = comma ? (size_t)(comma - it->p) : it->left;
  if (comma) {
    it->left -= el.len + 1;
    it->p = comma + 1;
  } else {
    it->done = true;
  }
  *pel = h11c__strip_ows(el);
  return true;
}

#endif /* H11C_ABNF_H */
