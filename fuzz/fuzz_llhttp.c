/*
 * Target 5, framing differential: the same request bytes go to an h11c
 * server connection and to llhttp (Debian's llhttp 8.1.0, default strict
 * settings), both through the differential harness's oracles
 * (diff/oracles/adapters.h), which drive them as diff/model/FORMAT.md
 * says: all bytes, then end of input; each complete request answered
 * (h11c) and every protocol switch declined (llhttp, as Node.js does).
 *
 * Property: for every message that both parsers accept completely, they
 * agree on where it ends and on its body bytes, unless the harness's rule
 * engine explains the disagreement by one of the expected llhttp quirks
 * of diff/compare/peer_quirks.json (the list the harness itself reads);
 * after the first difference, later messages are not compared (the
 * streams are out of step).  Messages only one parser accepts are
 * acceptance differences and are not checked (diff/fuzz_diff checks
 * every class).
 *
 * Input: the raw request bytes (no configuration byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/compare/compare.h"
#include "diff/compare/rules.h"
#include "diff/model/verdict.h"
#include "diff/oracles/adapters.h"
#include "fuzz_common.h"

static rulebook *rules;

static void init(void) {
  char err[256];
  if (rules)
    return;
  FUZZ_CHECK(rulebook_load(&rules, NULL, NULL, err, sizeof err) == 0,
             "the built-in rules do not load: %s", err);
}

static bool same_bytes(const verdict_bytes *a, const verdict_bytes *b) {
  return a->len == b->len &&
         (a->len == 0 || memcmp(a->base, b->base, a->len) == 0);
}

/* The first message both accept completely and frame differently, or -1. */
static long first_framing_difference(const verdict *h, const verdict *l) {
  size_t i, n = h->nmessages < l->nmessages ? h->nmessages : l->nmessages;
  for (i = 0; i < n; i++) {
    const verdict_message *a = &h->messages[i], *b = &l->messages[i];
    if (!a->complete || !b->complete)
      return -1;
    if (a->end != b->end || !same_bytes(&a->body, &b->body))
      return (long)i;
  }
  return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  verdict_params p;
  verdict h, l;
  char err[256];
  long i;
  init();
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  FUZZ_CHECK(verdict_h11c(&p, data, size, &h, err, sizeof err) == 0,
             "h11c's run reached a state with no outcome: %s", err);
  if (verdict_llhttp(&p, data, size, &l, err, sizeof err) != 0) {
    /* llhttp's own trouble (no progress): nothing to compare. */
    verdict_free(&h);
    verdict_free(&l);
    return 0;
  }
  if (fuzz_verbose()) {
    verdict_print(stderr, "h11c", &h);
    verdict_print(stderr, "llhttp", &l);
  }
  i = first_framing_difference(&h, &l);
  if (i >= 0) {
    const verdict_message *a = &h.messages[i], *b = &l.messages[i];
    diff_result d;
    rule_input ri;
    const rule *why;
    verdict_compare(&h, &l, false, &d);
    diff_name_sides(&d, "h11c", "llhttp");
    rule_input_init(&ri, NULL, p.role, NULL, data, size);
    why = rulebook_explain(rules, &ri, "h11c", &h, "llhttp", &l, &d);
    rule_input_free(&ri);
    if (fuzz_verbose() || !why) {
      diff_print_input(stderr, &p, data, size);
      fprintf(stderr,
              "message %ld: h11c ends it at %llu with a body of %zu bytes, "
              "llhttp at %llu with %zu bytes (%s: %s)%s%s\n",
              i, (unsigned long long)a->end, a->body.len,
              (unsigned long long)b->end, b->body.len, diff_class_label(&d),
              d.detail, why ? "; expected quirk: " : "",
              why ? rule_id(why) : "");
    }
    FUZZ_CHECK(why != NULL, "h11c and llhttp frame message %ld differently", i);
  }
  verdict_free(&h);
  verdict_free(&l);
  return 0;
}
