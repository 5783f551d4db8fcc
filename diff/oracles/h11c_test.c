/*
 * Tests for the h11c verdict adapter and the JSON writer.
 *
 * Each case is a hand-written input with the verdict expected of h11c,
 * which is h11's verdict (as produced by diff/oracles/h11py_worker.py) except
 * for the differences noted at the case.  Every case is run with the input
 * delivered whole and in pieces of 1, 2, 3, 7 and 64 bytes: the verdict
 * must not depend on the piece size.
 *
 * To keep the expectations readable they are written with ' where the JSON
 * has "; no input contains a '.
 */
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/json.h"
#include "diff/model/verdict.h"
#include "diff/oracles/adapters.h"

struct vcase {
  const char *name;
  verdict_role role;
  const char *method;
  size_t max_incomplete;
  const char *data;
  size_t len;
  const char *expect;
};

#define IN(s) s, sizeof(s) - 1

static const struct vcase cases[] = {
    {"server_simple_get", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 27}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_pipelined", VERDICT_SERVER, NULL, 0,
     IN("GET /1 HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"
        "POST /2 HTTP/1.1\r\n"
        "Host: a\r\n"
        "Content-Length: 5\r\n"
        "\r\n"
        "helloPUT /3 HTTP/1.1\r\n"
        "Host: a\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
        "2\r\n"
        "hi\r\n"
        "0\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/1', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 28}, "
     "{'method': 'POST', 'target': '/2', 'version': '1.1', "
     "'headers': [['host', 'a'], ['content-length', '5']], "
     "'body': 'hello', 'trailers': [], 'end': 81}, "
     "{'method': 'PUT', 'target': '/3', 'version': '1.1', "
     "'headers': [['host', 'a'], ['transfer-encoding', 'chunked']], "
     "'body': 'hi', 'trailers': [], 'end': 149}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_connection_close_leftover", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Connection: close\r\n"
        "\r\n"
        "GET /x HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['connection', 'close']], "
     "'body': '', 'trailers': [], 'end': 46}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 28}"},
    {"server_http10", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.0\r\n"
        "\r\n"
        "GET / HTTP/1.0\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.0', "
     "'headers': [], "
     "'body': '', 'trailers': [], 'end': 18}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 18}"},
    {"server_chunked_trailers", VERDICT_SERVER, NULL, 0,
     IN("POST /c HTTP/1.1\r\n"
        "Host: a\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
        "5;ext=1\r\n"
        "hello\r\n"
        "A\r\n"
        "0123456789\r\n"
        "0\r\n"
        "X-T: 1\r\n"
        "X-U:  two \r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'POST', 'target': '/c', 'version': '1.1', "
     "'headers': [['host', 'a'], ['transfer-encoding', 'chunked']], "
     "'body': 'hello0123456789', 'trailers': [['x-t', '1'], ['x-u', "
     "'two']], 'end': 113}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    /* Known difference: h11c closes the connection after a request that has
       both Content-Length and Transfer-Encoding (RFC 9112 section 6.1: the
       server MUST close after responding); h11 keeps it open and parses the
       next request. */
    {"server_cl_te", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Content-Length: 3\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
        "0\r\n"
        "\r\n"
        "GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'POST', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['content-length', '3'], "
     "['transfer-encoding', 'chunked']], "
     "'body': '', 'trailers': [], 'end': 80}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 27}"},
    {"server_error_offset", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"
        "GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "bad header\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 27}], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 27}, "
     "'leftover': 0}"},
    {"server_stray_crlf", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"
        "\r\n"
        "GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 27}], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 27}, "
     "'leftover': 0}"},
    {"server_incomplete_head", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'incomplete', 'error': null, 'leftover': 0}"},
    {"server_incomplete_body", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Content-Length: 10\r\n"
        "\r\n"
        "hello"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'POST', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['content-length', '10']], "
     "'body': 'hello', 'trailers': [], 'end': null}], "
     "'outcome': 'incomplete', 'error': null, 'leftover': 0}"},
    {"server_missing_host", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 0}, "
     "'leftover': 0}"},
    /* Known difference: a request whose final transfer coding is not chunked
       is answered with 400 (RFC 9112 section 6.3); h11 suggests 501. */
    {"server_te_chunked_not_final", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Transfer-Encoding: gzip\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 0}, "
     "'leftover': 0}"},
    {"server_te_unsupported", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Transfer-Encoding: gzip, chunked\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 501, 'offset': 0}, "
     "'leftover': 0}"},
    {"server_upgrade_declined", VERDICT_SERVER, NULL, 0,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Upgrade: websocket\r\n"
        "Connection: upgrade\r\n"
        "\r\n"
        "GET /2 HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['upgrade', 'websocket'], ['connection', "
     "'upgrade']], "
     "'body': '', 'trailers': [], 'end': 68}, "
     "{'method': 'GET', 'target': '/2', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 96}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_connect_declined", VERDICT_SERVER, NULL, 0,
     IN("CONNECT a:443 HTTP/1.1\r\n"
        "Host: a:443\r\n"
        "\r\n"
        "GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'CONNECT', 'target': 'a:443', 'version': '1.1', "
     "'headers': [['host', 'a:443']], "
     "'body': '', 'trailers': [], 'end': 39}, "
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 66}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_fold_latin1", VERDICT_SERVER, NULL, 0,
     IN("GET /?q=\"x\"\\ HTTP/1.1\r\n"
        "Host: a\r\n"
        "X-Fold: a\r\n"
        "  b\r\n"
        "X-Sp:   v  \r\n"
        "X-Bin: \351\200\177\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'GET', 'target': '/?q=\\'x\\'\\\\', 'version': '1.1', "
     "'headers': [['host', 'a'], ['x-fold', 'a b'], ['x-sp', 'v'], "
     "['x-bin', '\\u00e9\\u0080\\u007f']], "
     "'body': '', 'trailers': [], 'end': 75}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_empty", VERDICT_SERVER, NULL, 0, IN(""),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    /* max_incomplete 32: the head never completes and outgrows the limit
       before end of input, whatever the piece size. */
    {"server_head_too_long", VERDICT_SERVER, NULL, 32,
     IN("GET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 431, 'offset': 0}, "
     "'leftover': 0}"},
    {"server_cl_list", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Content-Length: 2, 2\r\n"
        "Content-Length: 2\r\n"
        "\r\n"
        "okGET / HTTP/1.1\r\n"
        "Host: a\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'POST', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['content-length', '2']], "
     "'body': 'ok', 'trailers': [], 'end': 71}, "
     "{'method': 'GET', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a']], "
     "'body': '', 'trailers': [], 'end': 98}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"server_cl_conflict", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Content-Length: 2\r\n"
        "Content-Length: 3\r\n"
        "\r\n"
        "abc"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 0}, "
     "'leftover': 0}"},
    {"server_expect_100", VERDICT_SERVER, NULL, 0,
     IN("POST / HTTP/1.1\r\n"
        "Host: a\r\n"
        "Expect: 100-continue\r\n"
        "Content-Length: 3\r\n"
        "\r\n"
        "abc"),
     "{'impl': 'h11c', 'role': 'server', "
     "'messages': ["
     "{'method': 'POST', 'target': '/', 'version': '1.1', "
     "'headers': [['host', 'a'], ['expect', '100-continue'], "
     "['content-length', '3']], "
     "'body': 'abc', 'trailers': [], 'end': 72}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"client_simple", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 200 OK\r\n"
        "Content-Length: 5\r\n"
        "\r\n"
        "hello"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['content-length', '5']], "
     "'body': 'hello', 'trailers': [], 'end': 43}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"client_head_with_body", VERDICT_CLIENT, "HEAD", 0,
     IN("HTTP/1.1 200 OK\r\n"
        "Content-Length: 5\r\n"
        "\r\n"
        "hello"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['content-length', '5']], "
     "'body': '', 'trailers': [], 'end': 38}], "
     "'outcome': 'closed', 'error': null, 'leftover': 5}"},
    {"client_close_delimited", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 200 OK\r\n"
        "\r\n"
        "hello world"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [], "
     "'body': 'hello world', 'trailers': [], 'end': 30}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 0}"},
    {"client_http10_leftover", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.0 200 OK\r\n"
        "Content-Length: 2\r\n"
        "\r\n"
        "hiEXTRA"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.0', "
     "'headers': [['content-length', '2']], "
     "'body': 'hi', 'trailers': [], 'end': 40}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 5}"},
    {"client_chunked_leftover", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 200 OK\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
        "3\r\n"
        "abc\r\n"
        "0\r\n"
        "T: v\r\n"
        "\r\n"
        "GARBAGE"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['transfer-encoding', 'chunked']], "
     "'body': 'abc', 'trailers': [['t', 'v']], 'end': 66}], "
     "'outcome': 'closed', 'error': null, 'leftover': 7}"},
    {"client_informational", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 100 Continue\r\n"
        "\r\n"
        "HTTP/1.1 103 Early Hints\r\n"
        "Link: </a>\r\n"
        "\r\n"
        "HTTP/1.1 200 OK\r\n"
        "Content-Length: 0\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 100, 'reason': 'Continue', 'version': '1.1', "
     "'headers': [], "
     "'body': '', 'trailers': [], 'end': 25}, "
     "{'status': 103, 'reason': 'Early Hints', 'version': '1.1', "
     "'headers': [['link', '</a>']], "
     "'body': '', 'trailers': [], 'end': 65}, "
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['content-length', '0']], "
     "'body': '', 'trailers': [], 'end': 103}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    {"client_connect_switched", VERDICT_CLIENT, "CONNECT", 0,
     IN("HTTP/1.1 200 Connection established\r\n"
        "\r\n"
        "TUNNELDATA"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'Connection established', 'version': '1.1', "
     "'headers': [], "
     "'body': '', 'trailers': [], 'end': 39}], "
     "'outcome': 'switched', 'error': null, 'leftover': 10}"},
    {"client_connect_refused", VERDICT_CLIENT, "CONNECT", 0,
     IN("HTTP/1.1 407 Proxy Auth\r\n"
        "Content-Length: 0\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 407, 'reason': 'Proxy Auth', 'version': '1.1', "
     "'headers': [['content-length', '0']], "
     "'body': '', 'trailers': [], 'end': 46}], "
     "'outcome': 'closed', 'error': null, 'leftover': 0}"},
    /* The request proposed no Upgrade, so a 101 is a protocol violation for
       h11 (a server switch event without a pending proposal). */
    {"client_101_unsolicited", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 101 Switching Protocols\r\n"
        "Upgrade: x\r\n"
        "\r\n"
        "NEW"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 0}, "
     "'leftover': 0}"},
    {"client_204_with_body", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 204 No Content\r\n"
        "\r\n"
        "body"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 204, 'reason': 'No Content', 'version': '1.1', "
     "'headers': [], "
     "'body': '', 'trailers': [], 'end': 27}], "
     "'outcome': 'closed', 'error': null, 'leftover': 4}"},
    {"client_304_with_cl", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 304 Not Modified\r\n"
        "Content-Length: 4\r\n"
        "\r\n"
        "body"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 304, 'reason': 'Not Modified', 'version': '1.1', "
     "'headers': [['content-length', '4']], "
     "'body': '', 'trailers': [], 'end': 48}], "
     "'outcome': 'closed', 'error': null, 'leftover': 4}"},
    {"client_incomplete_body", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 200 OK\r\n"
        "Content-Length: 10\r\n"
        "\r\n"
        "abc"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['content-length', '10']], "
     "'body': 'abc', 'trailers': [], 'end': null}], "
     "'outcome': 'incomplete', 'error': null, 'leftover': 0}"},
    {"client_empty", VERDICT_CLIENT, NULL, 0, IN(""),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': [], "
     "'outcome': 'incomplete', 'error': null, 'leftover': 0}"},
    {"client_bad_status_line", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 2000 OK\r\n"
        "\r\n"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': [], "
     "'outcome': 'error', 'error': {'status_hint': 400, 'offset': 0}, "
     "'leftover': 0}"},
    {"client_connection_close", VERDICT_CLIENT, NULL, 0,
     IN("HTTP/1.1 200 OK\r\n"
        "Connection: close\r\n"
        "Content-Length: 1\r\n"
        "\r\n"
        "xyz"),
     "{'impl': 'h11c', 'role': 'client', "
     "'messages': ["
     "{'status': 200, 'reason': 'OK', 'version': '1.1', "
     "'headers': [['connection', 'close'], ['content-length', '1']], "
     "'body': 'x', 'trailers': [], 'end': 58}], "
     "'outcome': 'must_close', 'error': null, 'leftover': 2}"},
};

