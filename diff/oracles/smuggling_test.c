/*
 * corpus/smuggling: h11c's expected verdict for every input, as written in
 * corpus/smuggling/cases.json by tools/gen_smuggling_corpus.py (the
 * expectations are hand-written there: which parts of the input are the
 * messages h11c completes, the outcome, the status hint).  Each input is
 * one test, run whole and in pieces of 1 and 3 bytes; three more tests
 * check the catalogue itself (size, both roles, every file listed).
 */
#define _POSIX_C_SOURCE 200809L
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/corpus.h"
#include "diff/model/json.h"
#include "diff/model/json_read.h"
#include "diff/model/verdict.h"
#include "diff/oracles/adapters.h"
#include "diff/oracles/dyntest.h"

#define ROOT "corpus/smuggling"

static jv manifest;
static const jv *inputs;
static char load_error[512];

static const jv *input_at(size_t i) { return &inputs->items[i]; }

static bool get_int(const jv *o, const char *key, long long *out) {
  const jv *v = jv_get(o, key);
  if (!v || v->type != JV_NUMBER || !v->is_int)
    return false;
  *out = v->i;
  return true;
}

static void check_input(size_t row, int *failed) {
  const jv *in = input_at(row), *exp = jv_get(in, "h11c");
  const char *file = jv_get_str(in, "file");
  const char *role = jv_get_str(in, "role");
  const char *method = jv_get_str(in, "method");
  const char *outcome = jv_get_str(exp, "outcome");
  const jv *ends = jv_get(exp, "ends"), *hint = jv_get(exp, "hint");
  long long nmsg = 0, leftover = 0, offset = 0;
  char path[512], first[65536] = "";
  uint8_t *data = NULL;
  size_t len = 0, chunks[] = {0, 1, 3}, c;

  ASSERT_TRUE(file && role && outcome && ends && ends->type == JV_ARRAY);
  ASSERT_TRUE(get_int(exp, "messages", &nmsg));
  ASSERT_TRUE(get_int(exp, "leftover", &leftover));
  snprintf(path, sizeof path, "%s/%s", ROOT, file);
  if (corpus_read_file(path, &data, &len) != 0) {
    H11C__FAIL("cannot read %s", path);
    return;
  }
  for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
    verdict_params p;
    verdict v;
    json_writer w;
    char err[256];
    size_t i, k = 0;
    bool ok = true;
    char why[256] = "";
    memset(&p, 0, sizeof p);
    p.role = strcmp(role, "client") == 0 ? VERDICT_CLIENT : VERDICT_SERVER;
    p.method = method;
    p.chunk = chunks[c];
    if (verdict_h11c(&p, data, len, &v, err, sizeof err) != 0) {
      H11C__FAIL("%s: run failed: %s", file, err);
      verdict_free(&v);
      break;
    }
    json_writer_init(&w);
    verdict_to_json(&v, &w);
    if (c > 0) {
      if (strcmp(first, json_writer_str(&w)) != 0) {
        H11C__FAIL("%s: pieces of %zu bytes give another verdict: %s", file,
                   chunks[c], json_writer_str(&w));
        ok = false;
      }
    } else {
      snprintf(first, sizeof first, "%s", json_writer_str(&w));
      if (strcmp(verdict_outcome_name(v.outcome), outcome) != 0) {
        snprintf(why, sizeof why, "outcome %s, expected %s",
                 verdict_outcome_name(v.outcome), outcome);
        ok = false;
      }
      for (i = 0; ok && i < v.nmessages; i++) {
        if (!v.messages[i].complete)
          continue;
        if (k >= ends->n || !ends->items[k].is_int ||
            (long long)v.messages[i].end != ends->items[k].i) {
          snprintf(why, sizeof why, "message %zu ends at %llu", i,
                   (unsigned long long)v.messages[i].end);
          ok = false;
        }
        k++;
      }
      if (ok && k != ends->n) {
        snprintf(why, sizeof why, "%zu messages completed, expected %zu", k,
                 ends->n);
        ok = false;
      }
      if (ok && (long long)v.nmessages != nmsg) {
        snprintf(why, sizeof why, "%zu messages, expected %lld", v.nmessages,
                 nmsg);
        ok = false;
      }
      if (ok && (long long)v.leftover != leftover) {
        snprintf(why, sizeof why, "leftover %llu, expected %lld",
                 (unsigned long long)v.leftover, leftover);
        ok = false;
      }
      if (ok && v.outcome == VERDICT_ERROR) {
        if (hint && hint->type == JV_NUMBER && v.error_status_hint != hint->i) {
          snprintf(why, sizeof why, "status hint %d, expected %lld",
                   v.error_status_hint, hint->i);
          ok = false;
        } else if (get_int(exp, "offset", &offset) &&
                   (long long)v.error_offset != offset) {
          snprintf(why, sizeof why, "error offset %llu, expected %lld",
                   (unsigned long long)v.error_offset, offset);
          ok = false;
        }
      }
      if (!ok)
        H11C__FAIL("%s: %s\n    got %s", file, why, json_writer_str(&w));
    }
    json_writer_free(&w);
    verdict_free(&v);
    if (!ok)
      break;
  }
  free(data);
}

