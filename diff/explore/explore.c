#define _POSIX_C_SOURCE 200809L
#include "diff/explore/explore.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff/explore/minimise.h"
#include "diff/explore/mutate.h"
#include "diff/model/json.h"

#define BATCH 256

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *rank_code(int rank) {
  static const char *codes[6] = {"-", "S", "I", "A", "F", "F*"};
  return codes[rank < 0 || rank > 5 ? 0 : rank];
}

/* A set of 64-bit hashes (open addressing). */
typedef struct hset {
  uint64_t *t;
  size_t n, cap;
} hset;

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 1099511628211ull;
  return h ? h : 1;
}

/* Adds h; returns true if it was new. */
static bool hset_add(hset *s, uint64_t h) {
  size_t i;
  if (s->n * 2 >= s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 1024, k;
    uint64_t *t = calloc(nc, sizeof *t);
    if (!t)
      return false;
    for (k = 0; k < s->cap; k++)
      if (s->t[k]) {
        size_t j = s->t[k] & (nc - 1);
        while (t[j])
          j = (j + 1) & (nc - 1);
        t[j] = s->t[k];
      }
    free(s->t);
    s->t = t;
    s->cap = nc;
  }
  for (i = h & (s->cap - 1); s->t[i]; i = (i + 1) & (s->cap - 1))
    if (s->t[i] == h)
      return false;
  s->t[i] = h;
  s->n++;
  return true;
}

void explore_signature(const engine *e, verdict_role role,
                       const engine_result *r, char *buf, size_t len) {
  size_t i, o = 0;
  int n = snprintf(buf, len, "%c", role == VERDICT_SERVER ? 'S' : 'C');
  if (n > 0)
    o = (size_t)n;
  for (i = 0; i < r->npairs && o < len; i++) {
    n = snprintf(buf + o, len - o, " ");
    if (n < 0)
      break;
    o += (size_t)n;
    explore_feature(e, role, r, i, buf + o, len - o);
    o += strlen(buf + o);
  }
}

void explore_feature(const engine *e, verdict_role role, const engine_result *r,
                     size_t k, char *buf, size_t len) {
  const engine_pair *p = &r->pairs[k];
  snprintf(buf, len, "%c:%s~%s:%s:%s:%s/%s", role == VERDICT_SERVER ? 'S' : 'C',
           engine_name(e, p->a), engine_name(e, p->b),
           rank_code(diff_rank(&p->d)), p->why ? rule_id(p->why) : "?",
           verdict_outcome_name(r->v[p->a].outcome),
           verdict_outcome_name(r->v[p->b].outcome));
}

/* The pair a finding is minimised and named for: the most severe
 * unexplained pair, else the most severe one. */
static const engine_pair *primary(const engine_result *r) {
  const engine_pair *best = NULL;
  size_t i;
  int best_key = -1;
  for (i = 0; i < r->npairs; i++) {
    int key = diff_rank(&r->pairs[i].d) + (r->pairs[i].why ? 0 : 10);
    if (key > best_key) {
      best_key = key;
      best = &r->pairs[i];
    }
  }
  return best;
}

static bool add_features(hset *seen, const engine *e, verdict_role role,
                         const engine_result *r) {
  size_t i;
  bool fresh = false;
  for (i = 0; i < r->npairs; i++) {
    char f[256];
    explore_feature(e, role, r, i, f, sizeof f);
    if (hset_add(seen, fnv(f)))
      fresh = true;
  }
  return fresh;
}

