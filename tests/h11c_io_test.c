/* Readers and writers: how bytes on the wire become events and back.
 * The reader vectors are tables of rows (RD_* in h11c_test_util.h); each
 * row is a test that runs its input whole, one byte at a time, borrowed
 * and with trailing bytes (see rd_check). */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

#define POST_CHUNKED                                                           \
  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
#define REQ_CHUNKED "REQ POST / 1.1 [host: a] [transfer-encoding: chunked]"

/* ======================================================================== */
/* Request line and headers                                                 */
/* ======================================================================== */

static const rd_row request_line_and_headers_rows[] = {
    RD_OK(request_with_two_headers_is_read, RD_SERVER,
          "GET /a HTTP/1.1\r\nHost: foo\r\nConnection: close\r\n\r\n",
          "REQ GET /a 1.1 [host: foo] [connection: close] | EOM"),
    RD_OK(http10_request_with_header_is_read, RD_SERVER,
          "HEAD /foo HTTP/1.0\r\nSome: header\r\n\r\n",
          "REQ HEAD /foo 1.0 [some: header] | EOM"),
    RD_OK(http10_request_without_any_header_is_read, RD_SERVER,
          "HEAD /foo HTTP/1.0\r\n\r\n", "REQ HEAD /foo 1.0 | EOM"),
    RD_OK(request_version_other_than_1_1_needs_no_host, RD_SERVER,
          "GET / HTTP/1.2\r\n\r\n", "REQ GET / 1.2 | EOM"),
    RD_OK(asterisk_form_target_is_read, RD_SERVER,
          "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
          "REQ OPTIONS * 1.1 [host: a] | EOM"),
    RD_OK(absolute_form_target_is_read, RD_SERVER,
          "GET http://a.example/x?y=1#z HTTP/1.1\r\nHost: a\r\n\r\n",
          "REQ GET http://a.example/x?y=1#z 1.1 [host: a] | EOM"),
    RD_OK(method_is_any_token_and_keeps_case, RD_SERVER,
          "m!#$%&'*+.^_`|~9 / HTTP/1.1\r\nHost: a\r\n\r\n",
          "REQ m!#$%&'*+.^_`|~9 / 1.1 [host: a] | EOM"),
    RD_ERR(method_with_non_token_char_is_refused, RD_SERVER,
           "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE,
           400),
    RD_ERR(garbage_after_request_version_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1 xxxxxx\r\nHost: a\r\n\r\n",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(lower_case_http_name_is_refused, RD_SERVER,
           "GET / http/1.1\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE,
           400),
    RD_ERR(two_digit_minor_version_is_refused, RD_SERVER,
           "GET / HTTP/1.10\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE,
           400),
    RD_ERR(request_line_without_version_is_refused, RD_SERVER,
           "GET /\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(double_space_in_request_line_is_refused, RD_SERVER,
           "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", H11C_REASON_BAD_REQUEST_LINE,
           400),
    RD_ERR(nul_in_target_is_refused, RD_SERVER,
           "HEAD /\x00 HTTP/1.1\r\nHost: foobar\r\n\r\n",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(space_in_target_is_refused, RD_SERVER,
           "HEAD /\x20 HTTP/1.1\r\nHost: foobar\r\n\r\n",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(del_in_target_is_refused, RD_SERVER,
           "HEAD /\x7f HTTP/1.1\r\nHost: foobar\r\n\r\n",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(high_byte_in_target_is_refused, RD_SERVER,
           "HEAD /\xee HTTP/1.1\r\nHost: foobar\r\n\r\n",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    /* Only whole: fed byte by byte, the lone CR is already refused as a bad
     * request line (see lone_cr_is_refused_before_line_end). */
    RD_ERR_WHOLE(empty_request_is_refused, RD_SERVER, "\r\n",
                 H11C_REASON_NO_REQUEST_LINE, 400),
    RD_ERR(lone_cr_is_refused_before_line_end, RD_SERVER, "\r",
           H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(empty_request_with_bare_lf_is_refused, RD_SERVER, "\n",
           H11C_REASON_NO_REQUEST_LINE, 400),
    RD_ERR(request_starting_with_nul_is_refused_before_line_end, RD_SERVER,
           "\x00", H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(request_starting_with_space_is_refused_before_line_end, RD_SERVER,
           " ", H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_ERR(tls_client_hello_is_refused_before_line_end, RD_SERVER,
           "\x16\x03\x01\x00\xa5", H11C_REASON_BAD_REQUEST_LINE, 400),
    RD_PARTIAL(incomplete_request_line_waits_for_more, RD_SERVER,
               "GET / HTTP/1.1\r\nHost: a\r\n", ""),
    RD_OK(obs_fold_lines_are_joined_with_one_space, RD_SERVER,
          "HEAD /foo HTTP/1.1\r\n"
          "Host: example.com\r\n"
          "Some: multi-line\r\n"
          " header\r\n"
          "\tnonsense\r\n"
          "    \t   \t\tI guess\r\n"
          "Connection: close\r\n"
          "More-nonsense: in the\r\n"
          "    last header  \r\n\r\n",
          "REQ HEAD /foo 1.1 [host: example.com] "
          "[some: multi-line header nonsense I guess] [connection: close] "
          "[more-nonsense: in the last header] | EOM"),
    RD_OK(obs_fold_keeps_trailing_whitespace_of_previous_line, RD_SERVER,
          "GET / HTTP/1.1\r\nHost: a\r\nFoo: a  \r\n \t b \r\nBar: "
          "x\r\n\t\r\n\r\n",
          "REQ GET / 1.1 [host: a] [foo: a   b] [bar: x] | EOM"),
    RD_OK(obs_fold_of_empty_value_gives_leading_content, RD_SERVER,
          "GET / HTTP/1.1\r\nHost: a\r\nFoo:\r\n  bar\r\n\r\n",
          "REQ GET / 1.1 [host: a] [foo: bar] | EOM"),
    RD_ERR(continuation_line_first_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\n  folded: line\r\n\r\n",
           H11C_REASON_CONTINUATION_AT_START, 400),
    RD_ERR(continuation_line_with_tab_first_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\n\tfolded: line\r\nHost: a\r\n\r\n",
           H11C_REASON_CONTINUATION_AT_START, 400),
    RD_ERR(spaces_before_colon_are_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\nfoo  : line\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(tab_before_colon_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\nfoo\t: line\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(empty_header_name_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\n: line\r\n\r\n", H11C_REASON_BAD_HEADER_LINE,
           400),
    RD_ERR(header_line_without_colon_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(nul_in_header_value_is_refused, RD_SERVER,
           "HEAD /foo HTTP/1.1\r\nHost: foo\x00"
           "bar\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(form_feed_in_header_value_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\nFoo: a\x0c"
           "b\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(bare_cr_in_header_value_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\nFoo: a\rb\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(high_byte_in_header_name_is_refused, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\nF\xffoo: bar\r\n\r\n",
           H11C_REASON_BAD_HEADER_LINE, 400),
    RD_OK(
        control_chars_in_header_value_are_allowed, RD_SERVER,
        "HEAD /foo HTTP/1.1\r\nHost: foo\r\n"
        "Set-Cookie: ___utmvafIumyLc=kUd\x01UpAt; path=/; Max-Age=900\r\n\r\n",
        "REQ HEAD /foo 1.1 [host: foo] "
        "[set-cookie: ___utmvafIumyLc=kUd\\x01UpAt; path=/; Max-Age=900] | "
        "EOM"),
    RD_OK(obs_text_and_del_in_header_value_are_allowed, RD_SERVER,
          "GET / HTTP/1.1\r\nHost: a\r\nFoo: \xe9t\xe9\x7f\r\n\r\n",
          "REQ GET / 1.1 [host: a] [foo: \\xe9t\\xe9\\x7f] | EOM"),
    RD_OK(header_value_whitespace_is_stripped_both_ends, RD_SERVER,
          "GET / HTTP/1.1\r\nHost: a\r\nFoo: \t  bar baz \t \r\n\r\n",
          "REQ GET / 1.1 [host: a] [foo: bar baz] | EOM"),
    RD_OK(header_value_without_space_after_colon_is_read, RD_SERVER,
          "GET / HTTP/1.1\r\nHost:a\r\nFoo:bar\r\n\r\n",
          "REQ GET / 1.1 [host: a] [foo: bar] | EOM"),
    RD_OK(single_char_words_in_header_value_are_kept, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nFoo: a a a a a \r\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 0] [foo: a a a a a] | EOM"),
    RD_OK(empty_header_value_is_read, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nFoo:\r\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 0] [foo: ] | EOM"),
    RD_OK(whitespace_only_header_value_is_empty, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nFoo: \t \t \r\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 0] [foo: ] | EOM"),
    RD_OK(repeated_header_names_are_all_kept_in_order, RD_SERVER,
          "GET / HTTP/1.1\r\nA: 1\r\nHost: h\r\nA: 2\r\nb: 3\r\n\r\n",
          "REQ GET / 1.1 [a: 1] [host: h] [a: 2] [b: 3] | EOM"),
    RD_OK(bare_lf_line_endings_in_request_head, RD_SERVER,
          "GET / HTTP/1.1\nHost: a\nX: y\n\n",
          "REQ GET / 1.1 [host: a] [x: y] | EOM"),
    RD_OK(bare_lf_line_endings_in_response_head, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\nSomeHeader1: val1\nSomeHeader2: val2\n"
          "Content-Length: 0\n\n",
          "RESP 200 \"OK\" 1.1 [someheader1: val1] [someheader2: val2] "
          "[content-length: 0] | EOM"),
    RD_OK(mixed_crlf_and_lf_line_endings_in_head, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nSomeHeader1: val1\nContent-Length: 0\r\n"
          "SomeHeader2: val2\n\r\n",
          "RESP 200 \"OK\" 1.1 [someheader1: val1] [content-length: 0] "
          "[someheader2: val2] | EOM"),
    RD_OK(lf_then_crlf_ends_head, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 0] | EOM"),
    RD_OK(obs_fold_with_bare_lf_line_endings, RD_SERVER,
          "GET / HTTP/1.1\nHost: a\nFoo: x\n y\n\n",
          "REQ GET / 1.1 [host: a] [foo: x y] | EOM"),
};
TEST_TABLE(request_line_and_headers_rows, rd_check)

TEST(request_header_names_keep_raw_casing) {
  h11c_conn *c = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(feed(c, "GET / HTTP/1.1\r\nhOsT: a\r\nX-Thing: b\r\n\r\n"), 0);
  ASSERT_EQ(h11c_conn_next_event(c, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_REQUEST);
  ASSERT_EQ(ev.nheaders, 2);
  ASSERT_SLICE(ev.headers[0].name, "host");
  ASSERT_SLICE(ev.headers[0].raw_name, "hOsT");
  ASSERT_SLICE(ev.headers[1].name, "x-thing");
  ASSERT_SLICE(ev.headers[1].raw_name, "X-Thing");
  ASSERT_SLICE(ev.headers[1].value, "b");
  h11c_conn_del(c);
}

TEST(head_ending_in_crlf_cr_is_still_incomplete) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\nHost: a\r\n\r"), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_EQ(feed(s, "\n"), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET / 1.1 [host: a] | EOM");
  h11c_conn_del(s);
}

TEST(single_line_end_does_not_end_the_head) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\nHost: a\r\n"), 0);
  ASSERT_STR(next_str(s), "NEED_DATA");
  ASSERT_TRAILING(s, "GET / HTTP/1.1\r\nHost: a\r\n", false);
  h11c_conn_del(s);
}

/* ======================================================================== */
/* Status line                                                              */
/* ======================================================================== */

static const rd_row status_line_rows[] = {
    RD_OK(response_with_reason_and_content_length, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
          "RESP 200 \"OK\" 1.1 [content-length: 2] | DATA \"hi\" | EOM"),
    RD_EOF(response_without_reason_phrase_is_tolerated, RD_CLIENT_GET,
           "HTTP/1.0 200\r\nFoo: bar\r\n\r\n",
           "RESP 200 \"\" 1.0 [foo: bar] | EOM | CLOSED"),
    RD_OK(response_with_empty_reason_phrase, RD_CLIENT_GET,
          "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
          "RESP 200 \"\" 1.1 [content-length: 0] | EOM"),
    RD_OK(reason_phrase_keeps_spaces_tabs_and_obs_text, RD_CLIENT_GET,
          "HTTP/1.1 404 Not  Found\t x\xff \r\nContent-Length: 0\r\n\r\n",
          "RESP 404 \"Not  Found\\t x\\xff \" 1.1 [content-length: 0] | EOM"),
    RD_EOF(http10_response_is_read_with_its_version, RD_CLIENT_GET,
           "HTTP/1.0 200 OK\r\nSome: header\r\n\r\n",
           "RESP 200 \"OK\" 1.0 [some: header] | EOM | CLOSED"),
    RD_OK(
        informational_response_then_final_response, RD_CLIENT_GET,
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
        "\r\nx",
        "INFO 100 \"Continue\" 1.1 | RESP 200 \"OK\" 1.1 [content-length: 1] | "
        "DATA \"x\" | EOM"),
    RD_OK(several_informational_responses_are_read, RD_CLIENT_GET,
          "HTTP/1.1 100 \r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
          "HTTP/1.1 204 No Content\r\n\r\n",
          "INFO 100 \"\" 1.1 | INFO 103 \"Early Hints\" 1.1 [link: </a>] | "
          "RESP 204 \"No Content\" 1.1 | EOM"),
    RD_ERR(status_code_below_100_is_refused, RD_CLIENT_GET,
           "HTTP/1.1 099 Nope\r\n\r\n", H11C_REASON_BAD_STATUS_CODE, 400),
    RD_OK(status_code_999_is_a_response, RD_CLIENT_GET,
          "HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n",
          "RESP 999 \"Odd\" 1.1 [content-length: 0] | EOM"),
    RD_ERR(four_digit_status_code_is_refused, RD_CLIENT_GET,
           "HTTP/1.1 2000 OK\r\n\r\n", H11C_REASON_BAD_STATUS_LINE, 400),
    RD_ERR(two_digit_status_code_is_refused, RD_CLIENT_GET,
           "HTTP/1.1 20 OK\r\n\r\n", H11C_REASON_BAD_STATUS_LINE, 400),
    RD_ERR(nul_in_reason_phrase_is_refused, RD_CLIENT_GET,
           "HTTP/1.0 200 OK\x00xxxx\r\n\r\n", H11C_REASON_BAD_STATUS_LINE, 400),
    RD_ERR(status_line_without_space_before_code_is_refused, RD_CLIENT_GET,
           "HTTP/1.1200 OK\r\n\r\n", H11C_REASON_BAD_STATUS_LINE, 400),
    RD_ERR_WHOLE(empty_response_is_refused, RD_CLIENT_GET, "\r\n",
                 H11C_REASON_NO_RESPONSE_LINE, 400),
    RD_ERR(empty_response_with_bare_lf_is_refused, RD_CLIENT_GET, "\n",
           H11C_REASON_NO_RESPONSE_LINE, 400),
    RD_OK(response_to_head_has_no_body_despite_content_length, RD_CLIENT_HEAD,
          "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 10] | EOM"),
    RD_OK(response_to_head_has_no_body_despite_chunked, RD_CLIENT_HEAD,
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
          "RESP 200 \"OK\" 1.1 [transfer-encoding: chunked] | EOM"),
    RD_OK(response_204_has_no_body, RD_CLIENT_GET,
          "HTTP/1.1 204 No Content\r\n\r\n",
          "RESP 204 \"No Content\" 1.1 | EOM"),
    RD_OK(response_304_has_no_body_despite_content_length, RD_CLIENT_GET,
          "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
          "RESP 304 \"Not Modified\" 1.1 [content-length: 5] | EOM"),
    RD_OK(failed_connect_response_has_a_body, RD_CLIENT_CONNECT,
          "HTTP/1.1 407 Auth\r\nContent-Length: 3\r\n\r\nabc",
          "RESP 407 \"Auth\" 1.1 [content-length: 3] | DATA \"abc\" | EOM"),
    RD_PAUSED(successful_connect_response_switches_protocol, RD_CLIENT_CONNECT,
              "HTTP/1.1 200 OK\r\n\r\n", "RESP 200 \"OK\" 1.1"),
};
TEST_TABLE(status_line_rows, rd_check)

/* A response that is refused before its first line ends.  h11 reports
 * these with the request-line message; either reason is fine. */
typedef struct early_row {
  const char *name;
  const char *in;
  size_t len;
} early_row;

static void check_early_bad_response(int *failed, const early_row *row) {
  h11c_conn *c = new_client_after("GET");
  h11c_event ev;
  h11c_reason r;
  ASSERT_EQ(h11c_conn_receive_data(c, (const uint8_t *)row->in, row->len), 0);
  ASSERT_EQ(h11c_conn_next_event(c, &ev), H11C_ERR_REMOTE_PROTOCOL);
  r = h11c_conn_last_error(c)->reason;
  ASSERT_TRUE(r == H11C_REASON_BAD_REQUEST_LINE ||
              r == H11C_REASON_BAD_STATUS_LINE);
  ASSERT_STATE(c, H11C_SERVER, H11C_ERROR);
  h11c_conn_del(c);
}

#define EARLY(nm, input)                                                       \
  { #nm, input, sizeof(input) - 1 }
static const early_row early_bad_response_rows[] = {
    EARLY(response_starting_with_nul_is_refused_before_line_end, "\x00"),
    EARLY(response_starting_with_space_is_refused_before_line_end, " "),
    EARLY(tls_server_hello_is_refused_before_line_end, "\x16\x03\x03\x00\x31"),
};
TEST_TABLE(early_bad_response_rows, check_early_bad_response)

/* ======================================================================== */
/* Content-Length bodies                                                    */
/* ======================================================================== */

static const rd_row content_length_bodies_rows[] = {
    RD_OK(content_length_zero_body_ends_at_once, RD_SERVER,
          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
          "REQ POST / 1.1 [host: a] [content-length: 0] | EOM"),
    RD_OK(
        content_length_body_is_read, RD_SERVER,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
        "REQ POST / 1.1 [host: a] [content-length: 10] | DATA \"0123456789\" | "
        "EOM"),
    RD_OK(content_length_body_may_contain_any_bytes, RD_SERVER,
          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
          "6\r\n\r\n\r\n\x00\xff\r\n",
          "REQ POST / 1.1 [host: a] [content-length: 6] | "
          "DATA \"\\r\\n\\0\\xff\\r\\n\" | EOM"),
    RD_OK(request_without_framing_headers_has_empty_body, RD_SERVER,
          "POST / HTTP/1.1\r\nHost: a\r\n\r\n",
          "REQ POST / 1.1 [host: a] | EOM"),
    RD_PARTIAL(
        partial_content_length_body_gives_data_so_far, RD_SERVER,
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234",
        "REQ POST / 1.1 [host: a] [content-length: 10] | DATA \"01234\""),
    RD_ERR_EOF(eof_inside_content_length_body_is_an_error, RD_SERVER,
               "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n12345",
               H11C_REASON_INCOMPLETE_BODY, 400),
};
TEST_TABLE(content_length_bodies_rows, rd_check)

TEST(content_length_body_fed_in_odd_sized_pieces_is_complete) {
  static char body[5001];
  h11c_conn *s = new_conn(H11C_SERVER);
  evlist l = {0};
  size_t i, total = 0;
  for (i = 0; i < 5000; i++)
    body[i] = (char)('a' + i % 26);
  ASSERT_EQ(feed(s, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n"
                    "\r\n"),
            0);
  for (i = 0; i < 5000; i += 7) {
    size_t n = 5000 - i < 7 ? 5000 - i : 7;
    ASSERT_EQ(h11c_conn_receive_data(s, (const uint8_t *)body + i, n), 0);
    ASSERT_TRUE(collect(s, &l) >= 0);
  }
  ASSERT_EQ(l.v[l.n - 1].ev.type, H11C_EV_END_OF_MESSAGE);
  for (i = 0; i < l.n; i++)
    if (l.v[i].ev.type == H11C_EV_DATA) {
      ASSERT_TRUE(
          memcmp(l.v[i].ev.data.base, body + total, l.v[i].ev.data.len) == 0);
      total += l.v[i].ev.data.len;
    }
  ASSERT_EQ(total, 5000);
  evlist_free(&l);
  h11c_conn_del(s);
}

/* ======================================================================== */
/* Chunked bodies                                                           */
/* ======================================================================== */

static const rd_row chunked_bodies_rows[] = {
    RD_OK(chunked_body_with_only_last_chunk, RD_SERVER,
          POST_CHUNKED "0\r\n\r\n", REQ_CHUNKED " | EOM"),
    RD_OK(chunked_body_trailer_becomes_eom_headers, RD_SERVER,
          POST_CHUNKED "0\r\nSome: header\r\n\r\n",
          REQ_CHUNKED " | EOM [some: header]"),
    RD_OK(chunked_body_with_two_chunks_and_trailer, RD_SERVER,
          POST_CHUNKED "5\r\n01234\r\n10\r\n0123456789abcdef\r\n0\r\n"
                       "Some: header\r\n\r\n",
          REQ_CHUNKED
          " | DATA \"01234\" start end | "
          "DATA \"0123456789abcdef\" start end | EOM [some: header]"),
    RD_OK(chunked_body_with_two_chunks_no_trailer, RD_SERVER,
          POST_CHUNKED "5\r\n01234\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"01234\" start end | "
                      "DATA \"0123456789abcdef\" start end | EOM"),
    RD_OK(chunk_size_with_leading_zeros_is_read, RD_SERVER,
          POST_CHUNKED "0003\r\nabc\r\n000\r\n\r\n",
          REQ_CHUNKED " | DATA \"abc\" start end | EOM"),
    RD_ERR(chunk_size_longer_than_20_hex_digits_is_refused, RD_SERVER,
           POST_CHUNKED "9999999999999999999999999999999999999999999999999"
                        "9999999999999999999999999999999999999999999999999"
                        "99\r\nxxx",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(nul_in_chunk_size_is_refused, RD_SERVER,
           POST_CHUNKED "10\x00\r\nxxx", H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(non_hex_chunk_size_is_refused, RD_SERVER,
           POST_CHUNKED "0x5\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(empty_chunk_size_line_is_refused, RD_SERVER,
           POST_CHUNKED "\r\nhello\r\n0\r\n\r\n", H11C_REASON_BAD_CHUNK_HEADER,
           400),
    RD_ERR(whitespace_before_chunk_size_is_refused, RD_SERVER,
           POST_CHUNKED " 5\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(negative_chunk_size_is_refused, RD_SERVER,
           POST_CHUNKED "-5\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(chunk_header_ended_by_bare_lf_is_refused, RD_SERVER,
           POST_CHUNKED "5\nhello\r\n0\r\n\r\n", H11C_REASON_BAD_CHUNK_HEADER,
           400),
    RD_OK(chunk_extensions_are_dropped_by_default, RD_SERVER,
          POST_CHUNKED "5; hello=there\r\nxxxxx\r\n"
                       "0; random=\"junk\"; some=more; canbe=lonnnnngg\r\n\r\n",
          REQ_CHUNKED " | DATA \"xxxxx\" start end | EOM"),
    RD_ERR(whitespace_between_chunk_size_and_extension_is_refused, RD_SERVER,
           POST_CHUNKED "5 ;a\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_OK(empty_chunk_extension_is_tolerated, RD_SERVER,
          POST_CHUNKED "5;\r\nhello\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"hello\" start end | EOM"),
    RD_OK(tab_after_chunk_size_is_tolerated, RD_SERVER,
          POST_CHUNKED "5\t\r\nhello\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"hello\" start end | EOM"),
    RD_OK(whitespace_after_chunk_size_is_tolerated, RD_SERVER,
          POST_CHUNKED "5   \t \r\n01234\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"01234\" start end | EOM"),
    RD_ERR(chunk_data_followed_by_other_bytes_than_crlf_is_refused, RD_SERVER,
           POST_CHUNKED "3\r\nxxx__1a\r\n", H11C_REASON_BAD_CHUNK_FOOTER, 400),
    RD_ERR(chunk_footer_with_bad_second_byte_is_refused, RD_SERVER,
           POST_CHUNKED "3\r\nxxx\r_1a\r\n", H11C_REASON_BAD_CHUNK_FOOTER, 400),
    RD_ERR(chunk_footer_with_bad_first_byte_is_refused, RD_SERVER,
           POST_CHUNKED "3\r\nxxx_\n1a\r\n", H11C_REASON_BAD_CHUNK_FOOTER, 400),
    RD_ERR(chunk_footer_with_bare_lf_is_refused, RD_SERVER,
           POST_CHUNKED "3\r\nxxx\n0\r\n\r\n", H11C_REASON_BAD_CHUNK_FOOTER,
           400),
    RD_OK(chunk_flags_mark_whole_chunks, RD_SERVER,
          POST_CHUNKED "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n",
          REQ_CHUNKED
          " | DATA \"hello\" start end | DATA \"!\" start end | EOM"),
    RD_OK(trailer_with_bare_lf_lines_is_read, RD_SERVER,
          POST_CHUNKED "0\r\nA: b\nC: d\n\n",
          REQ_CHUNKED " | EOM [a: b] [c: d]"),
    RD_OK(trailer_with_obs_fold_is_joined, RD_SERVER,
          POST_CHUNKED "0\r\nA: b\r\n c\r\n\r\n",
          REQ_CHUNKED " | EOM [a: b c]"),
    RD_ERR(bad_trailer_line_is_refused, RD_SERVER,
           POST_CHUNKED "0\r\nA : b\r\n\r\n", H11C_REASON_BAD_HEADER_LINE, 400),
    RD_ERR(trailer_content_length_is_validated, RD_SERVER,
           POST_CHUNKED "0\r\nContent-Length: x\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(trailer_starting_with_continuation_is_refused, RD_SERVER,
           POST_CHUNKED "0\r\n a: b\r\n\r\n", H11C_REASON_CONTINUATION_AT_START,
           400),
    RD_OK(chunked_response_body_is_read, RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
          "2\r\nhi\r\n0\r\n\r\n",
          "RESP 200 \"OK\" 1.1 [transfer-encoding: chunked] | "
          "DATA \"hi\" start end | EOM"),
    /* h11 frames by Transfer-Encoding when a response carries both. */
    RD_OK(transfer_encoding_wins_over_content_length_when_reading_response,
          RD_CLIENT_GET,
          "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
          "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
          "RESP 200 \"OK\" 1.1 [content-length: 100] "
          "[transfer-encoding: chunked] | DATA \"hi\" start end | EOM"),
    RD_ERR_EOF(eof_inside_chunked_body_is_an_error, RD_SERVER,
               POST_CHUNKED "8\r\n012345", H11C_REASON_INCOMPLETE_BODY, 400),
    /* The unfinished trailer is still buffered, so this is h11's generic
     * "peer unexpectedly closed connection". */
    RD_ERR_EOF(eof_inside_chunk_trailer_is_an_unexpected_close, RD_SERVER,
               POST_CHUNKED "0\r\nA: b\r\n", H11C_REASON_UNEXPECTED_CLOSE, 400),
    RD_ERR_EOF(eof_inside_chunk_header_is_an_unexpected_close, RD_SERVER,
               POST_CHUNKED "5", H11C_REASON_UNEXPECTED_CLOSE, 400),
};
TEST_TABLE(chunked_bodies_rows, rd_check)

TEST(chunk_size_accepts_upper_and_lower_case_hex) {
  static const char in[] = POST_CHUNKED
      "aA\r\n"
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      "xxxxxxxxxxxxxxxxxxxxxxxxxx\r\n0\r\n\r\n";
  h11c_conn *c = new_conn(H11C_SERVER);
  evlist l = {0};
  ASSERT_EQ(sizeof in - 1, sizeof POST_CHUNKED - 1 + 4 + 0xaa + 7);
  ASSERT_EQ(feed(c, in), 0);
  ASSERT_EQ(collect(c, &l), H11C_NEED_DATA);
  ASSERT_EQ(l.n, 3);
  ASSERT_EQ(l.v[1].ev.type, H11C_EV_DATA);
  ASSERT_EQ(l.v[1].ev.data.len, 0xaa);
  ASSERT_EQ(l.v[2].ev.type, H11C_EV_END_OF_MESSAGE);
  evlist_free(&l);
  h11c_conn_del(c);
}

TEST(chunk_footer_error_comes_after_the_chunk_data) {
  h11c_conn *c = new_conn(H11C_SERVER);
  ASSERT_EQ(feed(c, POST_CHUNKED "3\r\nxxx__1a\r\n"), 0);
  ASSERT_STR(next_str(c), REQ_CHUNKED);
  ASSERT_STR(next_str(c), "DATA \"xxx\" start end");
  ASSERT_STR(next_str(c), "ERR -1 BAD_CHUNK_FOOTER");
  ASSERT_STATE(c, H11C_CLIENT, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(chunk_arriving_in_pieces_sets_start_and_end_once) {
  h11c_conn *c = new_conn(H11C_SERVER);
  ASSERT_EQ(feed(c, POST_CHUNKED), 0);
  ASSERT_STR(next_str(c), REQ_CHUNKED);
  ASSERT_STR(next_str(c), "NEED_DATA");
  ASSERT_STR(feed_events(c, "5\r\nhello\r\n", NULL),
             "DATA \"hello\" start end");
  ASSERT_STR(feed_events(c, "5\r\nhel", NULL), "DATA \"hel\" start");
  ASSERT_STR(feed_events(c, "l", NULL), "DATA \"l\"");
  ASSERT_STR(feed_events(c, "o\r\n", NULL), "DATA \"o\" end");
  ASSERT_STR(feed_events(c, "5\r\nhello", NULL), "DATA \"hello\" start end");
  ASSERT_STR(feed_events(c, "\r\n", NULL), "");
  ASSERT_STR(feed_events(c, "0\r\n\r\n", NULL), "EOM");
  h11c_conn_del(c);
}

TEST(chunk_header_then_data_later_still_marks_chunk_start) {
  /* h11 loses chunk_start here; h11c keeps it on the first Data. */
  h11c_conn *c = new_conn(H11C_SERVER);
  int rc;
  ASSERT_STR(feed_events(c, POST_CHUNKED "5\r\n", &rc), REQ_CHUNKED);
  ASSERT_EQ(rc, H11C_NEED_DATA);
  ASSERT_STR(feed_events(c, "hel", NULL), "DATA \"hel\" start");
  ASSERT_STR(feed_events(c, "lo\r\n0\r\n\r\n", NULL), "DATA \"lo\" end | EOM");
  h11c_conn_del(c);
}

TEST(chunked_body_split_byte_by_byte_gives_same_events) {
  static const char body[] = "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n";
  h11c_conn *c = new_conn(H11C_SERVER);
  evlist l = {0};
  strbuf t = {0};
  size_t i;
  ASSERT_EQ(feed(c, POST_CHUNKED), 0);
  ASSERT_EQ(collect(c, &l), H11C_NEED_DATA);
  for (i = 0; i + 1 < sizeof body; i++) {
    ASSERT_EQ(h11c_conn_receive_data(c, (const uint8_t *)body + i, 1), 0);
    ASSERT_TRUE(collect(c, &l) >= 0);
  }
  evlist_render(&l, true, &t);
  ASSERT_STR(strbuf_str(&t), REQ_CHUNKED " | DATA \"abcde\" | EOM [t: v]");
  /* Every chunk starts and ends exactly once. */
  {
    size_t starts = 0, ends = 0;
    for (i = 0; i < l.n; i++) {
      starts += l.v[i].ev.chunk_start;
      ends += l.v[i].ev.chunk_end;
    }
    ASSERT_EQ(starts, 2);
    ASSERT_EQ(ends, 2);
  }
  strbuf_free(&t);
  evlist_free(&l);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* Bodies delimited by the end of the connection                            */
/* ======================================================================== */

static const rd_row bodies_delimited_by_the_end_of_the_connection_rows[] = {
    RD_EOF(close_delimited_empty_body_ends_at_eof, RD_CLIENT_GET,
           "HTTP/1.1 200 OK\r\n\r\n", "RESP 200 \"OK\" 1.1 | EOM | CLOSED"),
    RD_PARTIAL(close_delimited_body_without_eof_is_data_only, RD_CLIENT_GET,
               "HTTP/1.0 200 OK\r\n\r\nasdf",
               "RESP 200 \"OK\" 1.0 | DATA \"asdf\""),
    RD_EOF(close_delimited_body_ends_at_eof, RD_CLIENT_GET,
           "HTTP/1.0 200 OK\r\n\r\nasdf",
           "RESP 200 \"OK\" 1.0 | DATA \"asdf\" | EOM | CLOSED"),
};
TEST_TABLE(bodies_delimited_by_the_end_of_the_connection_rows, rd_check)

TEST(close_delimited_body_takes_everything_received) {
  h11c_conn *c = new_client_after("GET");
  ASSERT_STR(feed_events(c, "HTTP/1.0 200 OK\r\n\r\n", NULL),
             "RESP 200 \"OK\" 1.0");
  ASSERT_STR(feed_events(c, "12345", NULL), "DATA \"12345\"");
  ASSERT_STR(feed_events(c, "GET / HTTP/1.1\r\n\r\n", NULL),
             "DATA \"GET / HTTP/1.1\\r\\n\\r\\n\"");
  ASSERT_EQ(h11c_conn_receive_eof(c), 0);
  ASSERT_STR(recv_events(c, NULL), "EOM | CLOSED");
  h11c_conn_del(c);
}

/* ======================================================================== */
/* End of input                                                             */
/* ======================================================================== */

static const rd_row end_of_input_rows[] = {
    RD_EOF(eof_before_anything_gives_connection_closed, RD_SERVER, "",
           "CLOSED"),
    RD_EOF(eof_after_complete_request_gives_connection_closed, RD_SERVER,
           "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
           "REQ GET / 1.1 [host: a] | EOM | CLOSED"),
    RD_EOF(
        eof_after_complete_response_gives_connection_closed, RD_CLIENT_GET,
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        "RESP 200 \"OK\" 1.1 [content-length: 1] | DATA \"x\" | EOM | CLOSED"),
    RD_ERR_EOF(eof_inside_request_head_is_an_error, RD_SERVER, "GET /",
               H11C_REASON_UNEXPECTED_CLOSE, 400),
    RD_ERR_EOF(eof_inside_response_head_is_an_error, RD_CLIENT_GET,
               "HTTP/1.1 200 OK\r\n", H11C_REASON_UNEXPECTED_CLOSE, 400),
};
TEST_TABLE(end_of_input_rows, rd_check)

/* ======================================================================== */
/* Writers                                                                  */
/* ======================================================================== */

TEST(request_is_written_exactly) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c, mk_req(&m, "GET", "/a", "Host", "foo", "Connection", "close", NULL),
      "GET /a HTTP/1.1\r\nHost: foo\r\nConnection: close\r\n\r\n");
  h11c_conn_del(c);
}

TEST(request_with_content_length_is_written_exactly) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "GET", "/", "Host", "example.com", "Content-Length",
                     "10", NULL),
              "GET / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n"
              "\r\n");
  h11c_conn_del(c);
}

TEST(host_header_is_written_first) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "GET", "/", "foo", "bar", "Host", "example.com", "baz",
                     "quux", NULL),
              "GET / HTTP/1.1\r\nHost: example.com\r\nfoo: bar\r\nbaz: quux\r\n"
              "\r\n");
  h11c_conn_del(c);
}

TEST(header_names_are_written_with_given_casing) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "hOsT", "a", "x-MiXeD", "v", NULL),
              "GET / HTTP/1.1\r\nhOsT: a\r\nx-MiXeD: v\r\n\r\n");
  h11c_conn_del(c);
}

TEST(raw_name_is_written_instead_of_name_when_set) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "host", "a", "x-foo", "v", NULL);
  m.h[1].raw_name = sl("X-FOO");
  ASSERT_SEND(c, &m.ev, "GET / HTTP/1.1\r\nhost: a\r\nX-FOO: v\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_content_length_list_is_normalised) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c,
      mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "5, 5", "X", "y",
             NULL),
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX: y\r\n\r\n");
  h11c_conn_del(c);
}

TEST(sent_transfer_encoding_value_is_lower_cased) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(
      c,
      mk_req(&m, "POST", "/", "Host", "a", "transfer-Encoding", "ChUnKed",
             NULL),
      "POST / HTTP/1.1\r\nHost: a\r\ntransfer-Encoding: chunked\r\n\r\n");
  h11c_conn_del(c);
}

