/*
 * The h11c benchmark (issue 5): h11c against llhttp 8.1.0, http_parser
 * 2.9.4, picohttpparser and Python's h11 on the same pipelined workloads,
 * with memchr over each buffer as the physical reference.
 *
 *   bazel run -c opt //tools/bench [-- --quick] [-- --no-callgrind]
 *
 * One run prints the workloads, a throughput table (MB/s and messages/s:
 * median [min .. max] of several runs), a cost table (instructions per
 * byte and per message under callgrind, heap allocations per message,
 * bytes per idle connection), the targets of the issue with their status,
 * and as its last line
 *
 *   h11c/llhttp msgs/s: a=R b=R c=R d=R
 *
 * Every figure is printed beside its ratio to llhttp's in the same row.
 * Before any figure is taken, every peer's counts of messages, header
 * fields and body bytes are checked against the workload's; a peer that
 * parsed something else is reported and the exit status is 1.
 *
 * Modes (tools/bench/README.md):
 *   --quick          smaller inputs, fewer runs (about 15 s)
 *   --no-callgrind   skip the instruction counts
 *   --no-python      skip Python h11
 *   --runs N         timed runs per figure (default 11, --quick 3)
 *   --verify         check every peer's counts once, print one line per
 *                    check and "N passed, N failed" (the Bazel test)
 *   --callgrind-keep DIR   keep callgrind's per-region profiles in DIR
 *                    (callgrind_annotate DIR/cg.out.N); names in
 *                    DIR/regions.txt
 *   --callgrind-child      internal: run every region once under callgrind
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <h11c.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

extern char **environ;
/* tools/bench/h11_bench.py, embedded by the BUILD file. */
extern const char h11_bench_py[];

#define MAX_RUNS 64

/* ------------------------------------------------------------------------ */
/* Peers and rows                                                           */
/* ------------------------------------------------------------------------ */

enum { P_MEMCHR, P_H11C, P_LLHTTP, P_HTTP_PARSER, P_PICO, NPEERS };

static const struct {
  const char *name;
  peer_fn fn;
} peers[NPEERS] = {
    {"memchr", peer_memchr},       {"h11c", peer_h11c},
    {"llhttp", peer_llhttp},       {"http_parser", peer_http_parser},
    {"picohttpparser", peer_pico},
};

/* Python h11's modes. */
enum { H_RECV, H_FULL, NH11 };
static const char *const h11_mode_names[NH11] = {"recv", "full"};

#define NKEYS 5 /* a .. e */
static const char keys[NKEYS] = {'a', 'b', 'c', 'd', 'e'};
static const size_t pieces[] = {1, 7, 64};
#define NPIECES (sizeof pieces / sizeof pieces[0])

typedef struct figure {
  bool ran; /* the peer supports the row and was run */
  bool bad; /* a run disagreed with the workload */
  bench_result first;
  double t[MAX_RUNS];
  int nt;
  /* Under callgrind (smaller inputs): instructions, and the messages and
     bytes (input, or output for the send side) they were spent on. */
  double ir, ir_msgs, ir_bytes;
} figure;

typedef struct row {
  char name[8]; /* "a", "a/7" */
  int key;      /* index into keys */
  size_t piece; /* 0: whole */
  workload w;
  figure fig[NPEERS];
  /* Python h11 (whole rows a-d: recv and full; e: full is the send). */
  figure h11[NH11];
  size_t h11_messages;
  size_t h11_bytes;
  size_t idle[NPEERS];
} row;

#define MAX_ROWS (NKEYS + 4 * NPIECES)
static row rows[MAX_ROWS];
static int nrows;

typedef struct config {
  bool quick, verify, callgrind, python, child;
  int runs;
  const char *keep_dir;
} config;

/* Message counts: whole rows, piece rows (f), callgrind, Python h11. */
static const size_t counts_full[NKEYS] = {16384, 4096, 1024, 128, 4096};
static const size_t counts_f[NKEYS] = {2048, 512, 128, 16, 0};
static const size_t counts_cg[NKEYS] = {512, 128, 32, 4, 128};
static const size_t counts_py[NKEYS] = {3000, 1000, 1000, 60, 1000};
static const size_t counts_verify[NKEYS] = {48, 24, 12, 3, 12};

static workload whole[NKEYS];
static workload pywork[NKEYS];

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

