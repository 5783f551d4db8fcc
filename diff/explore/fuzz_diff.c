/*
 * The explorer as a libFuzzer target: h11c, llhttp (default and lenient)
 * and http_parser in-process on the same input, so that OSS-Fuzz or
 * ClusterFuzz can run the differential search at scale.
 *
 * Input: the first byte chooses how the input is read, the rest is the
 * byte stream:
 *   bit 0      role (0 server, 1 client)
 *   bits 1-2   the client role's request method: GET, HEAD, CONNECT, POST
 *   bits 3-5   h11c's piece size for the split-invariance check:
 *              1, 2, 3, 7, 64, 255, 1 and 5 bytes
 *
 * Findings (each aborts, from its own function so that crash buckets
 * separate them):
 *   - h11c's verdict depends on how the input is split (always checked);
 *   - h11c and a peer disagree and no known difference or expected quirk
 *     explains it, at or above the class H11C_DIFF_FUZZ_FAIL names:
 *     framing-both-accept (the default: the request-smuggling
 *     candidates), framing, acceptance, interpretation, or none.
 *
 * LLVMFuzzerCustomMutator applies the explorer's grammar (mutate.h) to the
 * byte stream two times out of three, libFuzzer's own mutations otherwise.
 *
 * Built without libFuzzer (the default), fuzz_diff_main.c drives the same
 * function over corpus files, as a regression test.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/compare/compare.h"
#include "diff/compare/rules.h"
#include "diff/explore/mutate.h"
#include "diff/model/verdict.h"
#include "diff/oracles/adapters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static const char *methods[4] = {NULL, "HEAD", "CONNECT", "POST"};
static const size_t pieces[8] = {1, 2, 3, 7, 64, 255, 1, 5};

static const struct {
  const char *name;
  verdict_impl_fn fn;
} peers[] = {
    {"llhttp", verdict_llhttp},
    {"llhttp-lenient", verdict_llhttp_lenient},
    {"http_parser", verdict_http_parser},
};

static rulebook *rules;
static int fail_rank = 5;

static void init(void) {
  static bool done;
  char err[256];
  const char *f;
  if (done)
    return;
  done = true;
  if (rulebook_load(&rules, NULL, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_diff: %s\n", err);
    abort();
  }
  f = getenv("H11C_DIFF_FUZZ_FAIL");
  if (f) {
    if (strcmp(f, "framing-both-accept") == 0)
      fail_rank = 5;
    else if (strcmp(f, "framing") == 0)
      fail_rank = 4;
    else if (strcmp(f, "acceptance") == 0)
      fail_rank = 3;
    else if (strcmp(f, "interpretation") == 0)
      fail_rank = 2;
    else if (strcmp(f, "none") == 0)
      fail_rank = 99;
  }
}

__attribute__((noinline)) static void finding_split_variance(void) { abort(); }
__attribute__((noinline)) static void finding_framing_both_accept(void) {
  abort();
}
__attribute__((noinline)) static void finding_framing(void) { abort(); }
__attribute__((noinline)) static void finding_acceptance(void) { abort(); }
__attribute__((noinline)) static void finding_interpretation(void) { abort(); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  verdict_params p;
  verdict h, hs;
  char err[256];
  size_t i;
  uint8_t ctl;
  init();
  if (size < 1)
    return 0;
  ctl = data[0];
  data++;
  size--;
  memset(&p, 0, sizeof p);
  p.role = (ctl & 1) ? VERDICT_CLIENT : VERDICT_SERVER;
  p.method = p.role == VERDICT_CLIENT ? methods[(ctl >> 1) & 3] : NULL;

  if (verdict_h11c(&p, data, size, &h, err, sizeof err) != 0) {
    /* The adapter found h11c in a state the specification has no outcome
       for: a finding too. */
    diff_print_input(stderr, &p, data, size);
    fprintf(stderr, "h11c run failed: %s\n", err);
    finding_split_variance();
  }

  /* Split invariance. */
  p.chunk = pieces[(ctl >> 3) & 7];
  if (verdict_h11c(&p, data, size, &hs, err, sizeof err) != 0 ||
      !verdict_same(&h, &hs)) {
    diff_print_input(stderr, &p, data, size);
    fprintf(stderr, "h11c's verdict depends on the piece size (%zu):\n",
            p.chunk);
    verdict_print(stderr, "whole", &h);
    verdict_print(stderr, "pieces", &hs);
    finding_split_variance();
  }
  verdict_free(&hs);
  p.chunk = 0;

  for (i = 0; i < sizeof peers / sizeof peers[0]; i++) {
    verdict v;
    diff_result d;
    rule_input ri;
    const rule *why;
    int rank;
    if (peers[i].fn(&p, data, size, &v, err, sizeof err) != 0) {
      verdict_free(&v);
      continue; /* the peer's own trouble */
    }
    verdict_compare(&h, &v, false, &d);
    diff_name_sides(&d, "h11c", peers[i].name);
    rank = diff_rank(&d);
    if (rank < fail_rank) {
      verdict_free(&v);
      continue;
    }
    rule_input_init(&ri, NULL, p.role, p.method, data, size);
    why = rulebook_explain(rules, &ri, "h11c", &h, peers[i].name, &v, &d);
    rule_input_free(&ri);
    if (!why) {
      diff_print_input(stderr, &p, data, size);
      fprintf(stderr, "h11c ~ %s: %s: %s (not explained)\n", peers[i].name,
              diff_class_label(&d), d.detail);
      verdict_print(stderr, "h11c", &h);
      verdict_print(stderr, peers[i].name, &v);
      switch (rank) {
      case 5:
        finding_framing_both_accept();
        break;
      case 4:
        finding_framing();
        break;
      case 3:
        finding_acceptance();
        break;
      default:
        finding_interpretation();
        break;
      }
    }
    verdict_free(&v);
  }
  verdict_free(&h);
  return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed) {
  mut_rng r;
  uint8_t *out;
  size_t n;
  char method[MUT_METHOD_MAX] = "";
  const char *name;
  verdict_role role;
  r.s = ((uint64_t)seed << 1) | 1;
  if (size < 1 || max_size < 2 || mut_below(&r, 3) == 0)
    return LLVMFuzzerMutate(data, size, max_size);
  if (mut_below(&r, 16) == 0)
    data[0] ^= (uint8_t)(1u << mut_below(&r, 6));
  role = (data[0] & 1) ? VERDICT_CLIENT : VERDICT_SERVER;
  out = malloc(max_size);
  if (!out)
    return size;
  n = mut_apply(&r, data + 1, size - 1, role, method, NULL, 0, out,
                max_size - 1, &name);
  if (method[0]) {
    int k;
    for (k = 0; k < 4; k++)
      if (methods[k] && strcmp(methods[k], method) == 0)
        data[0] = (uint8_t)((data[0] & ~6u) | (unsigned)(k << 1));
  }
  memcpy(data + 1, out, n);
  free(out);
  return n + 1;
}
