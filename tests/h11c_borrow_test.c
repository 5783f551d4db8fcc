/* Zero-copy receive: h11c_conn_receive_borrowed() and
 * h11c_conn_release_borrowed().  (Every reader test of the other files is
 * also run through borrowed deliveries split at every point, by
 * rd_check().) */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

#include <stdint.h>

/* Whether s lies inside [p, p + n) (compared as integers). */
static bool inside(h11c_slice s, const void *p, size_t n) {
  uintptr_t b = (uintptr_t)p, q = (uintptr_t)s.base;
  return q >= b && q - b <= n && s.len <= n - (q - b);
}

/* A heap copy of a string (its NUL not included in the length), so that a
 * reference kept after it is freed shows up under ASan. */
static uint8_t *heap_copy(const char *s, size_t *plen) {
  size_t n = strlen(s);
  uint8_t *p = malloc(n + 1);
  if (!p)
    abort();
  memcpy(p, s, n + 1);
  *plen = n;
  return p;
}

/* Overwrites and frees a buffer the connection no longer borrows. */
static void give_back(uint8_t *p, size_t n) {
  memset(p, 0xA5, n);
  free(p);
}

TEST(borrowed_head_slices_point_into_the_callers_buffer) {
  static const uint8_t req[] = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_REQUEST);
  ASSERT_TRUE(inside(ev.method, req, sizeof req - 1));
  ASSERT_TRUE(inside(ev.target, req, sizeof req - 1));
  ASSERT_TRUE(inside(ev.headers[0].value, req, sizeof req - 1));
  h11c_conn_del(s);
}

TEST(borrowed_content_length_body_is_a_view_of_the_callers_bytes) {
  static const uint8_t req[] =
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_DATA);
  ASSERT_TRUE(ev.data.base == req + sizeof req - 6);
  ASSERT_SLICE(ev.data, "hello");
  h11c_conn_del(s);
}

TEST(borrowed_chunk_data_is_a_view_of_the_callers_bytes) {
  static const uint8_t req[] =
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n";
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_DATA);
  ASSERT_TRUE(inside(ev.data, req, sizeof req - 1));
  ASSERT_SLICE(ev.data, "hello");
  h11c_conn_del(s);
}

TEST(borrowed_obs_fold_is_joined_without_writing_the_callers_bytes) {
  static const char text[] =
      "GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n  two\r\n\r\n";
  uint8_t req[sizeof text];
  h11c_conn *s = new_conn(H11C_SERVER);
  memcpy(req, text, sizeof text);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1), 0);
  ASSERT_STR(recv_events(s, NULL),
             "REQ GET / 1.1 [host: a] [x-long: one two] | EOM");
  ASSERT_TRUE(memcmp(req, text, sizeof text) == 0);
  h11c_conn_del(s);
}

TEST(incomplete_borrowed_head_is_kept_when_next_event_needs_data) {
  size_t n1, n2;
  uint8_t *p1 = heap_copy("GET /a HTTP/1.1\r\nHo", &n1);
  uint8_t *p2 = heap_copy("st: a\r\n\r\n", &n2);
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, p1, n1), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  give_back(p1, n1);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, p2, n2), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET /a 1.1 [host: a] | EOM");
  give_back(p2, n2);
  h11c_conn_del(s);
}

/* A request whose head is longer than one pull (256 bytes), a body and a
 * pipelined request, for the straddling tests. */
static void long_request(strbuf *b) {
  int i;
  strbuf_puts(b, "POST /long HTTP/1.1\r\nHost: a\r\n");
  for (i = 0; i < 12; i++)
    strbuf_printf(b, "X-Field-%02d: %s\r\n", i,
                  "a value long enough to make the head span several pulls");
  strbuf_puts(b, "Content-Length: 300\r\n\r\n");
  for (i = 0; i < 300; i++)
    strbuf_put(b, &"0123456789"[i % 10], 1);
  strbuf_puts(b, "GET /next HTTP/1.1\r\nHost: b\r\n\r\n");
}

/* Events of a server connection given `in` whole through receive_data()
 * (then end of input if eof), rendered normalised; *prc gets the last
 * code. */
