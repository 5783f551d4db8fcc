/*
 * The functions that work on events without a connection (for bindings
 * whose event objects validate themselves) and h11c_error_message().
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <h11c.h>

#define HDR(n, v)                                                              \
  { .name = H11C_LIT(n), .raw_name = {NULL, 0}, .value = H11C_LIT(v) }

static int validate(const h11c_event *ev, h11c_header *out, size_t *pn,
                    h11c_error *err) {
  return h11c_event_validate(ev, out, pn, err);
}

TEST(validate_normalises_content_length_and_transfer_encoding) {
  h11c_header in[] = {HDR("Host", "a"), HDR("Content-Length", "5, 5"),
                      HDR("content-length", "5"),
                      HDR("Transfer-Encoding", "CHUNKED")};
  h11c_header out[4];
  h11c_event ev = {.type = H11C_EV_REQUEST,
                   .method = H11C_LIT("GET"),
                   .target = H11C_LIT("/"),
                   .http_version = H11C_LIT("1.1"),
                   .headers = in,
                   .nheaders = 4};
  size_t n = 99;
  h11c_error err;
  ASSERT_EQ(validate(&ev, out, &n, &err), H11C_OK);
  ASSERT_EQ(n, 3);
  ASSERT_SLICE(out[1].value, "5");
  ASSERT_TRUE(out[1].value.base == in[1].value.base); /* part of the value */
  ASSERT_SLICE(out[2].raw_name, "Transfer-Encoding");
  ASSERT_SLICE(out[2].value, "chunked");
}

TEST(validate_in_place) {
  h11c_header f[] = {HDR("Content-Length", "1"), HDR("Content-Length", "1"),
                     HDR("X", "y")};
  h11c_event ev = {.type = H11C_EV_END_OF_MESSAGE, .headers = f, .nheaders = 3};
  size_t n;
  ASSERT_EQ(validate(&ev, f, &n, NULL), H11C_OK);
  ASSERT_EQ(n, 2);
  ASSERT_SLICE(f[1].name, "X");
}

struct bad_row {
  const char *name;
  h11c_event_type type;
  int status;
  const char *method, *target, *version;
  h11c_header hdr;
  size_t nhdr;
  h11c_reason reason;
  int hint;
};

static const struct bad_row bad_rows[] = {
    {"missing_host", H11C_EV_REQUEST, 0, "GET", "/", "1.1", HDR("X", "y"), 1,
     H11C_REASON_MISSING_HOST, 400},
    {"bad_name", H11C_EV_REQUEST, 0, "GET", "/", "1.0", HDR("a b", "y"), 1,
     H11C_REASON_BAD_HEADER_NAME, 400},
    {"bad_value", H11C_EV_RESPONSE, 200, "", "", "1.1", HDR("a", " y"), 1,
     H11C_REASON_BAD_HEADER_VALUE, 400},
    {"gzip", H11C_EV_RESPONSE, 200, "", "", "1.1",
     HDR("Transfer-Encoding", "gzip"), 1,
     H11C_REASON_UNSUPPORTED_TRANSFER_ENCODING, 501},
    {"bad_method", H11C_EV_REQUEST, 0, "G T", "/", "1.0", HDR("X", "y"), 0,
     H11C_REASON_BAD_METHOD, 400},
    {"bad_target", H11C_EV_REQUEST, 0, "GET", "/ x", "1.0", HDR("X", "y"), 0,
     H11C_REASON_BAD_TARGET, 400},
    {"info_200", H11C_EV_INFORMATIONAL_RESPONSE, 200, "", "", "1.1",
     HDR("X", "y"), 0, H11C_REASON_BAD_STATUS_CODE, 400},
    {"response_1000", H11C_EV_RESPONSE, 1000, "", "", "1.1", HDR("X", "y"), 0,
     H11C_REASON_BAD_STATUS_CODE, 400},
    {"bad_content_length", H11C_EV_RESPONSE, 200, "", "", "1.1",
     HDR("Content-Length", "1x"), 1, H11C_REASON_BAD_CONTENT_LENGTH, 400},
};