TEST(empty_http_version_is_sent_as_1_1) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  m.ev.http_version = sl("");
  ASSERT_SEND(c, &m.ev, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h11c_conn_del(c);
}

TEST(http10_request_cannot_be_sent) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "foo", "Connection", "close", NULL);
  m.ev.http_version = sl("1.0");
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_ONLY_HTTP11);
  h11c_conn_del(c);
}

TEST(http10_response_cannot_be_sent) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Connection", "close", NULL);
  m.ev.http_version = sl("1.0");
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_ONLY_HTTP11);
  h11c_conn_del(c);
}

TEST(response_with_reason_is_written_exactly) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Content-Length", "0", NULL);
  m.ev.reason = sl("OK");
  ASSERT_SEND(c, &m.ev, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(c);
}

TEST(response_with_empty_reason_keeps_space_after_code) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_resp(&m, 200, "Content-Length", "11", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 11\r\n\r\n");
  h11c_conn_del(c);
}

TEST(informational_response_is_written_exactly) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_info(&m, 100, NULL), "HTTP/1.1 100 \r\n\r\n");
  h11c_conn_del(c);
}

TEST(switching_protocols_response_is_written_exactly) {
  h11c_conn *c = new_server_after(
      "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
  tmsg m;
  mk_info(&m, 101, "Upgrade", "websocket", NULL);
  m.ev.reason = sl("Upgrade");
  ASSERT_SEND(c, &m.ev, "HTTP/1.1 101 Upgrade\r\nUpgrade: websocket\r\n\r\n");
  h11c_conn_del(c);
}

TEST(switching_protocols_response_without_headers_is_written) {
  h11c_conn *c = new_server_after(
      "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
  tmsg m;
  mk_info(&m, 101, NULL);
  m.ev.reason = sl("Upgrade");
  ASSERT_SEND(c, &m.ev, "HTTP/1.1 101 Upgrade\r\n\r\n");
  h11c_conn_del(c);
}

/* --- Content-Length writer ---------------------------------------------- */

static h11c_conn *client_with_length(const char *len) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  const uint8_t *out;
  size_t n;
  if (h11c_conn_send_copy(
          c, mk_req(&m, "POST", "/", "Host", "a", "Content-Length", len, NULL),
          &out, &n) != 0)
    abort();
  return c;
}

TEST(content_length_writer_passes_data_through) {
  h11c_conn *c = client_with_length("5");
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "123"), "123");
  ASSERT_SEND(c, mk_data(&m, "45"), "45");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  ASSERT_STATE(c, H11C_CLIENT, H11C_DONE);
  h11c_conn_del(c);
}