static void read_copied(const strbuf *in, bool eof, strbuf *out, int *prc) {
  h11c_conn *s = new_conn(H11C_SERVER);
  evlist evs = {0};
  if (h11c_conn_receive_data(s, in->p, in->len) != 0)
    abort();
  *prc = collect(s, &evs);
  if (eof && *prc == H11C_NEED_DATA) {
    h11c_conn_receive_eof(s);
    *prc = collect(s, &evs);
  }
  evlist_render(&evs, true, out);
  evlist_free(&evs);
  h11c_conn_del(s);
}

/* The same events, and the same trailing bytes, whatever point `in` is
 * split at into two borrowed heap copies (each poisoned and freed as soon
 * as the connection lets go of it); with eof, end of input follows the
 * second piece before anything is parsed from it. */
static void every_split_reads_alike(int *failed, const strbuf *in, bool eof) {
  strbuf want = {0}, got = {0};
  int want_rc, rc;
  size_t split;
  read_copied(in, eof, &want, &want_rc);
  for (split = 0; split <= in->len; split++) {
    h11c_conn *s = new_conn(H11C_SERVER);
    size_t n2 = in->len - split;
    uint8_t *p1 = malloc(split + 1), *p2 = malloc(n2 + 1);
    evlist evs = {0};
    ASSERT_TRUE(p1 && p2);
    memcpy(p1, in->p, split);
    memcpy(p2, in->p + split, n2);
    ASSERT_EQ(h11c_conn_receive_borrowed(s, p1, split), 0);
    rc = collect(s, &evs);
    if (rc != H11C_NEED_DATA)
      ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
    give_back(p1, split);
    if (rc == H11C_NEED_DATA) {
      ASSERT_EQ(h11c_conn_receive_borrowed(s, p2, n2), 0);
      if (eof)
        h11c_conn_receive_eof(s);
      rc = collect(s, &evs);
    }
    ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
    give_back(p2, n2);
    strbuf_reset(&got);
    evlist_render(&evs, true, &got);
    if (rc != want_rc || strcmp(strbuf_str(&got), strbuf_str(&want)) != 0) {
      fprintf(stderr, "  split at %zu: code %d, expected %d\n", split, rc,
              want_rc);
      ASSERT_STR(strbuf_str(&got), strbuf_str(&want));
      ASSERT_EQ(rc, want_rc);
    }
    evlist_free(&evs);
    h11c_conn_del(s);
  }
  strbuf_free(&want);
  strbuf_free(&got);
}

TEST(long_head_straddling_two_borrowed_deliveries_reads_alike_at_every_split) {
  strbuf in = {0};
  long_request(&in);
  every_split_reads_alike(failed, &in, false);
  strbuf_free(&in);
}

TEST(borrowed_bytes_pending_at_end_of_input_are_all_read) {
  strbuf in = {0};
  long_request(&in);
  in.len -= strlen("GET /next HTTP/1.1\r\nHost: b\r\n\r\n");
  every_split_reads_alike(failed, &in, true);
  strbuf_free(&in);
}

TEST(long_chunked_body_in_two_borrowed_deliveries_reads_alike) {
  strbuf in = {0};
  int i;
  strbuf_puts(&in, "POST /c HTTP/1.1\r\nHost: a\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n");
  for (i = 0; i < 3; i++) {
    int k;
    strbuf_puts(&in, "12c;name=value\r\n"); /* 300 bytes */
    for (k = 0; k < 300; k++)
      strbuf_put(&in, "x", 1);
    strbuf_puts(&in, "\r\n");
  }
  strbuf_puts(&in, "0\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n");
  every_split_reads_alike(failed, &in, false);
  if (*failed)
    return;
  every_split_reads_alike(failed, &in, true);
  strbuf_free(&in);
}

