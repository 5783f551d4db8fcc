/*
 * Tests of the harness pieces: verdict comparison and its classes, the
 * explanations (known differences and peer quirks), the engine, the
 * minimiser, the mutation grammar, the explorer and the reports.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "corpus.h"
#include "engine.h"
#include "explore.h"
#include "json_read.h"
#include "minimise.h"
#include "mutate.h"
#include "report.h"
#include "rules.h"
#include "verdict_h11py.h"
#include "verdict_parse.h"

/* Verdicts written with ' for " to keep them readable. */
static int parse(const char *text, verdict *v) {
  char buf[4096], err[256];
  size_t i, n = strlen(text);
  if (n >= sizeof buf)
    return -1;
  for (i = 0; i <= n; i++)
    buf[i] = text[i] == '\'' ? '"' : text[i];
  if (verdict_from_json(buf, n, v, err, sizeof err) != 0) {
    fprintf(stderr, "parse: %s\n", err);
    return -1;
  }
  return 0;
}

#define MSG(m, t, end, body)                                                   \
  "{'method': '" m "', 'target': '" t "', 'version': '1.1', 'headers': "       \
  "[['host', 'a']], 'body': '" body "', 'trailers': [], 'end': " end "}"
#define V(outcome, msgs, error, leftover)                                      \
  "{'impl': 'x', 'role': 'server', 'messages': [" msgs                         \
  "], 'outcome': '" outcome "', 'error': " error ", 'leftover': " leftover "}"

static diff_result cmp(const char *a, const char *b, bool hints) {
  verdict va, vb;
  diff_result d;
  memset(&d, 0, sizeof d);
  if (parse(a, &va) == 0 && parse(b, &vb) == 0)
    verdict_compare(&va, &vb, hints, &d);
  verdict_free(&va);
  verdict_free(&vb);
  return d;
}

/* ------------------------------------------------------------------------ */
/* Comparison                                                               */
/* ------------------------------------------------------------------------ */

TEST(compare_equal) {
  const char *v = V("closed", MSG("GET", "/", "27", ""), "null", "0");
  diff_result d = cmp(v, v, true);
  ASSERT_EQ(d.cls, DIFF_NONE);
}

