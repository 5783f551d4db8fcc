/*
 * Tests of the explore package: the minimiser, the mutation grammar and
 * the explorer.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/compare/engine.h"
#include "diff/explore/explore.h"
#include "diff/explore/minimise.h"
#include "diff/explore/mutate.h"
#include "diff/model/test_verdicts.h"

static rulebook *rb;
static const char cl_te_input[] = CL_TE_INPUT;

TEST(minimise_keeps_class_and_shrinks) {
  engine e;
  char err[256];
  verdict va, vb;
  verdict_params p;
  diff_result d, d2;
  uint8_t *out = NULL;
  size_t outlen = 0;
  minimise_stats st;
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  ASSERT_EQ(engine_init(&e, "h11c,llhttp-lenient", 0, rb, err, sizeof err), 0);
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  ASSERT_EQ(oracle_list[e.idx[0]].fn(&p, (const uint8_t *)cl_te_input,
                                     sizeof cl_te_input - 1, &va, err,
                                     sizeof err),
            0);
  ASSERT_EQ(oracle_list[e.idx[1]].fn(&p, (const uint8_t *)cl_te_input,
                                     sizeof cl_te_input - 1, &vb, err,
                                     sizeof err),
            0);
  verdict_compare(&va, &vb, false, &d);
  verdict_free(&va);
  verdict_free(&vb);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
  ASSERT_EQ(minimise(&e, 0, 1, &d, NULL, VERDICT_SERVER, NULL, NULL,
                     (const uint8_t *)cl_te_input, sizeof cl_te_input - 1, &out,
                     &outlen, 0, &st),
            0);
  ASSERT_TRUE(outlen < sizeof cl_te_input - 1 - 30);
  ASSERT_EQ(st.to, outlen);
  engine_compare_two(&e, 0, 1, VERDICT_SERVER, NULL, out, outlen, &d2);
  ASSERT_EQ(d2.cls, DIFF_FRAMING);
  ASSERT_EQ(d2.both_accept, d.both_accept);
  /* The padding field is gone. */
  ASSERT_TRUE(memmem(out, outlen, "X-Padding", 9) == NULL);
  free(out);
  engine_free(&e);
}

/* ------------------------------------------------------------------------ */
/* Mutations and the explorer                                               */
/* ------------------------------------------------------------------------ */

TEST(mutate_is_deterministic_and_bounded) {
  static const char seed[] = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                             "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  mut_seed ms = {(const uint8_t *)seed, sizeof seed - 1};
  uint8_t a[256], b[256];
  int i, names = 0;
  const char *seen[32];
  for (i = 0; i < 2000; i++) {
    mut_rng r1 = {(uint64_t)i + 1}, r2 = {(uint64_t)i + 1};
    char m1[MUT_METHOD_MAX] = "", m2[MUT_METHOD_MAX] = "";
    const char *n1, *n2;
    size_t l1 = mut_apply(&r1, (const uint8_t *)seed, sizeof seed - 1,
                          i % 2 ? VERDICT_CLIENT : VERDICT_SERVER, m1, &ms, 1,
                          a, sizeof a, &n1);
    size_t l2 = mut_apply(&r2, (const uint8_t *)seed, sizeof seed - 1,
                          i % 2 ? VERDICT_CLIENT : VERDICT_SERVER, m2, &ms, 1,
                          b, sizeof b, &n2);
    int k;
    ASSERT_EQ(l1, l2);
    ASSERT_TRUE(l1 <= sizeof a);
    ASSERT_TRUE(memcmp(a, b, l1) == 0);
    ASSERT_STR(n1, n2);
    ASSERT_STR(m1, m2);
    for (k = 0; k < names; k++)
      if (strcmp(seen[k], n1) == 0)
        break;
    if (k == names && names < 32)
      seen[names++] = n1;
  }
  /* Every operator of the grammar was used: the 12 of mutate.h for both
     roles, and request-method for the client role. */
  ASSERT_EQ(names, 13);
}

TEST(explorer_finds_and_minimises) {
  engine e;
  corpus seeds, found;
  explore_opts o;
  explore_stats st;
  char err[256];
  static const char s1[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
                           "5\r\n\r\nhello";
  static const char s2[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
  memset(&seeds, 0, sizeof seeds);
  memset(&found, 0, sizeof found);
  memset(&o, 0, sizeof o);
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  ASSERT_EQ(engine_init(&e, "h11c,llhttp,http_parser", 0, rb, err, sizeof err),
            0);
  ASSERT_EQ(corpus_add(&seeds, "s/server/a.http", VERDICT_SERVER, NULL,
                       (const uint8_t *)s1, sizeof s1 - 1),
            0);
  ASSERT_EQ(corpus_add(&seeds, "s/client/b.http", VERDICT_CLIENT, NULL,
                       (const uint8_t *)s2, sizeof s2 - 1),
            0);
  o.seconds = 1.0;
  o.seed = 7;
  o.max_evals = 300;
  ASSERT_EQ(explore_run(&e, &seeds, &o, &st, &found), 0);
  ASSERT_TRUE(st.candidates > 0);
  ASSERT_TRUE(st.findings > 0);
  ASSERT_EQ(found.n, st.findings);
  ASSERT_TRUE(strncmp(found.items[0].path, "explore/", 8) == 0);
  corpus_free(&seeds);
  corpus_free(&found);
  engine_free(&e);
}
