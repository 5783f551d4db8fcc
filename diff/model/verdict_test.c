/*
 * Tests of the verdict package: the JSON reader and the corpus layout.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/corpus.h"
#include "diff/model/json_read.h"

TEST(json_read_strings_are_bytes) {
  jv v;
  char err[128];
  const char *t = "{\"a\": \"x\\u00e9\\u0000y\\u20ac\", \"n\": [1, -2, 2.5, "
                  "true, null]}";
  const jv *a, *n;
  ASSERT_EQ(jv_parse(t, strlen(t), &v, err, sizeof err), 0);
  a = jv_get(&v, "a");
  ASSERT_TRUE(a && a->type == JV_STRING);
  ASSERT_EQ(a->len, 7);
  ASSERT_TRUE(memcmp(a->s, "x\xe9\0y\xe2\x82\xac", 7) == 0);
  n = jv_get(&v, "n");
  ASSERT_TRUE(n && n->type == JV_ARRAY && n->n == 5);
  ASSERT_TRUE(n->items[1].is_int && n->items[1].i == -2);
  ASSERT_FALSE(n->items[2].is_int);
  ASSERT_TRUE(n->items[3].type == JV_BOOL && n->items[3].b);
  ASSERT_EQ(n->items[4].type, JV_NULL);
  jv_free(&v);
  ASSERT_EQ(jv_parse("[1,", 3, &v, err, sizeof err), -1);
  ASSERT_EQ(jv_parse("{} x", 4, &v, err, sizeof err), -1);
}

/* The corpus layout. */
TEST(corpus_infer_role_and_method) {
  verdict_role r;
  char m[32];
  ASSERT_TRUE(corpus_infer_role("a/server/x.http", &r, m, sizeof m));
  ASSERT_EQ(r, VERDICT_SERVER);
  ASSERT_TRUE(corpus_infer_role("a/client/x.HEAD.http", &r, m, sizeof m));
  ASSERT_EQ(r, VERDICT_CLIENT);
  ASSERT_STR(m, "HEAD");
  ASSERT_TRUE(corpus_infer_role("client/sub/x.http", &r, m, sizeof m));
  ASSERT_STR(m, "");
  ASSERT_FALSE(corpus_infer_role("a/b/x.http", &r, m, sizeof m));
}