TEST(content_length_writer_refuses_too_much_at_once) {
  h11c_conn *c = client_with_length("5");
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_data(&m, "123456"), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_TOO_MUCH_DATA);
  ASSERT_STATE(c, H11C_CLIENT, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(content_length_writer_refuses_too_much_in_total) {
  h11c_conn *c = client_with_length("5");
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "123"), "123");
  ASSERT_SEND_FAILS(c, mk_data(&m, "456"), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_TOO_MUCH_DATA);
  h11c_conn_del(c);
}

TEST(content_length_writer_refuses_early_end) {
  h11c_conn *c = client_with_length("5");
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "123"), "123");
  ASSERT_SEND_FAILS(c, mk_eom(&m, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_TOO_LITTLE_DATA);
  h11c_conn_del(c);
}

TEST(content_length_writer_refuses_trailers) {
  h11c_conn *c = client_with_length("5");
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "12345"), "12345");
  ASSERT_SEND_FAILS(c, mk_eom(&m, "Etag", "asdf", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_TRAILERS_WITH_CONTENT_LENGTH);
  h11c_conn_del(c);
}

TEST(content_length_writer_accepts_empty_data) {
  h11c_conn *c = client_with_length("0");
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, ""), "");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  h11c_conn_del(c);
}

/* --- chunked writer ------------------------------------------------------ */

