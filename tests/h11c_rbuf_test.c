/* The receive buffer on its own (lib/h11c_rbuf.h): appending and
 * consuming, the line and blank-line searches however the bytes arrive,
 * compaction, allocation failure, and the zero-copy view of borrowed
 * bytes. */
#define H11C_TEST_MAIN
#include "h11c_rbuf.h"
#include "h11c_test.h"

#include <stdlib.h>
#include <string.h>

/* Allocator hooks that fail while `fail` is set. */
static int fail;
static void *t_malloc(size_t n, void *u) {
  (void)u;
  return fail ? NULL : malloc(n);
}
static void *t_realloc(void *p, size_t n, void *u) {
  (void)u;
  return fail ? NULL : realloc(p, n);
}
static void t_free(void *p, void *u) {
  (void)u;
  free(p);
}
static const h11c_mem MEM = {NULL, t_malloc, t_realloc, t_free};

static int append_str(h11c__rbuf *rb, const char *s) {
  return h11c__rbuf_append(rb, &MEM, (const uint8_t *)s, strlen(s));
}

TEST(append_makes_the_bytes_the_view) {
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  ASSERT_EQ(append_str(&rb, "GET / "), 0);
  ASSERT_EQ(append_str(&rb, "HTTP/1.1"), 0);
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "GET / HTTP/1.1");
  h11c__rbuf_free(&rb, &MEM);
}

TEST(consume_moves_the_view_and_counts_the_stream_position) {
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "abcdef");
  h11c__rbuf_consume(&rb, 4);
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "ef");
  ASSERT_EQ(rb.consumed, 4);
  h11c__rbuf_consume(&rb, 2);
  append_str(&rb, "g");
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "g");
  ASSERT_EQ(rb.consumed, 6);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(append_failure_leaves_the_buffer_unchanged) {
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "abc");
  fail = 1;
  /* More than the first block holds: the buffer must grow. */
  {
    static uint8_t big[4 * H11C__RBUF_MIN];
    ASSERT_EQ(h11c__rbuf_append(&rb, &MEM, big, sizeof big), -1);
  }
  fail = 0;
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "abc");
  h11c__rbuf_free(&rb, &MEM);
}

TEST(compaction_moves_live_bytes_to_the_front_instead_of_growing) {
  h11c__rbuf rb;
  uint8_t fill[H11C__RBUF_MIN];
  size_t cap;
  memset(&rb, 0, sizeof rb);
  memset(fill, 'x', sizeof fill);
  h11c__rbuf_append(&rb, &MEM, fill, sizeof fill - 2);
  cap = rb.cap;
  /* Consume more than stays live: the next append that does not fit
     moves the two live bytes instead of doubling the block. */
  h11c__rbuf_consume(&rb, sizeof fill - 4);
  ASSERT_EQ(append_str(&rb, "abcd"), 0);
  ASSERT_EQ(rb.cap, cap);
  ASSERT_EQ(rb.start, 0);
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "xxabcd");
  h11c__rbuf_free(&rb, &MEM);
}

/* The searches, on input fed whole and then one byte at a time (the memos
 * must give the same answer however the bytes arrive); each row is a test
 * named search_<name>. */
typedef struct search_case {
  const char *name;
  const char *in;
  size_t crlf;  /* h11c__rbuf_find_crlf() once all is in */
  size_t blank; /* h11c__rbuf_find_blank_line() once all is in */
} search_case;

static const search_case SEARCHES[] = {
    {"search_crlf_line", "GET / HTTP/1.1\r\n", 16, 0},
    {"search_bare_lf_is_no_line_end", "abc\ndef", 0, 0},
    {"search_bare_lf_then_crlf", "a\nb\r\n", 5, 0},
    {"search_cr_alone_is_no_line_end", "abc\r", 0, 0},
    {"search_blank_line_crlf", "A: b\r\n\r\nrest", 6, 8},
    {"search_blank_line_bare_lf", "A: b\n\nrest", 0, 6},
    {"search_blank_line_lf_crlf", "A: b\n\r\nrest", 7, 7},
    {"search_cr_cr_lf_is_no_blank_line", "A: b\r\n\r\r\n", 6, 0},
    {"search_empty_input", "", 0, 0},
};

static void check_search(const search_case *c, bool bytewise, int *failed) {
  h11c__rbuf rb;
  size_t n = strlen(c->in), i, crlf = 0, blank = 0;
  memset(&rb, 0, sizeof rb);
  if (!bytewise) {
    append_str(&rb, c->in);
  } else {
    for (i = 0; i < n; i++) {
      h11c__rbuf_append(&rb, &MEM, (const uint8_t *)c->in + i, 1);
      /* Searching after every byte exercises the memos. */
      if (!crlf)
        crlf = h11c__rbuf_find_crlf(&rb);
      if (!blank)
        blank = h11c__rbuf_find_blank_line(&rb);
    }
  }
  if (!crlf)
    crlf = h11c__rbuf_find_crlf(&rb);
  if (!blank)
    blank = h11c__rbuf_find_blank_line(&rb);
  h11c__rbuf_free(&rb, &MEM);
  if (crlf != c->crlf || blank != c->blank)
    H11C__FAIL("%s (%s): crlf %zu blank %zu, expected %zu %zu", c->name,
               bytewise ? "byte by byte" : "whole", crlf, blank, c->crlf,
               c->blank);
}

static void run_search(int *failed, const search_case *c) {
  check_search(c, false, failed);
  check_search(c, true, failed);
}
TEST_TABLE(SEARCHES, run_search)

