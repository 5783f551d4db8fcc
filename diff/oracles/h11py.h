/*
 * The h11py oracle: the original Python h11 (Debian's python3-h11) in
 * long-lived worker processes, fed many inputs over pipes.
 *
 * The worker is diff/oracles/h11py_worker.py in --worker mode; its text is
 * built into this program (see the genrule in diff/BUILD.bazel), so nothing has
 * to be found at run time but a Python interpreter that can import h11.  The
 * interpreter is the first of: $H11C_PYTHON (only that one, if set),
 * /usr/bin/python3, and each python3 on PATH.  $H11C_H11PY_SCRIPT names a
 * worker script file to run instead of the built-in text.
 *
 * A pool runs inputs in batches: h11py_pool_submit() queues jobs and
 * writes what the pipes take without blocking, so the caller can do other
 * work (the in-process oracles) while the workers run; h11py_pool_wait()
 * finishes them.  Jobs are spread over the pool's workers.
 */
#ifndef H11C_DIFF_VERDICT_H11PY_H
#define H11C_DIFF_VERDICT_H11PY_H

#include "diff/model/verdict.h"

typedef struct h11py_pool h11py_pool;

typedef struct h11py_job {
  const verdict_params *params;
  const uint8_t *data;
  size_t len;
  /* Filled in by h11py_pool_wait(); free it with verdict_free(). */
  verdict out;
  int rc; /* 0, or -1 with a message in err */
  char err[256];
} h11py_job;

/* Starts nworkers workers (1 if nworkers < 1).  Returns 0, or -1 with a
 * message in err that says what to install when no interpreter can import
 * h11. */
int h11py_pool_start(h11py_pool **pool, int nworkers, char *err, size_t errlen);
void h11py_pool_stop(h11py_pool *pool);
int h11py_pool_size(const h11py_pool *pool);
/* The interpreter in use ("/usr/bin/python3"). */
const char *h11py_pool_python(const h11py_pool *pool);

/* Queues n jobs (which must stay valid until h11py_pool_wait() returns)
 * and writes what the pipes take now.  0, or -1 (out of memory). */
int h11py_pool_submit(h11py_pool *pool, h11py_job *jobs, size_t n);
/* Moves queued requests along without blocking.  Cheap; call it now and
 * then while doing other work. */
void h11py_pool_pump(h11py_pool *pool);
/* Blocks until every queued job has its verdict (or has failed).  Returns
 * 0, or -1 if a worker died (its jobs fail; the pool then restarts it on
 * the next submit). */
int h11py_pool_wait(h11py_pool *pool);

/* A verdict_impl_fn on a process-wide pool of one worker, started on first
 * use and stopped at exit.  impl "h11py". */
int verdict_h11py(const verdict_params *params, const uint8_t *data, size_t len,
                  verdict *out, char *err, size_t errlen);

/* Finds an interpreter that can import h11; returns its path (static
 * storage) or NULL with the advice in err. */
const char *h11py_find_python(char *err, size_t errlen);

#endif /* H11C_DIFF_VERDICT_H11PY_H */
