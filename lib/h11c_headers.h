/*
 * headers: field rules (h11's _headers): what a sender may write as a
 * field name and value, and one pass over a field list that checks and
 * normalises the framing fields (normalize_and_validate) and notes what
 * the connection's policy reads (get_comma_header on Connection, Upgrade
 * and Expect; the Host count).  Uses abnf and names.
 */
#ifndef H11C_HEADERS_H
#define H11C_HEADERS_H

#include "h11c.h"
#include "h11c_names.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The name to compare or write: raw_name if set, otherwise name. */
static inline h11c_slice h11c__hdr_name(const h11c_header *h) {
  return h->raw_name.base ? h->raw_name : h->name;
}

/* How a message body is delimited (h11's _body_framing results). */
typedef enum h11c__framing {
  H11C__FRAMING_NONE = 0,
  H11C__FRAMING_LENGTH, /* Content-Length, or no body (length 0) */
  H11C__FRAMING_CHUNKED,
  H11C__FRAMING_CLOSE /* h11's "http/1.0": until the connection closes */
} h11c__framing;

/* What one pass over a field list learns. */
typedef struct h11c__framing_info {
  bool has_content_length;
  uint64_t content_length;
  bool has_transfer_encoding; /* always exactly "chunked" once checked */
  bool connection_close;      /* "close" in Connection */
  bool connection_keep_alive; /* "keep-alive" in Connection */
  bool upgrade;               /* a non-empty element in Upgrade */
  bool expect_continue;       /* "100-continue" in Expect */
  size_t hosts;               /* how many Host fields */
} h11c__framing_info;

/* h11c__headers_check() flags. */
enum {
  /* The fields are a request's: a Transfer-Encoding whose final coding is
     not chunked gets 400 (RFC 9112 §6.1) rather than h11's 501. */
  H11C__HDRS_REQUEST = 1u << 0,
  /* Every name field is known to be lower-case (received heads): names
     are compared as bytes, not case-insensitively through raw_name. */
  H11C__HDRS_LOWER_NAMES = 1u << 1
};

/* Checks the Content-Length and Transfer-Encoding rules of h11's
 * normalize_and_validate on fields[0, *pn), whose names and values are
 * already known to be well-formed, and fills *fi.  The list is
 * normalised in place as h11 does: a Content-Length value becomes its
 * single element, repeated Content-Length fields are removed, and a
 * Transfer-Encoding value becomes "chunked" (the bytes of values are never
 * written; *pn is updated).  Returns the first violation with its status
 * hint, or no error. */
h11c__result h11c__headers_check(h11c_header *fields, size_t *pn,
                                 unsigned flags, h11c__framing_info *fi);

/* What fields[0, n), already checked and normalised, say about framing
 * and Connection, in *fi (only read; Host, Expect and Upgrade are not
 * looked at).  Returns a violation if a framing field is malformed after
 * all. */
h11c__result h11c__headers_scan(const h11c_header *fields, size_t n,
                                h11c__framing_info *fi);

/* Whether a field name is a token, and whether a field value is what h11's
 * field_value allows, as a sender must write them. */
bool h11c__valid_name(h11c_slice name);
bool h11c__valid_value(h11c_slice value);

#endif /* H11C_HEADERS_H */
