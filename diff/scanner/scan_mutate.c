/*
 * scan_mutate: mutants of server-role inputs, from the harness's grammar of
 * request-smuggling-prone mutations (diff/explore/mutate.h), for the
 * real-server scanner's explorer.
 *
 *   scan_mutate --seed N --count K --out DIR PARENT... [-- SPLICE...]
 *
 * Writes K mutants to DIR/NNNNN.http, each made from a parent picked at
 * random by one to three mutations, and prints one line per mutant:
 * "NNNNN.http INDEX MUTATIONS" (INDEX: the parent's position, MUTATIONS:
 * the mutation names joined by '+').  Splice mutations take their second
 * input from the SPLICE files (the parents if none are given).
 *
 * Exit status: 0, 1 if a file could not be read or written, 2 for a usage
 * error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/explore/mutate.h"
#include "diff/model/corpus.h"

#define MAX_LEN ((size_t)64 * 1024)

static int read_all(char **paths, int n, mut_seed *out) {
  for (int i = 0; i < n; i++) {
    uint8_t *data;
    size_t len;
    if (corpus_read_file(paths[i], &data, &len) != 0) {
      fprintf(stderr, "scan_mutate: cannot read %s\n", paths[i]);
      return -1;
    }
    out[i].data = data;
    out[i].len = len < MAX_LEN ? len : MAX_LEN;
  }
  return 0;
}

static void usage(void) {
  fprintf(stderr, "usage: scan_mutate --seed N --count K --out DIR PARENT..."
                  " [-- SPLICE...]\n");
}

int main(int argc, char **argv) {
  unsigned long long seed = 1, count = 0;
  const char *out = NULL;
  char **parents = NULL, **splices = NULL;
  int nparents = 0, nsplices = 0, i, status = 0;
  mut_seed *ps = NULL, *ss = NULL;
  uint8_t *b1 = malloc(MAX_LEN), *b2 = malloc(MAX_LEN);
  mut_rng rng;

  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((strcmp(a, "--seed") == 0 || strcmp(a, "--count") == 0 ||
         strcmp(a, "--out") == 0) &&
        i + 1 < argc) {
      char *end;
      const char *v = argv[++i];
      if (a[2] == 'o') {
        out = v;
        continue;
      }
      errno = 0;
      unsigned long long x = strtoull(v, &end, 10);
      if (errno || !*v || *end) {
        usage();
        return 2;
      }
      if (a[2] == 's')
        seed = x;
      else
        count = x;
    } else if (strcmp(a, "--") == 0) {
      splices = argv + i + 1;
      nsplices = argc - i - 1;
      break;
    } else if (a[0] == '-') {
      usage();
      return 2;
    } else {
      if (!parents)
        parents = argv + i;
      nparents++;
    }
  }
  if (!out || !nparents || !b1 || !b2) {
    usage();
    return 2;
  }
  if (!nsplices) {
    splices = parents;
    nsplices = nparents;
  }
  ps = calloc((size_t)nparents, sizeof *ps);
  ss = calloc((size_t)nsplices, sizeof *ss);
  if (!ps || !ss || read_all(parents, nparents, ps) != 0 ||
      read_all(splices, nsplices, ss) != 0) {
    status = 1;
    goto done;
  }
  rng.s = (seed << 1) | 1;
  for (unsigned long long k = 0; k < count; k++) {
    size_t pick = mut_below(&rng, (size_t)nparents);
    size_t len = ps[pick].len, steps = 1 + mut_below(&rng, 3);
    char method[MUT_METHOD_MAX] = "", path[4096], names[512] = "";
    size_t used = 0;
    FILE *f;
    memcpy(b1, ps[pick].data, len);
    for (size_t s = 0; s < steps; s++) {
      const char *name = "";
      uint8_t *t;
      len = mut_apply(&rng, b1, len, VERDICT_SERVER, method, ss,
                      (size_t)nsplices, b2, MAX_LEN, &name);
      t = b1;
      b1 = b2;
      b2 = t;
      if (used < sizeof names) {
        int w = snprintf(names + used, sizeof names - used, "%s%s",
                         s ? "+" : "", name);
        if (w > 0)
          used += (size_t)w;
      }
    }
    snprintf(path, sizeof path, "%s/%05llu.http", out, k);
    f = fopen(path, "wb");
    if (!f || fwrite(b1, 1, len, f) != len || fclose(f) != 0) {
      fprintf(stderr, "scan_mutate: cannot write %s\n", path);
      status = 1;
      goto done;
    }
    printf("%05llu.http %zu %s\n", k, pick, names);
  }
done:
  for (i = 0; ps && i < nparents; i++)
    free((void *)ps[i].data);
  for (i = 0; ss && i < nsplices; i++)
    free((void *)ss[i].data);
  free(ps);
  free(ss);
  free(b1);
  free(b2);
  return status;
}