static h11c_conn *client_chunked(void) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  const uint8_t *out;
  size_t n;
  if (h11c_conn_send_copy(c,
                          mk_req(&m, "POST", "/", "Host", "a",
                                 "Transfer-Encoding", "chunked", NULL),
                          &out, &n) != 0)
    abort();
  return c;
}

TEST(chunked_writer_frames_each_data_as_a_chunk) {
  h11c_conn *c = client_chunked();
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "aaa"), "3\r\naaa\r\n");
  ASSERT_SEND(c, mk_data(&m, "aaaaaaaaaaaaaaaaaaaa"),
              "14\r\naaaaaaaaaaaaaaaaaaaa\r\n");
  h11c_conn_del(c);
}

TEST(chunked_writer_uses_lower_case_hex) {
  h11c_conn *c = client_chunked();
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "1234567890"), "a\r\n1234567890\r\n");
  h11c_conn_del(c);
}

TEST(chunked_writer_sends_nothing_for_empty_data) {
  h11c_conn *c = client_chunked();
  tmsg m;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n = 99;
  ASSERT_SEND(c, mk_data(&m, ""), "");
  ASSERT_EQ(h11c_conn_send(c, mk_data(&m, ""), iov, &n), 0);
  ASSERT_EQ(n, 0);
  ASSERT_STATE(c, H11C_CLIENT, H11C_SEND_BODY);
  h11c_conn_del(c);
}