TEST(catalogue_loads) {
  if (load_error[0])
    H11C__FAIL("%s", load_error);
  ASSERT_TRUE(inputs != NULL);
}

TEST(catalogue_has_150_inputs_in_both_roles) {
  size_t i, server = 0, client = 0;
  ASSERT_TRUE(inputs != NULL);
  for (i = 0; i < inputs->n; i++) {
    const char *role = jv_get_str(input_at(i), "role");
    if (role && strcmp(role, "server") == 0)
      server++;
    else if (role && strcmp(role, "client") == 0)
      client++;
  }
  ASSERT_TRUE(server + client >= 150);
  ASSERT_TRUE(server >= 30);
  ASSERT_TRUE(client >= 30);
}

/* Every .http file of the corpus is in the manifest, and the other way
 * round, and each name has its role's folder. */
TEST(catalogue_lists_every_file) {
  const char *dirs[] = {"server", "client"};
  size_t d, files = 0, i;
  ASSERT_TRUE(inputs != NULL);
  for (d = 0; d < 2; d++) {
    char dir[256];
    DIR *dp;
    struct dirent *e;
    snprintf(dir, sizeof dir, "%s/%s", ROOT, dirs[d]);
    dp = opendir(dir);
    ASSERT_TRUE(dp != NULL);
    while ((e = readdir(dp)) != NULL) {
      char rel[512];
      bool listed = false;
      size_t n = strlen(e->d_name);
      if (n < 6 || strcmp(e->d_name + n - 5, ".http") != 0)
        continue;
      files++;
      snprintf(rel, sizeof rel, "%s/%s", dirs[d], e->d_name);
      for (i = 0; i < inputs->n && !listed; i++) {
        const char *f = jv_get_str(input_at(i), "file");
        listed = f && strcmp(f, rel) == 0;
      }
      if (!listed) {
        H11C__FAIL("%s is not in cases.json", rel);
        closedir(dp);
        return;
      }
    }
    closedir(dp);
  }
  ASSERT_EQ(files, inputs->n);
  for (i = 0; i < inputs->n; i++) {
    const char *f = jv_get_str(input_at(i), "file");
    const char *role = jv_get_str(input_at(i), "role");
    verdict_role r;
    char m[32];
    ASSERT_TRUE(f && role);
    ASSERT_TRUE(corpus_infer_role(f, &r, m, sizeof m));
    ASSERT_STR(verdict_role_name(r), role);
  }
}

__attribute__((constructor)) static void load(void) {
  static const char *names[DYNTEST_MAX];
  size_t i;
  if (jv_parse_file(ROOT "/cases.json", &manifest, load_error,
                    sizeof load_error) != 0)
    return;
  inputs = jv_get(&manifest, "inputs");
  if (!inputs || inputs->type != JV_ARRAY) {
    snprintf(load_error, sizeof load_error, "cases.json has no inputs list");
    inputs = NULL;
    return;
  }
  for (i = 0; i < inputs->n && i < DYNTEST_MAX; i++) {
    const char *f = jv_get_str(input_at(i), "file");
    names[i] = f ? f : "?";
  }
  dyntest_register(inputs->n < DYNTEST_MAX ? inputs->n : DYNTEST_MAX, names,
                   check_input);
}
