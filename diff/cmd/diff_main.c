/*
 * diff: the differential harness.
 *
 *   bazel run //diff -- [options] PATH...
 *
 * Runs every input under PATH (files or directories in the corpus layout of
 * diff/model/FORMAT.md; a file outside it runs in both roles unless
 * --role says which) through every oracle (h11c, h11py, llhttp,
 * llhttp-lenient, http_parser), compares the verdicts pairwise and reports
 * each disagreement as framing, acceptance, interpretation or status, with
 * the known difference or expected quirk that explains it, if any.  See
 * OPTIONS for the options (the usage text is made from it), and
 * diff/README.md.
 *
 * Exit status: 0; 1 if a run failed, or --fail-on found an unexplained
 * disagreement of that class or worse; 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff/cmd/options.h"
#include "diff/compare/engine.h"
#include "diff/compare/rules.h"
#include "diff/explore/explore.h"
#include "diff/explore/minimise.h"
#include "diff/model/corpus.h"
#include "diff/report/report.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct opts {
  const char *impls, *role, *json, *markdown, *min_out, *explore_out;
  const char *known, *quirks, *fail_on;
  double chunk, max_incomplete, workers, top, explore, seed, benchmark;
  bool quiet, minimise, progress_set, progress;
} opts;

static int fail_rank(const char *name);

static int set_progress(void *p, const opt_spec *s, const char *val) {
  opts *o = p;
  (void)val;
  o->progress_set = true;
  o->progress = s->name[2] == 'p';
  return 0;
}

static int set_minimise_out(void *p, const opt_spec *s, const char *val) {
  opts *o = p;
  (void)s;
  o->min_out = val;
  o->minimise = true;
  return 0;
}

static int set_fail_on(void *p, const opt_spec *s, const char *val) {
  opts *o = p;
  (void)s;
  o->fail_on = val;
  return fail_rank(val) < 0 ? -1 : 0;
}

#define F(field) offsetof(opts, field)

static const opt_spec OPTIONS[] = {
    {"--impl", OPT_STRING, "LIST", F(impls), NULL,
     "oracles, comma-separated (default: all of\n"
     "h11c,h11py,llhttp,llhttp-lenient,http_parser)"},
    {"--role", OPT_STRING, "server|client", F(role), NULL,
     "role of files outside the layout (default: both)"},
    {"--chunk", OPT_NUMBER, "N", F(chunk), NULL,
     "deliver inputs in pieces of N bytes"},
    {"--max-incomplete", OPT_NUMBER, "N", F(max_incomplete), NULL,
     "the incomplete-event limit for h11c and h11py"},
    {"--workers", OPT_NUMBER, "N", F(workers), NULL,
     "h11py worker processes (default: CPUs - 1, at\nleast 1)"},
    {"--top", OPT_NUMBER, "N", F(top), NULL,
     "inputs listed in the terminal report (default\n20; 0: all)"},
    {"--json", OPT_STRING, "FILE", F(json), NULL, "write the JSON report"},
    {"--markdown", OPT_STRING, "FILE", F(markdown), NULL,
     "write the Markdown report"},
    {"--quiet", OPT_FLAG, NULL, F(quiet), NULL, "no terminal report"},
    {"--progress", OPT_HANDLER, NULL, 0, set_progress,
     "progress lines on stderr (default: on runs\nlonger than two seconds)"},
    {"--no-progress", OPT_HANDLER, NULL, 0, set_progress, "no progress lines"},
    {"--minimise", OPT_FLAG, NULL, F(minimise), NULL,
     "minimise the most severe disagreement of each\n"
     "listed input (delta debugging)"},
    {"--minimize", OPT_FLAG, NULL, F(minimise), NULL, NULL},
    {"--minimise-out", OPT_HANDLER, "DIR", 0, set_minimise_out,
     "also write the minimised inputs there"},
    {"--explore", OPT_NUMBER, "SECONDS", F(explore), NULL,
     "mutation search from the inputs for new\n"
     "disagreements; report the minimised findings"},
    {"--explore-out", OPT_STRING, "DIR", F(explore_out), NULL,
     "write the explorer's findings there"},
    {"--seed", OPT_NUMBER, "N", F(seed), NULL, "the explorer's random seed"},
    {"--benchmark", OPT_NUMBER, "SECONDS", F(benchmark), NULL,
     "run the inputs repeatedly and print inputs/s"},
    {"--known", OPT_STRING, "FILE", F(known), NULL,
     "known differences (default: built-in copy of\n"
     "diff/compare/known_differences.json)"},
    {"--quirks", OPT_STRING, "FILE", F(quirks), NULL,
     "peer quirks (default: built-in copy of\n"
     "diff/compare/peer_quirks.json)"},
    {"--fail-on", OPT_HANDLER, "CLASS", 0, set_fail_on,
     "exit 1 if an unexplained disagreement of CLASS\n"
     "or worse exists (framing-both-accept, framing,\n"
     "acceptance, interpretation, status)"},
};

#undef F

static const opt_cmd COMMAND = {
    "diff",
    "usage: diff [options] PATH...\n"
    "\n"
    "Runs every input under PATH through the oracles and reports where they\n"
    "disagree.  PATH is a file or a directory in the corpus layout\n"
    "(server/NAME.http, client/NAME[.METHOD].http); default: the\n"
    "workspace's corpus/.\n"
    "\n",
    NULL,
    OPTIONS,
    sizeof OPTIONS / sizeof OPTIONS[0],
    true,
};

/* Runs the engine over the corpus in slices, with progress lines. */
static void run_all(engine *e, const corpus *c, engine_result *res,
                    const opts *o, double *secs) {
  double t0 = now(), last = t0;
  size_t i, slice = 1024;
  bool progress = o->progress_set ? o->progress : true;
  for (i = 0; i < c->n; i += slice) {
    size_t m = c->n - i < slice ? c->n - i : slice;
    engine_run(e, c->items + i, m, res + i);
    if (progress && now() - last >= 2.0) {
      last = now();
      fprintf(stderr, "diff: %zu/%zu inputs, %.0f inputs/s\n", i + m, c->n,
              (double)(i + m) / (last - t0));
    }
  }
  *secs = now() - t0;
}

