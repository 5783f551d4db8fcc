/*
 * diff: the differential harness.
 *
 *   bazel run //diff -- [options] PATH...
 *
 * Runs every input under PATH (files or directories in the corpus layout of
 * shared/spec/verdict.md; a file outside it runs in both roles unless
 * --role says which) through every oracle (h11c, h11py, llhttp,
 * llhttp-lenient, http_parser), compares the verdicts pairwise and reports
 * each disagreement as framing, acceptance, interpretation or status, with
 * the known difference or expected quirk that explains it, if any.  See
 * usage() for the options, and diff/README.md.
 *
 * Exit status: 0; 1 if a run failed, or --fail-on found an unexplained
 * disagreement of that class or worse; 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff/compare/engine.h"
#include "diff/compare/rules.h"
#include "diff/explore/explore.h"
#include "diff/explore/minimise.h"
#include "diff/model/corpus.h"
#include "diff/report/report.h"

static void usage(FILE *f) {
  fprintf(
      f,
      "usage: diff [options] PATH...\n"
      "\n"
      "Runs every input under PATH through the oracles and reports where they\n"
      "disagree.  PATH is a file or a directory in the corpus layout\n"
      "(server/NAME.http, client/NAME[.METHOD].http); default: the\n"
      "workspace's corpus/.\n"
      "\n"
      "  --impl LIST          oracles, comma-separated (default: all of\n"
      "                       h11c,h11py,llhttp,llhttp-lenient,http_parser)\n"
      "  --role server|client role of files outside the layout (default: "
      "both)\n"
      "  --chunk N            deliver inputs in pieces of N bytes\n"
      "  --max-incomplete N   the incomplete-event limit for h11c and h11py\n"
      "  --workers N          h11py worker processes (default: CPUs - 1, at\n"
      "                       least 1)\n"
      "  --top N              inputs listed in the terminal report (default\n"
      "                       20; 0: all)\n"
      "  --json FILE          write the JSON report\n"
      "  --markdown FILE      write the Markdown report\n"
      "  --quiet              no terminal report\n"
      "  --progress / --no-progress   progress lines on stderr (default: on\n"
      "                       runs longer than two seconds)\n"
      "  --minimise           minimise the most severe disagreement of each\n"
      "                       listed input (delta debugging)\n"
      "  --minimise-out DIR   also write the minimised inputs there\n"
      "  --explore SECONDS    mutation search from the inputs for new\n"
      "                       disagreements; report the minimised findings\n"
      "  --explore-out DIR    write the explorer's findings there\n"
      "  --seed N             the explorer's random seed\n"
      "  --benchmark SECONDS  run the inputs repeatedly and print inputs/s\n"
      "  --known FILE         known differences (default: built-in copy of\n"
      "                       diff/known_differences.json)\n"
      "  --quirks FILE        peer quirks (default: built-in copy of\n"
      "                       diff/peer_quirks.json)\n"
      "  --fail-on CLASS      exit 1 if an unexplained disagreement of CLASS\n"
      "                       or worse exists (framing-both-accept, framing,\n"
      "                       acceptance, interpretation, status)\n");
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool parse_num(const char *s, double *out) {
  char *end;
  if (!s || !*s)
    return false;
  errno = 0;
  *out = strtod(s, &end);
  return !errno && !*end && *out >= 0;
}

typedef struct opts {
  const char *impls, *role, *json, *markdown, *min_out, *explore_out;
  const char *known, *quirks, *fail_on;
  double chunk, max_incomplete, workers, top, explore, seed, benchmark;
  bool quiet, minimise, progress_set, progress;
} opts;

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

  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    static const char *valued[] = {
        "--impl",         "--role",    "--chunk",       "--max-incomplete",
        "--workers",      "--top",     "--json",        "--markdown",
        "--minimise-out", "--explore", "--explore-out", "--seed",
        "--benchmark",    "--known",   "--quirks",      "--fail-on"};
    const char *val = NULL;
    size_t v, nv = sizeof valued / sizeof valued[0];
    if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++)
        paths[npaths++] = argv[i];
      break;
    }
    if (a[0] != '-' || a[1] == '\0') {
      paths[npaths++] = a;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    }
    if (strcmp(a, "--quiet") == 0) {
      o.quiet = true;
      continue;
    }
    if (strcmp(a, "--minimise") == 0 || strcmp(a, "--minimize") == 0) {
      o.minimise = true;
      continue;
    }
    if (strcmp(a, "--progress") == 0 || strcmp(a, "--no-progress") == 0) {
      o.progress_set = true;
      o.progress = a[2] == 'p';
      continue;
    }
    for (v = 0; v < nv; v++) {
      size_t l = strlen(valued[v]);
      if (strncmp(a, valued[v], l) == 0 && (a[l] == '=' || !a[l])) {
        if (a[l] == '=')
          val = a + l + 1;
        else if (i + 1 < argc)
          val = argv[++i];
        break;
      }
    }
    if (v == nv) {
      fprintf(stderr, "diff: unknown option: %s\n", a);
      usage(stderr);
      return 2;
    }
    if (!val) {
      fprintf(stderr, "diff: %s needs a value\n", a);
      return 2;
    }
    switch (v) {
    case 0:
      o.impls = val;
      break;
    case 1:
      o.role = val;
      break;
    case 6:
      o.json = val;
      break;
    case 7:
      o.markdown = val;
      break;
    case 8:
      o.min_out = val;
      o.minimise = true;
      break;
    case 10:
      o.explore_out = val;
      break;
    case 13:
      o.known = val;
      break;
    case 14:
      o.quirks = val;
      break;
    case 15:
      o.fail_on = val;
      if (fail_rank(val) < 0) {
        fprintf(stderr, "diff: bad --fail-on: %s\n", val);
        return 2;
      }
      break;
    default: {
      double *dst[] = {NULL,        NULL,       &o.chunk, &o.max_incomplete,
                       &o.workers,  &o.top,     NULL,     NULL,
                       NULL,        &o.explore, NULL,     &o.seed,
                       &o.benchmark};
      if (!parse_num(val, dst[v])) {
        fprintf(stderr, "diff: bad %s: %s\n", valued[v], val);
        return 2;
      }
    }
    }
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