static void run_bad(int *failed, const struct bad_row *row) {
  h11c_header out[1];
  h11c_event ev = {
      .type = row->type,
      .status_code = row->status,
      .method = {(const uint8_t *)row->method, strlen(row->method)},
      .target = {(const uint8_t *)row->target, strlen(row->target)},
      .http_version = {(const uint8_t *)row->version, strlen(row->version)},
      .headers = &row->hdr,
      .nheaders = row->nhdr};
  size_t n;
  h11c_error err;
  ASSERT_EQ(validate(&ev, out, &n, &err), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(err.code, H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(err.reason, row->reason);
  ASSERT_EQ(err.status_hint, row->hint);
}
TEST_TABLE(bad_rows, run_bad)

TEST(validate_leaves_send_rules_to_send) {
  /* h11 builds these events; h11c refuses to send them. */
  h11c_header f[] = {HDR("Content-Length", "0")};
  h11c_event ev = {.type = H11C_EV_RESPONSE,
                   .status_code = 204,
                   .reason = H11C_LIT("a\rb"),
                   .headers = f,
                   .nheaders = 1};
  h11c_header out[1];
  size_t n;
  ASSERT_EQ(validate(&ev, out, &n, NULL), H11C_OK);
}

TEST(validate_bad_arguments) {
  h11c_event ev = {.type = H11C_EV_END_OF_MESSAGE, .nheaders = 1};
  size_t n;
  h11c_error err;
  ASSERT_EQ(validate(&ev, NULL, &n, &err), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(validate(NULL, NULL, &n, NULL), H11C_ERR_INVALID_ARGUMENT);
}

TEST(body_framing_and_keep_alive) {
  h11c_header cl[] = {HDR("Content-Length", "100")};
  h11c_header te[] = {HDR("Transfer-Encoding", "chunked"),
                      HDR("Connection", "Close")};
  h11c_event resp = {.type = H11C_EV_RESPONSE,
                     .status_code = 200,
                     .http_version = H11C_LIT("1.1"),
                     .headers = cl,
                     .nheaders = 1};
  h11c_framing f;
  uint64_t len;
  bool keep;
  ASSERT_EQ(h11c_event_body_framing(H11C_LIT("GET"), &resp, &f, &len), 0);
  ASSERT_EQ(f, H11C_FRAMING_CONTENT_LENGTH);
  ASSERT_EQ(len, 100);
  ASSERT_EQ(h11c_event_body_framing(H11C_LIT("HEAD"), &resp, &f, &len), 0);
  ASSERT_EQ(len, 0);
  ASSERT_EQ(h11c_event_keep_alive(&resp, &keep), 0);
  ASSERT_TRUE(keep);
  resp.headers = te;
  resp.nheaders = 2;
  ASSERT_EQ(h11c_event_body_framing(H11C_LIT("GET"), &resp, &f, &len), 0);
  ASSERT_EQ(f, H11C_FRAMING_CHUNKED);
  ASSERT_EQ(h11c_event_keep_alive(&resp, &keep), 0);
  ASSERT_FALSE(keep);
  resp.nheaders = 0;
  ASSERT_EQ(h11c_event_body_framing(H11C_LIT("GET"), &resp, &f, &len), 0);
  ASSERT_EQ(f, H11C_FRAMING_CLOSE);
  resp.http_version = H11C_LIT("1.0");
  ASSERT_EQ(h11c_event_keep_alive(&resp, &keep), 0);
  ASSERT_FALSE(keep);
  resp.type = H11C_EV_DATA;
  ASSERT_EQ(h11c_event_keep_alive(&resp, &keep), H11C_ERR_INVALID_ARGUMENT);
}

/* The peer closes inside a body; the error says how far it got. */
static void incomplete(int *failed, const char *resp, const char *want) {
  h11c_conn *conn;
  h11c_event ev, get = {.type = H11C_EV_REQUEST,
                        .method = H11C_LIT("GET"),
                        .target = H11C_LIT("/")};
  h11c_header host = HDR("Host", "a");
  const uint8_t *out;
  size_t outlen;
  char buf[160];
  int rv;
  get.headers = &host;
  get.nheaders = 1;
  ASSERT_EQ(h11c_conn_new(&conn, H11C_CLIENT, NULL, NULL), 0);
  ASSERT_EQ(h11c_conn_send_copy(conn, &get, &out, &outlen), 0);
  h11c_conn_receive_data(conn, (const uint8_t *)resp, strlen(resp));
  h11c_conn_receive_eof(conn);
  while ((rv = h11c_conn_next_event(conn, &ev)) == H11C_OK)
    ;
  ASSERT_EQ(rv, H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_EQ(h11c_error_message(h11c_conn_last_error(conn), buf, sizeof buf),
            strlen(want));
  ASSERT_STR(buf, want);
  h11c_conn_del(conn);
}

TEST(error_message_incomplete_body) {
  incomplete(failed, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n12345",
             "peer closed connection without sending complete message body: "
             "received 5 bytes, expected 100");
  if (*failed)
    return;
  incomplete(failed,
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
             "peer closed connection without sending complete message body: "
             "incomplete chunked read");
}

TEST(error_message_plain_and_truncated) {
  h11c_error err = {.reason = H11C_REASON_MISSING_HOST};
  char buf[8];
  ASSERT_EQ(h11c_error_message(&err, buf, sizeof buf),
            strlen("Missing mandatory Host: header"));
  ASSERT_STR(buf, "Missing");
  ASSERT_EQ(h11c_error_message(NULL, NULL, 0), strlen("no error"));
}