bool peer_memchr(const workload *w, size_t piece, bench_result *r) {
  const void *p;
  if (piece || w->kind == WL_SEND)
    return false;
  p = memchr(w->buf, 0, w->len); /* no NUL in any workload */
  if (p)
    bench_fail(r, "memchr found a NUL");
  r->messages = w->messages;
  r->body_bytes = w->body_bytes;
  r->headers = w->headers;
  return true;
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median, min and max of f's times. */
static void stats(const figure *f, double *med, double *mn, double *mx) {
  double s[MAX_RUNS];
  int n = f->nt;
  memcpy(s, f->t, sizeof(double) * (size_t)n);
  qsort(s, (size_t)n, sizeof(double), cmp_double);
  *mn = s[0];
  *mx = s[n - 1];
  *med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static bool fig_ok(const figure *f) { return f->ran && !f->bad && f->nt > 0; }

static double msgs_per_s(const figure *f, size_t messages) {
  double med, mn, mx;
  if (!fig_ok(f))
    return NAN;
  stats(f, &med, &mn, &mx);
  return (double)messages / med;
}

static row *find_row(const char *name) {
  int i;
  for (i = 0; i < nrows; i++)
    if (strcmp(rows[i].name, name) == 0)
      return &rows[i];
  return NULL;
}

/* Whether r matches what w holds; explains the difference in why. */
static bool result_matches(const workload *w, const bench_result *r, char *why,
                           size_t whylen) {
  if (r->failed) {
    snprintf(why, whylen, "%s", r->error);
    return false;
  }
  if (r->messages != w->messages || r->body_bytes != w->body_bytes ||
      r->headers != w->headers) {
    snprintf(why, whylen,
             "messages %llu, body bytes %llu, header fields %llu; "
             "expected %zu, %llu, %llu",
             (unsigned long long)r->messages, (unsigned long long)r->body_bytes,
             (unsigned long long)r->headers, w->messages,
             (unsigned long long)w->body_bytes, (unsigned long long)w->headers);
    return false;
  }
  if (r->copied_data) {
    snprintf(why, whylen, "%llu Data bodies were copied",
             (unsigned long long)r->copied_data);
    return false;
  }
  return true;
}

static void build_rows(const config *cfg) {
  int k;
  size_t p;
  const size_t *full = cfg->verify  ? counts_verify
                       : cfg->child ? counts_cg
                                    : counts_full;
  const size_t *f = cfg->verify  ? counts_verify
                    : cfg->child ? counts_cg
                                 : counts_f;
  size_t div = cfg->quick && !cfg->verify && !cfg->child ? 8 : 1;
  for (k = 0; k < NKEYS; k++) {
    size_t n = full[k] / div;
    whole[k] = workload_make(keys[k], n ? n : 1);
  }
  for (k = 0; k < NKEYS; k++) {
    row *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%c", keys[k]);
    r->key = k;
    r->w = whole[k];
  }
  for (k = 0; k < 4; k++) {
    for (p = 0; p < NPIECES; p++) {
      row *r = &rows[nrows++];
      size_t n = f[k] / (div > 1 ? 4 : 1);
      memset(r, 0, sizeof *r);
      snprintf(r->name, sizeof r->name, "%c/%zu", keys[k], pieces[p]);
      r->key = k;
      r->piece = pieces[p];
      r->w = workload_prefix(&whole[k], n ? n : 1);
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Timing                                                                   */
/* ------------------------------------------------------------------------ */

/* One timed sample of a peer on a row: reps passes, each checked.
 * Returns the CPU time of one pass, or a negative value on a mismatch. */
static double sample(row *r, int p, int reps, int run) {
  figure *f = &r->fig[p];
  double t0, t1;
  int i;
  bench_result res[2];
  char why[256];
  t0 = cpu_now();
  for (i = 0; i < reps; i++) {
    bench_result *x = &res[i & 1];
    memset(x, 0, sizeof *x);
    peers[p].fn(&r->w, r->piece, x);
    if (x->failed || x->messages != r->w.messages) {
      res[0] = *x;
      break;
    }
  }
  t1 = cpu_now();
  if (!result_matches(&r->w, &res[0], why, sizeof why)) {
    f->bad = true;
    fprintf(stderr, "bench: row %s: %s, run %d: %s\n", r->name, peers[p].name,
            run + 1, why);
    return -1;
  }
  return (t1 - t0) / reps;
}

static void time_rows(const config *cfg) {
  int i, p, run;
  /* Each sample lasts at least this long: short passes are repeated. */
  double min_sample = cfg->quick ? 0.004 : 0.025;
  for (i = 0; i < nrows; i++) {
    row *r = &rows[i];
    int reps[NPEERS];
    /* A first pass: does the peer take part, did it parse what the
       workload holds; it also warms the caches and sizes the samples. */
    for (p = 0; p < NPEERS; p++) {
      figure *f = &r->fig[p];
      char why[256];
      double t0, t;
      memset(&f->first, 0, sizeof f->first);
      t0 = cpu_now();
      f->ran = peers[p].fn(&r->w, r->piece, &f->first);
      t = cpu_now() - t0;
      reps[p] = t >= min_sample           ? 1
                : t <= min_sample / 10000 ? 10000
                                          : (int)(min_sample / t) + 1;
      if (f->ran && !result_matches(&r->w, &f->first, why, sizeof why)) {
        f->bad = true;
        fprintf(stderr, "bench: row %s: %s: %s\n", r->name, peers[p].name, why);
      }
    }
    if (cfg->verify)
      continue;
    /* Runs interleave the peers, so that a slow patch of the machine
       hits them all alike. */
    for (run = 0; run < cfg->runs; run++) {
      for (p = 0; p < NPEERS; p++) {
        figure *f = &r->fig[p];
        double t;
        if (!f->ran || f->bad)
          continue;
        t = sample(r, p, reps[p], run);
        if (t >= 0)
          f->t[f->nt++] = t;
      }
    }
  }
}

static void measure_idle(void) {
  int i;
  for (i = 0; i < nrows; i++) {
    row *r = &rows[i];
    if (r->piece)
      continue;
    r->idle[P_H11C] = idle_bytes_h11c(&r->w);
    if (r->w.kind != WL_SEND) {
      r->idle[P_LLHTTP] = idle_bytes_llhttp();
      r->idle[P_HTTP_PARSER] = idle_bytes_http_parser();
      r->idle[P_PICO] = idle_bytes_pico(&r->w);
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Callgrind                                                                */
/* ------------------------------------------------------------------------ */

/* Under callgrind: every (row, peer) once, each in its own profile dump
 * named "ROW PEER". */
static int callgrind_child(void) {
  int i, p;
  CALLGRIND_START_INSTRUMENTATION;
  for (i = 0; i < nrows; i++) {
    for (p = 0; p < NPEERS; p++) {
      bench_result res;
      char name[64];
      bool ran;
      memset(&res, 0, sizeof res);
      snprintf(name, sizeof name, "%.7s %.31s", rows[i].name, peers[p].name);
      CALLGRIND_ZERO_STATS;
      ran = peers[p].fn(&rows[i].w, rows[i].piece, &res);
      CALLGRIND_DUMP_STATS_AT(name);
      /* Dump N (cg.out.N) is this region. */
      if (ran)
        printf("region %s %zu %llu %d\n", name, rows[i].w.messages,
               (unsigned long long)(rows[i].w.kind == WL_SEND ? res.out_bytes
                                                              : rows[i].w.len),
               i * NPEERS + p + 1);
    }
  }
  return 0;
}

static char tmp_root[256];

static const char *make_tmp_dir(void) {
  const char *base = getenv("TEST_TMPDIR");
  if (!base || !*base)
    base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  if (!tmp_root[0]) {
    snprintf(tmp_root, sizeof tmp_root, "%s/h11c-bench.XXXXXX", base);
    if (!mkdtemp(tmp_root)) {
      tmp_root[0] = 0;
      return NULL;
    }
  }
  return tmp_root;
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[1024];
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      remove_tree(path);
    else
      unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

/* Runs argv with stdout to out_path (NULL: inherited) and stderr to
 * err_path (NULL: inherited).  Returns the exit status, or -1. */
static int run_program(char *const argv[], const char *out_path,
                       const char *err_path) {
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status, rc;
  posix_spawn_file_actions_init(&fa);
  if (out_path)
    posix_spawn_file_actions_addopen(&fa, 1, out_path,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (err_path)
    posix_spawn_file_actions_addopen(&fa, 2, err_path,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0)
    return -1;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int peer_index(const char *name) {
  int p;
  for (p = 0; p < NPEERS; p++)
    if (strcmp(peers[p].name, name) == 0)
      return p;
  return -1;
}

/* Reads one dump's "Trigger: Client Request: ROW PEER" and "totals: N"
 * lines into the row's figure. */
static void read_dump(const char *path) {
  FILE *f = fopen(path, "r");
  char line[512], rname[16] = "", pname[32] = "";
  double total = -1;
  if (!f)
    return;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "desc: Trigger: Client Request: ", 31) == 0) {
      if (sscanf(line + 31, "%15s %31s", rname, pname) != 2)
        rname[0] = 0;
    } else if (strncmp(line, "totals: ", 8) == 0) {
      total = strtod(line + 8, NULL);
    } else if (strncmp(line, "summary: ", 9) == 0 && total < 0) {
      total = strtod(line + 9, NULL);
    }
  }
  fclose(f);
  if (rname[0] && total >= 0) {
    row *r = find_row(rname);
    int p = peer_index(pname);
    if (r && p >= 0)
      r->fig[p].ir = total;
  }
}

/* Reads the child's "region ROW PEER MESSAGES BYTES DUMP" lines. */
static void read_regions(const char *path) {
  FILE *f = fopen(path, "r");
  char rname[16], pname[32];
  unsigned long long msgs, bytes;
  int dump;
  if (!f)
    return;
  while (fscanf(f, "region %15s %31s %llu %llu %d\n", rname, pname, &msgs,
                &bytes, &dump) == 5) {
    row *r = find_row(rname);
    int p = peer_index(pname);
    if (r && p >= 0) {
      r->fig[p].ir_msgs = (double)msgs;
      r->fig[p].ir_bytes = (double)bytes;
    }
  }
  fclose(f);
}

static const char *valgrind_path(void) {
  static const char *const cands[] = {"/usr/bin/valgrind",
                                      "/usr/local/bin/valgrind"};
  size_t i;
  for (i = 0; i < sizeof cands / sizeof cands[0]; i++)
    if (access(cands[i], X_OK) == 0)
      return cands[i];
  return NULL;
}

/* Re-runs this program under callgrind and reads the counts; on failure
 * leaves a note for the report. */
static void run_callgrind(const config *cfg, char *note, size_t notelen) {
  char self[1024], outopt[600], dir[512], log[600], names[600];
  const char *vg = valgrind_path(), *tmp;
  char *argv[8];
  int argc = 0, rc;
  ssize_t n;
  DIR *d;
  struct dirent *e;
  note[0] = 0;
  if (!vg) {
    snprintf(note, notelen, "valgrind not found: no instruction counts");
    return;
  }
  n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    snprintf(note, notelen, "cannot find this program: no callgrind");
    return;
  }
  self[n] = 0;
  if (cfg->keep_dir) {
    snprintf(dir, sizeof dir, "%s", cfg->keep_dir);
    mkdir(dir, 0755);
  } else {
    tmp = make_tmp_dir();
    if (!tmp) {
      snprintf(note, notelen, "no temporary directory: no callgrind");
      return;
    }
    snprintf(dir, sizeof dir, "%s/callgrind", tmp);
    mkdir(dir, 0755);
  }
  snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s/cg.out", dir);
  snprintf(log, sizeof log, "%s/valgrind.log", dir);
  snprintf(names, sizeof names, "%s/regions.txt", dir);
  argv[argc++] = (char *)vg;
  argv[argc++] = (char *)"--tool=callgrind";
  argv[argc++] = (char *)"--instr-atstart=no";
  argv[argc++] = outopt;
  argv[argc++] = self;
  argv[argc++] = (char *)"--callgrind-child";
  argv[argc] = NULL;
  rc = run_program(argv, names, log);
  if (rc != 0) {
    snprintf(note, notelen, "callgrind failed (exit status %d, log %s)", rc,
             log);
    return;
  }
  read_regions(names);
  d = opendir(dir);
  if (!d) {
    snprintf(note, notelen, "callgrind wrote nothing");
    return;
  }
  while ((e = readdir(d)) != NULL) {
    char path[1024];
    if (strncmp(e->d_name, "cg.out.", 7) != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    read_dump(path);
  }
  closedir(d);
}

/* ------------------------------------------------------------------------ */
/* Python h11                                                               */
/* ------------------------------------------------------------------------ */

static const char *python_path(void) {
  const char *p = getenv("H11C_BENCH_PYTHON");
  return p && *p ? p : "/usr/bin/python3";
}

static int python_runs(const config *cfg) {
  return cfg->verify ? 1 : (cfg->runs < 7 ? cfg->runs : 7);
}

static bool write_file(const char *path, const uint8_t *p, size_t n) {
  FILE *f = fopen(path, "wb");
  bool ok;
  if (!f)
    return false;
  ok = fwrite(p, 1, n, f) == n;
  return fclose(f) == 0 && ok;
}

static char h11_version[64] = "?";

/* Runs tools/bench/h11_bench.py; on failure leaves a note. */
static void run_python(const config *cfg, char *note, size_t notelen) {
  const char *tmp = make_tmp_dir(), *py = python_path();
  char paths[NKEYS][600], jobs[16][700], hdrs[BENCH_SEND_NHEADERS][200];
  char outp[600], errp[600], runs[16], line[4096];
  char *argv[48];
  int argc = 0, k, m, njobs = 0, rc, i;
  FILE *f;
  note[0] = 0;
  if (access(py, X_OK) != 0) {
    snprintf(note, notelen, "%s not found: no Python h11 figures", py);
    return;
  }
  if (!tmp) {
    snprintf(note, notelen, "no temporary directory: no Python h11 figures");
    return;
  }
  argv[argc++] = (char *)py;
  argv[argc++] = (char *)"-c";
  argv[argc++] = (char *)h11_bench_py;
  snprintf(runs, sizeof runs, "%d", python_runs(cfg));
  argv[argc++] = runs;
  for (k = 0; k < NKEYS; k++) {
    const workload *w = &pywork[k];
    snprintf(paths[k], sizeof paths[k], "%s/h11_%c.bin", tmp, keys[k]);
    if (!write_file(paths[k], w->buf, w->len)) {
      snprintf(note, notelen, "cannot write %.500s", paths[k]);
      return;
    }
    if (w->kind == WL_SEND) {
      snprintf(jobs[njobs], sizeof jobs[njobs], "%c:send:send:%.500s", keys[k],
               paths[k]);
      argv[argc++] = jobs[njobs++];
      continue;
    }
    for (m = 0; m < NH11; m++) {
      snprintf(jobs[njobs], sizeof jobs[njobs], "%c:%s:%s:%.500s", keys[k],
               w->kind == WL_REQUESTS ? "requests" : "responses",
               h11_mode_names[m], paths[k]);
      argv[argc++] = jobs[njobs++];
    }
  }
  for (i = 0; i < BENCH_SEND_NHEADERS; i++) {
    snprintf(hdrs[i], sizeof hdrs[i], "header:%s:%s", bench_send_headers[i][0],
             bench_send_headers[i][1]);
    argv[argc++] = hdrs[i];
  }
  argv[argc] = NULL;
  snprintf(outp, sizeof outp, "%s/h11.out", tmp);
  snprintf(errp, sizeof errp, "%s/h11.err", tmp);
  rc = run_program(argv, outp, errp);
  f = fopen(outp, "r");
  while (f && fgets(line, sizeof line, f)) {
    char key, mode[16], times[3000];
    unsigned long long msgs, body, nh, out;
    row *r;
    figure *fig;
    const workload *w;
    char *tok, *save = NULL;
    if (strncmp(line, "h11-missing", 11) == 0) {
      snprintf(note, notelen, "Python h11 not importable by %s", py);
      break;
    }
    if (strncmp(line, "h11-version ", 12) == 0) {
      snprintf(h11_version, sizeof h11_version, "%.60s", line + 12);
      h11_version[strcspn(h11_version, "\n")] = 0;
      continue;
    }
    if (strncmp(line, "h11-error ", 10) == 0) {
      fprintf(stderr, "bench: %s", line);
      continue;
    }
    if (sscanf(line, "h11 %c %15s %llu %llu %llu %llu %2999s", &key, mode,
               &msgs, &body, &nh, &out, times) != 7)
      continue;
    for (k = 0; k < NKEYS && keys[k] != key; k++)
      ;
    if (k == NKEYS)
      continue;
    r = &rows[k];
    w = &pywork[k];
    fig = &r->h11[strcmp(mode, "recv") == 0 ? H_RECV : H_FULL];
    fig->ran = true;
    fig->first.messages = msgs;
    fig->first.body_bytes = body;
    fig->first.headers = nh;
    fig->first.out_bytes = out;
    if (msgs != w->messages || body != w->body_bytes || nh != w->headers) {
      fig->bad = true;
      fprintf(stderr,
              "bench: row %c: h11 %s: messages %llu, body bytes %llu, "
              "header fields %llu; expected %zu, %llu, %llu\n",
              key, mode, msgs, body, nh, w->messages,
              (unsigned long long)w->body_bytes,
              (unsigned long long)w->headers);
    }
    for (tok = strtok_r(times, ",", &save); tok && fig->nt < MAX_RUNS;
         tok = strtok_r(NULL, ",", &save))
      fig->t[fig->nt++] = strtod(tok, NULL);
  }
  if (f)
    fclose(f);
  if (!note[0] && rc != 0) {
    FILE *e = fopen(errp, "r");
    char first[300] = "";
    if (e) {
      if (!fgets(first, sizeof first, e))
        first[0] = 0;
      fclose(e);
    }
    first[strcspn(first, "\n")] = 0;
    snprintf(note, notelen, "Python h11 exited with status %d: %s", rc, first);
  }
}

/* ------------------------------------------------------------------------ */
/* Report                                                                   */
/* ------------------------------------------------------------------------ */

static const char *fmt_ratio(char *buf, size_t n, double x, double base) {
  double q = x / base;
  if (isnan(q) || isinf(q) || base <= 0)
    snprintf(buf, n, "%s", "   -");
  else if (q >= 1000)
    snprintf(buf, n, "%.0f", q);
  else
    snprintf(buf, n, "%.3g", q);
  return buf;
}

/* A ratio judged against a threshold: enough digits not to round across
 * it. */
static const char *fmt_target(char *buf, size_t n, double x, double base) {
  double q = x / base;
  if (isnan(q) || isinf(q) || base <= 0)
    snprintf(buf, n, "%s", "   -");
  else if (q < 10)
    snprintf(buf, n, "%.3f", q);
  else
    snprintf(buf, n, "%.1f", q);
  return buf;
}

static const char *fmt_num(char *buf, size_t n, double x, int prec) {
  if (isnan(x))
    snprintf(buf, n, "%s", "n/a");
  else
    snprintf(buf, n, "%.*f", prec, x);
  return buf;
}

/* Bytes a figure's rate counts: the input, or for the send side the
 * serialised output. */
static double fig_bytes(const row *r, const figure *f, size_t msgs) {
  if (r->w.kind == WL_SEND)
    return (double)f->first.out_bytes;
  return (double)r->w.msg_len * (double)msgs;
}

typedef struct rates {
  double mb, mb_lo, mb_hi, msg, msg_lo, msg_hi;
} rates;

static rates fig_rates(const row *r, const figure *f, size_t msgs) {
  rates x;
  double med, mn, mx, b = fig_bytes(r, f, msgs);
  if (!fig_ok(f)) {
    x.mb = x.mb_lo = x.mb_hi = x.msg = x.msg_lo = x.msg_hi = NAN;
    return x;
  }
  stats(f, &med, &mn, &mx);
  x.mb = b / med / 1e6;
  x.mb_lo = b / mx / 1e6;
  x.mb_hi = b / mn / 1e6;
  x.msg = (double)msgs / med;
  x.msg_lo = (double)msgs / mx;
  x.msg_hi = (double)msgs / mn;
  return x;
}

static void print_rate_line(const char *rname, const char *pname, rates x,
                            rates base) {
  char a[32], b[32], c[32], d[32], e[32], g[32], h[32], i[32];
  printf("%-5s %-15s %10s (x%-5s) [%10s .. %10s] %11s (x%-5s) [%11s .. "
         "%11s]\n",
         rname, pname, fmt_num(a, sizeof a, x.mb, 1),
         fmt_ratio(b, sizeof b, x.mb, base.mb),
         fmt_num(c, sizeof c, x.mb_lo, 1), fmt_num(d, sizeof d, x.mb_hi, 1),
         fmt_num(e, sizeof e, x.msg, 0),
         fmt_ratio(g, sizeof g, x.msg, base.msg),
         fmt_num(h, sizeof h, x.msg_lo, 0), fmt_num(i, sizeof i, x.msg_hi, 0));
}

static void print_header(const config *cfg) {
  int k;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  printf("h11c benchmark (tools/bench, issue 5)\n");
#if defined(__OPTIMIZE__)
  printf("build: %s %s, optimised (bazel -c opt: -O2)",
#if defined(__clang__)
         "clang",
#else
         "gcc",
#endif
         __VERSION__);
#else
  printf("build: %s, NOT OPTIMISED: use bazel run -c opt //tools/bench",
         __VERSION__);
#endif
  printf("; %ld CPUs online\n%d timed runs per figure, each at least %d ms "
         "(short passes repeated); time is the CPU time of the benchmark "
         "thread\n",
         cpus, cfg->runs, cfg->quick ? 4 : 25);
  printf("peers: h11c %s | llhttp 8.1.0 (Debian's C sources, default "
         "settings) | http_parser 2.9.4 | picohttpparser (h2o 2.2.5's, "
         "Debian libh2o-evloop0.13) | Python h11 %s | memchr (glibc)\n",
         H11C_VERSION_STRING, h11_version);
  printf("\nworkloads (each one buffer of pipelined messages):\n");
  for (k = 0; k < NKEYS; k++) {
    const workload *w = &whole[k];
    printf("  %c  %-62s %5zu B/msg %6zu msgs %6.2f MB\n", keys[k], w->title,
           w->msg_len, w->messages, (double)w->len / 1e6);
  }
  printf("  f  a-d delivered 1, 7 and 64 bytes per receive call: rows a/1 .. "
         "d/64 (first %zu, %zu, %zu, %zu messages)\n",
         find_row("a/1")->w.messages, find_row("b/1")->w.messages,
         find_row("c/1")->w.messages, find_row("d/1")->w.messages);
  printf("  Python h11 runs %zu, %zu, %zu, %zu and %zu messages of a-e, %d "
         "times each.\n",
         pywork[0].messages, pywork[1].messages, pywork[2].messages,
         pywork[3].messages, pywork[4].messages, python_runs(cfg));
  printf(
      "\nwhat each peer does per message:\n"
      "  h11c: next_event() until EndOfMessage; a server then answers with "
      "Response (Content-Length: 0)\n"
      "        + EndOfMessage through h11c_conn_send() and calls "
      "start_next_cycle() (h11's state machine needs\n"
      "        that before it parses the next pipelined request); a client "
      "sends GET + EndOfMessage before each\n"
      "        response.  So h11c's figures include that state-machine and "
      "serialising work; the callback\n"
      "        parsers below only parse.  Whole delivery: 64 KiB "
      "receive_borrowed() calls (zero copy).\n"
      "  llhttp, http_parser: one execute() over the buffer (or per piece); "
      "callbacks collect method, target,\n"
      "        each header name and value span, count messages and sum body "
      "bytes.\n"
      "  picohttpparser: phr_parse_request/response in place, framing from "
      "Content-Length/Transfer-Encoding\n"
      "        found among its headers, body spans; chunked bodies (d) through "
      "phr_decode_chunked in a 256 KiB\n"
      "        read buffer filled 64 KiB (or a piece) at a time, since it "
      "rewrites its input.\n"
      "  h11 recv: the same loop as h11c (minimal answer/request); h11 full: "
      "a server answers with the\n"
      "        TechEmpower plaintext response (4 headers + body), a client "
      "sends GET with 4 headers.\n"
      "  e (send side): h11c and h11 each receive the GET and send the "
      "response: 6 headers, then the 4 KiB\n"
      "        Data through h11c_conn_send()/send_with_data_passthrough() "
      "(not copied), then EndOfMessage;\n"
      "        MB/s counts the serialised output.  llhttp has no send side: "
      "row e's ratios are to h11.\n"
      "  memchr: memchr() over the whole buffer for a byte it does not hold "
      "(the physical reference).\n");
}

static void print_throughput(void) {
  int i, p, m;
  printf("\nthroughput: median of the runs, (xR) = ratio to llhttp in the "
         "same row, [min .. max]\n");
  printf("%-5s %-15s %10s %8s %26s %11s %8s %28s\n", "row", "peer", "MB/s", "",
         "", "msgs/s", "", "");
  for (i = 0; i < nrows; i++) {
    row *r = &rows[i];
    rates base;
    bool first = true;
    if (r->w.kind == WL_SEND)
      base = fig_rates(r, &r->h11[H_FULL], pywork[4].messages);
    else
      base = fig_rates(r, &r->fig[P_LLHTTP], r->w.messages);
    for (p = 0; p < NPEERS; p++) {
      const figure *f = &r->fig[p];
      if (!f->ran)
        continue;
      print_rate_line(first ? r->name : "", f->bad ? "(BAD)" : peers[p].name,
                      fig_rates(r, f, r->w.messages), base);
      if (f->bad)
        printf("      ^ %s did not parse what the workload holds: no "
               "figures\n",
               peers[p].name);
      first = false;
    }
    for (m = 0; m < NH11; m++) {
      const figure *f = &r->h11[m];
      char label[32];
      if (!f->ran)
        continue;
      snprintf(label, sizeof label, "h11 %s",
               r->w.kind == WL_SEND ? "send" : h11_mode_names[m]);
      print_rate_line("", label, fig_rates(r, f, pywork[r->key].messages),
                      base);
    }
  }
}

static double ir_per(const figure *f, bool per_msg) {
  if (!f->ran || f->bad || f->ir <= 0)
    return NAN;
  return f->ir / (per_msg ? f->ir_msgs : f->ir_bytes);
}

static void print_cost(bool have_cg) {
  int i, p;
  printf("\ncost: instructions under callgrind (Ir, one run of a smaller "
         "input%s), heap allocations\nper message after the first (h11c's "
         "allocator hooks; the others never allocate), bytes of memory an "
         "idle\nconnection holds after one exchange (h11c: live heap through "
         "its hooks, buffers included; the others:\nthe parser state only, "
         "without the read buffer); (xR) = ratio to llhttp, above 1 is "
         "more\n",
         have_cg ? "" : "; not measured");
  printf("%-5s %-15s %9s %8s %10s %8s %11s %11s %8s\n", "row", "peer",
         "Ir/byte", "", "Ir/msg", "", "allocs/msg", "idle bytes", "");
  for (i = 0; i < nrows; i++) {
    row *r = &rows[i];
    const figure *ll = &r->fig[P_LLHTTP];
    bool first = true;
    for (p = 0; p < NPEERS; p++) {
      const figure *f = &r->fig[p];
      char a[32], b[32], c[32], d[32], e[32], g[32], h[32];
      double allocs = NAN, idle = NAN, llidle = (double)r->idle[P_LLHTTP];
      if (!f->ran)
        continue;
      if (p == P_H11C && f->first.messages > 1)
        allocs = (double)f->first.allocs_after_first /
                 (double)(f->first.messages - 1);
      else if (p != P_MEMCHR && p != P_H11C)
        allocs = 0;
      if (!r->piece && p != P_MEMCHR && r->idle[p])
        idle = (double)r->idle[p];
      if (r->piece) {
        printf("%-5s %-15s %9s (x%-5s) %10s (x%-5s) %11s\n",
               first ? r->name : "", peers[p].name,
               fmt_num(a, sizeof a, ir_per(f, false), 2),
               fmt_ratio(b, sizeof b, ir_per(f, false), ir_per(ll, false)),
               fmt_num(c, sizeof c, ir_per(f, true), 0),
               fmt_ratio(d, sizeof d, ir_per(f, true), ir_per(ll, true)),
               fmt_num(e, sizeof e, allocs, allocs == 0 ? 0 : 4));
        first = false;
        continue;
      }
      printf("%-5s %-15s %9s (x%-5s) %10s (x%-5s) %11s %11s (x%-5s)\n",
             first ? r->name : "", peers[p].name,
             fmt_num(a, sizeof a, ir_per(f, false), 2),
             fmt_ratio(b, sizeof b, ir_per(f, false), ir_per(ll, false)),
             p == P_MEMCHR ? "-" : fmt_num(c, sizeof c, ir_per(f, true), 0),
             p == P_MEMCHR
                 ? "   -"
                 : fmt_ratio(d, sizeof d, ir_per(f, true), ir_per(ll, true)),
             fmt_num(e, sizeof e, allocs, allocs == 0 ? 0 : 4),
             fmt_num(g, sizeof g, idle, 0),
             fmt_ratio(h, sizeof h, idle, llidle));
      first = false;
    }
  }
}

static const char *met(bool ok) { return ok ? "MET  " : "UNMET"; }

static void print_targets(void) {
  int k;
  char buf[64];
  printf("\ntargets (issue 5), from the medians above:\n");
  for (k = 0; k < 2; k++) {
    row *r = &rows[k];
    double h = msgs_per_s(&r->fig[P_H11C], r->w.messages);
    double l = msgs_per_s(&r->fig[P_LLHTTP], r->w.messages);
    double pc = msgs_per_s(&r->fig[P_PICO], r->w.messages);
    printf("  %s (%c) h11c >= 1.5x llhttp msgs/s: x%s\n", met(h >= 1.5 * l),
           keys[k], fmt_target(buf, sizeof buf, h, l));
    printf("  %s (%c) h11c >= picohttpparser msgs/s: x%s\n", met(h >= pc),
           keys[k], fmt_target(buf, sizeof buf, h, pc));
  }
  for (k = 2; k < 4; k++) {
    row *r = &rows[k];
    const figure *f = &r->fig[P_H11C];
    double h = msgs_per_s(f, r->w.messages);
    double l = msgs_per_s(&r->fig[P_LLHTTP], r->w.messages);
    bool nocopy = f->ran && !f->bad && f->first.rx_copied_bytes == 0;
    printf("  %s (%c) h11c >= llhttp msgs/s: x%s\n", met(h >= l), keys[k],
           fmt_target(buf, sizeof buf, h, l));
    printf("  %s (%c) body bytes never copied on the receive path: %llu of "
           "%llu copied\n",
           met(nocopy), keys[k], (unsigned long long)f->first.rx_copied_bytes,
           (unsigned long long)f->first.body_bytes);
  }
  {
    row *r = &rows[4];
    double h = msgs_per_s(&r->fig[P_H11C], r->w.messages);
    double py = msgs_per_s(&r->h11[H_FULL], pywork[4].messages);
    const figure *f = &r->fig[P_H11C];
    printf("  %s (e) h11c >= 100x h11's send throughput: x%s\n",
           isnan(py) ? "n/a  " : met(h >= 100 * py),
           fmt_target(buf, sizeof buf, h, py));
    printf("  %s (e) Data bodies sent zero-copy: %s\n",
           met(f->ran && !f->bad && f->first.copied_data == 0),
           f->ran && !f->bad && f->first.copied_data == 0
               ? "every Data slice was the caller's pointer"
               : "a Data body was copied");
  }
  for (k = 0; k < 4; k++) {
    char name[8];
    row *r7, *rw = &rows[k];
    double whole_rate, piece_rate, irw, ir7;
    snprintf(name, sizeof name, "%c/7", keys[k]);
    r7 = find_row(name);
    whole_rate = msgs_per_s(&rw->fig[P_H11C], rw->w.messages);
    piece_rate = msgs_per_s(&r7->fig[P_H11C], r7->w.messages);
    irw = ir_per(&rw->fig[P_H11C], true);
    ir7 = ir_per(&r7->fig[P_H11C], true);
    printf("  %s (f) %c delivered 7 bytes at a time costs <= 3x whole: "
           "x%s by time",
           met(whole_rate <= 3 * piece_rate), keys[k],
           fmt_target(buf, sizeof buf, whole_rate, piece_rate));
    printf(", x%s by instructions\n", fmt_target(buf, sizeof buf, ir7, irw));
  }
  {
    bool ok = true;
    int i;
    printf("  ");
    for (i = 0; i < nrows; i++) {
      const figure *f = &rows[i].fig[P_H11C];
      if (!f->ran || f->bad || f->first.allocs_after_first != 0)
        ok = false;
    }
    printf("%s steady state: no heap allocation after the first message:",
           met(ok));
    for (i = 0; i < nrows; i++) {
      const figure *f = &rows[i].fig[P_H11C];
      if (f->ran && f->first.allocs_after_first)
        printf(" %s:%llu", rows[i].name,
               (unsigned long long)f->first.allocs_after_first);
    }
    printf(ok ? " none\n" : " (row:allocations after the first message)\n");
  }
  {
    bool ok = true, any = false;
    printf("  ");
    for (k = 0; k < NKEYS; k++) {
      row *r = &rows[k];
      double h = msgs_per_s(&r->fig[P_H11C], r->w.messages);
      double py = msgs_per_s(&r->h11[H_FULL], pywork[k].messages);
      if (!(h >= 100 * py))
        ok = false;
      any = any || !isnan(py);
    }
    printf("%s every workload >= 100x h11's full cycle (msgs/s):",
           any ? met(ok) : "n/a  ");
    for (k = 0; k < NKEYS; k++) {
      row *r = &rows[k];
      double h = msgs_per_s(&r->fig[P_H11C], r->w.messages);
      double py = msgs_per_s(&r->h11[H_FULL], pywork[k].messages);
      printf(" %c=x%s", keys[k], fmt_target(buf, sizeof buf, h, py));
    }
    printf("\n");
  }
}

/* ------------------------------------------------------------------------ */
/* Verification mode                                                        */
/* ------------------------------------------------------------------------ */

static int verify_report(bool python_ran, const char *py_note) {
  int i, p, m, passed = 0, failed = 0;
  for (i = 0; i < nrows; i++) {
    row *r = &rows[i];
    for (p = 0; p < NPEERS; p++) {
      figure *f = &r->fig[p];
      bool expected;
      if (p == P_MEMCHR)
        continue; /* the reference, not a parser */
      expected =
          r->w.kind == WL_SEND ? p == P_H11C : (p != P_MEMCHR || r->piece == 0);
      char why[256] = "did not run";
      bool ok = f->ran == expected &&
                (!f->ran || result_matches(&r->w, &f->first, why, sizeof why));
      if (!expected && !f->ran)
        continue;
      printf("%s %-5s %-15s messages=%llu body=%llu headers=%llu%s%s\n",
             ok ? "ok  " : "FAIL", r->name, peers[p].name,
             (unsigned long long)f->first.messages,
             (unsigned long long)f->first.body_bytes,
             (unsigned long long)f->first.headers, ok ? "" : ": ",
             ok ? "" : why);
      if (ok)
        passed++;
      else
        failed++;
    }
  }
  if (!python_ran) {
    printf("skip Python h11: %s\n", py_note);
  } else {
    for (i = 0; i < NKEYS; i++) {
      row *r = &rows[i];
      for (m = 0; m < NH11; m++) {
        figure *f = &r->h11[m];
        bool expected = r->w.kind != WL_SEND || m == H_FULL;
        bool ok = expected ? f->ran && !f->bad : !f->ran;
        if (!expected && !f->ran)
          continue;
        printf("%s %-5s h11 %-11s messages=%llu body=%llu headers=%llu\n",
               ok ? "ok  " : "FAIL", r->name,
               r->w.kind == WL_SEND ? "send" : h11_mode_names[m],
               (unsigned long long)f->first.messages,
               (unsigned long long)f->first.body_bytes,
               (unsigned long long)f->first.headers);
        if (ok)
          passed++;
        else
          failed++;
      }
    }
    {
      /* The send side: h11c and h11 serialise the same bytes. */
      row *r = &rows[4];
      const figure *c = &r->fig[P_H11C], *h = &r->h11[H_FULL];
      double a = c->first.messages
                     ? (double)c->first.out_bytes / (double)c->first.messages
                     : 0;
      double b = h->first.messages
                     ? (double)h->first.out_bytes / (double)h->first.messages
                     : -1;
      bool ok = a == b;
      printf("%s e     send bytes per response: h11c %.1f, h11 %.1f\n",
             ok ? "ok  " : "FAIL", a, b);
      if (ok)
        passed++;
      else
        failed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Main                                                                     */
/* ------------------------------------------------------------------------ */

static void usage(void) {
  fprintf(stderr,
          "usage: bench [--quick] [--no-callgrind] [--no-python] [--runs N]\n"
          "             [--verify] [--callgrind-keep DIR]\n");
}

int main(int argc, char **argv) {
  config cfg;
  int i, k, status = 0;
  char cg_note[700] = "", py_note[700] = "";
  bool python_ran = false, have_cg = false, bad = false;
  setvbuf(stdout, NULL, _IOLBF, 0);
  memset(&cfg, 0, sizeof cfg);
  cfg.callgrind = true;
  cfg.python = true;
  cfg.runs = 0;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0)
      cfg.quick = true;
    else if (strcmp(argv[i], "--no-callgrind") == 0)
      cfg.callgrind = false;
    else if (strcmp(argv[i], "--no-python") == 0)
      cfg.python = false;
    else if (strcmp(argv[i], "--verify") == 0)
      cfg.verify = true;
    else if (strcmp(argv[i], "--callgrind-child") == 0)
      cfg.child = true;
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      cfg.runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--callgrind-keep") == 0 && i + 1 < argc)
      cfg.keep_dir = argv[++i];
    else {
      usage();
      return 2;
    }
  }
  if (cfg.runs <= 0)
    cfg.runs = cfg.quick ? 3 : 11;
  if (cfg.runs > MAX_RUNS)
    cfg.runs = MAX_RUNS;
  if (cfg.verify)
    cfg.callgrind = false;

  build_rows(&cfg);
  if (cfg.child)
    return callgrind_child();
  for (k = 0; k < NKEYS; k++) {
    size_t n = cfg.verify  ? counts_verify[k]
               : cfg.quick ? counts_py[k] / 4
                           : counts_py[k];
    pywork[k] = workload_make(keys[k], n ? n : 1);
  }

  fprintf(stderr, "bench: timing %d rows x %d peers, %d runs each\n", nrows,
          NPEERS, cfg.verify ? 1 : cfg.runs);
  time_rows(&cfg);
  measure_idle();
  if (cfg.python) {
    fprintf(stderr, "bench: Python h11\n");
    run_python(&cfg, py_note, sizeof py_note);
    python_ran = !py_note[0];
  } else {
    snprintf(py_note, sizeof py_note, "--no-python");
  }
  if (cfg.verify) {
    status = verify_report(python_ran, py_note);
  } else {
    if (cfg.callgrind) {
      fprintf(stderr, "bench: callgrind\n");
      run_callgrind(&cfg, cg_note, sizeof cg_note);
      have_cg = !cg_note[0];
    } else {
      snprintf(cg_note, sizeof cg_note, "--no-callgrind");
    }
    print_header(&cfg);
    if (py_note[0])
      printf("note: no Python h11 figures: %s\n", py_note);
    if (cg_note[0])
      printf("note: no instruction counts: %s\n", cg_note);
    print_throughput();
    print_cost(have_cg);
    print_targets();
    for (i = 0; i < nrows; i++)
      for (k = 0; k < NPEERS; k++)
        bad = bad || rows[i].fig[k].bad;
    for (i = 0; i < NKEYS; i++)
      bad = bad || rows[i].h11[H_RECV].bad || rows[i].h11[H_FULL].bad;
    if (bad) {
      printf("\nERROR: some peer parsed something other than the workload "
             "(see above): its figures are left out\n");
      status = 1;
    }
    printf("\nh11c/llhttp msgs/s:");
    for (k = 0; k < 4; k++) {
      row *r = &rows[k];
      double h = msgs_per_s(&r->fig[P_H11C], r->w.messages);
      double l = msgs_per_s(&r->fig[P_LLHTTP], r->w.messages);
      printf(" %c=%.2f", keys[k], h / l);
    }
    printf("\n");
  }
  if (tmp_root[0])
    remove_tree(tmp_root);
  return status;
}