/* The expectation with ' turned into ". */
static char *expected_json(const char *s) {
  size_t i, n = strlen(s);
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  for (i = 0; i <= n; i++)
    out[i] = s[i] == '\'' ? '"' : s[i];
  return out;
}

/* Runs one case with the given piece size; the JSON goes to w. */
static int run_case(const struct vcase *c, size_t chunk, json_writer *w,
                    char *err, size_t errlen) {
  verdict_params p;
  verdict v;
  int rc;
  memset(&p, 0, sizeof p);
  p.role = c->role;
  p.method = c->method;
  p.chunk = chunk;
  p.max_incomplete = c->max_incomplete;
  rc = verdict_h11c(&p, (const uint8_t *)c->data, c->len, &v, err, errlen);
  if (rc == 0) {
    json_writer_reset(w);
    verdict_to_json(&v, w);
    if (!json_writer_ok(w)) {
      snprintf(err, errlen, "JSON writer failed");
      rc = -1;
    }
  }
  verdict_free(&v);
  return rc;
}

/* Each row of cases is a test of its own, run whole and in pieces. */
static void check_case(int *failed, const struct vcase *c) {
  static const size_t chunks[] = {0, 1, 2, 3, 7, 64};
  const char *name = c->name;
  char *expect;
  json_writer w;
  size_t i;
  int mismatch = 0;

  expect = expected_json(c->expect);
  ASSERT_TRUE(expect != NULL);
  json_writer_init(&w);
  for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    char err[256] = "";
    int rc = run_case(c, chunks[i], &w, err, sizeof err);
    if (rc != 0) {
      fprintf(stderr, "  %s (chunk %zu): run failed: %s\n", name, chunks[i],
              err);
      mismatch = 1;
      break;
    }
    if (strcmp(json_writer_str(&w), expect) != 0) {
      fprintf(stderr, "  %s (chunk %zu):\n    expected %s\n    got      %s\n",
              name, chunks[i], expect, json_writer_str(&w));
      mismatch = 1;
      break;
    }
  }
  json_writer_free(&w);
  free(expect);
  ASSERT_EQ(mismatch, 0);
}
TEST_TABLE(cases, check_case)

