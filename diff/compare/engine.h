/*
 * The harness engine: runs inputs through a set of oracles, compares every
 * pair of verdicts and looks up the explanation of each disagreement.
 *
 * In-process oracles run on the calling thread; h11py runs in a pool of
 * worker processes, batch by batch, while the in-process oracles of the
 * same batch run, so the two overlap.
 */
#ifndef H11C_DIFF_ENGINE_H
#define H11C_DIFF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "diff/compare/compare.h"
#include "diff/compare/rules.h"
#include "diff/model/corpus.h"
#include "diff/model/verdict.h"
#include "diff/oracles/h11py.h"
#include "diff/oracles/oracles.h"

#define ENGINE_MAX_ORACLES 8

typedef struct engine {
  int idx[ENGINE_MAX_ORACLES]; /* into oracle_list */
  int n;
  int h11py_slot; /* position of h11py in idx, or -1 */
  h11py_pool *pool;
  const rulebook *rb; /* may be NULL */
  size_t chunk;
  size_t max_incomplete;
} engine;

typedef struct engine_pair {
  int a, b; /* positions in engine.idx */
  diff_result d;
  const rule *why; /* NULL: unexplained */
} engine_pair;

typedef struct engine_result {
  verdict v[ENGINE_MAX_ORACLES];
  int rc[ENGINE_MAX_ORACLES]; /* 0, or -1: the run failed (err) */
  char err[ENGINE_MAX_ORACLES][256];
  engine_pair *pairs; /* the disagreeing pairs */
  size_t npairs;
  int worst;             /* highest diff_rank() of any pair */
  int worst_unexplained; /* highest diff_rank() of an unexplained pair */
  bool failed;           /* some oracle's run failed */
} engine_result;

/* names: comma-separated oracle names, or NULL for all.  h11py_workers:
 * worker processes for h11py (< 1: one per CPU beyond the first, at least
 * one).  Returns 0, or -1 with a message in err. */
int engine_init(engine *e, const char *names, int h11py_workers,
                const rulebook *rb, char *err, size_t errlen);
void engine_free(engine *e);
const char *engine_name(const engine *e, int slot);

/* Runs n inputs; results[i] is filled for inputs[i] (free each with
 * engine_result_free). */
void engine_run(engine *e, const corpus_input *inputs, size_t n,
                engine_result *results);
void engine_result_free(engine_result *r);

/* Re-runs only oracles a and b (slots) on an input: for the minimiser.
 * Returns the class of their disagreement (DIFF_NONE if they agree or a
 * run failed) in *d. */
void engine_compare_two(engine *e, int a, int b, verdict_role role,
                        const char *method, const uint8_t *data, size_t len,
                        diff_result *d);

#endif /* H11C_DIFF_ENGINE_H */
