/*
 * The explorer: a time-budgeted mutation search for new disagreements.
 *
 * Starting from the seed corpus, it applies the smuggling-prone mutations
 * of mutate.h (one to three per candidate) and runs each batch of
 * candidates through every oracle of the engine.  A disagreement is new
 * when it has a new feature (below).  Every new one is minimised (minimise.h,
 * on its most severe pair, preferring an unexplained one), kept, and becomes a
 * seed itself.
 *
 * "New" is judged feature by feature, as coverage-guided fuzzers do: each
 * disagreeing pair of a result is a feature made of the role, the pair,
 * its class, its explanation (the known difference or quirk, or none) and
 * the two outcomes; a result with a feature not seen before (in the seeds
 * or earlier findings) is a new disagreement.
 */
#ifndef H11C_DIFF_EXPLORE_H
#define H11C_DIFF_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diff/compare/engine.h"
#include "diff/model/corpus.h"

typedef struct explore_opts {
  double seconds;
  uint64_t seed;
  /* Where findings are written in the corpus layout, with findings.jsonl;
     NULL: not written. */
  const char *out_dir;
  size_t max_len;   /* longest candidate (0: 4096) */
  size_t max_evals; /* minimiser budget per finding (0: 2000) */
  FILE *progress;   /* progress lines, or NULL */
} explore_opts;

typedef struct explore_stats {
  size_t candidates;
  size_t findings;
  size_t unexplained; /* findings with an unexplained disagreement */
  size_t by_rank[6];  /* findings by the rank of their primary pair */
  size_t by_rank_unexplained[6];
  double seconds;
} explore_stats;

/* Runs the search; the minimised findings are added to *findings (named
 * "explore/NNNN-PAIR-CLASS").  Returns 0, or -1 (out of memory, or the
 * output directory cannot be written). */
int explore_run(engine *e, const corpus *seeds, const explore_opts *o,
                explore_stats *st, corpus *findings);

/* The features of a result, space-separated, into buf. */
void explore_signature(const engine *e, verdict_role role,
                       const engine_result *r, char *buf, size_t len);
/* The feature of the result's k-th disagreeing pair into buf. */
void explore_feature(const engine *e, verdict_role role, const engine_result *r,
                     size_t k, char *buf, size_t len);

#endif /* H11C_DIFF_EXPLORE_H */
