/* Where h11c deliberately differs from h11 (following RFC 9110 / 9112), and
 * the options h11 does not have: H11C_OPT_HTTP10_KEEP_ALIVE and
 * H11C_OPT_CHUNK_EXTENSIONS. */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

static const h11c_role CL = H11C_CLIENT, SV = H11C_SERVER;

#define POST_HEAD "POST / HTTP/1.1\r\nHost: a\r\n"
#define POST_CHUNKED POST_HEAD "Transfer-Encoding: chunked\r\n\r\n"
#define REQ_CHUNKED "REQ POST / 1.1 [host: a] [transfer-encoding: chunked]"

/* ======================================================================== */
/* (1) Content-Length together with Transfer-Encoding                       */
/* ======================================================================== */

#define CL_AND_TE                                                              \
  POST_HEAD "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"          \
            "3\r\nabc\r\n0\r\n\r\n"

static const rd_row both_framings_rows[] = {
    RD_OK(request_with_both_framings_is_read_as_chunked, RD_SERVER, CL_AND_TE,
          "REQ POST / 1.1 [host: a] [content-length: 5] "
          "[transfer-encoding: chunked] | DATA \"abc\" start end | EOM"),
};
TEST_TABLE(both_framings_rows, rd_check)

static const srv_row both_framings_keep_alive_rows[] = {
    SRV_ST(request_with_both_framings_turns_keep_alive_off, 0, CL_AND_TE, T_NO,
           T_ANY, H11C_MUST_CLOSE, H11C_SEND_RESPONSE),
    SRV_ST(request_with_both_framings_in_either_order_disables_keep_alive, 0,
           POST_HEAD
           "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
           T_NO, T_ANY, H11C_MUST_CLOSE, H11C_SEND_RESPONSE),
};
TEST_TABLE(both_framings_keep_alive_rows, srv_check)