/* The verdict struct itself, for a case with an error. */
TEST(verdict_struct_error_fields) {
  verdict_params p;
  verdict v;
  char err[128];
  static const char in[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /\r\n\r\n";
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  ASSERT_EQ(
      verdict_h11c(&p, (const uint8_t *)in, sizeof in - 1, &v, err, sizeof err),
      0);
  ASSERT_STR(v.impl, "h11c");
  ASSERT_EQ(v.nmessages, 1);
  ASSERT_TRUE(v.messages[0].complete);
  ASSERT_EQ(v.messages[0].end, 27);
  ASSERT_EQ(v.outcome, VERDICT_ERROR);
  ASSERT_EQ(v.error_status_hint, 400);
  ASSERT_TRUE(v.error_offset_known);
  ASSERT_EQ(v.error_offset, 27);
  verdict_free(&v);
}

TEST(verdict_default_method_is_get) {
  /* A HEAD request would leave the body unparsed; GET reads it. */
  verdict_params p;
  verdict v;
  char err[128];
  static const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
  memset(&p, 0, sizeof p);
  p.role = VERDICT_CLIENT;
  ASSERT_EQ(
      verdict_h11c(&p, (const uint8_t *)in, sizeof in - 1, &v, err, sizeof err),
      0);
  ASSERT_EQ(v.nmessages, 1);
  ASSERT_MEM_STR(v.messages[0].body.base, v.messages[0].body.len, "hi");
  ASSERT_EQ(v.leftover, 0);
  verdict_free(&v);
}

TEST(json_escapes_latin1) {
  json_writer w;
  static const uint8_t s[] = {'a',  '"',  '\\', '\n', '\r', '\t', 0x00, 0x08,
                              0x0c, 0x1f, ' ',  '~',  0x7f, 0x80, 0xe9, 0xff};
  json_writer_init(&w);
  json_latin1(&w, s, sizeof s);
  ASSERT_TRUE(json_writer_ok(&w));
  ASSERT_STR(json_writer_str(&w),
             "\"a\\\"\\\\\\n\\r\\t\\u0000\\u0008\\u000c\\u001f ~\\u007f"
             "\\u0080\\u00e9\\u00ff\"");
  json_writer_free(&w);
}

TEST(json_structure_and_separators) {
  json_writer w;
  json_writer_init(&w);
  json_begin_object(&w);
  json_key(&w, "a");
  json_begin_array(&w);
  json_int(&w, -1);
  json_uint(&w, UINT64_MAX);
  json_null(&w);
  json_bool(&w, true);
  json_begin_array(&w);
  json_end_array(&w);
  json_end_array(&w);
  json_key(&w, "b");
  json_begin_object(&w);
  json_end_object(&w);
  json_key(&w, "c");
  json_cstr(&w, "x");
  json_end_object(&w);
  ASSERT_TRUE(json_writer_ok(&w));
  ASSERT_STR(json_writer_str(&w),
             "{\"a\": [-1, 18446744073709551615, null, true, []], "
             "\"b\": {}, \"c\": \"x\"}");
  json_writer_reset(&w);
  ASSERT_STR(json_writer_str(&w), "");
  json_writer_free(&w);
}

TEST(json_misuse_is_reported) {
  json_writer w;
  json_writer_init(&w);
  json_begin_object(&w);
  json_int(&w, 1); /* a value without a key */
  json_end_object(&w);
  ASSERT_FALSE(json_writer_ok(&w));
  json_writer_free(&w);

  json_writer_init(&w);
  json_begin_array(&w);
  ASSERT_FALSE(json_writer_ok(&w)); /* still open */
  json_end_object(&w);              /* wrong closer */
  ASSERT_FALSE(json_writer_ok(&w));
  json_writer_free(&w);
}