TEST(chunked_writer_ends_with_last_chunk) {
  h11c_conn *c = client_chunked();
  tmsg m;
  ASSERT_SEND(c, mk_eom(&m, NULL), "0\r\n\r\n");
  h11c_conn_del(c);
}

TEST(chunked_writer_writes_trailers) {
  h11c_conn *c = client_chunked();
  tmsg m;
  ASSERT_SEND(c, mk_eom(&m, "Etag", "asdf", "a", "b", NULL),
              "0\r\nEtag: asdf\r\na: b\r\n\r\n");
  h11c_conn_del(c);
}

TEST(chunked_writer_gives_three_slices_with_data_in_the_middle) {
  h11c_conn *c = client_chunked();
  tmsg m;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n = 0;
  mk_data(&m, "hello");
  ASSERT_EQ(h11c_conn_send(c, &m.ev, iov, &n), 0);
  ASSERT_EQ(n, 3);
  ASSERT_SLICE(iov[0], "5\r\n");
  ASSERT_TRUE(iov[1].base == m.ev.data.base);
  ASSERT_EQ(iov[1].len, 5);
  ASSERT_SLICE(iov[2], "\r\n");
  h11c_conn_del(c);
}

TEST(chunk_extension_is_written_after_size) {
  h11c_conn *c = client_chunked();
  tmsg m;
  mk_data(&m, "abc");
  m.ev.chunk_ext = sl(";name=value");
  ASSERT_SEND(c, &m.ev, "3;name=value\r\nabc\r\n");
  h11c_conn_del(c);
}

