/*
 * verdict: print the canonical verdict of an implementation for each input.
 *
 *   verdict --impl IMPL --role server|client [--method M] [--chunk N]
 *           [--max-incomplete N] FILE...
 *
 * IMPL is one of the oracles of diff/oracles/oracles.c: h11c, h11py, llhttp,
 * llhttp-lenient, http_parser.
 *
 * One JSON line per FILE, in order.  Without --role, the role (and, for the
 * client role, the method) comes from the corpus layout: the nearest parent
 * directory named "server" or "client", and a client file named
 * NAME.METHOD.http answers a METHOD request (GET otherwise).
 *
 * Exit status: 0, 1 if an input could not be read or run, 2 for a usage
 * error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/cmd/options.h"
#include "diff/model/corpus.h"
#include "diff/model/json.h"
#include "diff/model/verdict.h"
#include "diff/oracles/oracles.h"

typedef struct opts {
  const char *impl, *role, *method;
  size_t chunk, max_incomplete;
} opts;

static int set_max_incomplete(void *p, const opt_spec *s, const char *val) {
  opts *o = p;
  (void)s;
  return opt_read_size(val, &o->max_incomplete) && o->max_incomplete ? 0 : -1;
}

#define F(field) offsetof(opts, field)

static const opt_spec OPTIONS[] = {
    {"--impl", OPT_STRING, "IMPL", F(impl), NULL,
     "the implementation (default h11c; see below)"},
    {"--role", OPT_STRING, "server|client", F(role), NULL,
     "the role (default: from the corpus layout)"},
    {"--method", OPT_STRING, "M", F(method), NULL,
     "client role: the request's method (default:\n"
     "from the file name, or GET)"},
    {"--chunk", OPT_SIZE, "N", F(chunk), NULL,
     "deliver the input in pieces of N bytes"},
    {"--max-incomplete", OPT_HANDLER, "N", 0, set_max_incomplete,
     "the incomplete-event limit (h11c, h11py)"},
};

#undef F

/* After the option list: the implementations. */
static void list_impls(FILE *f) {
  fprintf(f, "\nimplementations:");
  for (size_t i = 0; i < oracle_count; i++)
    fprintf(f, " %s", oracle_list[i].name);
  fprintf(f, "\n");
}

static const opt_cmd COMMAND = {
    "verdict",
    "usage: verdict --impl IMPL [--role server|client] [--method M]\n"
    "               [--chunk N] [--max-incomplete N] FILE...\n"
    "\n",
    list_impls,
    OPTIONS,
    sizeof OPTIONS / sizeof OPTIONS[0],
    false,
};

int main(int argc, char **argv) {
  const char *impl, *role_arg, *method;
  opts o;
  int first = 1;
  verdict_params params;
  verdict_impl_fn fn = NULL;
  json_writer w;
  int i, status = 0, nfiles = 0;

  memset(&params, 0, sizeof params);
  memset(&o, 0, sizeof o);
  i = opt_parse(&COMMAND, argc, argv, &o, NULL, NULL, &first);
  if (i != OPT_OK)
    return i == OPT_HELP ? 0 : 2;
  i = first;
  impl = o.impl;
  role_arg = o.role;
  method = o.method;
  params.chunk = o.chunk;
  params.max_incomplete = o.max_incomplete;

  if (!impl)
    impl = "h11c";
  if (oracle_find(impl))
    fn = oracle_find(impl)->fn;
  if (!fn) {
    fprintf(stderr, "verdict: unknown implementation: %s\n", impl);
    return 2;
  }
  if (role_arg && strcmp(role_arg, "server") != 0 &&
      strcmp(role_arg, "client") != 0) {
    fprintf(stderr, "verdict: --role must be server or client\n");
    return 2;
  }
  if (method && (!*method || strpbrk(method, " \t\r\n"))) {
    fprintf(stderr, "verdict: bad --method\n");
    return 2;
  }
  if (i >= argc) {
    opt_usage(&COMMAND, stderr);
    return 2;
  }

  /* Under `bazel run`, paths are the caller's. */
  {
    const char *wd = getenv("BUILD_WORKING_DIRECTORY");
    if (wd && *wd && chdir(wd) != 0) {
      fprintf(stderr, "verdict: cannot enter %s\n", wd);
      return 1;
    }
  }

  json_writer_init(&w);
  for (; i < argc; i++, nfiles++) {
    const char *path = argv[i];
    uint8_t *data = NULL;
    size_t len = 0;
    char inferred[32];
    char err[256];
    verdict v;

    params.method = method;
    if (role_arg) {
      params.role =
          strcmp(role_arg, "client") == 0 ? VERDICT_CLIENT : VERDICT_SERVER;
    } else if (corpus_infer_role(path, &params.role, inferred,
                                 sizeof inferred)) {
      if (!method && inferred[0])
        params.method = inferred;
    } else {
      fprintf(stderr,
              "verdict: %s: no --role, and the path names no server/ or "
              "client/ directory\n",
              path);
      status = 1;
      continue;
    }

    if (corpus_read_file(path, &data, &len) != 0) {
      fprintf(stderr, "verdict: %s: %s\n", path, strerror(errno));
      status = 1;
      continue;
    }
    err[0] = '\0';
    if (fn(&params, data, len, &v, err, sizeof err) != 0) {
      fprintf(stderr, "verdict: %s: %s\n", path, err);
      status = 1;
    } else {
      json_writer_reset(&w);
      verdict_to_json(&v, &w);
      if (!json_writer_ok(&w)) {
        fprintf(stderr, "verdict: %s: JSON output failed\n", path);
        status = 1;
      } else {
        fwrite(json_writer_str(&w), 1, json_writer_len(&w), stdout);
        fputc('\n', stdout);
        fflush(stdout);
      }
    }
    verdict_free(&v);
    free(data);
  }
  json_writer_free(&w);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "verdict: writing output failed\n");
    return 1;
  }
  return status;
}
