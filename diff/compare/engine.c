#define _POSIX_C_SOURCE 200809L
#include "diff/compare/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 256

int engine_init(engine *e, const char *names, int h11py_workers,
                const rulebook *rb, char *err, size_t errlen) {
  memset(e, 0, sizeof *e);
  e->h11py_slot = -1;
  e->rb = rb;
  if (!names) {
    size_t i;
    for (i = 0; i < oracle_count && e->n < ENGINE_MAX_ORACLES; i++)
      e->idx[e->n++] = (int)i;
  } else {
    char *copy = strdup(names), *save = NULL, *tok;
    if (!copy)
      return verdict_errf(err, errlen, "out of memory");
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
      int k = oracle_index(tok), j;
      if (k < 0) {
        verdict_errf(err, errlen, "unknown implementation: %s", tok);
        free(copy);
        return -1;
      }
      for (j = 0; j < e->n; j++)
        if (e->idx[j] == k)
          break;
      if (j < e->n)
        continue;
      if (e->n == ENGINE_MAX_ORACLES) {
        free(copy);
        return verdict_errf(err, errlen, "too many implementations");
      }
      e->idx[e->n++] = k;
    }
    free(copy);
    if (e->n == 0)
      return verdict_errf(err, errlen, "no implementation selected");
  }
  {
    int i;
    for (i = 0; i < e->n; i++)
      if (strcmp(oracle_list[e->idx[i]].name, "h11py") == 0)
        e->h11py_slot = i;
  }
  if (e->h11py_slot >= 0) {
    if (h11py_workers < 1) {
      long cpus = sysconf(_SC_NPROCESSORS_ONLN);
      h11py_workers = cpus > 2 ? (int)(cpus - 1) : 1;
      if (h11py_workers > 8)
        h11py_workers = 8;
    }
    if (h11py_pool_start(&e->pool, h11py_workers, err, errlen) != 0)
      return -1;
  }
  return 0;
}

void engine_free(engine *e) {
  h11py_pool_stop(e->pool);
  e->pool = NULL;
}

const char *engine_name(const engine *e, int slot) {
  return oracle_list[e->idx[slot]].name;
}

void engine_result_free(engine_result *r) {
  int i;
  for (i = 0; i < ENGINE_MAX_ORACLES; i++)
    verdict_free(&r->v[i]);
  free(r->pairs);
  memset(r, 0, sizeof *r);
}

static void params_for(const engine *e, const corpus_input *in,
                       verdict_params *p) {
  memset(p, 0, sizeof *p);
  p->role = in->role;
  p->method = in->method[0] ? in->method : NULL;
  p->chunk = e->chunk;
  p->max_incomplete = e->max_incomplete;
}

static void compare_all(engine *e, const corpus_input *in, engine_result *r) {
  int a, b;
  rule_input ri;
  size_t cap = 0;
  rule_input_init(&ri, in->path, in->role, in->method[0] ? in->method : NULL,
                  in->data, in->len);
  for (a = 0; a < e->n; a++) {
    for (b = a + 1; b < e->n; b++) {
      diff_result d;
      engine_pair *p;
      int rank;
      if (r->rc[a] != 0 || r->rc[b] != 0)
        continue;
      verdict_compare(&r->v[a], &r->v[b],
                      oracle_list[e->idx[a]].status_hints &&
                          oracle_list[e->idx[b]].status_hints,
                      &d);
      if (d.cls == DIFF_NONE)
        continue;
      diff_name_sides(&d, engine_name(e, a), engine_name(e, b));
      if (r->npairs == cap) {
        size_t nc = cap ? cap * 2 : 8;
        engine_pair *q = realloc(r->pairs, nc * sizeof *q);
        if (!q)
          continue;
        r->pairs = q;
        cap = nc;
      }
      p = &r->pairs[r->npairs++];
      p->a = a;
      p->b = b;
      p->d = d;
      p->why = rulebook_explain(e->rb, &ri, engine_name(e, a), &r->v[a],
                                engine_name(e, b), &r->v[b], &d);
      rank = diff_rank(&d);
      if (rank > r->worst)
        r->worst = rank;
      if (!p->why && rank > r->worst_unexplained)
        r->worst_unexplained = rank;
    }
  }
  rule_input_free(&ri);
}