TEST(chunk_extension_without_semicolon_is_refused) {
  h11c_conn *c = client_chunked();
  tmsg m;
  mk_data(&m, "abc");
  m.ev.chunk_ext = sl("name=value");
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_CHUNK_EXT);
  ASSERT_STATE(c, H11C_CLIENT, H11C_SEND_BODY);
  ASSERT_SEND(c, mk_data(&m, "ok"), "2\r\nok\r\n");
  h11c_conn_del(c);
}

TEST(chunk_extension_with_crlf_is_refused) {
  h11c_conn *c = client_chunked();
  tmsg m;
  mk_data(&m, "abc");
  m.ev.chunk_ext = sl(";a\r\n0\r\n\r\n");
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_CHUNK_EXT);
  h11c_conn_del(c);
}

TEST(chunk_extension_with_nul_is_refused) {
  h11c_conn *c = client_chunked();
  tmsg m;
  mk_data(&m, "abc");
  m.ev.chunk_ext.base = (const uint8_t *)";a\0b";
  m.ev.chunk_ext.len = 4;
  ASSERT_SEND_FAILS(c, &m.ev, H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_CHUNK_EXT);
  h11c_conn_del(c);
}

TEST(chunked_writer_writes_large_chunk_size_in_hex) {
  static char big[4097];
  h11c_conn *c = client_chunked();
  tmsg m;
  const char *out;
  size_t n;
  memset(big, 'z', 4096);
  big[4096] = 0;
  ASSERT_EQ(send_bytes(c, mk_data(&m, big), &out, &n), 0);
  ASSERT_EQ(n, 4 + 2 + 4096 + 2);
  ASSERT_MEM_STR(out, 6, "1000\r\n");
  ASSERT_MEM_STR(out + 6 + 4096, 2, "\r\n");
  h11c_conn_del(c);
}