TEST(compare_framing_both_accept_end) {
  diff_result d =
      cmp(V("closed", MSG("POST", "/", "60", "hello"), "null", "0"),
          V("closed", MSG("POST", "/", "55", "hello"), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
  ASSERT_TRUE(d.both_accept);
  ASSERT_EQ(d.msg, 0);
  ASSERT_EQ(diff_rank(&d), 5);
}

TEST(compare_framing_body) {
  diff_result d =
      cmp(V("closed", MSG("POST", "/", "60", "hello"), "null", "0"),
          V("closed", MSG("POST", "/", "60", "world"), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
}

/* Framing differs at message 0 and one side errors later: framing, but
 * not both accepting. */
TEST(compare_framing_then_error) {
  diff_result d = cmp(V("closed", MSG("POST", "/", "60", "hello"), "null", "0"),
                      V("error", MSG("POST", "/", "55", ""),
                        "{'status_hint': 400, 'offset': 55}", "0"),
                      false);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
  ASSERT_FALSE(d.both_accept);
  ASSERT_EQ(diff_rank(&d), 4);
}

TEST(compare_message_count_is_framing) {
  diff_result d =
      cmp(V("must_close", MSG("GET", "/", "27", ""), "null", "27"),
          V("closed", MSG("GET", "/", "27", "") ", " MSG("GET", "/", "54", ""),
            "null", "0"),
          false);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
  ASSERT_TRUE(d.both_accept);
  ASSERT_EQ(d.msg, 1);
}

TEST(compare_outcome_only_is_framing) {
  diff_result d =
      cmp(V("closed", MSG("GET", "/", "27", ""), "null", "0"),
          V("must_close", MSG("GET", "/", "27", ""), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_FRAMING);
}

TEST(compare_acceptance) {
  diff_result d =
      cmp(V("error", "", "{'status_hint': 400, 'offset': 0}", "0"),
          V("closed", MSG("GET", "/", "27", ""), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_ACCEPTANCE);
  ASSERT_EQ(d.msg, 0);
}

/* A message one side rejected inside (end null, outcome error) is an
 * acceptance difference, not framing. */
TEST(compare_rejected_inside_message_is_acceptance) {
  diff_result d =
      cmp(V("error", MSG("POST", "/", "null", ""),
            "{'status_hint': 400, 'offset': 0}", "0"),
          V("closed", MSG("POST", "/", "81", "abc"), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_ACCEPTANCE);
}

TEST(compare_both_reject_at_different_messages) {
  diff_result d = cmp(V("error", "", "{'status_hint': 400, 'offset': 0}", "0"),
                      V("error", MSG("GET", "/", "27", ""),
                        "{'status_hint': 400, 'offset': 27}", "0"),
                      false);
  ASSERT_EQ(d.cls, DIFF_ACCEPTANCE);
}

TEST(compare_interpretation) {
  diff_result d =
      cmp(V("closed", MSG("GET", "/a", "27", ""), "null", "0"),
          V("closed", MSG("GET", "/b", "27", ""), "null", "0"), false);
  ASSERT_EQ(d.cls, DIFF_INTERPRETATION);
  ASSERT_TRUE(strstr(d.detail, "target") != NULL);
}

TEST(compare_status_only_with_hints) {
  const char *a = V("error", "", "{'status_hint': 400, 'offset': 0}", "0");
  const char *b = V("error", "", "{'status_hint': 501, 'offset': 0}", "0");
  ASSERT_EQ(cmp(a, b, true).cls, DIFF_STATUS);
  ASSERT_EQ(cmp(a, b, false).cls, DIFF_NONE);
}

/* Content-Length "5, 5" and two "5" fields read as one "5"; TE values
 * compare case-insensitively. */
TEST(compare_header_canonicalisation) {
  const char *one =
      "{'impl': 'x', 'role': 'server', 'messages': [{'method': 'P', "
      "'target': '/', 'version': '1.1', 'headers': [['host', 'a'], "
      "['content-length', '5'], ['transfer-encoding', 'chunked']], 'body': "
      "'', 'trailers': [], 'end': 9}], 'outcome': 'closed', 'error': null, "
      "'leftover': 0}";
  const char *two =
      "{'impl': 'x', 'role': 'server', 'messages': [{'method': 'P', "
      "'target': '/', 'version': '1.1', 'headers': [['host', 'a'], "
      "['content-length', '5, 5'], ['content-length', '5'], "
      "['transfer-encoding', 'Chunked']], 'body': '', 'trailers': [], "
      "'end': 9}], 'outcome': 'closed', 'error': null, 'leftover': 0}";
  const char *other =
      "{'impl': 'x', 'role': 'server', 'messages': [{'method': 'P', "
      "'target': '/', 'version': '1.1', 'headers': [['host', 'a'], "
      "['content-length', '5, 6'], ['transfer-encoding', 'chunked']], "
      "'body': '', 'trailers': [], 'end': 9}], 'outcome': 'closed', "
      "'error': null, 'leftover': 0}";
  ASSERT_EQ(cmp(one, two, false).cls, DIFF_NONE);
  ASSERT_EQ(cmp(one, other, false).cls, DIFF_INTERPRETATION);
}

TEST(compare_class_names) {
  ASSERT_EQ(diff_class_from_name("framing"), DIFF_FRAMING);
  ASSERT_EQ(diff_class_from_name("status"), DIFF_STATUS);
  ASSERT_STR(diff_class_name(DIFF_ACCEPTANCE), "acceptance");
}

/* ------------------------------------------------------------------------ */
/* JSON reader                                                              */
/* ------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------ */
/* Explanations                                                             */
/* ------------------------------------------------------------------------ */

static rulebook *rb;

static const rule *explain(const char *input, verdict_role role, const char *a,
                           const char *va, const char *b, const char *vb,
                           diff_class *cls) {
  verdict x, y;
  diff_result d;
  rule_input in;
  const rule *r = NULL;
  if (parse(va, &x) != 0 || parse(vb, &y) != 0)
    return NULL;
  verdict_compare(&x, &y, true, &d);
  *cls = d.cls;
  rule_input_init(&in, "test/x.http", role, NULL, (const uint8_t *)input,
                  strlen(input));
  r = rulebook_explain(rb, &in, a, &x, b, &y, &d);
  rule_input_free(&in);
  verdict_free(&x);
  verdict_free(&y);
  return r;
}

TEST(rules_builtin_load) {
  char err[256];
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  ASSERT_TRUE(rulebook_count(rb) > 40);
}

/* h11c closes after CL+TE where h11 goes on: the known difference, in
 * either order of the pair. */
TEST(rules_known_difference_cl_te) {
  static const char in[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                           "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const char *h11c = V("must_close", MSG("POST", "/", "80", ""), "null", "27");
  const char *h11 =
      V("closed", MSG("POST", "/", "80", "") ", " MSG("GET", "/", "107", ""),
        "null", "0");
  diff_class cls;
  const rule *r;
  char err[256];
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  r = explain(in, VERDICT_SERVER, "h11c", h11c, "h11py", h11, &cls);
  ASSERT_EQ(cls, DIFF_FRAMING);
  ASSERT_TRUE(r != NULL);
  ASSERT_STR(rule_id(r), "cl-te-request-closes");
  ASSERT_EQ(rule_get_kind(r), RULE_KNOWN);
  r = explain(in, VERDICT_SERVER, "h11py", h11, "h11c", h11c, &cls);
  ASSERT_TRUE(r != NULL);
  ASSERT_STR(rule_id(r), "cl-te-request-closes");
  /* Not between h11c and llhttp: that is not this difference. */
  r = explain(in, VERDICT_SERVER, "h11c", h11c, "llhttp", h11, &cls);
  ASSERT_TRUE(r == NULL || strcmp(rule_id(r), "cl-te-request-closes") != 0);
  /* Not for the client role. */
  r = explain(in, VERDICT_CLIENT, "h11c", h11c, "h11py", h11, &cls);
  ASSERT_TRUE(r == NULL);
}

TEST(rules_peer_quirk_either_side) {
  static const char in[] = "GET / HTTP/1.1\r\n\r\n";
  const char *rej = V("error", "", "{'status_hint': 400, 'offset': 0}", "0");
  const char *acc = V("closed", MSG("GET", "/", "18", ""), "null", "0");
  diff_class cls;
  const rule *r;
  char err[256];
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  r = explain(in, VERDICT_SERVER, "h11c", rej, "llhttp", acc, &cls);
  ASSERT_EQ(cls, DIFF_ACCEPTANCE);
  ASSERT_TRUE(r != NULL);
  ASSERT_STR(rule_id(r), "peer-no-host-required");
  ASSERT_EQ(rule_get_kind(r), RULE_QUIRK);
  ASSERT_STR(rule_kind_label(r), "expected quirk");
  r = explain(in, VERDICT_SERVER, "http_parser", acc, "h11py", rej, &cls);
  ASSERT_TRUE(r != NULL);
  ASSERT_STR(rule_id(r), "peer-no-host-required");
  /* The quirk is llhttp's accepting, not llhttp's rejecting. */
  r = explain(in, VERDICT_SERVER, "h11c", acc, "llhttp", rej, &cls);
  ASSERT_TRUE(r == NULL);
}

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  fputs(text, f);
  return fclose(f);
}

/* Every predicate, from a rules file. */
TEST(rules_predicates_from_file) {
  char dir[256], known[300], quirks[300], err[256];
  rulebook *own = NULL;
  const char *tmp = getenv("TEST_TMPDIR");
  static const char in[] =
      "POST /x HTTP/1.1\r\nhost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhelloXX0\r\n\r\n";
  const char *rej = V("error", "", "{'status_hint': 400, 'offset': 0}", "0");
  const char *acc = V("closed", MSG("POST", "/x", "71", "hello"), "null", "0");
  verdict x, y;
  diff_result d;
  rule_input ri;
  const rule *r;
  snprintf(dir, sizeof dir, "%s", tmp ? tmp : "/tmp");
  snprintf(known, sizeof known, "%s/k.json", dir);
  snprintf(quirks, sizeof quirks, "%s/q.json", dir);
  ASSERT_EQ(write_file(known, "{\"differences\": []}"), 0);
  ASSERT_EQ(
      write_file(quirks,
                 "{\"quirks\": [{\"id\": \"q1\", \"impls\": [\"llhttp\"], "
                 "\"class\": \"acceptance\", \"roles\": [\"server\"], \"why\": "
                 "\"w\", \"match\": {\"when\": ["
                 "{\"input_has\": [\"TRANSFER-encoding\", \"hello\"]},"
                 "{\"input_has_any\": [\"nothing\", \"xx0\"]},"
                 "{\"input_lacks\": [\"content-length\"]},"
                 "{\"input_regex\": \"^post /x\"},"
                 "{\"input_not_regex_cs\": \"^post\"},"
                 "{\"chunk_data_end_not_crlf\": true},"
                 "{\"first_head_has\": \"Host\"},"
                 "{\"self_outcome\": [\"closed\"]},"
                 "{\"other_outcome\": [\"error\"]},"
                 "{\"other_hint\": 400},"
                 "{\"more_messages\": \"self\"},"
                 "{\"min_length\": 10}"
                 "]}}]}"),
      0);
  ASSERT_EQ(rulebook_load(&own, known, quirks, err, sizeof err), 0);
  ASSERT_EQ(rulebook_count(own), 1);
  ASSERT_EQ(parse(acc, &x), 0);
  ASSERT_EQ(parse(rej, &y), 0);
  verdict_compare(&x, &y, false, &d);
  rule_input_init(&ri, NULL, VERDICT_SERVER, NULL, (const uint8_t *)in,
                  sizeof in - 1);
  r = rulebook_explain(own, &ri, "llhttp", &x, "h11c", &y, &d);
  ASSERT_TRUE(r != NULL);
  ASSERT_STR(rule_id(r), "q1");
  /* The other way round (llhttp rejecting) is not it. */
  r = rulebook_explain(own, &ri, "llhttp", &y, "h11c", &x, &d);
  ASSERT_TRUE(r == NULL);
  rule_input_free(&ri);
  verdict_free(&x);
  verdict_free(&y);
  rulebook_free(own);
  /* Bad rules are reported. */
  ASSERT_EQ(write_file(quirks, "{\"quirks\": [{\"id\": \"q\", \"impls\": "
                               "[\"x\"], \"match\": {\"when\": [{\"nope\": "
                               "1}]}}]}"),
            0);
  ASSERT_EQ(rulebook_load(&own, known, quirks, err, sizeof err), -1);
  ASSERT_TRUE(strstr(err, "nope") != NULL);
}

/* ------------------------------------------------------------------------ */
/* Engine, minimiser, reports                                               */
/* ------------------------------------------------------------------------ */

static const char cl_te_input[] =
    "POST / HTTP/1.1\r\nHost: a\r\nX-Padding: 1234567890\r\n"
    "Content-Length: 5\r\nTransfer-Encoding: chunked\r\nAccept: */*\r\n\r\n"
    "5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n";

TEST(engine_runs_pairs_and_explains) {
  engine e;
  corpus c;
  engine_result r;
  char err[256];
  size_t i;
  bool seen = false;
  memset(&c, 0, sizeof c);
  if (!rb)
    ASSERT_EQ(rulebook_load(&rb, NULL, NULL, err, sizeof err), 0);
  ASSERT_EQ(engine_init(&e, "h11c,llhttp,llhttp-lenient,http_parser", 0, rb,
                        err, sizeof err),
            0);
  ASSERT_EQ(e.n, 4);
  ASSERT_EQ(e.h11py_slot, -1);
  ASSERT_EQ(corpus_add(&c, "t/server/cl_te.http", VERDICT_SERVER, NULL,
                       (const uint8_t *)cl_te_input, sizeof cl_te_input - 1),
            0);
  engine_run(&e, c.items, 1, &r);
  ASSERT_FALSE(r.failed);
  ASSERT_EQ(r.npairs, 5); /* all but llhttp~http_parser */
  for (i = 0; i < r.npairs; i++)
    if (r.pairs[i].a == 0 && r.pairs[i].b == 1) {
      seen = true;
      ASSERT_EQ(r.pairs[i].d.cls, DIFF_ACCEPTANCE);
      ASSERT_TRUE(r.pairs[i].why != NULL);
      ASSERT_STR(rule_id(r.pairs[i].why), "peer-rejects-cl-with-te");
    }
  ASSERT_TRUE(seen);
  ASSERT_EQ(r.worst, 5); /* h11c~llhttp-lenient: framing, both accept */
  engine_result_free(&r);
  corpus_free(&c);
  engine_free(&e);
  ASSERT_EQ(engine_init(&e, "h11c,nope", 0, rb, err, sizeof err), -1);
}

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

TEST(report_escape_and_reading) {
  char buf[128];
  verdict v;
  report_escape((const uint8_t *)"a\r\n\t\\\x01\xff", 7, 100, buf, sizeof buf);
  ASSERT_STR(buf, "a\\r\\n\\t\\\\\\x01\\xff");
  report_escape((const uint8_t *)"abcdef", 6, 3, buf, sizeof buf);
  ASSERT_STR(buf, "abc...(+3 bytes)");
  ASSERT_EQ(parse(V("must_close", MSG("GET", "/", "27", ""), "null", "9"), &v),
            0);
  report_reading(&v, buf, sizeof buf);
  ASSERT_STR(buf, "must_close leftover=9 | #0 GET / 1.1 body=0 end=27");
  verdict_free(&v);
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

/* ------------------------------------------------------------------------ */
/* The h11py worker pool                                                    */
/* ------------------------------------------------------------------------ */

/* Jobs spread over two workers come back to the right job, in batches
 * larger than a pipe's first write. */
TEST(h11py_pool_batches_keep_order) {
  h11py_pool *pool = NULL;
  static h11py_job jobs[300];
  static char inputs[300][96];
  verdict_params p;
  char err[512];
  size_t i;
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  ASSERT_EQ(h11py_pool_start(&pool, 2, err, sizeof err), 0);
  ASSERT_EQ(h11py_pool_size(pool), 2);
  for (i = 0; i < 300; i++) {
    snprintf(
        inputs[i], sizeof inputs[i],
        "POST /%zu HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n%0*zu", i,
        (size_t)(i % 10 + 1), (int)(i % 10 + 1), i);
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].params = &p;
    jobs[i].data = (const uint8_t *)inputs[i];
    jobs[i].len = strlen(inputs[i]);
  }
  ASSERT_EQ(h11py_pool_submit(pool, jobs, 300), 0);
  ASSERT_EQ(h11py_pool_wait(pool), 0);
  for (i = 0; i < 300; i++) {
    char target[16];
    ASSERT_EQ(jobs[i].rc, 0);
    ASSERT_STR(jobs[i].out.impl, "h11py");
    ASSERT_EQ(jobs[i].out.nmessages, 1);
    snprintf(target, sizeof target, "/%zu", i);
    ASSERT_MEM_STR(jobs[i].out.messages[0].target.base,
                   jobs[i].out.messages[0].target.len, target);
    ASSERT_EQ(jobs[i].out.messages[0].body.len, i % 10 + 1);
    verdict_free(&jobs[i].out);
  }
  h11py_pool_stop(pool);
}

/* Without an interpreter that can import h11, the error says what to
 * install. */
TEST(h11py_missing_interpreter_is_explained) {
  char err[512] = "";
  const char *old = getenv("H11C_PYTHON");
  char saved[256] = "";
  if (old)
    snprintf(saved, sizeof saved, "%s", old);
  setenv("H11C_PYTHON", "/nonexistent/python3", 1);
  ASSERT_TRUE(h11py_find_python(err, sizeof err) == NULL);
  if (old)
    setenv("H11C_PYTHON", saved, 1);
  else
    unsetenv("H11C_PYTHON");
  ASSERT_TRUE(strstr(err, "python3-h11") != NULL);
  ASSERT_TRUE(strstr(err, "pip install h11") != NULL);
}
