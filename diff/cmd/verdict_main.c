/*
 * verdict: print the canonical verdict of an implementation for each input.
 *
 *   verdict --impl IMPL --role server|client [--method M] [--chunk N]
 *           [--max-incomplete N] FILE...
 *
 * IMPL is one of the oracles of diff/oracles.c: h11c, h11py, llhttp,
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/model/corpus.h"
#include "diff/model/json.h"
#include "diff/model/verdict.h"
#include "diff/oracles/oracles.h"

static void usage(FILE *f) {
  fprintf(f, "usage: verdict --impl IMPL [--role server|client] [--method M]\n"
             "               [--chunk N] [--max-incomplete N] FILE...\n"
             "implementations:");
  for (size_t i = 0; i < oracle_count; i++)
    fprintf(f, " %s", oracle_list[i].name);
  fprintf(f, "\n");
}

static bool parse_size(const char *s, size_t *out) {
  char *end;
  unsigned long long v;
  if (!s || !*s || *s == '-')
    return false;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno || *end || v > SIZE_MAX)
    return false;
  *out = (size_t)v;
  return true;
}

int main(int argc, char **argv) {
  const char *impl = NULL, *role_arg = NULL, *method = NULL;
  verdict_params params;
  verdict_impl_fn fn = NULL;
  json_writer w;
  int i, status = 0, nfiles = 0;

  memset(&params, 0, sizeof params);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    const char *opts[] = {"--impl", "--role", "--method", "--chunk",
                          "--max-incomplete"};
    size_t k, nopts = sizeof opts / sizeof opts[0];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    }
    if (a[0] != '-' || a[1] == '\0')
      break;
    for (k = 0; k < nopts; k++) {
      size_t olen = strlen(opts[k]);
      if (strncmp(a, opts[k], olen) == 0 && (a[olen] == '=' || !a[olen])) {
        if (a[olen] == '=') {
          val = a + olen + 1;
        } else if (i + 1 < argc) {
          val = argv[++i];
        } else {
          fprintf(stderr, "verdict: %s needs a value\n", opts[k]);
          return 2;
        }
        break;
      }
    }
    if (k == nopts) {
      fprintf(stderr, "verdict: unknown option: %s\n", a);
      usage(stderr);
      return 2;
    }
    switch (k) {
    case 0:
      impl = val;
      break;
    case 1:
      role_arg = val;
      break;
    case 2:
      method = val;
      break;
    case 3:
      if (!parse_size(val, &params.chunk)) {
        fprintf(stderr, "verdict: bad --chunk: %s\n", val);
        return 2;
      }
      break;
    default:
      if (!parse_size(val, &params.max_incomplete) ||
          params.max_incomplete == 0) {
        fprintf(stderr, "verdict: bad --max-incomplete: %s\n", val);
        return 2;
      }
      break;
    }
  }

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
    usage(stderr);
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
