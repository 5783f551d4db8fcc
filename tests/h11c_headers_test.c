/* Header validation and normalisation, on receive and on send. */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

#define POST_HEAD "POST / HTTP/1.1\r\nHost: a\r\n"

/* A client sends a request with these headers (after Host: a) and must be
 * refused with this reason, leaving its state alone (h11 refuses such an
 * event when it is built, before the connection sees it). */
typedef struct sent_bad_row {
  const char *name;
  h11c_reason reason;
  const char *h[4];   /* name, value pairs; a NULL name ends them */
  const char *method; /* NULL: GET */
  const char *target; /* NULL: / */
} sent_bad_row;

static void check_sent_request_refused(int *failed, const sent_bad_row *row) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, row->method ? row->method : "GET", row->target ? row->target : "/",
         "Host", "a", row->h[0], row->h[1], row->h[2], row->h[3], NULL);
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL, row->reason);
  /* A malformed event is refused before it reaches the state machine. */
  ASSERT_STATE(c, H11C_CLIENT, H11C_IDLE);
  h11c_conn_del(c);
}

#define SENT_BAD(nm, why, ...)                                                 \
  {                                                                            \
    .name = #nm, .reason = why, .h = { __VA_ARGS__ }                           \
  }
#define SENT_BAD_LINE(nm, why, meth, tgt)                                      \
  { .name = #nm, .reason = why, .method = meth, .target = tgt }
static const sent_bad_row sent_request_refused_rows[] = {
    SENT_BAD(sent_header_name_with_trailing_space_is_refused,
             H11C_REASON_BAD_HEADER_NAME, "foo ", "bar"),
    SENT_BAD(sent_header_name_with_leading_space_is_refused,
             H11C_REASON_BAD_HEADER_NAME, " foo", "bar"),
    SENT_BAD(sent_header_name_with_inner_space_is_refused,
             H11C_REASON_BAD_HEADER_NAME, "foo bar", "baz"),
    SENT_BAD(sent_header_name_with_colon_is_refused,
             H11C_REASON_BAD_HEADER_NAME, "foo:bar", "baz"),
    SENT_BAD(sent_empty_header_name_is_refused, H11C_REASON_BAD_HEADER_NAME, "",
             "baz"),
    SENT_BAD(sent_header_name_with_high_byte_is_refused,
             H11C_REASON_BAD_HEADER_NAME,
             "foo\xff"
             "bar",
             "baz"),
    SENT_BAD(sent_header_name_with_control_char_is_refused,
             H11C_REASON_BAD_HEADER_NAME,
             "foo\x01"
             "bar",
             "baz"),
    SENT_BAD(sent_header_value_with_cr_is_refused, H11C_REASON_BAD_HEADER_VALUE,
             "foo", "bar\rbaz"),
    SENT_BAD(sent_header_value_with_lf_is_refused, H11C_REASON_BAD_HEADER_VALUE,
             "foo", "bar\nbaz"),
    SENT_BAD(sent_header_value_with_crlf_injection_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "bar\r\nInjected: yes"),
    SENT_BAD(sent_header_value_with_form_feed_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "asd\f"),
    SENT_BAD(sent_header_value_with_vertical_tab_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "asd\v"),
    SENT_BAD(sent_header_value_with_trailing_spaces_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "barbaz  "),
    SENT_BAD(sent_header_value_with_leading_spaces_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "  barbaz"),
    SENT_BAD(sent_header_value_with_trailing_tab_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "barbaz\t"),
    SENT_BAD(sent_header_value_with_leading_tab_is_refused,
             H11C_REASON_BAD_HEADER_VALUE, "foo", "\tbarbaz"),
    SENT_BAD(sent_bad_content_length_is_refused, H11C_REASON_BAD_CONTENT_LENGTH,
             "Content-Length", "asdf"),
    SENT_BAD(sent_content_length_with_suffix_is_refused,
             H11C_REASON_BAD_CONTENT_LENGTH, "Content-Length", "1x"),
    SENT_BAD(sent_conflicting_content_lengths_are_refused,
             H11C_REASON_CONFLICTING_CONTENT_LENGTH, "Content-Length", "1",
             "Content-Length", "2"),
    SENT_BAD(sent_conflicting_content_length_list_is_refused,
             H11C_REASON_CONFLICTING_CONTENT_LENGTH, "Content-Length",
             "1 , 1,2"),
    SENT_BAD(sent_request_with_two_hosts_is_refused, H11C_REASON_MULTIPLE_HOST,
             "Host", "b"),
    SENT_BAD_LINE(sent_method_with_spaces_is_refused, H11C_REASON_BAD_METHOD,
                  "GET / HTTP/1.1", "/"),
    SENT_BAD_LINE(sent_empty_method_is_refused, H11C_REASON_BAD_METHOD, "",
                  "/"),
    SENT_BAD_LINE(sent_target_with_space_is_refused, H11C_REASON_BAD_TARGET,
                  "GET", "/ x"),
    SENT_BAD_LINE(sent_target_with_del_is_refused, H11C_REASON_BAD_TARGET,
                  "GET", "/\x7f"),
    SENT_BAD_LINE(sent_target_with_high_byte_is_refused, H11C_REASON_BAD_TARGET,
                  "GET", "/\xee"),
    SENT_BAD_LINE(sent_empty_target_is_refused, H11C_REASON_BAD_TARGET, "GET",
                  ""),
};
TEST_TABLE(sent_request_refused_rows, check_sent_request_refused)

/* Sends a request whose header `idx` has a value with explicit bytes. */
static int send_req_with_raw(h11c_conn *c, size_t idx, const char *name,
                             const void *value, size_t vlen) {
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", "x", "y", NULL);
  m.h[idx].name = sl(name);
  m.h[idx].value.base = value;
  m.h[idx].value.len = vlen;
  return send_bytes(c, &m.ev, NULL, NULL);
}

/* ======================================================================== */
/* Names                                                                    */
/* ======================================================================== */

TEST(received_header_name_is_lower_cased_with_raw_name_kept) {
  h11c_conn *c = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(feed(c, "GET / HTTP/1.1\r\nHOST: a\r\nContent-TYPE: t\r\n\r\n"), 0);
  ASSERT_EQ(h11c_conn_next_event(c, &ev), H11C_OK);
  ASSERT_EQ(ev.nheaders, 2);
  ASSERT_SLICE(ev.headers[0].name, "host");
  ASSERT_SLICE(ev.headers[0].raw_name, "HOST");
  ASSERT_SLICE(ev.headers[1].name, "content-type");
  ASSERT_SLICE(ev.headers[1].raw_name, "Content-TYPE");
  ASSERT_SLICE(ev.headers[1].value, "t");
  h11c_conn_del(c);
}

TEST(received_header_is_resent_with_its_original_casing) {
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_conn *c = new_conn(H11C_CLIENT);
  h11c_event ev;
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\nhOsT: a\r\nX-Odd-CASE: v\r\n\r\n"), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  /* Forward the parsed request unchanged. */
  ASSERT_SEND(c, &ev, "GET / HTTP/1.1\r\nhOsT: a\r\nX-Odd-CASE: v\r\n\r\n");
  h11c_conn_del(s);
  h11c_conn_del(c);
}

TEST(sent_header_name_with_nul_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", "x", "y", NULL);
  m.h[1].name.base = (const uint8_t *)"foo\0bar";
  m.h[1].name.len = 7;
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_HEADER_NAME);
  h11c_conn_del(c);
}