static int fail_rank(const char *name) {
  if (!name)
    return 0;
  if (strcmp(name, "framing-both-accept") == 0)
    return 5;
  if (strcmp(name, "framing") == 0)
    return 4;
  if (strcmp(name, "acceptance") == 0)
    return 3;
  if (strcmp(name, "interpretation") == 0)
    return 2;
  if (strcmp(name, "status") == 0)
    return 1;
  return -1;
}

static int benchmark(engine *e, const corpus *c, double seconds) {
  engine_result *res = calloc(c->n ? c->n : 1, sizeof *res);
  double t0, t, in_proc = 0;
  size_t total = 0, i, rounds = 0;
  int s;
  if (!res)
    return 1;
  if (c->n == 0) {
    fprintf(stderr, "diff: no inputs\n");
    free(res);
    return 1;
  }
  /* Warm up (starts the workers, fills caches). */
  engine_run(e, c->items, c->n < 64 ? c->n : 64, res);
  for (i = 0; i < (c->n < 64 ? c->n : 64); i++)
    engine_result_free(&res[i]);
  t0 = now();
  do {
    engine_run(e, c->items, c->n, res);
    for (i = 0; i < c->n; i++)
      engine_result_free(&res[i]);
    total += c->n;
    rounds++;
    t = now() - t0;
  } while (t < seconds);
  printf("benchmark: %zu inputs (%zu passes over %zu) through %d oracles "
         "(",
         total, rounds, c->n, e->n);
  for (s = 0; s < e->n; s++)
    printf("%s%s", s ? ", " : "", engine_name(e, s));
  printf(") with comparison and explanation, in %.2f s: %.0f inputs/s", t,
         (double)total / t);
  if (e->pool)
    printf(" (h11py: %d worker process%s)", h11py_pool_size(e->pool),
           h11py_pool_size(e->pool) > 1 ? "es" : "");
  printf("\n");
  /* Each in-process oracle alone, for scale. */
  for (s = 0; s < e->n; s++) {
    verdict_params p;
    size_t n = 0;
    double t1;
    if (!oracle_list[e->idx[s]].in_process)
      continue;
    t1 = now();
    do {
      for (i = 0; i < c->n; i++) {
        verdict v;
        char err[128];
        memset(&p, 0, sizeof p);
        p.role = c->items[i].role;
        p.method = c->items[i].method[0] ? c->items[i].method : NULL;
        oracle_list[e->idx[s]].fn(&p, c->items[i].data, c->items[i].len, &v,
                                  err, sizeof err);
        verdict_free(&v);
      }
      n += c->n;
    } while (now() - t1 < 0.5);
    in_proc = now() - t1;
    printf("  %-15s alone: %.0f inputs/s\n", engine_name(e, s),
           (double)n / in_proc);
  }
  free(res);
  return 0;
}

