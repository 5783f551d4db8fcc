/*
 * Tests of the compare package: verdict comparison and its classes, the
 * explanations (known differences and peer quirks) and the engine.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/compare/compare.h"
#include "diff/compare/engine.h"
#include "diff/compare/rules.h"
#include "diff/model/corpus.h"
#include "diff/model/test_verdicts.h"

static diff_result cmp(const char *a, const char *b, bool hints) {
  verdict va, vb;
  diff_result d;
  memset(&d, 0, sizeof d);
  if (test_verdict_parse(a, &va) == 0 && test_verdict_parse(b, &vb) == 0)
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
  if (test_verdict_parse(va, &x) != 0 || test_verdict_parse(vb, &y) != 0)
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
  ASSERT_EQ(test_verdict_parse(acc, &x), 0);
  ASSERT_EQ(test_verdict_parse(rej, &y), 0);
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

static const char cl_te_input[] = CL_TE_INPUT;

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