TEST(sent_raw_name_is_validated_too) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", "x-ok", "y", NULL);
  m.h[1].raw_name = sl("X Bad");
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_HEADER_NAME);
  h11c_conn_del(c);
}

TEST(sent_header_name_may_use_every_token_char) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c,
      mk_req(&m, "GET", "/", "Host", "a", "!#$%&'*+-.^_`|~09azAZ", "v", NULL),
      "GET / HTTP/1.1\r\nHost: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n");
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Values                                                                   */
/* ======================================================================== */

TEST(sent_header_value_with_nul_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  ASSERT_EQ(send_req_with_raw(c, 1, "foo", "bar\0baz", 7),
            H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_ERR(c, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_HEADER_VALUE);
  h11c_conn_del(c);
}

TEST(sent_header_value_may_hold_non_whitespace_control_chars) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c, mk_req(&m, "GET", "/", "Host", "a", "Foo", "asd\x01\x02\x7f", NULL),
      "GET / HTTP/1.1\r\nHost: a\r\nFoo: asd\x01\x02\x7f\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_header_value_may_hold_obs_text) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "GET", "/", "Host", "a", "Foo", "caf\xc3\xa9", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\nFoo: caf\xc3\xa9\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_header_value_may_be_empty) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "Host", "a", "Foo", "", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\nFoo: \r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_header_value_may_have_inner_whitespace) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "Host", "a", "Foo", "a \t b  c", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\nFoo: a \t b  c\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_header_value_may_be_one_char) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "Host", "a", "Foo", "x", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\nFoo: x\r\n\r\n");
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Content-Length                                                           */
/* ======================================================================== */