static int save(const explore_opts *o, const engine *e, size_t id,
                const corpus_input *in, const engine_pair *p, const char *sig,
                const uint8_t *orig, size_t origlen, char *name,
                size_t namelen) {
  char dir[4096], file[4200];
  FILE *f;
  snprintf(name, namelen, "%04zu-%s~%s-%s", id, engine_name(e, p->a),
           engine_name(e, p->b),
           p->d.cls == DIFF_FRAMING && p->d.both_accept
               ? "framing-both-accept"
               : diff_class_name(p->d.cls));
  if (!o->out_dir)
    return 0;
  snprintf(dir, sizeof dir, "%s/%s", o->out_dir, verdict_role_name(in->role));
  if (corpus_mkdir_p(dir) != 0)
    return -1;
  if (in->role == VERDICT_CLIENT && in->method[0])
    snprintf(file, sizeof file, "%s/%s.%s.http", dir, name, in->method);
  else
    snprintf(file, sizeof file, "%s/%s.http", dir, name);
  f = fopen(file, "wb");
  if (!f)
    return -1;
  fwrite(in->data, 1, in->len, f);
  if (fclose(f) != 0)
    return -1;
  snprintf(file, sizeof file, "%s/findings.jsonl", o->out_dir);
  f = fopen(file, "ab");
  if (!f)
    return -1;
  {
    json_writer w;
    json_writer_init(&w);
    json_begin_object(&w);
    json_key(&w, "name");
    json_cstr(&w, name);
    json_key(&w, "role");
    json_cstr(&w, verdict_role_name(in->role));
    json_key(&w, "method");
    json_cstr(&w, in->method[0] ? in->method : "GET");
    json_key(&w, "pair");
    json_begin_array(&w);
    json_cstr(&w, engine_name(e, p->a));
    json_cstr(&w, engine_name(e, p->b));
    json_end_array(&w);
    json_key(&w, "class");
    json_cstr(&w, diff_class_name(p->d.cls));
    json_key(&w, "both_accept");
    json_bool(&w, p->d.both_accept);
    json_key(&w, "explained_by");
    if (p->why)
      json_cstr(&w, rule_id(p->why));
    else
      json_null(&w);
    json_key(&w, "detail");
    json_cstr(&w, p->d.detail);
    json_key(&w, "signature");
    json_cstr(&w, sig);
    json_key(&w, "bytes");
    json_latin1(&w, in->data, in->len);
    json_key(&w, "found_as");
    json_latin1(&w, orig, origlen);
    json_end_object(&w);
    if (json_writer_ok(&w)) {
      fwrite(json_writer_str(&w), 1, json_writer_len(&w), f);
      fputc('\n', f);
    }
    json_writer_free(&w);
  }
  return fclose(f) == 0 ? 0 : -1;
}

