/* The readers on their own (lib/h11c_readers.h), without a connection:
 * heads with what their fields say, bodies by each framing, chunked
 * bodies with their flags and trailers, and the result each refusal
 * returns (the reason and the status hint, nothing else changed). */
#define H11C_TEST_MAIN
#include "h11c_readers.h"
#include "h11c_test.h"

#include <string.h>

static h11c_mem mem;

static void setup(h11c__reader *r, size_t max_event, bool chunk_exts) {
  h11c__mem_default(&mem);
  h11c__reader_init(r, &mem, max_event, chunk_exts);
}

static void feed(h11c__reader *r, const char *s) {
  h11c__rbuf_append(&r->rb, r->mem, (const uint8_t *)s, strlen(s));
}

TEST(request_head_gives_the_event_and_what_its_fields_say) {
  h11c__reader r;
  h11c_event ev;
  h11c__framing_info fi;
  setup(&r, 16384, false);
  feed(&r, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
           "Connection: close\r\n\r\nhello");
  ASSERT_EQ(h11c__read_head(&r, true, &ev, &fi), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_REQUEST);
  ASSERT_SLICE(ev.method, "POST");
  ASSERT_SLICE(ev.target, "/x");
  ASSERT_SLICE(ev.http_version, "1.1");
  ASSERT_EQ(ev.nheaders, 3);
  ASSERT_SLICE(ev.headers[1].name, "content-length");
  ASSERT_SLICE(ev.headers[1].raw_name, "Content-Length");
  ASSERT_TRUE(fi.has_content_length);
  ASSERT_EQ(fi.content_length, 5);
  ASSERT_TRUE(fi.connection_close);
  ASSERT_EQ(fi.hosts, 1);
  /* The head is consumed; the body waits. */
  ASSERT_MEM_STR(h11c__rbuf_ptr(&r.rb), h11c__rbuf_len(&r.rb), "hello");
  h11c__reader_free(&r);
}

TEST(incomplete_head_needs_data_and_consumes_nothing) {
  h11c__reader r;
  h11c_event ev;
  h11c__framing_info fi;
  setup(&r, 16384, false);
  feed(&r, "GET / HTTP/1.1\r\nHost: a\r\n");
  ASSERT_EQ(h11c__read_head(&r, true, &ev, &fi), H11C__READ_NONE);
  ASSERT_EQ(r.rb.consumed, 0);
  feed(&r, "\r\n");
  ASSERT_EQ(h11c__read_head(&r, true, &ev, &fi), H11C__READ_EVENT);
  ASSERT_EQ(r.rb.consumed, 27);
  h11c__reader_free(&r);
}