static const rd_row content_length_rows[] = {
    RD_OK(received_content_length_is_used_for_framing, RD_SERVER,
          POST_HEAD "Content-Length: 1\r\n\r\nx",
          "REQ POST / 1.1 [host: a] [content-length: 1] | DATA \"x\" | EOM"),
    RD_ERR(received_content_length_with_letters_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: asdf\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(received_content_length_with_trailing_garbage_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 1x\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(received_content_length_with_plus_sign_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: +5\r\n\r\nhello",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(received_negative_content_length_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: -1\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(received_empty_content_length_is_refused, RD_SERVER,
           POST_HEAD "Content-Length:\r\n\r\n", H11C_REASON_BAD_CONTENT_LENGTH,
           400),
    RD_ERR(received_conflicting_content_lengths_are_refused, RD_SERVER,
           POST_HEAD "Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
           H11C_REASON_CONFLICTING_CONTENT_LENGTH, 400),
    RD_ERR(received_conflicting_content_length_list_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 1 , 1,2\r\n\r\n",
           H11C_REASON_CONFLICTING_CONTENT_LENGTH, 400),
    RD_ERR(received_content_length_list_with_empty_item_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 5,,\r\n\r\nhello",
           H11C_REASON_CONFLICTING_CONTENT_LENGTH, 400),
    RD_ERR(received_third_conflicting_content_length_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 1\r\nContent-Length: 1\r\n"
                     "Content-Length: 2\r\n\r\n",
           H11C_REASON_CONFLICTING_CONTENT_LENGTH, 400),
    RD_OK(received_repeated_equal_content_lengths_collapse_to_one, RD_SERVER,
          POST_HEAD "Content-Length: 0\r\nContent-Length: 0\r\n\r\n",
          "REQ POST / 1.1 [host: a] [content-length: 0] | EOM"),
    RD_OK(received_content_length_list_is_normalised, RD_SERVER,
          POST_HEAD "Content-Length: 0 , 0\r\n\r\n",
          "REQ POST / 1.1 [host: a] [content-length: 0] | EOM"),
    RD_OK(received_content_length_list_and_repeat_collapse_to_one, RD_SERVER,
          POST_HEAD "Content-Length: 3\r\ncontent-length: 3 ,3\r\n\r\nabc",
          "REQ POST / 1.1 [host: a] [content-length: 3] | DATA \"abc\" | EOM"),
    RD_OK(received_content_length_keeps_leading_zeros, RD_SERVER,
          POST_HEAD "Content-Length: 007\r\n\r\n1234567",
          "REQ POST / 1.1 [host: a] [content-length: 007] | DATA \"1234567\" | "
          "EOM"),
};
TEST_TABLE(content_length_rows, rd_check)

TEST(received_content_length_of_max_uint64_is_accepted) {
  h11c_conn *c = new_conn(H11C_SERVER);
  int rc;
  ASSERT_STR(
      feed_events(c, POST_HEAD "Content-Length: 18446744073709551615\r\n\r\n",
                  &rc),
      "REQ POST / 1.1 [host: a] [content-length: 18446744073709551615]");
  ASSERT_EQ(rc, H11C_NEED_DATA);
  ASSERT_STATE(c, H11C_CLIENT, H11C_SEND_BODY);
  h11c_conn_del(c);
}

TEST(sent_repeated_content_length_is_written_once) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "0",
                     "Content-Length", "0", NULL),
              "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_content_length_list_is_written_as_one_value) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c, mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "0 , 0", NULL),
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Transfer-Encoding                                                        */
/* ======================================================================== */

static const rd_row transfer_encoding_rows[] = {
    RD_OK(received_transfer_encoding_is_lower_cased, RD_SERVER,
          POST_HEAD "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
          "REQ POST / 1.1 [host: a] [transfer-encoding: chunked] | EOM"),
    RD_ERR(received_gzip_transfer_encoding_in_response_hints_501, RD_CLIENT_GET,
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
           H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
    RD_ERR(received_empty_transfer_encoding_in_response_hints_501,
           RD_CLIENT_GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n",
           H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
    RD_ERR(received_gzip_then_chunked_request_hints_501, RD_SERVER,
           POST_HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
           H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
    RD_ERR(received_two_transfer_encoding_headers_hint_501, RD_SERVER,
           POST_HEAD "Transfer-Encoding: chunked\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
           H11C_REASON_MULTIPLE_TRANSFER_ENCODING, 501),
    RD_ERR(received_two_transfer_encoding_headers_in_response_hint_501,
           RD_CLIENT_GET,
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
           "Transfer-Encoding: gzip\r\n\r\n",
           H11C_REASON_MULTIPLE_TRANSFER_ENCODING, 501),
};
TEST_TABLE(transfer_encoding_rows, rd_check)

TEST(received_transfer_encoding_keeps_raw_name) {
  h11c_conn *c = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(feed(c, POST_HEAD "TRANSFER-encoding: Chunked\r\n\r\n"), 0);
  ASSERT_EQ(h11c_conn_next_event(c, &ev), H11C_OK);
  ASSERT_EQ(ev.nheaders, 2);
  ASSERT_SLICE(ev.headers[1].raw_name, "TRANSFER-encoding");
  ASSERT_SLICE(ev.headers[1].value, "chunked");
  h11c_conn_del(c);
}

TEST(sent_gzip_transfer_encoding_is_refused_with_hint_501) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_resp(&m, 200, "Transfer-Encoding", "gzip", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING);
  ASSERT_HINT(c, 501);
  h11c_conn_del(c);
}

TEST(sent_two_transfer_encoding_headers_are_refused_with_hint_501) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(c,
                    mk_resp(&m, 200, "Transfer-Encoding", "chunked",
                            "Transfer-Encoding", "chunked", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_MULTIPLE_TRANSFER_ENCODING);
  ASSERT_HINT(c, 501);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Host                                                                     */
/* ======================================================================== */

static const rd_row host_rows[] = {
    RD_ERR(received_http11_request_without_host_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\n\r\n", H11C_REASON_MISSING_HOST, 400),
    RD_OK(received_http10_request_without_host_is_accepted, RD_SERVER,
          "GET / HTTP/1.0\r\nA: b\r\n\r\n", "REQ GET / 1.0 [a: b] | EOM"),
    RD_ERR(received_request_with_two_hosts_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\nhOSt: b\r\n\r\n",
           H11C_REASON_MULTIPLE_HOST, 400),
    RD_ERR(received_http10_request_with_two_hosts_is_refused, RD_SERVER,
           "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
           H11C_REASON_MULTIPLE_HOST, 400),
    RD_OK(host_name_is_matched_case_insensitively, RD_SERVER,
          "GET / HTTP/1.1\r\nhOSt: a\r\n\r\n", "REQ GET / 1.1 [host: a] | EOM"),
};
TEST_TABLE(host_rows, rd_check)

TEST(sent_http11_request_without_host_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_req(&m, "GET", "/", "a", "b", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_MISSING_HOST);
  h11c_conn_del(c);
}

TEST(sent_request_with_oddly_cased_host_is_accepted) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "a", "b", "hOSt", "example.com", NULL),
              "GET / HTTP/1.1\r\nhOSt: example.com\r\na: b\r\n\r\n");
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Method, target, status                                                   */
/* ======================================================================== */

TEST(sent_target_with_nul_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  m.ev.target.base = (const uint8_t *)"/\0";
  m.ev.target.len = 2;
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_TARGET);
  h11c_conn_del(c);
}

/* A server that read a GET sends a response with a status code out of
 * range for its type and is refused with BAD_STATUS_CODE. */
typedef struct bad_status_row {
  const char *name;
  h11c_event_type type; /* Response or InformationalResponse */
  int status;
  const char *h[2]; /* a header name and value, or NULLs */
} bad_status_row;

static void check_bad_status_refused(int *failed, const bad_status_row *row) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  if (row->type == H11C_EV_RESPONSE)
    mk_resp(&m, row->status, row->h[0], row->h[1], NULL);
  else
    mk_info(&m, row->status, row->h[0], row->h[1], NULL);
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_STATUS_CODE);
  h11c_conn_del(c);
}