/* --- HTTP/1.0-style writer ------------------------------------------------ */

static h11c_conn *server_for_http10(void) {
  h11c_conn *c = new_server_after("GET / HTTP/1.0\r\n\r\n");
  tmsg m;
  const uint8_t *out;
  size_t n;
  if (h11c_conn_send_copy(c, mk_resp(&m, 200, NULL), &out, &n) != 0)
    abort();
  return c;
}

TEST(close_delimited_writer_passes_data_through) {
  h11c_conn *c = server_for_http10();
  tmsg m;
  ASSERT_SEND(c, mk_data(&m, "1234"), "1234");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  ASSERT_STATE(c, H11C_SERVER, H11C_MUST_CLOSE);
  h11c_conn_del(c);
}

TEST(close_delimited_writer_refuses_trailers) {
  h11c_conn *c = server_for_http10();
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_eom(&m, "Etag", "asdf", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_TRAILERS_TO_HTTP10);
  h11c_conn_del(c);
}

TEST(close_delimited_writer_gives_data_as_single_slice) {
  h11c_conn *c = server_for_http10();
  tmsg m;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n = 0;
  mk_data(&m, "0123456789");
  ASSERT_EQ(h11c_conn_send(c, &m.ev, iov, &n), 0);
  ASSERT_EQ(n, 1);
  ASSERT_TRUE(iov[0].base == m.ev.data.base);
  ASSERT_EQ(iov[0].len, 10);
  h11c_conn_del(c);
}

