/*
 * Table-driven tests on top of tests/h11c_test.h: registers one test per
 * row of a table, so that every row is counted in "N passed, N failed".
 *
 * h11c_test.h's test functions take no argument; each row gets a
 * trampoline that knows its index.  Include this after h11c_test.h in
 * exactly one file of a test binary, and call dyntest_register() from a
 * constructor.
 */
#ifndef H11C_DIFF_DYNTEST_H
#define H11C_DIFF_DYNTEST_H

#include <stdio.h>
#include <stdlib.h>

#define DYNTEST_MAX 900

static void (*dyntest_fn)(size_t row, int *failed);

static void dyntest_run(size_t n, int *failed) { dyntest_fn(n - 100, failed); }

#define DYNTEST_T(n)                                                           \
  static void dyntest_##n(int *failed) { dyntest_run((size_t)(n), failed); }
#define DYNTEST_T10(p)                                                         \
  DYNTEST_T(p##0)                                                              \
  DYNTEST_T(p##1)                                                              \
  DYNTEST_T(p##2)                                                              \
  DYNTEST_T(p##3)                                                              \
  DYNTEST_T(p##4)                                                              \
  DYNTEST_T(p##5)                                                              \
  DYNTEST_T(p##6)                                                              \
  DYNTEST_T(p##7)                                                              \
  DYNTEST_T(p##8)                                                              \
  DYNTEST_T(p##9)
#define DYNTEST_T100(p)                                                        \
  DYNTEST_T10(p##0)                                                            \
  DYNTEST_T10(p##1)                                                            \
  DYNTEST_T10(p##2)                                                            \
  DYNTEST_T10(p##3)                                                            \
  DYNTEST_T10(p##4)                                                            \
  DYNTEST_T10(p##5)                                                            \
  DYNTEST_T10(p##6)                                                            \
  DYNTEST_T10(p##7)                                                            \
  DYNTEST_T10(p##8)                                                            \
  DYNTEST_T10(p##9)
/* Indices 100..999 (the offset keeps every macro argument non-empty). */
DYNTEST_T100(1)
DYNTEST_T100(2)
DYNTEST_T100(3)
DYNTEST_T100(4)
DYNTEST_T100(5)
DYNTEST_T100(6)
DYNTEST_T100(7)
DYNTEST_T100(8)
DYNTEST_T100(9)

#define DYNTEST_R(n) dyntest_##n,
#define DYNTEST_R10(p)                                                         \
  DYNTEST_R(p##0)                                                              \
  DYNTEST_R(p##1)                                                              \
  DYNTEST_R(p##2)                                                              \
  DYNTEST_R(p##3)                                                              \
  DYNTEST_R(p##4)                                                              \
  DYNTEST_R(p##5)                                                              \
  DYNTEST_R(p##6)                                                              \
  DYNTEST_R(p##7)                                                              \
  DYNTEST_R(p##8)                                                              \
  DYNTEST_R(p##9)
#define DYNTEST_R100(p)                                                        \
  DYNTEST_R10(p##0)                                                            \
  DYNTEST_R10(p##1)                                                            \
  DYNTEST_R10(p##2)                                                            \
  DYNTEST_R10(p##3)                                                            \
  DYNTEST_R10(p##4)                                                            \
  DYNTEST_R10(p##5)                                                            \
  DYNTEST_R10(p##6)                                                            \
  DYNTEST_R10(p##7)                                                            \
  DYNTEST_R10(p##8)                                                            \
  DYNTEST_R10(p##9)
static const h11c_test_fn dyntest_table[] = {
    DYNTEST_R100(1) DYNTEST_R100(2) DYNTEST_R100(3) DYNTEST_R100(4)
        DYNTEST_R100(5) DYNTEST_R100(6) DYNTEST_R100(7) DYNTEST_R100(8)
            DYNTEST_R100(9)};

/* Registers n tests; names[i] must stay valid. */
static void dyntest_register(size_t n, const char *const *names,
                             void (*fn)(size_t row, int *failed)) {
  size_t i;
  if (n > DYNTEST_MAX) {
    fprintf(stderr, "dyntest: %zu rows, at most %d\n", n, DYNTEST_MAX);
    abort();
  }
  dyntest_fn = fn;
  for (i = 0; i < n; i++)
    h11c_test_register(names[i], dyntest_table[i]);
}

#endif /* H11C_DIFF_DYNTEST_H */