TEST(body_after_a_straddling_head_is_handed_out_from_the_second_delivery) {
  strbuf in = {0};
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  size_t split, head_end, seen = 0;
  long_request(&in);
  head_end =
      (size_t)((const uint8_t *)strstr(strbuf_str(&in), "\r\n\r\n") - in.p) + 4;
  split = head_end - 100;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p, split), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p + split, in.len - split), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_REQUEST);
  while (seen < 300) {
    ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
    ASSERT_EQ(ev.type, H11C_EV_DATA);
    ASSERT_TRUE(inside(ev.data, in.p + split, in.len - split));
    seen += ev.data.len;
  }
  ASSERT_EQ(seen, 300);
  h11c_conn_del(s);
  strbuf_free(&in);
}

TEST(trailing_data_includes_borrowed_bytes_not_yet_parsed) {
  strbuf in = {0};
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_slice td;
  long_request(&in);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p, 40), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p + 40, in.len - 40), 0);
  h11c_conn_trailing_data(s, &td, NULL);
  ASSERT_EQ(td.len, in.len);
  ASSERT_TRUE(memcmp(td.base, in.p, in.len) == 0);
  /* Parsing goes on from there. */
  ASSERT_STR(next_str(s), "REQ POST /long 1.1 [host: a] [x-field-00: a value "
                          "long enough to make the head span several pulls] "
                          "[x-field-01: a value long enough to make the head "
                          "span several pulls] [x-field-02: a value long "
                          "enough to make the head span several pulls] "
                          "[x-field-03: a value long enough to make the head "
                          "span several pulls] [x-field-04: a value long "
                          "enough to make the head span several pulls] "
                          "[x-field-05: a value long enough to make the head "
                          "span several pulls] [x-field-06: a value long "
                          "enough to make the head span several pulls] "
                          "[x-field-07: a value long enough to make the head "
                          "span several pulls] [x-field-08: a value long "
                          "enough to make the head span several pulls] "
                          "[x-field-09: a value long enough to make the head "
                          "span several pulls] [x-field-10: a value long "
                          "enough to make the head span several pulls] "
                          "[x-field-11: a value long enough to make the head "
                          "span several pulls] [content-length: 300]");
  h11c_conn_del(s);
  strbuf_free(&in);
}

TEST(release_after_paused_keeps_the_pipelined_bytes) {
  size_t n;
  uint8_t *p = heap_copy(
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
      &n);
  h11c_conn *s = new_conn(H11C_SERVER);
  tmsg m;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, p, n), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET /1 1.1 [host: a] | EOM");
  ASSERT_STR(next_str(s), "PAUSED");
  ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
  give_back(p, n);
  ASSERT_TRAILING(s, "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n", false);
  ASSERT_SEND(s, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_EQ(h11c_conn_start_next_cycle(s), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET /2 1.1 [host: a] | EOM");
  h11c_conn_del(s);
}

TEST(receive_data_after_a_borrowed_delivery_keeps_the_byte_order) {
  static const uint8_t first[] =
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo";
  h11c_conn *s = new_conn(H11C_SERVER);
  tmsg m;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, first, sizeof first - 1), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET /1 1.1 [host: a] | EOM");
  ASSERT_EQ(feed(s, "st: b\r\n\r\n"), 0);
  ASSERT_SEND(s, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_EQ(h11c_conn_start_next_cycle(s), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET /2 1.1 [host: b] | EOM");
  h11c_conn_del(s);
}

TEST(borrowed_bytes_after_eof_are_refused) {
  static const uint8_t req[] = "GET / HTTP/1.1\r\n";
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(h11c_conn_receive_eof(s), 0);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_ERR(s, H11C_ERR_INVALID_ARGUMENT, H11C_REASON_DATA_AFTER_EOF);
  h11c_conn_del(s);
}

TEST(borrowed_null_data_with_length_is_invalid) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(h11c_conn_receive_borrowed(NULL, (const uint8_t *)"x", 1),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, NULL, 1), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, NULL, 0), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  h11c_conn_del(s);
}