TEST(response_heads_are_informational_below_200) {
  h11c__reader r;
  h11c_event ev;
  h11c__framing_info fi;
  setup(&r, 16384, false);
  feed(&r, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204\r\n\r\n");
  ASSERT_EQ(h11c__read_head(&r, false, &ev, &fi), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_INFORMATIONAL_RESPONSE);
  ASSERT_EQ(ev.status_code, 100);
  ASSERT_SLICE(ev.reason, "Continue");
  ASSERT_EQ(h11c__read_head(&r, false, &ev, &fi), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_RESPONSE);
  ASSERT_EQ(ev.status_code, 204);
  ASSERT_EQ(ev.reason.len, 0);
  h11c__reader_free(&r);
}

/* Heads the reader refuses, with the result it returns: each row is a
 * test named refuses_<name>. */
typedef struct refusal {
  const char *name;
  bool request;
  const char *in;
  h11c_reason reason;
  int status;
} refusal;

static const refusal REFUSALS[] = {
    {"refuses_blank_line_first", true, "\r\nGET / HTTP/1.1\r\n\r\n",
     H11C_REASON_NO_REQUEST_LINE, 400},
    {"refuses_space_first", true, " GET / HTTP/1.1\r\n\r\n",
     H11C_REASON_BAD_REQUEST_LINE, 400},
    {"refuses_two_spaces_in_request_line", true,
     "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE, 400},
    {"refuses_http11_without_host", true, "GET / HTTP/1.1\r\n\r\n",
     H11C_REASON_MISSING_HOST, 400},
    {"refuses_two_hosts", true, "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
     H11C_REASON_MULTIPLE_HOST, 400},
    {"refuses_field_without_colon", true, "GET / HTTP/1.1\r\nHost a\r\n\r\n",
     H11C_REASON_BAD_HEADER_LINE, 400},
    {"refuses_continuation_first", true, "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
     H11C_REASON_CONTINUATION_AT_START, 400},
    {"refuses_conflicting_content_length", true,
     "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n",
     H11C_REASON_CONFLICTING_CONTENT_LENGTH, 400},
    {"refuses_request_coding_not_final_chunked", true,
     "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
     H11C_REASON_CHUNK_NOT_FINAL, 400},
    {"refuses_response_coding_unsupported", false,
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
     H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501},
    {"refuses_two_transfer_encodings", false,
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
     "Transfer-Encoding: chunked\r\n\r\n",
     H11C_REASON_MULTIPLE_TRANSFER_ENCODING, 501},
    {"refuses_status_below_100", false, "HTTP/1.1 099 No\r\n\r\n",
     H11C_REASON_BAD_STATUS_CODE, 400},
    {"refuses_bad_status_line", false, "HTTP/1.1 2000 OK\r\n\r\n",
     H11C_REASON_BAD_STATUS_LINE, 400},
    {"refuses_head_over_the_limit", true,
     "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     " HTTP/1.1\r\nHost: a\r\n\r\n",
     H11C_REASON_BUFFER_TOO_LONG, 431},
};

static void run_refusal(int *failed, const refusal *c) {
  h11c__reader r;
  h11c_event ev;
  h11c__framing_info fi;
  h11c__read_result res;
  /* A limit that only the over-long head exceeds. */
  setup(&r, c->reason == H11C_REASON_BUFFER_TOO_LONG ? 64 : 16384, false);
  feed(&r, c->in);
  res = h11c__read_head(&r, c->request, &ev, &fi);
  if (res != H11C__READ_ERROR || r.err.reason != c->reason ||
      r.err.status != c->status)
    H11C__FAIL("%s: result %d, %s (%d), expected %s (%d)", c->name, (int)res,
               h11c_reason_name(r.err.reason), r.err.status,
               h11c_reason_name(c->reason), c->status);
  h11c__reader_free(&r);
}
TEST_TABLE(REFUSALS, run_refusal)

TEST(length_body_is_views_of_the_buffer_then_end_of_message) {
  h11c__reader r;
  h11c_event ev;
  const uint8_t *at;
  setup(&r, 16384, false);
  h11c__reader_start_body(&r, H11C__FRAMING_LENGTH, 5);
  feed(&r, "hel");
  at = h11c__rbuf_ptr(&r.rb);
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_DATA);
  ASSERT_TRUE(ev.data.base == at);
  ASSERT_SLICE(ev.data, "hel");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_NONE);
  feed(&r, "loGET");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_SLICE(ev.data, "lo");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_END_OF_MESSAGE);
  ASSERT_MEM_STR(h11c__rbuf_ptr(&r.rb), h11c__rbuf_len(&r.rb), "GET");
  h11c__reader_free(&r);
}

TEST(end_of_input_in_a_length_body_is_an_incomplete_body) {
  h11c__reader r;
  h11c_event ev;
  setup(&r, 16384, false);
  h11c__reader_start_body(&r, H11C__FRAMING_LENGTH, 5);
  ASSERT_EQ(h11c__read_body_eof(&r, &ev), H11C__READ_ERROR);
  ASSERT_EQ(r.err.reason, H11C_REASON_INCOMPLETE_BODY);
  ASSERT_EQ(r.err.status, 400);
  h11c__reader_free(&r);
}

