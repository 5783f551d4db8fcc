/*
 * writers: events we send become bytes (h11's _writers), with the checks
 * h11's writers make: the declared Content-Length, and where trailers may
 * go.  Uses headers, abnf and mem.
 */
#ifndef H11C_WRITERS_H
#define H11C_WRITERS_H

#include "h11c.h"
#include "h11c_headers.h"
#include "h11c_mem.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The body being sent. */
typedef struct h11c__wbody {
  h11c__framing framing;
  /* LENGTH: bytes still to send. */
  uint64_t remaining;
} h11c__wbody;

/* Writes ev into out (replacing what it held), its fields being
 * fields[0, n) (raw_name written if set, else name), and updates the body.
 * With host_late, a Host field follows another: Host fields are written
 * first, as h11 does.
 * Data's payload is not written: the caller passes it through, followed
 * by a CRLF if *psuffix is set.  Returns H11C_REASON_NONE, the rule the
 * event breaks (our side must then be in ERROR), or H11C_REASON_NOMEM. */
h11c_reason h11c__write_event(h11c__wbody *body, h11c__bytes *out,
                              const h11c_mem *mem, const h11c_event *ev,
                              const h11c_header *fields, size_t n,
                              bool host_late, bool *psuffix);

#endif /* H11C_WRITERS_H */