void engine_run(engine *e, const corpus_input *inputs, size_t n,
                engine_result *results) {
  size_t base;
  verdict_params *params = malloc(BATCH * sizeof *params);
  h11py_job *jobs = e->pool ? calloc(BATCH, sizeof *jobs) : NULL;
  for (base = 0; base < n; base += BATCH) {
    size_t m = n - base < BATCH ? n - base : BATCH, i;
    for (i = 0; i < m; i++) {
      memset(&results[base + i], 0, sizeof results[base + i]);
      params_for(e, &inputs[base + i], &params[i]);
    }
    if (e->pool && jobs) {
      for (i = 0; i < m; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].params = &params[i];
        jobs[i].data = inputs[base + i].data;
        jobs[i].len = inputs[base + i].len;
      }
      h11py_pool_submit(e->pool, jobs, m);
    }
    for (i = 0; i < m; i++) {
      engine_result *r = &results[base + i];
      const corpus_input *in = &inputs[base + i];
      int s;
      for (s = 0; s < e->n; s++) {
        if (s == e->h11py_slot)
          continue;
        r->rc[s] =
            oracle_list[e->idx[s]].fn(&params[i], in->data, in->len, &r->v[s],
                                      r->err[s], sizeof r->err[s]);
        if (r->rc[s] != 0)
          r->failed = true;
      }
      if (e->pool && (i & 15) == 15)
        h11py_pool_pump(e->pool);
    }
    if (e->pool && jobs) {
      h11py_pool_wait(e->pool);
      for (i = 0; i < m; i++) {
        engine_result *r = &results[base + i];
        int s = e->h11py_slot;
        r->v[s] = jobs[i].out;
        r->rc[s] = jobs[i].rc;
        if (jobs[i].rc != 0) {
          snprintf(r->err[s], sizeof r->err[s], "%s", jobs[i].err);
          r->failed = true;
        }
      }
    } else if (e->h11py_slot >= 0) {
      for (i = 0; i < m; i++) {
        engine_result *r = &results[base + i];
        r->rc[e->h11py_slot] = -1;
        snprintf(r->err[e->h11py_slot], sizeof r->err[0], "out of memory");
        r->failed = true;
      }
    }
    for (i = 0; i < m; i++)
      compare_all(e, &inputs[base + i], &results[base + i]);
  }
  free(params);
  free(jobs);
}

static int run_one(engine *e, int slot, const verdict_params *p,
                   const uint8_t *data, size_t len, verdict *v) {
  char err[160];
  if (slot == e->h11py_slot && e->pool) {
    h11py_job job;
    memset(&job, 0, sizeof job);
    job.params = p;
    job.data = data;
    job.len = len;
    h11py_pool_submit(e->pool, &job, 1);
    h11py_pool_wait(e->pool);
    *v = job.out;
    return job.rc;
  }
  return oracle_list[e->idx[slot]].fn(p, data, len, v, err, sizeof err);
}

void engine_compare_two(engine *e, int a, int b, verdict_role role,
                        const char *method, const uint8_t *data, size_t len,
                        diff_result *d) {
  verdict va, vb;
  verdict_params p;
  int ra, rb;
  memset(&p, 0, sizeof p);
  p.role = role;
  p.method = method && *method ? method : NULL;
  p.chunk = e->chunk;
  p.max_incomplete = e->max_incomplete;
  ra = run_one(e, a, &p, data, len, &va);
  rb = run_one(e, b, &p, data, len, &vb);
  memset(d, 0, sizeof *d);
  if (ra == 0 && rb == 0)
    verdict_compare(&va, &vb,
                    oracle_list[e->idx[a]].status_hints &&
                        oracle_list[e->idx[b]].status_hints,
                    d);
  verdict_free(&va);
  verdict_free(&vb);
}