TEST(consume_resets_the_search_memos) {
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "ab\r");
  ASSERT_EQ(h11c__rbuf_find_crlf(&rb), 0);
  h11c__rbuf_consume(&rb, 3);
  append_str(&rb, "\nx\r\n");
  /* The CR before was consumed: the first line now ends at "x\r\n". */
  ASSERT_EQ(h11c__rbuf_find_crlf(&rb), 4);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(borrowed_bytes_are_the_view_without_a_copy) {
  static const uint8_t in[] = "GET / HTTP/1.1\r\n";
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  h11c__rbuf_borrow(&rb, in, sizeof in - 1);
  ASSERT_TRUE(h11c__rbuf_ptr(&rb) == in);
  ASSERT_TRUE(h11c__rbuf_lends(&rb));
  ASSERT_EQ(h11c__rbuf_find_crlf(&rb), sizeof in - 1);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(release_copies_what_is_left_of_the_borrowed_view) {
  uint8_t in[] = "abcdef";
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  h11c__rbuf_borrow(&rb, in, 6);
  h11c__rbuf_consume(&rb, 2);
  ASSERT_EQ(h11c__rbuf_release(&rb, &MEM), 0);
  ASSERT_FALSE(h11c__rbuf_lends(&rb));
  memset(in, 'z', 6); /* the caller reuses its buffer */
  ASSERT_MEM_STR(h11c__rbuf_ptr(&rb), h11c__rbuf_len(&rb), "cdef");
  ASSERT_EQ(rb.consumed, 2);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(release_failure_keeps_the_borrowed_view) {
  static const uint8_t in[] = "abcdef";
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  h11c__rbuf_borrow(&rb, in, 6);
  fail = 1;
  ASSERT_EQ(h11c__rbuf_release(&rb, &MEM), -1);
  fail = 0;
  ASSERT_TRUE(h11c__rbuf_ptr(&rb) == in);
  h11c__rbuf_forget(&rb);
  ASSERT_FALSE(h11c__rbuf_lends(&rb));
  ASSERT_EQ(h11c__rbuf_len(&rb), 0);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(pull_takes_at_least_the_minimum_from_pending_bytes) {
  static uint8_t pend[4 * H11C__PULL_MIN];
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "GET / HT");
  h11c__rbuf_set_pending(&rb, pend, sizeof pend);
  ASSERT_EQ(h11c__rbuf_pull(&rb, &MEM), 1);
  ASSERT_EQ(h11c__rbuf_len(&rb), 8 + H11C__PULL_MIN);
  ASSERT_EQ(rb.pend_len, sizeof pend - H11C__PULL_MIN);
  /* Then as many as the view holds: the copy doubles at most. */
  ASSERT_EQ(h11c__rbuf_pull(&rb, &MEM), 1);
  ASSERT_EQ(h11c__rbuf_len(&rb), 2 * (8 + H11C__PULL_MIN));
  h11c__rbuf_free(&rb, &MEM);
}

TEST(pull_without_pending_bytes_adds_nothing) {
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "abc");
  ASSERT_EQ(h11c__rbuf_pull(&rb, &MEM), 0);
  ASSERT_EQ(h11c__rbuf_len(&rb), 3);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(settle_gives_pulled_bytes_back_to_the_borrowed_view) {
  static uint8_t pend[2 * H11C__PULL_MIN];
  h11c__rbuf rb;
  memset(pend, 'p', sizeof pend);
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "head");
  h11c__rbuf_set_pending(&rb, pend, sizeof pend);
  h11c__rbuf_pull(&rb, &MEM);
  /* The event ended 10 bytes into the pulled bytes. */
  h11c__rbuf_consume(&rb, 4 + 10);
  h11c__rbuf_settle(&rb);
  ASSERT_TRUE(rb.borrowed);
  ASSERT_TRUE(h11c__rbuf_ptr(&rb) == pend + 10);
  ASSERT_EQ(h11c__rbuf_len(&rb), sizeof pend - 10);
  ASSERT_EQ(rb.pend_len, 0);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(settle_keeps_the_copy_while_bytes_from_before_remain) {
  static uint8_t pend[2 * H11C__PULL_MIN];
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  append_str(&rb, "head");
  h11c__rbuf_set_pending(&rb, pend, sizeof pend);
  h11c__rbuf_pull(&rb, &MEM);
  h11c__rbuf_consume(&rb, 2);
  h11c__rbuf_settle(&rb);
  ASSERT_FALSE(rb.borrowed);
  ASSERT_EQ(h11c__rbuf_len(&rb), 2 + H11C__PULL_MIN);
  ASSERT_EQ(rb.pend_len, sizeof pend - H11C__PULL_MIN);
  h11c__rbuf_free(&rb, &MEM);
}

TEST(presize_reserves_the_own_block_only_while_borrowed) {
  static const uint8_t in[] = "abc";
  h11c__rbuf rb;
  memset(&rb, 0, sizeof rb);
  h11c__rbuf_presize(&rb, &MEM, 4000);
  ASSERT_EQ(rb.own_cap, 0);
  h11c__rbuf_borrow(&rb, in, 3);
  h11c__rbuf_presize(&rb, &MEM, 4000);
  ASSERT_TRUE(rb.own_cap >= 4000);
  h11c__rbuf_presize(&rb, &MEM, 2 * H11C__PRESIZE_MAX);
  ASSERT_TRUE(rb.own_cap <= 2 * H11C__PRESIZE_MAX);
  h11c__rbuf_free(&rb, &MEM);
}
