/*
 * The standalone driver of fuzz_diff.c (builds without libFuzzer): runs
 * LLVMFuzzerTestOneInput over files.
 *
 *   fuzz_diff [--raw] PATH...
 *
 * A PATH in the corpus layout (server/NAME.http, client/NAME[.METHOD].http;
 * directories are walked) is a plain HTTP byte stream: the driver puts the
 * control byte for its role and method in front, and runs it with each of
 * the eight piece sizes.  With --raw, files are fuzzer inputs (control byte
 * included) and run as they are.  Any finding aborts; otherwise the output
 * ends with "N passed, 0 failed" (N inputs).
 *
 * LLVMFuzzerMutate is only called by the custom mutator, which this driver
 * never runs; the stub keeps the link happy.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/model/corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) {
  (void)data;
  (void)max_size;
  return size;
}

int main(int argc, char **argv) {
  corpus c;
  bool raw = false;
  size_t i, runs = 0;
  int a;
  char err[512];
  const char *wd = getenv("BUILD_WORKING_DIRECTORY");
  memset(&c, 0, sizeof c);
  if (wd && *wd && chdir(wd) != 0)
    return 1;
  for (a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--raw") == 0) {
      raw = true;
      continue;
    }
    if (raw) {
      uint8_t *d;
      size_t n;
      if (corpus_read_file(argv[a], &d, &n) != 0) {
        fprintf(stderr, "fuzz_diff: cannot read %s\n", argv[a]);
        return 1;
      }
      LLVMFuzzerTestOneInput(d, n);
      free(d);
      runs++;
      continue;
    }
    if (corpus_add_path(&c, argv[a], NULL, err, sizeof err) != 0) {
      fprintf(stderr, "fuzz_diff: %s\n", err);
      return 1;
    }
  }
  for (i = 0; i < c.n; i++) {
    const corpus_input *in = &c.items[i];
    uint8_t *buf = malloc(in->len + 1);
    unsigned m = 0, piece;
    if (!buf)
      return 1;
    if (in->role == VERDICT_CLIENT) {
      if (strcmp(in->method, "HEAD") == 0)
        m = 1;
      else if (strcmp(in->method, "CONNECT") == 0)
        m = 2;
      else if (strcmp(in->method, "POST") == 0)
        m = 3;
    }
    memcpy(buf + 1, in->data, in->len);
    for (piece = 0; piece < 8; piece++) {
      buf[0] = (uint8_t)((in->role == VERDICT_CLIENT ? 1u : 0u) | (m << 1) |
                         (piece << 3));
      LLVMFuzzerTestOneInput(buf, in->len + 1);
    }
    free(buf);
    runs++;
  }
  corpus_free(&c);
  printf("%zu passed, 0 failed\n", runs);
  return 0;
}