#define SENT_BAD_STATUS(nm, ev_type, code, ...)                                \
  {                                                                            \
    .name = #nm, .type = ev_type, .status = code, .h = { __VA_ARGS__ }         \
  }
static const bad_status_row sent_status_refused_rows[] = {
    SENT_BAD_STATUS(informational_response_with_status_200_is_refused,
                    H11C_EV_INFORMATIONAL_RESPONSE, 200, "Host", "a"),
    SENT_BAD_STATUS(informational_response_with_status_99_is_refused,
                    H11C_EV_INFORMATIONAL_RESPONSE, 99, NULL),
    SENT_BAD_STATUS(response_with_status_100_is_refused, H11C_EV_RESPONSE, 100,
                    NULL),
    SENT_BAD_STATUS(response_with_status_1000_is_refused, H11C_EV_RESPONSE,
                    1000, NULL),
    SENT_BAD_STATUS(response_with_negative_status_is_refused, H11C_EV_RESPONSE,
                    -200, NULL),
};
TEST_TABLE(sent_status_refused_rows, check_bad_status_refused)

TEST(response_with_status_999_is_sent) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_resp(&m, 999, "Content-Length", "0", NULL),
              "HTTP/1.1 999 \r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(c);
}

TEST(informational_response_with_header_named_host_is_allowed) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_info(&m, 100, "Host", "a", NULL),
              "HTTP/1.1 100 \r\nHost: a\r\n\r\n");
  h11c_conn_del(c);
}