TEST(close_delimited_body_ends_at_end_of_input) {
  h11c__reader r;
  h11c_event ev;
  setup(&r, 16384, false);
  h11c__reader_start_body(&r, H11C__FRAMING_CLOSE, 0);
  feed(&r, "all of it");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_SLICE(ev.data, "all of it");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_NONE);
  ASSERT_EQ(h11c__read_body_eof(&r, &ev), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_END_OF_MESSAGE);
  h11c__reader_free(&r);
}

TEST(chunked_body_flags_chunk_start_and_end_then_trailers) {
  h11c__reader r;
  h11c_event ev;
  setup(&r, 16384, false);
  h11c__reader_start_body(&r, H11C__FRAMING_CHUNKED, 0);
  feed(&r, "5\r\nhel");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_SLICE(ev.data, "hel");
  ASSERT_TRUE(ev.chunk_start);
  ASSERT_FALSE(ev.chunk_end);
  feed(&r, "lo\r\n0\r\nX-T: 1\r\n\r\n");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_SLICE(ev.data, "lo");
  ASSERT_FALSE(ev.chunk_start);
  ASSERT_TRUE(ev.chunk_end);
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_EQ(ev.type, H11C_EV_END_OF_MESSAGE);
  ASSERT_EQ(ev.nheaders, 1);
  ASSERT_SLICE(ev.headers[0].name, "x-t");
  ASSERT_SLICE(ev.headers[0].value, "1");
  ASSERT_EQ(h11c__rbuf_len(&r.rb), 0);
  h11c__reader_free(&r);
}

TEST(chunk_extension_is_reported_only_when_asked) {
  int on;
  for (on = 0; on < 2; on++) {
    h11c__reader r;
    h11c_event ev;
    setup(&r, 16384, on != 0);
    h11c__reader_start_body(&r, H11C__FRAMING_CHUNKED, 0);
    feed(&r, "1;a=b \r\nx\r\n");
    ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
    ASSERT_SLICE(ev.data, "x");
    if (on)
      ASSERT_SLICE(ev.chunk_ext, ";a=b");
    else
      ASSERT_EQ(ev.chunk_ext.len, 0);
    h11c__reader_free(&r);
  }
}

TEST(bytes_after_chunk_data_other_than_crlf_are_refused) {
  h11c__reader r;
  h11c_event ev;
  setup(&r, 16384, false);
  h11c__reader_start_body(&r, H11C__FRAMING_CHUNKED, 0);
  feed(&r, "1\r\nxy");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_EVENT);
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_ERROR);
  ASSERT_EQ(r.err.reason, H11C_REASON_BAD_CHUNK_FOOTER);
  h11c__reader_free(&r);
}

TEST(chunk_size_line_over_the_limit_gets_431) {
  h11c__reader r;
  h11c_event ev;
  setup(&r, 8, false);
  h11c__reader_start_body(&r, H11C__FRAMING_CHUNKED, 0);
  feed(&r, "1;aaaaaaaaaa\r\nx\r\n");
  ASSERT_EQ(h11c__read_body(&r, &ev), H11C__READ_ERROR);
  ASSERT_EQ(r.err.reason, H11C_REASON_BUFFER_TOO_LONG);
  ASSERT_EQ(r.err.status, 431);
  h11c__reader_free(&r);
}

TEST(obs_fold_in_a_borrowed_head_is_joined_in_a_copy) {
  static const char in[] = "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n";
  char keep[sizeof in];
  h11c__reader r;
  h11c_event ev;
  h11c__framing_info fi;
  memcpy(keep, in, sizeof in);
  setup(&r, 16384, false);
  h11c__rbuf_borrow(&r.rb, (const uint8_t *)in, sizeof in - 1);
  ASSERT_EQ(h11c__read_head(&r, true, &ev, &fi), H11C__READ_EVENT);
  ASSERT_EQ(ev.nheaders, 2);
  ASSERT_SLICE(ev.headers[1].value, "b c");
  ASSERT_TRUE(memcmp(in, keep, sizeof in) == 0);
  h11c__reader_free(&r);
}