TEST(release_with_nothing_borrowed_does_nothing) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(h11c_conn_release_borrowed(NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\n"), 0);
  ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_TRAILING(s, "GET / HTTP/1.1\r\n", false);
  ASSERT_STATES(s, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(s);
}

TEST(connection_deleted_while_borrowing_frees_everything) {
  strbuf in = {0};
  h11c_conn *s = new_conn(H11C_SERVER);
  long_request(&in);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p, 40), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_EQ(h11c_conn_receive_borrowed(s, in.p + 40, in.len - 40), 0);
  /* Deleted with a borrowed view and pending bytes (leaks would show under
     ASan and valgrind). */
  h11c_conn_del(s);
  strbuf_free(&in);
}

TEST(errors_in_borrowed_input_are_reported_as_when_copied) {
  static const uint8_t req[] =
      "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n";
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(h11c_conn_receive_borrowed(s, req, sizeof req - 1), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_ERR(s, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_BAD_HEADER_LINE);
  ASSERT_HINT(s, 400);
  ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
  ASSERT_STATE(s, H11C_CLIENT, H11C_ERROR);
  h11c_conn_del(s);
}

/* A head over three reads, the second longer than one pull, each read's
 * buffer overwritten and freed once next_event() asked for more.  (The
 * connection once kept pointing at the second buffer after NEED_DATA.) */
static void head_over_three_reads(int *failed, bool third_borrowed) {
  static const char third[] = "\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\n";
  h11c_conn *s = new_conn(H11C_SERVER);
  size_t n1, n2 = 302, n3;
  uint8_t *p1 = heap_copy("GET / HTTP/1.1\r\nHost: a\r\n", &n1);
  uint8_t *p2 = malloc(n2), *p3 = heap_copy(third, &n3);
  ASSERT_TRUE(p2 != NULL);
  memcpy(p2, "X: ", 3);
  memset(p2 + 3, 'a', n2 - 5);
  memcpy(p2 + n2 - 2, "\r\n", 2);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, p1, n1), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  give_back(p1, n1);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, p2, n2), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  give_back(p2, n2);
  ASSERT_EQ(third_borrowed ? h11c_conn_receive_borrowed(s, p3, n3)
                           : h11c_conn_receive_data(s, p3, n3),
            0);
  ASSERT_EQ(h11c_conn_next_event(s, &(h11c_event){0}), H11C_OK);
  ASSERT_STR(next_str(s), "EOM");
  ASSERT_STR(next_str(s), "PAUSED");
  ASSERT_TRAILING(s, "GET /2 HTTP/1.1\r\nHost: b\r\n\r\n", false);
  ASSERT_EQ(h11c_conn_release_borrowed(s), 0);
  give_back(p3, n3);
  h11c_conn_del(s);
}

TEST(head_over_three_reads_then_copied_bytes_lets_go_of_each_read) {
  head_over_three_reads(failed, false);
}

TEST(head_over_three_reads_all_borrowed_lets_go_of_each_read) {
  head_over_three_reads(failed, true);
}

/* The largest block requested from the allocator. */
static size_t largest;
static void *big_malloc(size_t n, void *u) {
  (void)u;
  if (n > largest)
    largest = n;
  return malloc(n);
}
static void *big_realloc(void *p, size_t n, void *u) {
  (void)u;
  if (n > largest)
    largest = n;
  return realloc(p, n);
}
static void big_free(void *p, void *u) {
  (void)u;
  free(p);
}

TEST(oversized_head_pending_behind_a_stall_is_refused_without_copying_it) {
  static const uint8_t start[] = "GET / HTTP/1.1\r\nX: ";
  size_t n = (size_t)1 << 20;
  uint8_t *big = malloc(n);
  h11c_mem mem = {NULL, big_malloc, big_realloc, big_free};
  h11c_conn *s = NULL;
  h11c_event ev;
  ASSERT_TRUE(big != NULL);
  memset(big, 'a', n);
  largest = 0;
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &mem), 0);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, start, sizeof start - 1), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_NEED_DATA);
  ASSERT_EQ(h11c_conn_receive_borrowed(s, big, n), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_ERR(s, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_BUFFER_TOO_LONG);
  ASSERT_HINT(s, 431);
  /* About twice the 16 KiB limit, not the megabyte. */
  ASSERT_TRUE(largest <= 64 * 1024);
  h11c_conn_del(s);
  free(big);
}