TEST(response_headers_are_validated_before_sending) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_resp(&m, 200, "Bad Name", "x", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_HEADER_NAME);
  ASSERT_STATE(c, H11C_SERVER, H11C_SEND_RESPONSE);
  h11c_conn_del(c);
}

TEST(trailer_headers_are_validated_before_sending) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c,
      mk_req(&m, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
             NULL),
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_SEND_FAILS(c, mk_eom(&m, "Etag", " spaced", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_HEADER_VALUE);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Comma-separated headers: Connection, Expect, Upgrade                     */
/* ======================================================================== */

static const srv_row comma_list_rows[] = {
    SRV(connection_close_token_is_found_in_a_list, 0,
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: a, b, cLOse, foo\r\n\r\n",
        T_NO, T_ANY),
    SRV(connection_close_token_is_found_in_a_second_header, 0,
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: "
        ",,Close\r\n\r\n",
        T_NO, T_ANY),
    SRV(connection_header_without_close_keeps_alive, 0,
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, keep-alive\r\n\r\n",
        T_YES, T_ANY),
    SRV(expect_100_continue_is_case_insensitive, 0,
        POST_HEAD "Content-Length: 3\r\nExpect: 100-Continue\r\n\r\n", T_ANY,
        T_YES),
    SRV(expect_100_continue_is_found_in_a_list, 0,
        POST_HEAD "Content-Length: 3\r\nExpect: foo, 100-continue\r\n\r\n",
        T_ANY, T_YES),
    SRV(expect_100_continue_is_ignored_for_http10, 0,
        "POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
        T_ANY, T_NO),
    SRV(request_without_expect_is_not_waiting, 0,
        POST_HEAD "Content-Length: 3\r\n\r\n", T_ANY, T_NO),
    SRV(other_expectation_is_not_100_continue, 0,
        POST_HEAD "Content-Length: 3\r\nExpect: 100-continue-please\r\n\r\n",
        T_ANY, T_NO),
    /* No proposal, so the client is simply DONE. */
    SRV_ST(empty_upgrade_header_proposes_nothing, 0,
           "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: , \r\n\r\n", T_ANY, T_ANY,
           H11C_DONE, H11C_SEND_RESPONSE),
    SRV_ST(upgrade_header_in_any_case_proposes_a_switch, 0,
           "GET / HTTP/1.1\r\nHost: a\r\nUPGRADE: websocket\r\n\r\n", T_ANY,
           T_ANY, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE),
};
TEST_TABLE(comma_list_rows, srv_check)

/* "X<c>Y: v" as the second field of a request. */
static int read_name_with(uint8_t c, strbuf *name) {
  strbuf in = {0};
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  int rc;
  strbuf_puts(&in, "GET / HTTP/1.1\r\nHost: a\r\nX");
  strbuf_put(&in, &c, 1);
  strbuf_puts(&in, "Y: v\r\n\r\n");
  rc = h11c_conn_receive_data(s, in.p, in.len);
  if (rc == 0)
    rc = h11c_conn_next_event(s, &ev);
  if (rc == 0)
    strbuf_put(name, ev.headers[1].name.base, ev.headers[1].name.len);
  else if (h11c_conn_last_error(s)->reason != H11C_REASON_BAD_HEADER_LINE)
    rc = -1000;
  h11c_conn_del(s);
  strbuf_free(&in);
  return rc;
}

TEST(every_tchar_is_accepted_in_a_received_name_and_lower_cased) {
  static const char tchars[] = "!#$%&'*+-.^_`|~0123456789"
                               "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  size_t i;
  for (i = 0; i < sizeof tchars - 1; i++) {
    uint8_t c = (uint8_t)tchars[i];
    char want[4] = {'x', (char)(c >= 'A' && c <= 'Z' ? c + 32 : c), 'y', 0};
    strbuf name = {0};
    ASSERT_EQ(read_name_with(c, &name), 0);
    ASSERT_STR(strbuf_str(&name), want);
    strbuf_free(&name);
  }
}

TEST(every_other_byte_in_a_received_name_is_refused) {
  static const char tchars[] = "!#$%&'*+-.^_`|~0123456789"
                               "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  unsigned c;
  for (c = 0; c < 256; c++) {
    strbuf name = {0};
    /* ':' ends the name, making "Y: v" the value. */
    if (c == ':' || memchr(tchars, (int)c, sizeof tchars - 1))
      continue;
    if (read_name_with((uint8_t)c, &name) != H11C_ERR_REMOTE_PROTOCOL) {
      fprintf(stderr, "  byte 0x%02x\n", c);
      ASSERT_TRUE(0);
    }
    strbuf_free(&name);
  }
}