TEST(server_must_close_after_answering_request_with_both_framings) {
  h11c_conn *s = new_server_after(CL_AND_TE);
  tmsg m;
  ASSERT_SEND(
      s, mk_resp(&m, 200, "Content-Length", "0", NULL),
      "HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_STATES(s, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  ASSERT_EQ(h11c_conn_start_next_cycle(s), H11C_ERR_LOCAL_PROTOCOL);
  h11c_conn_del(s);
}

TEST(sending_request_with_both_framings_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c,
                    mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "5",
                           "Transfer-Encoding", "chunked", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
  /* A malformed event: nothing changes. */
  ASSERT_STATE(c, CL, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(sending_response_with_both_framings_drops_content_length) {
  /* For responses h11's clean-up already resolves the conflict. */
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND(s,
              mk_resp(&m, 200, "Content-Length", "5", "Transfer-Encoding",
                      "chunked", NULL),
              "HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n");
  h11c_conn_del(s);
}

/* ======================================================================== */
/* (2) Lengths beyond 64 bits                                               */
/* ======================================================================== */

static const rd_row lengths_beyond_64_bits_rows[] = {
    RD_ERR(content_length_above_uint64_max_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 18446744073709551616\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(twenty_digit_content_length_above_uint64_max_is_refused, RD_SERVER,
           POST_HEAD "Content-Length: 99999999999999999999\r\n\r\n",
           H11C_REASON_BAD_CONTENT_LENGTH, 400),
    RD_ERR(chunk_size_above_uint64_max_is_refused, RD_SERVER,
           POST_CHUNKED "10000000000000000\r\n", H11C_REASON_BAD_CHUNK_HEADER,
           400),
    RD_ERR(twenty_hex_digit_chunk_size_above_uint64_max_is_refused, RD_SERVER,
           POST_CHUNKED "fffffffffffffffffffF\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_OK(zero_padded_chunk_size_within_range_is_accepted, RD_SERVER,
          POST_CHUNKED "0000000000000000000a\r\n0123456789\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"0123456789\" start end | EOM"),
    RD_OK(content_length_with_leading_zeros_within_range_is_accepted, RD_SERVER,
          POST_HEAD "Content-Length: 00000000000000000005\r\n\r\nhello",
          "REQ POST / 1.1 [host: a] [content-length: 00000000000000000005] "
          "| DATA \"hello\" | EOM"),
    RD_PARTIAL(chunk_size_of_uint64_max_is_accepted, RD_SERVER,
               POST_CHUNKED "ffffffffffffffff\r\nabc",
               REQ_CHUNKED " | DATA \"abc\" start"),
};
TEST_TABLE(lengths_beyond_64_bits_rows, rd_check)

TEST(sending_content_length_above_uint64_max_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c,
                    mk_req(&m, "POST", "/", "Host", "a", "Content-Length",
                           "18446744073709551616", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_CONTENT_LENGTH);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* (3) Bare CR in a chunk extension                                         */
/* ======================================================================== */

static const rd_row bare_cr_in_a_chunk_extension_rows[] = {
    RD_ERR(bare_cr_in_chunk_extension_is_refused, RD_SERVER,
           POST_CHUNKED "5;a=b\rc\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(bare_cr_in_quoted_chunk_extension_is_refused, RD_SERVER,
           POST_CHUNKED "5;a=\"b\rc\"\r\nhello\r\n0\r\n\r\n",
           H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_ERR(bare_cr_in_last_chunk_extension_is_refused, RD_SERVER,
           POST_CHUNKED "0;x\ry\r\n\r\n", H11C_REASON_BAD_CHUNK_HEADER, 400),
    RD_OK(ordinary_chunk_extension_is_still_accepted, RD_SERVER,
          POST_CHUNKED "5;a=\"b c\";d\r\nhello\r\n0\r\n\r\n",
          REQ_CHUNKED " | DATA \"hello\" start end | EOM"),
};
TEST_TABLE(bare_cr_in_a_chunk_extension_rows, rd_check)

/* ======================================================================== */
/* (4) Transfer-Encoding whose final coding is not chunked                  */
/* ======================================================================== */

static const rd_row transfer_encoding_whose_final_coding_is_not_chunked_rows[] =
    {
        RD_ERR(request_with_only_gzip_coding_hints_400, RD_SERVER,
               POST_HEAD "Transfer-Encoding: gzip\r\n\r\n",
               H11C_REASON_CHUNK_NOT_FINAL, 400),
        RD_ERR(request_with_chunked_before_gzip_hints_400, RD_SERVER,
               POST_HEAD "Transfer-Encoding: chunked, gzip\r\n\r\n",
               H11C_REASON_CHUNK_NOT_FINAL, 400),
        RD_ERR(request_with_identity_coding_hints_400, RD_SERVER,
               POST_HEAD "Transfer-Encoding: identity\r\n\r\n",
               H11C_REASON_CHUNK_NOT_FINAL, 400),
        RD_ERR(request_with_gzip_before_chunked_still_hints_501, RD_SERVER,
               POST_HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n",
               H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
        /* Empty list elements do not count as codings (RFC 9110 §5.6.1), so the
             final coding is chunked and h11's 501 stands. */
        RD_ERR(empty_list_element_after_chunked_still_hints_501, RD_SERVER,
               POST_HEAD "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n",
               H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
        RD_ERR(empty_list_element_before_chunked_still_hints_501, RD_SERVER,
               POST_HEAD "Transfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n",
               H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
        RD_ERR(response_with_only_gzip_coding_still_hints_501, RD_CLIENT_GET,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
               H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501),
};
TEST_TABLE(transfer_encoding_whose_final_coding_is_not_chunked_rows, rd_check)

TEST(sending_request_with_only_gzip_coding_is_refused) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(
      c,
      mk_req(&m, "POST", "/", "Host", "a", "Transfer-Encoding", "gzip", NULL),
      H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_CHUNK_NOT_FINAL);
  ASSERT_HINT(c, 400);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* (5) Framing headers in 1xx / 204 responses; reason phrase injection       */
/* ======================================================================== */

TEST(content_length_in_100_response_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(s, mk_info(&m, 100, "Content-Length", "0", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  h11c_conn_del(s);
}

TEST(transfer_encoding_in_103_response_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(s, mk_info(&m, 103, "Transfer-Encoding", "chunked", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  h11c_conn_del(s);
}

TEST(transfer_encoding_in_101_response_is_refused) {
  h11c_conn *s =
      new_server_after("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n\r\n");
  tmsg m;
  ASSERT_SEND_FAILS(
      s, mk_info(&m, 101, "Upgrade", "x", "Transfer-Encoding", "chunked", NULL),
      H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  h11c_conn_del(s);
}

TEST(content_length_in_204_response_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(s, mk_resp(&m, 204, "Content-Length", "0", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  ASSERT_STATE(s, SV, H11C_SEND_RESPONSE);
  h11c_conn_del(s);
}

TEST(transfer_encoding_in_204_response_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(s, mk_resp(&m, 204, "Transfer-Encoding", "chunked", NULL),
                    H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  h11c_conn_del(s);
}

TEST(framing_headers_in_other_responses_are_allowed) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 205, "Content-Length", "0", NULL),
              "HTTP/1.1 205 \r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(s);
}

TEST(reason_phrase_with_crlf_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Content-Length", "0", NULL);
  m.ev.reason = sl("OK\r\nSet-Cookie: evil=1");
  ASSERT_SEND_FAILS(s, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_REASON);
  ASSERT_STATE(s, SV, H11C_SEND_RESPONSE);
  h11c_conn_del(s);
}

TEST(reason_phrase_with_bare_lf_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Content-Length", "0", NULL);
  m.ev.reason = sl("O\nK");
  ASSERT_SEND_FAILS(s, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_REASON);
  h11c_conn_del(s);
}

TEST(reason_phrase_with_nul_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Content-Length", "0", NULL);
  m.ev.reason.base = (const uint8_t *)"O\0K";
  m.ev.reason.len = 3;
  ASSERT_SEND_FAILS(s, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_REASON);
  h11c_conn_del(s);
}

TEST(informational_reason_phrase_with_cr_is_refused) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  mk_info(&m, 100, NULL);
  m.ev.reason = sl("Continue\r");
  ASSERT_SEND_FAILS(s, &m.ev, H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_REASON);
  h11c_conn_del(s);
}

TEST(reason_phrase_with_tab_and_high_bytes_is_allowed) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  mk_resp(&m, 200, "Content-Length", "0", NULL);
  m.ev.reason = sl("Tr\xe8s\tbien");
  ASSERT_SEND(s, &m.ev,
              "HTTP/1.1 200 Tr\xe8s\tbien\r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(s);
}

/* ======================================================================== */
/* H11C_OPT_HTTP10_KEEP_ALIVE                                               */
/* ======================================================================== */

#define GET10_KA "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"

static const srv_row http10_keep_alive_rows[] = {
    SRV_ST(http10_keep_alive_request_keeps_connection_with_option,
           H11C_OPT_HTTP10_KEEP_ALIVE, GET10_KA, T_YES, T_ANY, H11C_DONE,
           H11C_SEND_RESPONSE),
    SRV_ST(http10_keep_alive_request_closes_without_option, 0, GET10_KA, T_NO,
           T_ANY, H11C_MUST_CLOSE, H11C_SEND_RESPONSE),
    SRV_ST(http10_request_without_keep_alive_closes_even_with_option,
           H11C_OPT_HTTP10_KEEP_ALIVE, "GET / HTTP/1.0\r\n\r\n", T_NO, T_ANY,
           H11C_MUST_CLOSE, H11C_SEND_RESPONSE),
    SRV(http10_keep_alive_and_close_together_close_with_option,
        H11C_OPT_HTTP10_KEEP_ALIVE,
        "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", T_NO, T_ANY),
    SRV(http10_keep_alive_token_is_case_insensitive_with_option,
        H11C_OPT_HTTP10_KEEP_ALIVE,
        "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", T_YES, T_ANY),
    SRV(http10_keep_alive_with_transfer_encoding_still_closes,
        H11C_OPT_HTTP10_KEEP_ALIVE,
        "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: "
        "chunked\r\n\r\n0\r\n\r\n",
        T_NO, T_ANY),
};
TEST_TABLE(http10_keep_alive_rows, srv_check)

TEST(content_length_response_to_http10_keep_alive_announces_it) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 200, "Content-Length", "2", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
              "\r\n");
  ASSERT_SEND(s, mk_data(&m, "ok"), "ok");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_STATES(s, H11C_DONE, H11C_DONE);
  h11c_conn_del(s);
}

TEST(unframed_response_to_http10_keep_alive_closes) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 200, NULL),
              "HTTP/1.1 200 \r\nConnection: close\r\n\r\n");
  ASSERT_SEND(s, mk_data(&m, "body"), "body");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_STATE(s, SV, H11C_MUST_CLOSE);
  h11c_conn_del(s);
}

TEST(http10_keep_alive_connection_serves_a_second_request) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: keep-alive\r\n"
              "\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_EQ(h11c_conn_start_next_cycle(s), 0);
  ASSERT_STR(feed_events(s, "GET /2 HTTP/1.0\r\n\r\n", NULL),
             "REQ GET /2 1.0 | EOM");
  ASSERT_FALSE(h11c_conn_keep_alive(s));
  h11c_conn_del(s);
}

TEST(explicit_keep_alive_in_response_to_http10_is_not_repeated) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(
      s,
      mk_resp(&m, 200, "Connection", "keep-alive", "Content-Length", "0", NULL),
      "HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: keep-alive\r\n"
      "\r\n");
  h11c_conn_del(s);
}

TEST(unframed_response_to_http10_keep_alive_head_keeps_alive) {
  h11c_conn *s =
      new_server_after_opts("HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                            H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 200, NULL),
              "HTTP/1.1 200 \r\nConnection: keep-alive\r\n\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_STATES(s, H11C_DONE, H11C_DONE);
  h11c_conn_del(s);
}

TEST(keep_alive_announcement_is_not_carried_into_an_http11_cycle) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(s, mk_resp(&m, 204, NULL),
              "HTTP/1.1 204 \r\nConnection: keep-alive\r\n\r\n");
  ASSERT_SEND(s, mk_eom(&m, NULL), "");
  ASSERT_EQ(h11c_conn_start_next_cycle(s), 0);
  ASSERT_STR(feed_events(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", NULL),
             "REQ GET / 1.1 [host: a] | EOM");
  ASSERT_SEND(s, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  h11c_conn_del(s);
}

TEST(server_close_overrides_http10_keep_alive) {
  h11c_conn *s = new_server_after_opts(GET10_KA, H11C_OPT_HTTP10_KEEP_ALIVE);
  tmsg m;
  ASSERT_SEND(
      s, mk_resp(&m, 200, "Content-Length", "0", "Connection", "close", NULL),
      "HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  ASSERT_FALSE(h11c_conn_keep_alive(s));
  h11c_conn_del(s);
}

TEST(http10_keep_alive_response_keeps_client_connection_with_option) {
  h11c_conn *c = new_conn_opts(H11C_CLIENT, H11C_OPT_HTTP10_KEEP_ALIVE, 0);
  tmsg m;
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "Host", "a", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  ASSERT_STR(feed_events(c,
                         "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                         "Content-Length: 0\r\n\r\n",
                         NULL),
             "RESP 200 \"OK\" 1.0 [connection: keep-alive] "
             "[content-length: 0] | EOM");
  ASSERT_TRUE(h11c_conn_keep_alive(c));
  ASSERT_STATES(c, H11C_DONE, H11C_DONE);
  ASSERT_EQ(h11c_conn_start_next_cycle(c), 0);
  h11c_conn_del(c);
}

TEST(http10_keep_alive_response_closes_client_without_option) {
  h11c_conn *c = new_client_after("GET");
  ASSERT_STR(feed_events(c,
                         "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                         "Content-Length: 0\r\n\r\n",
                         NULL),
             "RESP 200 \"OK\" 1.0 [connection: keep-alive] "
             "[content-length: 0] | EOM");
  ASSERT_FALSE(h11c_conn_keep_alive(c));
  ASSERT_STATES(c, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  h11c_conn_del(c);
}

/* ======================================================================== */
/* H11C_OPT_CHUNK_EXTENSIONS                                                */
/* ======================================================================== */

static const rd_row h11c_opt_chunk_extensions_rows[] = {
    RD_OK_OPT(chunk_extension_is_reported_with_option, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS,
              POST_CHUNKED "5;name=value\r\nhello\r\n0\r\n\r\n",
              REQ_CHUNKED
              " | DATA \"hello\" start end ext=\";name=value\" | EOM"),
    RD_OK_OPT(chunk_extension_loses_trailing_whitespace, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS,
              POST_CHUNKED "5;a=b \t \r\nhello\r\n0\r\n\r\n",
              REQ_CHUNKED " | DATA \"hello\" start end ext=\";a=b\" | EOM"),
    RD_OK_OPT(chunk_extension_keeps_inner_text_raw, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS,
              POST_CHUNKED "5; a = \"x;y\" ;b\r\nhello\r\n0\r\n\r\n",
              REQ_CHUNKED
              " | DATA \"hello\" start end ext=\"; a = \\\"x;y\\\" ;b\" | EOM"),
    RD_OK_OPT(chunk_without_extension_has_empty_ext_with_option, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS, POST_CHUNKED "5\r\nhello\r\n0\r\n\r\n",
              REQ_CHUNKED " | DATA \"hello\" start end | EOM"),
    RD_OK_OPT(each_chunk_reports_its_own_extension, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS,
              POST_CHUNKED "1;a\r\nx\r\n1\r\ny\r\n1;c=3\r\nz\r\n0;last\r\n\r\n",
              REQ_CHUNKED " | DATA \"x\" start end ext=\";a\" | "
                          "DATA \"y\" start end | "
                          "DATA \"z\" start end ext=\";c=3\" | EOM"),
    RD_OK_OPT(lone_semicolon_extension_is_reported_as_is, RD_SERVER,
              H11C_OPT_CHUNK_EXTENSIONS,
              POST_CHUNKED "5;\r\nhello\r\n0\r\n\r\n",
              REQ_CHUNKED " | DATA \"hello\" start end ext=\";\" | EOM"),
};
TEST_TABLE(h11c_opt_chunk_extensions_rows, rd_check)

TEST(chunk_extension_is_only_on_the_first_data_of_a_chunk) {
  h11c_conn *s = new_conn_opts(H11C_SERVER, H11C_OPT_CHUNK_EXTENSIONS, 0);
  ASSERT_STR(feed_events(s, POST_CHUNKED "5;k=v\r\nhe", NULL),
             REQ_CHUNKED " | DATA \"he\" start ext=\";k=v\"");
  ASSERT_STR(feed_events(s, "llo\r\n", NULL), "DATA \"llo\" end");
  h11c_conn_del(s);
}

TEST(chunk_extension_survives_header_and_data_arriving_apart) {
  h11c_conn *s = new_conn_opts(H11C_SERVER, H11C_OPT_CHUNK_EXTENSIONS, 0);
  ASSERT_STR(feed_events(s, POST_CHUNKED "5;k=v\r\n", NULL), REQ_CHUNKED);
  ASSERT_STR(feed_events(s, "hello\r\n", NULL),
             "DATA \"hello\" start end ext=\";k=v\"");
  h11c_conn_del(s);
}

TEST(chunk_extension_is_not_reported_without_option) {
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(feed(s, POST_CHUNKED "5;k=v\r\nhello\r\n"), 0);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  ASSERT_EQ(ev.type, H11C_EV_DATA);
  ASSERT_TRUE(ev.chunk_start);
  ASSERT_EQ(ev.chunk_ext.len, 0);
  h11c_conn_del(s);
}

TEST(sent_chunk_extension_round_trips_with_option) {
  tpair p;
  tmsg r, d;
  pair_init_opts(&p, H11C_OPT_CHUNK_EXTENSIONS);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
               NULL));
  mk_data(&d, "abc");
  d.ev.chunk_start = d.ev.chunk_end = true;
  d.ev.chunk_ext = sl(";sig=\"0af\"");
  PSEND(&p, CL, NULL, &d.ev);
  ASSERT_WIRE(&p, "3;sig=\"0af\"\r\nabc\r\n");
  pair_free(&p);
}

TEST(chunk_extension_on_non_chunked_body_is_not_written) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "3", NULL),
              "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
  mk_data(&m, "abc");
  m.ev.chunk_ext = sl(";x");
  ASSERT_SEND(c, &m.ev, "abc");
  h11c_conn_del(c);
}
