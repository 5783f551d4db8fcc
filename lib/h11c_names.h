/*
 * names: the static strings of the public API, and the result that the
 * modules below the connection return instead of failing on it: why
 * (an h11c_reason) and the HTTP status a server would answer with.  Only
 * the connection turns a result into an error of the connection.
 */
#ifndef H11C_NAMES_H
#define H11C_NAMES_H

#include "h11c.h"

typedef struct h11c__result {
  h11c_reason reason; /* H11C_REASON_NONE: no error */
  int status;         /* h11's error_status_hint */
} h11c__result;

static inline h11c__result h11c__result_of(h11c_reason reason, int status) {
  h11c__result r;
  r.reason = reason;
  r.status = status;
  return r;
}

/* No error. */
#define H11C__OK_RESULT h11c__result_of(H11C_REASON_NONE, 0)
/* A violation with h11's default status hint, 400. */
#define H11C__BAD(reason) h11c__result_of((reason), 400)

#endif /* H11C_NAMES_H */