int explore_run(engine *e, const corpus *seeds, const explore_opts *o,
                explore_stats *st, corpus *findings) {
  mut_rng rng;
  corpus pool, batch;
  hset sigs;
  mut_seed *ms = NULL;
  size_t maxlen = o->max_len ? o->max_len : 4096, i;
  uint8_t *b1 = malloc(maxlen), *b2 = malloc(maxlen);
  engine_result *res = calloc(BATCH, sizeof *res);
  double t0 = now(), last = t0;
  int rc = 0;

  memset(st, 0, sizeof *st);
  memset(&pool, 0, sizeof pool);
  memset(&batch, 0, sizeof batch);
  memset(&sigs, 0, sizeof sigs);
  rng.s = o->seed ? o->seed : 0x5eed;
  if (!b1 || !b2 || !res)
    goto oom;
  for (i = 0; i < seeds->n; i++)
    if (corpus_add(&pool, seeds->items[i].path, seeds->items[i].role,
                   seeds->items[i].method, seeds->items[i].data,
                   seeds->items[i].len) != 0)
      goto oom;
  if (pool.n == 0)
    goto done;
  if (o->out_dir && corpus_mkdir_p(o->out_dir) != 0) {
    rc = -1;
    goto done;
  }

  /* The seeds' own disagreements are not findings. */
  for (i = 0; i < pool.n; i += BATCH) {
    size_t m = pool.n - i < BATCH ? pool.n - i : BATCH, k;
    engine_run(e, pool.items + i, m, res);
    for (k = 0; k < m; k++) {
      add_features(&sigs, e, pool.items[i + k].role, &res[k]);
      engine_result_free(&res[k]);
    }
  }

  while (now() - t0 < o->seconds) {
    size_t k, nseeds = pool.n;
    /* Splice sources: the original seeds. */
    free(ms);
    ms = malloc(seeds->n * sizeof *ms + 1);
    if (!ms)
      goto oom;
    for (k = 0; k < seeds->n; k++) {
      ms[k].data = seeds->items[k].data;
      ms[k].len = seeds->items[k].len;
    }
    corpus_free(&batch);
    for (k = 0; k < BATCH; k++) {
      /* Parents: the seeds, and (a third of the time) a finding. */
      size_t pick = (pool.n > seeds->n && mut_below(&rng, 3) == 0)
                        ? seeds->n + mut_below(&rng, pool.n - seeds->n)
                        : mut_below(&rng, seeds->n);
      const corpus_input *par = &pool.items[pick];
      char method[MUT_METHOD_MAX], name[256];
      size_t len = par->len < maxlen ? par->len : maxlen, steps, s;
      const char *opname = "";
      int no;
      snprintf(method, sizeof method, "%s", par->method);
      memcpy(b1, par->data, len);
      no = snprintf(name, sizeof name, "explore/%zu", pick);
      steps = 1 + mut_below(&rng, 3);
      for (s = 0; s < steps; s++) {
        size_t n = mut_apply(&rng, b1, len, par->role, method, ms, seeds->n, b2,
                             maxlen, &opname);
        uint8_t *t = b1;
        b1 = b2;
        b2 = t;
        len = n;
        if (no > 0 && (size_t)no < sizeof name)
          no += snprintf(name + no, sizeof name - (size_t)no, "+%s", opname);
      }
      if (corpus_add(&batch, name, par->role, method, b1, len) != 0)
        goto oom;
    }
    (void)nseeds;
    engine_run(e, batch.items, batch.n, res);
    st->candidates += batch.n;
    for (k = 0; k < batch.n; k++) {
      const engine_pair *p;
      uint8_t *min = NULL;
      size_t minlen = 0;
      engine_result r2;
      corpus_input m2;
      if (!res[k].npairs) {
        engine_result_free(&res[k]);
        continue;
      }
      if (!add_features(&sigs, e, batch.items[k].role, &res[k])) {
        engine_result_free(&res[k]);
        continue;
      }
      p = primary(&res[k]);
      if (minimise(e, p->a, p->b, &p->d, p->why, batch.items[k].role,
                   batch.items[k].method, batch.items[k].path,
                   batch.items[k].data, batch.items[k].len, &min, &minlen,
                   o->max_evals ? o->max_evals : 2000, NULL) != 0) {
        engine_result_free(&res[k]);
        goto oom;
      }
      memset(&m2, 0, sizeof m2);
      m2 = batch.items[k];
      m2.data = min;
      m2.len = minlen;
      engine_run(e, &m2, 1, &r2);
      {
        char sig2[2048], name[128];
        const engine_pair *p2 = primary(&r2);
        explore_signature(e, m2.role, &r2, sig2, sizeof sig2);
        add_features(&sigs, e, m2.role, &r2);
        if (p2) {
          size_t id = findings->n + 1;
          int rank = diff_rank(&p2->d);
          if (save(o, e, id, &m2, p2, sig2, batch.items[k].data,
                   batch.items[k].len, name, sizeof name) != 0)
            rc = -1;
          {
            char path[160];
            snprintf(path, sizeof path, "explore/%s", name);
            if (corpus_add(findings, path, m2.role, m2.method, min, minlen) !=
                    0 ||
                corpus_add(&pool, path, m2.role, m2.method, min, minlen) != 0) {
              free(min);
              engine_result_free(&r2);
              engine_result_free(&res[k]);
              goto oom;
            }
          }
          st->findings++;
          st->by_rank[rank]++;
          if (!p2->why) {
            st->unexplained++;
            st->by_rank_unexplained[rank]++;
          }
        }
      }
      free(min);
      engine_result_free(&r2);
      engine_result_free(&res[k]);
    }
    if (o->progress && now() - last >= 5.0) {
      last = now();
      fprintf(o->progress,
              "explore: %.0f s, %zu candidates (%.0f/s), %zu findings (%zu "
              "not explained)\n",
              last - t0, st->candidates, (double)st->candidates / (last - t0),
              st->findings, st->unexplained);
      fflush(o->progress);
    }
  }
  goto done;
oom:
  rc = -1;
done:
  st->seconds = now() - t0;
  free(ms);
  free(b1);
  free(b2);
  free(res);
  free(sigs.t);
  corpus_free(&pool);
  corpus_free(&batch);
  return rc;
}
