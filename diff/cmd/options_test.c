/*
 * Tests of the option table parser and of the usage text made from it.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/cmd/options.h"

typedef struct topts {
  const char *name;
  double num;
  size_t size;
  bool flag;
  int calls;
} topts;

static int count_call(void *p, const opt_spec *s, const char *val) {
  topts *o = p;
  (void)s;
  o->calls++;
  return val && strcmp(val, "bad") == 0 ? -1 : 0;
}

static const opt_spec SPECS[] = {
    {"--name", OPT_STRING, "S", offsetof(topts, name), NULL, "a name"},
    {"--num", OPT_NUMBER, "N", offsetof(topts, num), NULL,
     "a number\nover two lines"},
    {"--size", OPT_SIZE, "N", offsetof(topts, size), NULL, "a size"},
    {"--flag", OPT_FLAG, NULL, offsetof(topts, flag), NULL, "a flag"},
    {"--other-flag", OPT_FLAG, NULL, offsetof(topts, flag), NULL, NULL},
    {"--call", OPT_HANDLER, "V", 0, count_call, "a handler"},
    {"--a-very-long-option-name", OPT_FLAG, NULL, offsetof(topts, flag), NULL,
     "long"},
};

static opt_cmd command(bool interleaved) {
  opt_cmd c = {
      "t",        "usage: t\n", NULL, SPECS, sizeof SPECS / sizeof SPECS[0],
      interleaved};
  return c;
}

static int parse(bool interleaved, int argc, const char **argv, topts *o,
                 const char **pos, int *npos, int *next) {
  opt_cmd c = command(interleaved);
  memset(o, 0, sizeof *o);
  *npos = 0;
  return opt_parse(&c, argc, (char **)argv, o, pos, npos, next);
}

TEST(options_values_both_spellings) {
  const char *argv[] = {"t", "--name", "x",      "--num=2.5", "--size",
                        "7", "--flag", "--call", "v"};
  const char *pos[16];
  int npos, next = 0;
  topts o;
  ASSERT_EQ(parse(false, 9, argv, &o, pos, &npos, &next), OPT_OK);
  ASSERT_STR(o.name, "x");
  ASSERT_TRUE(o.num == 2.5);
  ASSERT_EQ(o.size, 7);
  ASSERT_TRUE(o.flag);
  ASSERT_EQ(o.calls, 1);
  ASSERT_EQ(next, 9);
}

TEST(options_positional_interleaved_or_ending) {
  const char *argv[] = {"t", "a", "--flag", "-", "--", "--name"};
  const char *pos[16];
  int npos, next = 0;
  topts o;
  ASSERT_EQ(parse(true, 6, argv, &o, pos, &npos, &next), OPT_OK);
  ASSERT_EQ(npos, 3);
  ASSERT_STR(pos[0], "a");
  ASSERT_STR(pos[1], "-");
  ASSERT_STR(pos[2], "--name");
  ASSERT_TRUE(o.flag);
  ASSERT_EQ(parse(false, 6, argv, &o, pos, &npos, &next), OPT_OK);
  ASSERT_EQ(next, 1);
  ASSERT_EQ(npos, 0);
}

TEST(options_usage_errors) {
  const char *unknown[] = {"t", "--nope"};
  const char *missing[] = {"t", "--name"};
  const char *bad_num[] = {"t", "--num", "-1"};
  const char *bad_size[] = {"t", "--size=1x"};
  const char *flag_value[] = {"t", "--flag=1"};
  const char *handler[] = {"t", "--call", "bad"};
  const char *pos[4];
  int npos, next;
  topts o;
  ASSERT_EQ(parse(false, 2, unknown, &o, pos, &npos, &next), OPT_USAGE_ERROR);
  ASSERT_EQ(parse(false, 2, missing, &o, pos, &npos, &next), OPT_USAGE_ERROR);
  ASSERT_EQ(parse(false, 3, bad_num, &o, pos, &npos, &next), OPT_USAGE_ERROR);
  ASSERT_EQ(parse(false, 2, bad_size, &o, pos, &npos, &next), OPT_USAGE_ERROR);
  ASSERT_EQ(parse(false, 2, flag_value, &o, pos, &npos, &next),
            OPT_USAGE_ERROR);
  ASSERT_EQ(parse(false, 3, handler, &o, pos, &npos, &next), OPT_USAGE_ERROR);
  ASSERT_EQ(o.calls, 1);
}

TEST(options_usage_is_made_from_the_table) {
  opt_cmd c = command(false);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ASSERT_TRUE(f != NULL);
  opt_usage(&c, f);
  fclose(f);
  ASSERT_STR(text, "usage: t\n"
                   "  --name S             a name\n"
                   "  --num N              a number\n"
                   "                       over two lines\n"
                   "  --size N             a size\n"
                   "  --flag               a flag\n"
                   "  --call V             a handler\n"
                   "  --a-very-long-option-name\n"
                   "                       long\n");
  free(text);
}
