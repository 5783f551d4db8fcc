/*
 * Comparing two canonical verdicts (diff/model/FORMAT.md, "Comparing two
 * verdicts").
 *
 * - framing: both accept a message but its end or body differs, or (no
 *   side rejecting) the number of messages, the outcome or the leftover
 *   differs.  `both_accept` is set when neither outcome is an error: the
 *   two readings of the byte stream are both complete, and they differ:
 *   the request-smuggling candidates.
 * - acceptance: one outcome is an error and the other's is not, or both
 *   reject but at different messages (offsets).
 * - interpretation: the same framing, but a method, target, version,
 *   status, header or trailer differs.
 * - status: both reject at the same place with different status hints
 *   (only between implementations whose hints are their own).
 *
 * The first difference found, in that order of severity, is the class.
 *
 * Header lists are compared after two canonicalisations that h11 applies
 * and the C parsers do not: the Content-Length fields collapse into one
 * when all their comma-separated values are equal, and Transfer-Encoding
 * values compare case-insensitively.
 */
#ifndef H11C_DIFF_COMPARE_H
#define H11C_DIFF_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "diff/model/verdict.h"

typedef enum diff_class {
  DIFF_NONE = 0,
  DIFF_STATUS,
  DIFF_INTERPRETATION,
  DIFF_ACCEPTANCE,
  DIFF_FRAMING
} diff_class;

typedef struct diff_result {
  diff_class cls;
  /* framing with neither outcome an error. */
  bool both_accept;
  /* The message where the difference is (-1: the connection as a whole). */
  int msg;
  /* What differs, "message 0 ends at 80 vs 63". */
  char detail[200];
} diff_result;

/* status_hints: compare error status hints (both sides' hints are real). */
void verdict_compare(const verdict *a, const verdict *b, bool status_hints,
                     diff_result *out);

/* Puts the implementations' names for "the first" and "the second" in the
 * detail text. */
void diff_name_sides(diff_result *d, const char *a, const char *b);

const char *diff_class_name(diff_class c);
/* "framing", ..., and "none". */
diff_class diff_class_from_name(const char *name);

/* A rank for ordering: framing with both accepting 5, framing 4,
 * acceptance 3, interpretation 2, status 1, none 0. */
int diff_rank(const diff_result *d);

/* Whether two messages' heads are the same (method, target, version,
 * status, canonical headers, trailers); if not, what differs goes into
 * why. */
bool verdict_heads_equal(const verdict_message *a, const verdict_message *b,
                         char *why, size_t whylen);

/* Bytes escaped C-style (\r \n \t \\ \xHH); at most max input bytes. */
void diff_escape(const uint8_t *data, size_t len, size_t max, char *buf,
                 size_t buflen);
/* Prints "role R, method M, N bytes:" and the escaped input (at most
 * 2000 bytes) to f: how the fuzz targets show a finding's input. */
void diff_print_input(FILE *f, const verdict_params *p, const uint8_t *data,
                      size_t len);
/* "framing, both accept", "acceptance", ... */
const char *diff_class_label(const diff_result *d);

#endif /* H11C_DIFF_COMPARE_H */
