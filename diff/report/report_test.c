/*
 * Tests of the report package: the JSON and Markdown reports and the
 * one-line reading of a verdict.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/compare/engine.h"
#include "diff/model/json_read.h"
#include "diff/model/test_verdicts.h"
#include "diff/report/report.h"

static rulebook *rb;
static const char cl_te_input[] = CL_TE_INPUT;

TEST(reports_json_and_markdown) {
  engine e;
  corpus c;
  engine_result res[2];
  report rep;
  char err[256], jpath[300], mpath[300];
  const char *tmp = getenv("TEST_TMPDIR");
  jv doc;
  const jv *dis;
  FILE *f;
  char buf[8192];
  size_t n;
  memset(&c, 0, sizeof c);
  memset(&rep, 0, sizeof rep);
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  ASSERT_EQ(engine_init(&e, "h11c,llhttp,http_parser", 0, rb, err, sizeof err),
            0);
  ASSERT_EQ(corpus_add(&c, "t/server/a.http", VERDICT_SERVER, NULL,
                       (const uint8_t *)cl_te_input, sizeof cl_te_input - 1),
            0);
  ASSERT_EQ(corpus_add(&c, "t/client/b.HEAD.http", VERDICT_CLIENT, "HEAD",
                       (const uint8_t *)"HTTP/1.1 200 OK\r\n\r\n", 19),
            0);
  engine_run(&e, c.items, 2, res);
  rep.e = &e;
  rep.c = &c;
  rep.res = res;
  rep.top = 10;
  snprintf(jpath, sizeof jpath, "%s/r.json", tmp ? tmp : "/tmp");
  snprintf(mpath, sizeof mpath, "%s/r.md", tmp ? tmp : "/tmp");
  ASSERT_EQ(report_json(jpath, &rep), 0);
  ASSERT_EQ(report_markdown(mpath, &rep), 0);
  ASSERT_EQ(jv_parse_file(jpath, &doc, err, sizeof err), 0);
  ASSERT_EQ(jv_get(&doc, "inputs")->i, 2);
  dis = jv_get(&doc, "disagreements");
  ASSERT_TRUE(dis && dis->type == JV_ARRAY && dis->n == 1);
  ASSERT_STR(jv_get_str(&dis->items[0], "input"), "t/server/a.http");
  ASSERT_TRUE(jv_get(jv_get(&doc, "matrix"), "llhttp") != NULL);
  jv_free(&doc);
  f = fopen(mpath, "rb");
  ASSERT_TRUE(f != NULL);
  n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  ASSERT_TRUE(strstr(buf, "## Disagreement matrix") != NULL);
  ASSERT_TRUE(strstr(buf, "| **h11c** |") != NULL);
  ASSERT_TRUE(strstr(buf, "Content-Length: 5\\r\\n") != NULL);
  engine_result_free(&res[0]);
  engine_result_free(&res[1]);
  corpus_free(&c);
  engine_free(&e);
}

TEST(diff_escape_and_reading) {
  char buf[128];
  verdict v;
  diff_escape((const uint8_t *)"a\r\n\t\\\x01\xff", 7, 100, buf, sizeof buf);
  ASSERT_STR(buf, "a\\r\\n\\t\\\\\\x01\\xff");
  diff_escape((const uint8_t *)"abcdef", 6, 3, buf, sizeof buf);
  ASSERT_STR(buf, "abc...(+3 bytes)");
  ASSERT_EQ(test_verdict_parse(
                V("must_close", MSG("GET", "/", "27", ""), "null", "9"), &v),
            0);
  report_reading(&v, buf, sizeof buf);
  ASSERT_STR(buf, "must_close leftover=9 | #0 GET / 1.1 body=0 end=27");
  verdict_free(&v);
}