TEST(content_length_writer_gives_data_as_single_slice) {
  h11c_conn *c = client_with_length("10");
  tmsg m;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n = 0;
  mk_data(&m, "0123456789");
  ASSERT_EQ(h11c_conn_send(c, &m.ev, iov, &n), 0);
  ASSERT_EQ(n, 1);
  ASSERT_TRUE(iov[0].base == m.ev.data.base);
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  h11c_conn_del(c);
}

TEST(send_copy_joins_chunk_framing_and_data) {
  h11c_conn *c = client_chunked();
  tmsg m;
  const uint8_t *out = NULL;
  size_t n = 0;
  mk_data(&m, "xyz");
  ASSERT_EQ(h11c_conn_send_copy(c, &m.ev, &out, &n), 0);
  ASSERT_MEM_STR(out, n, "3\r\nxyz\r\n");
  ASSERT_TRUE(out != m.ev.data.base);
  h11c_conn_del(c);
}

/* Found by fuzzing: a head that starts with a control byte and is longer
 * than the event limit was refused with 431 when it arrived whole and 400
 * when it arrived in pieces.  Both must give 400. */
TEST(control_byte_head_over_limit_is_400_whole_and_in_pieces) {
  static uint8_t head[300];
  static const size_t pieces[] = {1, 7, 64, sizeof(head)};
  size_t p;
  memset(head, 'a', sizeof(head));
  head[0] = 0x01;
  memcpy(head + sizeof(head) - 4, "\r\n\r\n", 4);
  for (p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
    size_t piece = pieces[p];
    h11c_options o;
    h11c_conn *c;
    h11c_event ev;
    size_t off = 0;
    int rv;
    h11c_options_init(&o);
    o.max_incomplete_event_size = 200;
    ASSERT_EQ(h11c_conn_new(&c, H11C_SERVER, &o, NULL), H11C_OK);
    do {
      size_t k = sizeof(head) - off < piece ? sizeof(head) - off : piece;
      ASSERT_EQ(h11c_conn_receive_data(c, head + off, k), H11C_OK);
      off += k;
      rv = h11c_conn_next_event(c, &ev);
    } while (rv == H11C_NEED_DATA && off < sizeof(head));
    ASSERT_EQ(rv, H11C_ERR_REMOTE_PROTOCOL);
    ASSERT_EQ(h11c_conn_last_error(c)->status_hint, 400);
    h11c_conn_del(c);
  }
}

/* Found by fuzzing: the error offset counted the CR after chunk data when
 * it had arrived in an earlier receive call, so it depended on the split.
 * It is where the failing event began: the end of the last Data. */
TEST(error_offset_is_the_end_of_the_last_event_however_split) {
  static const char head[] =
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  static const char *const pieces[][3] = {{"3\r\nabc\r\nZZ\r\n", NULL, NULL},
                                          {"3\r\nabc\r", "\nZZ\r\n", NULL},
                                          {"3\r\n", "abc\r", "\nZZ\r\n"}};
  size_t p, k;
  for (p = 0; p < 3; p++) {
    h11c_conn *c;
    h11c_event ev;
    int rv = H11C_NEED_DATA;
    ASSERT_EQ(h11c_conn_new(&c, H11C_SERVER, NULL, NULL), H11C_OK);
    ASSERT_EQ(
        h11c_conn_receive_data(c, (const uint8_t *)head, sizeof(head) - 1),
        H11C_OK);
    for (k = 0; k < 3 && pieces[p][k] && rv >= 0; k++) {
      ASSERT_EQ(h11c_conn_receive_data(c, (const uint8_t *)pieces[p][k],
                                       strlen(pieces[p][k])),
                H11C_OK);
      while ((rv = h11c_conn_next_event(c, &ev)) == H11C_OK)
        ;
    }
    ASSERT_EQ(rv, H11C_ERR_REMOTE_PROTOCOL);
    ASSERT_EQ(h11c_conn_last_error(c)->reason, H11C_REASON_BAD_CHUNK_HEADER);
    ASSERT_EQ(h11c_conn_last_error(c)->offset, sizeof(head) - 1 + 6);
    h11c_conn_del(c);
  }
}
