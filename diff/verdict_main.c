/*
 * verdict: print the canonical verdict of an implementation for each input.
 *
 *   verdict --impl h11c --role server|client [--method M] [--chunk N]
 *           [--max-incomplete N] FILE...
 *
 * One JSON line per FILE, in order.  Without --role, the role (and, for the
 * client role, the method) comes from the corpus layout: the nearest parent
 * directory named "server" or "client", and a client file named
 * NAME.METHOD.http answers a METHOD request (GET otherwise).
 *
 * Exit status: 0, 1 if an input could not be read or run, 2 for a usage
 * error.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "verdict.h"
#include "verdict_h11c.h"

static const struct {
  const char *name;
  verdict_impl_fn fn;
} impls[] = {
    {"h11c", verdict_h11c},
};

static void usage(FILE *f) {
  fprintf(f, "usage: verdict --impl IMPL [--role server|client] [--method M]\n"
             "               [--chunk N] [--max-incomplete N] FILE...\n"
             "implementations:");
  for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++)
    fprintf(f, " %s", impls[i].name);
  fprintf(f, "\n");
}

static int read_file(const char *path, uint8_t **pdata, size_t *plen) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  if (!f)
    return -1;
  for (;;) {
    size_t n;
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(buf, ncap);
      if (!p) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return -1;
      }
      buf = p;
      cap = ncap;
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) {
      if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        errno = e ? e : EIO;
        return -1;
      }
      break;
    }
  }
  fclose(f);
  *pdata = buf;
  *plen = len;
  return 0;
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

/* Role and method from the corpus layout.  Returns false if the path does
 * not say.  method receives "" for GET. */
static bool infer_role(const char *path, verdict_role *role, char *method,
                       size_t msize) {
  const char *base = strrchr(path, '/');
  const char *p;
  size_t blen;
  bool found = false;

  base = base ? base + 1 : path;
  /* The nearest parent directory named server or client. */
  p = base;
  while (p > path) {
    const char *seg_end = p - 1; /* the '/' before the current segment */
    const char *seg = seg_end;
    while (seg > path && seg[-1] != '/')
      seg--;
    if (seg_end - seg == 6 && memcmp(seg, "server", 6) == 0) {
      *role = VERDICT_SERVER;
      found = true;
      break;
    }
    if (seg_end - seg == 6 && memcmp(seg, "client", 6) == 0) {
      *role = VERDICT_CLIENT;
      found = true;
      break;
    }
    p = seg;
  }
  if (!found)
    return false;
  method[0] = '\0';
  blen = strlen(base);
  if (*role == VERDICT_CLIENT && blen > 5 &&
      strcmp(base + blen - 5, ".http") == 0) {
    const char *stem_end = base + blen - 5;
    const char *dot = stem_end;
    while (dot > base && dot[-1] != '.')
      dot--;
    if (dot > base + 1 && dot < stem_end) {
      size_t mlen = (size_t)(stem_end - dot);
      bool upper = true;
      for (size_t i = 0; i < mlen; i++)
        if (dot[i] < 'A' || dot[i] > 'Z')
          upper = false;
      if (upper && mlen < msize) {
        memcpy(method, dot, mlen);
        method[mlen] = '\0';
      }
    }
  }
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
  for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++)
    if (strcmp(impls[k].name, impl) == 0)
      fn = impls[k].fn;
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
    } else if (infer_role(path, &params.role, inferred, sizeof inferred)) {
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

    if (read_file(path, &data, &len) != 0) {
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