int main(int argc, char **argv) {
  opts o;
  corpus c;
  rulebook *rb = NULL;
  engine e;
  engine_result *res = NULL;
  report rep;
  char err[1024];
  const char *ws = getenv("BUILD_WORKSPACE_DIRECTORY");
  const char *wd = getenv("BUILD_WORKING_DIRECTORY");
  verdict_role role_override;
  int i, status = 0;
  size_t k;
  char default_path[4096];
  const char **paths;
  int npaths = 0;

  memset(&o, 0, sizeof o);
  memset(&c, 0, sizeof c);
  memset(&rep, 0, sizeof rep);
  o.top = 20;
  o.workers = 0;
  paths = calloc((size_t)argc + 1, sizeof *paths);
  if (!paths)
    return 1;

  i = opt_parse(&COMMAND, argc, argv, &o, paths, &npaths, NULL);
  if (i != OPT_OK) {
    free(paths);
    return i == OPT_HELP ? 0 : 2;
  }
  if (o.role && strcmp(o.role, "server") != 0 &&
      strcmp(o.role, "client") != 0) {
    fprintf(stderr, "diff: --role must be server or client\n");
    return 2;
  }
  role_override =
      o.role && strcmp(o.role, "client") == 0 ? VERDICT_CLIENT : VERDICT_SERVER;

  /* Under `bazel run`, paths are the caller's. */
  if (wd && *wd && chdir(wd) != 0) {
    fprintf(stderr, "diff: cannot enter %s: %s\n", wd, strerror(errno));
    return 1;
  }
  if (npaths == 0) {
    snprintf(default_path, sizeof default_path, "%s%scorpus",
             ws && *ws ? ws : "", ws && *ws ? "/" : "");
    paths[npaths++] = default_path;
  }
  for (i = 0; i < npaths; i++) {
    if (corpus_add_path(&c, paths[i], o.role ? &role_override : NULL, err,
                        sizeof err) != 0) {
      fprintf(stderr, "diff: %s\n", err);
      return 1;
    }
  }
  if (rulebook_load(&rb, o.known, o.quirks, err, sizeof err) != 0) {
    fprintf(stderr, "diff: %s\n", err);
    return 1;
  }
  if (engine_init(&e, o.impls, (int)o.workers, rb, err, sizeof err) != 0) {
    fprintf(stderr, "diff: %s\n", err);
    rulebook_free(rb);
    return 1;
  }
  e.chunk = (size_t)o.chunk;
  e.max_incomplete = (size_t)o.max_incomplete;

  if (o.benchmark > 0) {
    status = benchmark(&e, &c, o.benchmark);
    goto out;
  }

  if (o.explore > 0) {
    explore_opts xo;
    explore_stats st;
    corpus found;
    memset(&xo, 0, sizeof xo);
    memset(&found, 0, sizeof found);
    xo.seconds = o.explore;
    xo.seed = (uint64_t)o.seed;
    xo.out_dir = o.explore_out;
    xo.progress = (o.progress_set ? o.progress : true) ? stderr : NULL;
    if (explore_run(&e, &c, &xo, &st, &found) != 0) {
      fprintf(stderr,
              "diff: the explorer failed (out of memory, or %s "
              "cannot be written)\n",
              o.explore_out ? o.explore_out : "the output");
      status = 1;
    }
    printf("Explorer: %.0f s, %zu candidates (%.0f/s) from %zu seeds: %zu "
           "new disagreements (%zu not explained).\n",
           st.seconds, st.candidates,
           st.seconds > 0 ? (double)st.candidates / st.seconds : 0.0, c.n,
           st.findings, st.unexplained);
    printf("  by class of the pair minimised (not explained):");
    for (i = 5; i >= 1; i--) {
      static const char *lbl[6] = {
          "",           "status",  "interpretation",
          "acceptance", "framing", "framing, both accept"};
      printf("%s %s %zu (%zu)", i == 5 ? "" : ",", lbl[i], st.by_rank[i],
             st.by_rank_unexplained[i]);
    }
    printf("\n");
    if (o.explore_out)
      printf("  findings written to %s/ (findings.jsonl lists them)\n",
             o.explore_out);
    printf("\n");
    corpus_free(&c);
    c = found;
  }

  res = calloc(c.n ? c.n : 1, sizeof *res);
  if (!res) {
    status = 1;
    goto out;
  }
  rep.e = &e;
  rep.c = &c;
  rep.res = res;
  rep.top = (size_t)o.top;
  run_all(&e, &c, res, &o, &rep.seconds);

  if (o.minimise) {
    size_t *order, norder, shown;
    rep.min_data = calloc(c.n ? c.n : 1, sizeof *rep.min_data);
    rep.min_len = calloc(c.n ? c.n : 1, sizeof *rep.min_len);
    rep.min_pair = calloc(c.n ? c.n : 1, sizeof *rep.min_pair);
    order = report_order(&rep, &norder);
    shown = rep.top && rep.top < norder ? rep.top : norder;
    for (k = 0;
         rep.min_data && rep.min_len && rep.min_pair && order && k < shown;
         k++) {
      size_t x = order[k], j;
      engine_result *r = &res[x];
      const engine_pair *best = NULL;
      int key = -1;
      char *pair;
      for (j = 0; j < r->npairs; j++) {
        int kk = diff_rank(&r->pairs[j].d) + (r->pairs[j].why ? 0 : 10);
        if (kk > key) {
          key = kk;
          best = &r->pairs[j];
        }
      }
      if (!best)
        continue;
      if (minimise(&e, best->a, best->b, &best->d, best->why, c.items[x].role,
                   c.items[x].method, c.items[x].path, c.items[x].data,
                   c.items[x].len, &rep.min_data[x], &rep.min_len[x], 0,
                   NULL) != 0)
        continue;
      pair = malloc(64);
      if (pair)
        snprintf(pair, 64, "%s~%s", engine_name(&e, best->a),
                 engine_name(&e, best->b));
      rep.min_pair[x] = pair;
      if (o.min_out && pair) {
        char file[4096];
        const char *base = strrchr(c.items[x].path, '/');
        FILE *f;
        base = base ? base + 1 : c.items[x].path;
        snprintf(file, sizeof file, "%s/%s", o.min_out,
                 verdict_role_name(c.items[x].role));
        if (corpus_mkdir_p(file) != 0)
          continue;
        snprintf(file, sizeof file, "%s/%s/min-%s", o.min_out,
                 verdict_role_name(c.items[x].role), base);
        f = fopen(file, "wb");
        if (f) {
          fwrite(rep.min_data[x], 1, rep.min_len[x], f);
          fclose(f);
        }
      }
    }
    free(order);
  }

  if (!o.quiet)
    report_terminal(stdout, &rep);
  if (o.json && report_json(o.json, &rep) != 0) {
    fprintf(stderr, "diff: cannot write %s\n", o.json);
    status = 1;
  }
  if (o.markdown && report_markdown(o.markdown, &rep) != 0) {
    fprintf(stderr, "diff: cannot write %s\n", o.markdown);
    status = 1;
  }
  for (k = 0; k < c.n; k++) {
    if (res[k].failed)
      status = 1;
    if (o.fail_on && res[k].worst_unexplained >= fail_rank(o.fail_on))
      status = 1;
  }
  if (rep.min_data)
    for (k = 0; k < c.n; k++) {
      free(rep.min_data[k]);
      free((void *)rep.min_pair[k]);
    }
  free(rep.min_data);
  free(rep.min_len);
  free(rep.min_pair);
  for (k = 0; k < c.n; k++)
    engine_result_free(&res[k]);
  free(res);

out:
  engine_free(&e);
  rulebook_free(rb);
  corpus_free(&c);
  free(paths);
  fflush(stdout);
  return status;
}
