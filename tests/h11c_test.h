/*
 * A small test harness: tests register themselves with TEST(name), asserts
 * print both operands with file and line, and main() runs every test and
 * ends with the line "N passed, N failed".
 *
 * Each test file includes this header once and defines its tests; exactly
 * one translation unit of a test binary defines H11C_TEST_MAIN before
 * including it to get main().  A test that fails stops at its first failed
 * assertion (it returns) and the run goes on with the next test.
 *
 * TEST_TABLE(table, run) registers every row of a static array of structs
 * as a test of its own, named by the row's `name` member: run(failed, row)
 * checks one row, so that one loop runs every row of a table and each row
 * still counts (and fails) under its own name.
 */
#ifndef H11C_TEST_H
#define H11C_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*h11c_test_fn)(int *failed);
typedef void (*h11c_test_row_fn)(int *failed, const void *row);

struct h11c_test_case {
  const char *name;
  h11c_test_fn fn;         /* a TEST(), or NULL for a table row */
  h11c_test_row_fn row_fn; /* a table row: row_fn(failed, row) */
  const void *row;
};

#define H11C_TEST_MAX 1024

extern struct h11c_test_case h11c_test_cases[H11C_TEST_MAX];
extern size_t h11c_test_count;
void h11c_test_register(const char *name, h11c_test_fn fn);
void h11c_test_register_row(const char *name, h11c_test_row_fn fn,
                            const void *row);

/* Defines and registers a test function.  The body may use the ASSERT_*
 * macros; `failed` is set by them. */
#define TEST(name)                                                             \
  static void test_##name(int *failed);                                        \
  __attribute__((constructor)) static void register_##name(void) {             \
    h11c_test_register(#name, test_##name);                                    \
  }                                                                            \
  static void test_##name(int *failed)

/* Registers each row of `table` (an array, not a pointer, of structs with
 * a `const char *name`) as a test; run is a function
 * void run(int *failed, const T *row). */
#define TEST_TABLE(table, run)                                                 \
  static void run_row_##table(int *failed, const void *row) {                  \
    run(failed, row);                                                          \
  }                                                                            \
  __attribute__((constructor)) static void register_##table(void) {            \
    size_t h11c__i;                                                            \
    for (h11c__i = 0; h11c__i < sizeof(table) / sizeof((table)[0]); h11c__i++) \
      h11c_test_register_row((table)[h11c__i].name, run_row_##table,           \
                             &(table)[h11c__i]);                               \
  }

#define H11C__FAIL(...)                                                        \
  do {                                                                         \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                          \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    *failed = 1;                                                               \
  } while (0)

#define ASSERT_TRUE(cond)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      H11C__FAIL("expected true: %s", #cond);                                  \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define ASSERT_FALSE(cond) ASSERT_TRUE(!(cond))

#define ASSERT_EQ(a, b)                                                        \
  do {                                                                         \
    long long h11c__a = (long long)(a), h11c__b = (long long)(b);              \
    if (h11c__a != h11c__b) {                                                  \
      H11C_FAIL_EQ(#a, #b, h11c__a, h11c__b);                                  \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define H11C_FAIL_EQ(sa, sb, va, vb)                                           \
  H11C__FAIL("%s == %s: %lld != %lld", sa, sb, va, vb)

#define ASSERT_NE(a, b)                                                        \
  do {                                                                         \
    long long h11c__a = (long long)(a), h11c__b = (long long)(b);              \
    if (h11c__a == h11c__b) {                                                  \
      H11C__FAIL("%s != %s: both %lld", #a, #b, h11c__a);                      \
      return;                                                                  \
    }                                                                          \
  } while (0)

/* Compares a byte range with a NUL-terminated string. */
#define ASSERT_MEM_STR(ptr, len, str)                                          \
  do {                                                                         \
    const void *h11c__p = (ptr);                                               \
    size_t h11c__l = (size_t)(len);                                            \
    const char *h11c__s = (str);                                               \
    if (h11c__l != strlen(h11c__s) ||                                          \
        (h11c__l && memcmp(h11c__p, h11c__s, h11c__l) != 0)) {                 \
      H11C__FAIL("%s == \"%s\": got \"%.*s\" (%zu bytes)", #ptr, h11c__s,      \
                 (int)h11c__l, (const char *)h11c__p, h11c__l);                \
      return;                                                                  \
    }                                                                          \
  } while (0)

/* Compares an h11c_slice with a NUL-terminated string. */
#define ASSERT_SLICE(slice, str) ASSERT_MEM_STR((slice).base, (slice).len, str)

#define ASSERT_STR(a, b)                                                       \
  do {                                                                         \
    const char *h11c__x = (a), *h11c__y = (b);                                 \
    if (strcmp(h11c__x, h11c__y) != 0) {                                       \
      H11C__FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, h11c__x, h11c__y);      \
      return;                                                                  \
    }                                                                          \
  } while (0)

#ifdef H11C_TEST_MAIN
struct h11c_test_case h11c_test_cases[H11C_TEST_MAX];
size_t h11c_test_count;

static void h11c_test_add(const char *name, h11c_test_fn fn,
                          h11c_test_row_fn row_fn, const void *row) {
  if (h11c_test_count == H11C_TEST_MAX) {
    fprintf(stderr, "too many tests\n");
    abort();
  }
  h11c_test_cases[h11c_test_count].name = name;
  h11c_test_cases[h11c_test_count].fn = fn;
  h11c_test_cases[h11c_test_count].row_fn = row_fn;
  h11c_test_cases[h11c_test_count].row = row;
  h11c_test_count++;
}

void h11c_test_register(const char *name, h11c_test_fn fn) {
  h11c_test_add(name, fn, NULL, NULL);
}

void h11c_test_register_row(const char *name, h11c_test_row_fn fn,
                            const void *row) {
  h11c_test_add(name, NULL, fn, row);
}

/* Runs every test, or only those whose names contain argv[1]. */
int main(int argc, char **argv) {
  size_t passed = 0, nfailed = 0, i;
  for (i = 0; i < h11c_test_count; i++) {
    int failed = 0;
    if (argc > 1 && !strstr(h11c_test_cases[i].name, argv[1]))
      continue;
    if (h11c_test_cases[i].fn)
      h11c_test_cases[i].fn(&failed);
    else
      h11c_test_cases[i].row_fn(&failed, h11c_test_cases[i].row);
    printf("%s %s\n", failed ? "FAIL" : "ok  ", h11c_test_cases[i].name);
    /* Keeps each result line after its failure messages (on stderr). */
    fflush(stdout);
    if (failed)
      nfailed++;
    else
      passed++;
  }
  printf("%zu passed, %zu failed\n", passed, nfailed);
  return nfailed ? 1 : 0;
}
#endif

#endif /* H11C_TEST_H */
