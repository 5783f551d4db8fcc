#include "diff/explore/minimise.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct mctx {
  engine *e;
  int a, b;
  const diff_result *want;
  const rule *want_why;
  verdict_role role;
  const char *method;
  const char *path;
  size_t evals, max_evals;
  uint8_t *scratch;
} mctx;

typedef struct unit {
  size_t off, len;
} unit;

/* Does this input still show the disagreement? */
static bool still(mctx *m, const uint8_t *data, size_t len) {
  verdict va, vb;
  verdict_params p;
  diff_result d;
  char err[160];
  int ra, rb;
  bool ok = false;
  if (m->evals >= m->max_evals)
    return false;
  m->evals++;
  memset(&p, 0, sizeof p);
  p.role = m->role;
  p.method = m->method && *m->method ? m->method : NULL;
  p.chunk = m->e->chunk;
  p.max_incomplete = m->e->max_incomplete;
  /* Both through the engine's oracles (h11py through its pool). */
  if (m->e->h11py_slot == m->a || m->e->h11py_slot == m->b) {
    h11py_job job;
    int other = m->e->h11py_slot == m->a ? m->b : m->a;
    verdict *vh = m->e->h11py_slot == m->a ? &va : &vb;
    verdict *vo = m->e->h11py_slot == m->a ? &vb : &va;
    memset(&job, 0, sizeof job);
    job.params = &p;
    job.data = data;
    job.len = len;
    h11py_pool_submit(m->e->pool, &job, 1);
    rb = oracle_list[m->e->idx[other]].fn(&p, data, len, vo, err, sizeof err);
    h11py_pool_wait(m->e->pool);
    *vh = job.out;
    ra = job.rc;
  } else {
    ra = oracle_list[m->e->idx[m->a]].fn(&p, data, len, &va, err, sizeof err);
    rb = oracle_list[m->e->idx[m->b]].fn(&p, data, len, &vb, err, sizeof err);
  }
  if (ra == 0 && rb == 0) {
    verdict_compare(&va, &vb,
                    oracle_list[m->e->idx[m->a]].status_hints &&
                        oracle_list[m->e->idx[m->b]].status_hints,
                    &d);
    if (d.cls == m->want->cls && d.both_accept == m->want->both_accept) {
      rule_input ri;
      const rule *why;
      rule_input_init(&ri, m->path, m->role, p.method, data, len);
      why = rulebook_explain(m->e->rb, &ri, engine_name(m->e, m->a), &va,
                             engine_name(m->e, m->b), &vb, &d);
      rule_input_free(&ri);
      ok = why == m->want_why;
    }
  }
  verdict_free(&va);
  verdict_free(&vb);
  return ok;
}

/* Builds the input made of units[0..n) except [skip, skip+nskip). */
static size_t assemble(const uint8_t *base, const unit *units, size_t n,
                       size_t skip, size_t nskip, uint8_t *out) {
  size_t i, len = 0;
  for (i = 0; i < n; i++) {
    if (i >= skip && i < skip + nskip)
      continue;
    memcpy(out + len, base + units[i].off, units[i].len);
    len += units[i].len;
  }
  return len;
}

/* ddmin (complements) over units of cur; cur is rewritten in place. */
static int ddmin(mctx *m, uint8_t *cur, size_t *curlen, bool lines) {
  size_t n = 2;
  for (;;) {
    unit *units;
    size_t nu = 0, i, chunk;
    bool reduced = false;
    units = malloc((*curlen ? *curlen : 1) * sizeof *units);
    if (!units)
      return -1;
    for (i = 0; i < *curlen;) {
      size_t j = i;
      if (lines) {
        while (j < *curlen && cur[j] != '\n')
          j++;
        if (j < *curlen)
          j++;
      } else {
        j = i + 1;
      }
      units[nu].off = i;
      units[nu].len = j - i;
      nu++;
      i = j;
    }
    if (nu < 2) {
      free(units);
      return 0;
    }
    if (n > nu)
      n = nu;
    chunk = (nu + n - 1) / n;
    for (i = 0; i < nu && !reduced; i += chunk) {
      size_t k = nu - i < chunk ? nu - i : chunk;
      size_t len = assemble(cur, units, nu, i, k, m->scratch);
      if (still(m, m->scratch, len)) {
        memcpy(cur, m->scratch, len);
        *curlen = len;
        reduced = true;
      }
    }
    free(units);
    if (m->evals >= m->max_evals)
      return 0;
    if (reduced) {
      n = n > 2 ? n - 1 : 2;
      continue;
    }
    if (n >= nu)
      return 0;
    n = n * 2 < nu ? n * 2 : nu;
  }
}

int minimise(engine *e, int a, int b, const diff_result *want,
             const rule *want_why, verdict_role role, const char *method,
             const char *path, const uint8_t *data, size_t len, uint8_t **out,
             size_t *outlen, size_t max_evals, minimise_stats *stats) {
  mctx m;
  uint8_t *cur = malloc(len ? len : 1);
  size_t curlen = len;
  memset(&m, 0, sizeof m);
  m.e = e;
  m.a = a;
  m.b = b;
  m.want = want;
  m.want_why = want_why;
  m.role = role;
  m.method = method;
  m.path = path;
  m.max_evals = max_evals ? max_evals : 4000;
  m.scratch = malloc(len ? len : 1);
  if (!cur || !m.scratch) {
    free(cur);
    free(m.scratch);
    return -1;
  }
  if (len)
    memcpy(cur, data, len);
  if (ddmin(&m, cur, &curlen, true) != 0 ||
      ddmin(&m, cur, &curlen, false) != 0) {
    free(cur);
    free(m.scratch);
    return -1;
  }
  free(m.scratch);
  *out = cur;
  *outlen = curlen;
  if (stats) {
    stats->evals = m.evals;
    stats->from = len;
    stats->to = curlen;
  }
  return 0;
}
