/*
 * Delta debugging for disagreements: the smallest input (found by ddmin
 * over lines, then over bytes) on which the same two oracles still show the
 * same disagreement: the same class (framing with or without both sides
 * accepting counts as different), and the same explanation (the same known
 * difference or quirk, or none).
 */
#ifndef H11C_DIFF_MINIMISE_H
#define H11C_DIFF_MINIMISE_H

#include <stddef.h>
#include <stdint.h>

#include "diff/compare/engine.h"

typedef struct minimise_stats {
  size_t evals;
  size_t from, to; /* input sizes */
} minimise_stats;

/* Minimises the disagreement `want` between oracle slots a and b of e on
 * data.  *out receives a malloc'd copy of the smallest input found (at
 * worst data itself).  max_evals bounds the oracle runs (0: 4000).
 * Returns 0, or -1 (out of memory). */
int minimise(engine *e, int a, int b, const diff_result *want,
             const rule *want_why, verdict_role role, const char *method,
             const char *path, const uint8_t *data, size_t len, uint8_t **out,
             size_t *outlen, size_t max_evals, minimise_stats *stats);

#endif /* H11C_DIFF_MINIMISE_H */
