/*
 * Hand-verified verdicts for every oracle adapter: h11c, h11py (Python h11
 * in its worker), llhttp, llhttp-lenient and http_parser.
 *
 * Each case is an input cut into parts, and for each oracle the verdict
 * expected of it, worked out from what that parser is documented (or known
 * from its source) to do:
 *
 *   outcome   closed, must_close, error, incomplete or switched
 *   ends      the parts after which each completed message ends ("1,2":
 *             message 0 ends where part 1 ends, message 1 where part 2
 *             ends), so that message boundaries are checked exactly
 *   partial   one more message whose head was accepted but which did not
 *             complete (end null)
 *   hint      the error's status hint (0: not checked)
 *   check     extra facts, ';'-separated: bodyN=TEXT, verN=1.0,
 *             hdrN:NAME=VALUE (the first field named NAME of message N),
 *             trlN:NAME=VALUE (a trailer), statusN=CODE
 *
 * leftover and the error offset follow from ends: leftover is what comes
 * after the last message for must_close and switched (and for the client
 * role's closed), else 0; an error's offset is the end of the last
 * completed message.  Every case is also run with the input delivered in
 * pieces of 1, 2 and 7 bytes: the verdict must be the same.
 *
 * Each (oracle, case) is one test, named ORACLE:CASE (dyntest.h).
 */
#define _POSIX_C_SOURCE 200809L
#define H11C_TEST_MAIN
#include "h11c_test.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/json.h"
#include "diff/model/verdict.h"
#include "diff/oracles/dyntest.h"
#include "diff/oracles/h11py.h"
#include "diff/oracles/oracles.h"

enum { O_H11C, O_H11PY, O_LLHTTP, O_LENIENT, O_HTTP_PARSER, O_N };
static const char *oracle_names[O_N] = {"h11c", "h11py", "llhttp",
                                        "llhttp-lenient", "http_parser"};

typedef struct exp {
  const char *outcome;
  const char *ends;
  bool partial;
  int hint;
  const char *check;
} exp;

typedef struct acase {
  const char *name;
  verdict_role role;
  const char *method;
  const char *parts[6];
  size_t plens[6]; /* 0: strlen (parts with NUL bytes give their length) */
  exp e[O_N];
} acase;

#define S VERDICT_SERVER
#define C VERDICT_CLIENT
#define NEXT "GET /n HTTP/1.1\r\nHost: a\r\n\r\n"
#define E(o, ends)                                                             \
  { o, ends, false, 0, NULL }
#define EC(o, ends, check)                                                     \
  { o, ends, false, 0, check }
#define ERR(ends, hint)                                                        \
  { "error", ends, false, hint, NULL }
#define ERRP(ends, hint)                                                       \
  { "error", ends, true, hint, NULL }
#define INC(ends, partial)                                                     \
  { "incomplete", ends, partial, 0, NULL }
/* The same expectation for every oracle. */
#define ALL5(x)                                                                \
  { x, x, x, x, x }

static const acase cases[] = {
    /* ---------------- server role ---------------- */
    {"get_simple",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\n\r\n"},
     {0},
     ALL5(EC("closed", "1", "hdr0:host=a;ver0=1.1"))},
    {"pipelined_content_length",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", NEXT},
     {0},
     ALL5(EC("closed", "1,2", "body0=hello;hdr0:content-length=5"))},
    {"chunked_with_trailer",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;a=b\r\nhello\r\n0\r\nT: v\r\n\r\n",
      NEXT},
     {0},
     ALL5(EC("closed", "1,2", "body0=hello;trl0:t=v"))},
    {"connection_close",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", NEXT},
     {0},
     ALL5(E("must_close", "1"))},
    /* HTTP/1.0 without keep-alive: every implementation closes. */
    {"http10",
     S,
     NULL,
     {"GET / HTTP/1.0\r\n\r\n", NEXT},
     {0},
     ALL5(EC("must_close", "1", "ver0=1.0"))},
    /* HTTP/1.0 keep-alive: llhttp and http_parser honour it (Node.js
       does); h11 does not support it, and h11c follows h11. */
    {"http10_keep_alive",
     S,
     NULL,
     {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", NEXT},
     {0},
     {E("must_close", "1"), E("must_close", "1"), E("closed", "1,2"),
      E("closed", "1,2"), E("closed", "1,2")}},
    /* CL with TE: h11 frames by TE and goes on; h11c frames by TE and
       closes (RFC 9112 6.1); llhttp and http_parser reject; lenient
       chunked_length frames by TE and goes on. */
    {"cl_and_te",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      NEXT},
     {0},
     {EC("must_close", "1", "body0=hello"), EC("closed", "1,2", "body0=hello"),
      ERR("", 400), EC("closed", "1,2", "body0=hello"), ERR("", 400)}},
    /* Identical duplicate CL: h11 collapses it; llhttp and http_parser
       refuse a second CL field. */
    {"cl_duplicate_identical",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
      "Content-Length: 5\r\n\r\nhello",
      NEXT},
     {0},
     {EC("closed", "1,2", "body0=hello"), EC("closed", "1,2", "body0=hello"),
      ERR("", 400), ERR("", 400), ERR("", 400)}},
    {"cl_conflicting",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
      "Content-Length: 6\r\n\r\nhello!",
      NEXT},
     {0},
     ALL5(ERR("", 400))},
    /* gzip, chunked: h11 implements only chunked (501); the C parsers
       decode the chunked layer. */
    {"te_gzip_chunked",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n",
      NEXT},
     {0},
     {ERR("", 501), ERR("", 501), EC("closed", "1,2", "body0=hello"),
      EC("closed", "1,2", "body0=hello"), EC("closed", "1,2", "body0=hello")}},
    /* TE identity in a request: chunked is not final.  h11c: 400 (RFC
       9112 6.3), h11: 501 (both before the Request event); llhttp and
       http_parser reject it after on_headers_complete (so the head was
       reported); lenient llhttp reads the body until EOF. */
    {"te_identity_request",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n"
      "hello" NEXT},
     {0},
     {ERR("", 400), ERR("", 501), ERRP("", 400),
      EC("must_close", "1", "body0=hello" NEXT), ERRP("", 400)}},
    /* obs-fold: joined with one SP by all (the adapters join what the C
       parsers skip). */
    {"obs_fold",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\r\n", NEXT},
     {0},
     ALL5(EC("closed", "1,2", "hdr0:x=a b"))},
    /* Bare-LF lines: h11 accepts them (RFC 9112 2.2 MAY); llhttp 8 does
       not; lenient headers and http_parser do. */
    {"bare_lf_head",
     S,
     NULL,
     {"GET / HTTP/1.1\nHost: a\n\n", NEXT},
     {0},
     {E("closed", "1,2"), E("closed", "1,2"), ERR("", 400), E("closed", "1,2"),
      E("closed", "1,2")}},
    /* A leading empty line: h11 refuses it; llhttp and http_parser skip
       it (the message then ends after the whole part). */
    {"leading_crlf",
     S,
     NULL,
     {"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"},
     {0},
     {ERR("", 400), ERR("", 400), E("closed", "1"), E("closed", "1"),
      E("closed", "1")}},
    /* No Host: h11 requires it for HTTP/1.1; the C parsers do not check. */
    {"host_missing",
     S,
     NULL,
     {"GET / HTTP/1.1\r\n\r\n", NEXT},
     {0},
     {ERR("", 400), ERR("", 400), E("closed", "1,2"), E("closed", "1,2"),
      E("closed", "1,2")}},
    /* A lower-case method is a token (h11 accepts it); the C parsers have
       a method table. */
    {"method_lowercase",
     S,
     NULL,
     {"get / HTTP/1.1\r\nHost: a\r\n\r\n", NEXT},
     {0},
     {E("closed", "1,2"), E("closed", "1,2"), ERR("", 400), ERR("", 400),
      ERR("", 400)}},
    /* CONNECT declined with 405: everybody goes on. */
    {"connect_declined",
     S,
     NULL,
     {"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", NEXT},
     {0},
     ALL5(E("closed", "1,2"))},
    /* CONNECT with a body: h11 reads it; llhttp and http_parser end the
       request at its head, so "hello" starts the next request. */
    {"connect_with_body",
     S,
     NULL,
     {"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 5\r\n\r\n",
      "hello", NEXT},
     {0},
     {EC("closed", "2,3", "body0=hello"), EC("closed", "2,3", "body0=hello"),
      ERR("1", 400), ERR("1", 400), ERR("1", 400)}},
    /* An Upgrade request, declined: everybody goes on. */
    {"upgrade_declined",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
      "Connection: upgrade\r\n\r\n",
      NEXT},
     {0},
     ALL5(EC("closed", "1,2", "hdr0:upgrade=websocket"))},
    /* An Upgrade request with a body: the body is read first. */
    {"upgrade_with_body",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
      "Connection: upgrade\r\nContent-Length: 5\r\n\r\nhello",
      NEXT},
     {0},
     ALL5(EC("closed", "1,2", "body0=hello"))},
    {"expect_100_continue",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\nhello"},
     {0},
     ALL5(EC("closed", "1", "body0=hello;hdr0:expect=100-continue"))},
    /* Two junk bytes instead of CRLF after chunk data: h11 0.16 (Debian's
       0.14 carries the CVE-2025-43859 fix) and h11c reject; llhttp 8's
       default (loose) build and http_parser skip the two bytes. */
    {"chunk_data_junk",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhelloXX0\r\n\r\n",
      NEXT},
     {0},
     {ERRP("", 400), ERRP("", 400), EC("closed", "1,2", "body0=hello"),
      EC("closed", "1,2", "body0=hello"), EC("closed", "1,2", "body0=hello")}},
    /* SP after the chunk size: h11 allows OWS; llhttp 8 does not;
       http_parser skips SP. */
    {"chunk_size_trailing_space",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5 \r\nhello\r\n0\r\n\r\n",
      NEXT},
     {0},
     {EC("closed", "1,2", "body0=hello"), EC("closed", "1,2", "body0=hello"),
      ERRP("", 400), ERRP("", 400), EC("closed", "1,2", "body0=hello")}},
    /* A bare ';' extension: h11 ignores extension text; llhttp wants a
       name. */
    {"chunk_ext_bare_semicolon",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;\r\nhello\r\n0\r\n\r\n",
      NEXT},
     {0},
     {EC("closed", "1,2", "body0=hello"), EC("closed", "1,2", "body0=hello"),
      ERRP("", 400), ERRP("", 400), EC("closed", "1,2", "body0=hello")}},
    /* An empty TE then CL: h11c 400 (chunked not final), h11 501; llhttp 8
       ignores the empty TE and frames by CL; http_parser rejects. */
    {"te_empty_then_cl",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n"
      "Content-Length: 5\r\n\r\nhello",
      NEXT},
     {0},
     {ERR("", 400), ERR("", 501), EC("closed", "1,2", "body0=hello"),
      EC("closed", "1,2", "body0=hello"), ERR("", 400)}},
    /* HTTP/1.2: h11 accepts (and keeps alive); llhttp accepts only
       0.9/1.0/1.1/2.0 unless the version flag is set; http_parser takes
       any digit. */
    {"version_1_2",
     S,
     NULL,
     {"GET / HTTP/1.2\r\nHost: a\r\n\r\n", NEXT},
     {0},
     {EC("closed", "1,2", "ver0=1.2"), EC("closed", "1,2", "ver0=1.2"),
      ERR("", 400), EC("closed", "1,2", "ver0=1.2"),
      EC("closed", "1,2", "ver0=1.2")}},
    /* \r\n\rX: the C parsers end the head at the bare CR and the next
       byte (HTTP Garden S30); h11 rejects the bare CR. */
    {"cr_lf_cr_x",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\n\rX", ": y\r\n\r\n" NEXT},
     {0},
     {ERR("", 400), ERR("", 400), ERR("1", 400), ERR("1", 400), ERR("1", 400)}},
    /* NUL in a value: only lenient llhttp accepts it. */
    {"value_nul",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", NEXT},
     {35, 0},
     {ERR("", 400), ERR("", 400), ERR("", 400), E("closed", "1,2"),
      ERR("", 400)}},
    /* HTTP/1.0 with chunked: decoded, then the connection closes. */
    {"chunked_http10",
     S,
     NULL,
     {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n",
      NEXT},
     {0},
     ALL5(EC("must_close", "1", "body0=hello"))},
    {"value_whitespace_trimmed",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\nX: \t v w \t \r\n\r\n"},
     {0},
     ALL5(EC("closed", "1", "hdr0:x=v w"))},
    {"incomplete_head",
     S,
     NULL,
     {"GET / HTTP/1.1\r\nHost: a\r\n"},
     {0},
     ALL5(INC("", false))},
    {"incomplete_body",
     S,
     NULL,
     {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello"},
     {0},
     ALL5(INC("", true))},
    {"empty_input", S, NULL, {NULL}, {0}, ALL5(E("closed", ""))},

    /* ---------------- client role ---------------- */
    {"response_simple",
     C,
     NULL,
     {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"},
     {0},
     ALL5(EC("closed", "1", "body0=hello;status0=200"))},
    /* A response to HEAD has no body: the bytes are left over. */
    {"response_to_head",
     C,
     "HEAD",
     {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "hello"},
     {0},
     ALL5(EC("closed", "1", "body0="))},
    {"response_close_delimited",
     C,
     NULL,
     {"HTTP/1.1 200 OK\r\n\r\nuntil the end"},
     {0},
     ALL5(EC("must_close", "1", "body0=until the end"))},
    {"response_after_100",
     C,
     NULL,
     {"HTTP/1.1 100 Continue\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"},
     {0},
     ALL5(EC("closed", "1,2", "status0=100;status1=200;body1=hi"))},
    /* 204 with a CL: h11 reads no body; llhttp and http_parser read
       one. */
    {"response_204_with_cl",
     C,
     NULL,
     {"HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\n", "body"},
     {0},
     {EC("closed", "1", "body0="), EC("closed", "1", "body0="),
      EC("closed", "2", "body0=body"), EC("closed", "2", "body0=body"),
      EC("closed", "2", "body0=body")}},
    /* 304 never has a body (Node.js returns 1 from on_headers_complete). */
    {"response_304_with_cl",
     C,
     NULL,
     {"HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\n\r\n", "body"},
     {0},
     ALL5(EC("closed", "1", "body0="))},
    {"response_connect_200",
     C,
     "CONNECT",
     {"HTTP/1.1 200 Connection established\r\n\r\n", "TUNNEL"},
     {0},
     ALL5(E("switched", "1"))},
    /* A refused CONNECT: h11 reads its body; Node.js switches on any
       response to CONNECT. */
    {"response_connect_407",
     C,
     "CONNECT",
     {"HTTP/1.1 407 Proxy Auth\r\nContent-Length: 5\r\n\r\n", "hello"},
     {0},
     {EC("closed", "2", "body0=hello"), EC("closed", "2", "body0=hello"),
      E("switched", "1"), E("switched", "1"), E("switched", "1")}},
    /* An unsolicited 101: h11 rejects it; the C parsers switch. */
    {"response_101_unsolicited",
     C,
     NULL,
     {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"
      "Connection: upgrade\r\n\r\n",
      "NEW"},
     {0},
     {ERR("", 400), ERR("", 400), E("switched", "1"), E("switched", "1"),
      E("switched", "1")}},
    {"response_http10",
     C,
     NULL,
     {"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", "EXTRA"},
     {0},
     ALL5(EC("must_close", "1", "ver0=1.0;body0=hi"))},
    {"response_http10_keep_alive",
     C,
     NULL,
     {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: "
      "2\r\n\r\nhi",
      "EXTRA"},
     {0},
     {E("must_close", "1"), E("must_close", "1"), E("closed", "1"),
      E("closed", "1"), E("closed", "1")}},
    {"response_chunked",
     C,
     NULL,
     {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\nT: v\r\n\r\n",
      "GARBAGE"},
     {0},
     ALL5(EC("closed", "1", "body0=abc;trl0:t=v"))},
    {"response_incomplete_body",
     C,
     NULL,
     {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"},
     {0},
     ALL5(INC("", true))},
    /* TE gzip in a response: h11 implements only chunked (501); the C
       parsers read the body until EOF (RFC 9112 6.3 rule 3). */
    {"response_te_gzip",
     C,
     NULL,
     {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"},
     {0},
     {ERR("", 501), ERR("", 501), EC("must_close", "1", "body0=abc"),
      EC("must_close", "1", "body0=abc"), EC("must_close", "1", "body0=abc")}},
    /* EOF before the final response: the exchange was cut. */
    {"response_empty", C, NULL, {NULL}, {0}, ALL5(INC("", false))},
    {"response_only_100",
     C,
     NULL,
     {"HTTP/1.1 100 Continue\r\n\r\n"},
     {0},
     ALL5(EC("incomplete", "1", "status0=100"))},
    {"response_no_reason",
     C,
     NULL,
     {"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nhi"},
     {0},
     ALL5(EC("closed", "1", "status0=200;body0=hi"))},
};

#define NCASES (sizeof cases / sizeof cases[0])

/* ------------------------------------------------------------------------ */

static size_t part_len(const acase *c, int i) {
  return c->plens[i] ? c->plens[i] : strlen(c->parts[i]);
}

static void assemble(const acase *c, uint8_t *buf, size_t *len, size_t *cum,
                     int *nparts) {
  int i;
  size_t n = 0;
  for (i = 0; i < 6 && c->parts[i]; i++) {
    size_t l = part_len(c, i);
    memcpy(buf + n, c->parts[i], l);
    n += l;
    cum[i] = n;
  }
  *nparts = i;
  *len = n;
}

static const verdict_message *msg_at(const verdict *v, size_t i) {
  return i < v->nmessages ? &v->messages[i] : NULL;
}

static bool bytes_is(const verdict_bytes *b, const char *s) {
  size_t n = strlen(s);
  return b->len == n && (n == 0 || memcmp(b->base, s, n) == 0);
}

/* Checks one "check" item; returns false with why. */
static bool check_item(const verdict *v, const char *item, char *why,
                       size_t whylen) {
  char key[64];
  const char *eq = strchr(item, '=');
  size_t klen;
  unsigned idx;
  const verdict_message *m;
  if (!eq || (klen = (size_t)(eq - item)) >= sizeof key) {
    snprintf(why, whylen, "bad check '%s'", item);
    return false;
  }
  memcpy(key, item, klen);
  key[klen] = '\0';
  {
    size_t skip = strncmp(key, "body", 4) == 0     ? 4
                  : strncmp(key, "status", 6) == 0 ? 6
                                                   : 3;
    if (sscanf(key + skip, "%u", &idx) != 1) {
      snprintf(why, whylen, "bad check '%s'", item);
      return false;
    }
  }
  m = msg_at(v, idx);
  if (!m) {
    snprintf(why, whylen, "%s: no message %u", item, idx);
    return false;
  }
  if (strncmp(key, "body", 4) == 0) {
    if (!bytes_is(&m->body, eq + 1)) {
      snprintf(why, whylen, "%s: body is '%.*s'", item,
               (int)(m->body.len > 60 ? 60 : m->body.len),
               (const char *)m->body.base);
      return false;
    }
    return true;
  }
  if (strncmp(key, "ver", 3) == 0) {
    if (!bytes_is(&m->version, eq + 1)) {
      snprintf(why, whylen, "%s: version is '%.*s'", item, (int)m->version.len,
               (const char *)m->version.base);
      return false;
    }
    return true;
  }
  if (strncmp(key, "status", 6) == 0) {
    if (m->status != atoi(eq + 1)) {
      snprintf(why, whylen, "%s: status is %d", item, m->status);
      return false;
    }
    return true;
  }
  if (strncmp(key, "hdr", 3) == 0 || strncmp(key, "trl", 3) == 0) {
    const verdict_fields *f =
        strncmp(key, "hdr", 3) == 0 ? &m->headers : &m->trailers;
    const char *colon = strchr(key, ':');
    size_t i;
    if (!colon) {
      snprintf(why, whylen, "bad check '%s'", item);
      return false;
    }
    for (i = 0; i < f->len; i++) {
      if (bytes_is(&f->items[i].name, colon + 1)) {
        if (bytes_is(&f->items[i].value, eq + 1))
          return true;
        snprintf(why, whylen, "%s: value is '%.*s'", item,
                 (int)f->items[i].value.len,
                 (const char *)f->items[i].value.base);
        return false;
      }
    }
    snprintf(why, whylen, "%s: no such field", item);
    return false;
  }
  snprintf(why, whylen, "bad check '%s'", item);
  return false;
}

/* Compares a verdict with an expectation; false with why. */
static bool matches(const acase *c, const exp *e, const verdict *v,
                    const size_t *cum, int nparts, size_t total, char *why,
                    size_t whylen) {
  size_t ends[8], nends = 0, i, complete = 0;
  uint64_t last = 0, leftover = 0;
  const char *p = e->ends;
  while (p && *p) {
    int k = atoi(p);
    if (k < 1 || k > nparts || nends == 8) {
      snprintf(why, whylen, "bad ends '%s'", e->ends);
      return false;
    }
    ends[nends++] = cum[k - 1];
    while (*p && *p != ',')
      p++;
    if (*p == ',')
      p++;
  }
  if (nends)
    last = ends[nends - 1];
  if (strcmp(verdict_outcome_name(v->outcome), e->outcome) != 0) {
    snprintf(why, whylen, "outcome %s, expected %s",
             verdict_outcome_name(v->outcome), e->outcome);
    return false;
  }
  for (i = 0; i < v->nmessages; i++)
    if (v->messages[i].complete) {
      if (complete >= nends || v->messages[i].end != ends[complete]) {
        snprintf(why, whylen, "message %zu ends at %llu", i,
                 (unsigned long long)v->messages[i].end);
        return false;
      }
      complete++;
    }
  if (complete != nends) {
    snprintf(why, whylen, "%zu messages completed, expected %zu", complete,
             nends);
    return false;
  }
  if (v->nmessages != nends + (e->partial ? 1 : 0)) {
    snprintf(why, whylen, "%zu messages, expected %zu", v->nmessages,
             nends + (e->partial ? 1 : 0));
    return false;
  }
  if (v->outcome == VERDICT_MUST_CLOSE || v->outcome == VERDICT_SWITCHED ||
      (v->outcome == VERDICT_CLOSED && c->role == VERDICT_CLIENT))
    leftover = total - last;
  if (v->leftover != leftover) {
    snprintf(why, whylen, "leftover %llu, expected %llu",
             (unsigned long long)v->leftover, (unsigned long long)leftover);
    return false;
  }
  if (v->outcome == VERDICT_ERROR) {
    if (!v->error_offset_known || v->error_offset != last) {
      snprintf(why, whylen, "error offset %llu, expected %llu",
               (unsigned long long)v->error_offset, (unsigned long long)last);
      return false;
    }
    if (e->hint && v->error_status_hint != e->hint) {
      snprintf(why, whylen, "status hint %d, expected %d", v->error_status_hint,
               e->hint);
      return false;
    }
  }
  if (e->check) {
    char buf[512], *save = NULL, *item;
    snprintf(buf, sizeof buf, "%s", e->check);
    for (item = strtok_r(buf, ";", &save); item;
         item = strtok_r(NULL, ";", &save))
      if (!check_item(v, item, why, whylen))
        return false;
  }
  return true;
}

static void run(int oi, size_t k, int *failed) {
  const acase *c = &cases[k];
  const exp *e = &c->e[oi];
  const struct oracle *o = oracle_find(oracle_names[oi]);
  static uint8_t buf[4096];
  size_t cum[6], len, chunks[] = {0, 1, 2, 7}, i;
  int nparts;
  char first[4096] = "";
  if (!o) {
    H11C__FAIL("no oi %s", oracle_names[oi]);
    return;
  }
  assemble(c, buf, &len, cum, &nparts);
  for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    verdict_params p;
    verdict v;
    char err[256] = "", why[256] = "";
    json_writer w;
    memset(&p, 0, sizeof p);
    p.role = c->role;
    p.method = c->method;
    p.chunk = chunks[i];
    if (o->fn(&p, buf, len, &v, err, sizeof err) != 0) {
      H11C__FAIL("%s: run failed (chunk %zu): %s", c->name, chunks[i], err);
      verdict_free(&v);
      return;
    }
    json_writer_init(&w);
    verdict_to_json(&v, &w);
    if (i == 0) {
      if (!matches(c, e, &v, cum, nparts, len, why, sizeof why)) {
        H11C__FAIL("%s: %s\n    got %s", c->name, why, json_writer_str(&w));
        json_writer_free(&w);
        verdict_free(&v);
        return;
      }
      snprintf(first, sizeof first, "%s", json_writer_str(&w));
    } else if (strcmp(first, json_writer_str(&w)) != 0) {
      H11C__FAIL("%s: pieces of %zu bytes give another verdict:\n    %s\n"
                 "    whole: %s",
                 c->name, chunks[i], json_writer_str(&w), first);
      json_writer_free(&w);
      verdict_free(&v);
      return;
    }
    json_writer_free(&w);
    verdict_free(&v);
  }
}

static void run_row(size_t k, int *failed) {
  run((int)(k / NCASES), k % NCASES, failed);
}

__attribute__((constructor)) static void register_cases(void) {
  static char names[O_N * NCASES][96];
  static const char *ptrs[O_N * NCASES];
  size_t k;
  for (k = 0; k < O_N * NCASES; k++) {
    snprintf(names[k], sizeof names[k], "%s:%s", oracle_names[k / NCASES],
             cases[k % NCASES].name);
    ptrs[k] = names[k];
  }
  dyntest_register(O_N * NCASES, ptrs, run_row);
}

/* ------------------------------------------------------------------------ */
/* The h11py worker pool                                                    */
/* ------------------------------------------------------------------------ */

/* Jobs spread over two workers come back to the right job, in batches
 * larger than a pipe's first write. */
TEST(h11py_pool_batches_keep_order) {
  h11py_pool *pool = NULL;
  static h11py_job jobs[300];
  static char inputs[300][96];
  verdict_params p;
  char err[512];
  size_t i;
  memset(&p, 0, sizeof p);
  p.role = VERDICT_SERVER;
  ASSERT_EQ(h11py_pool_start(&pool, 2, err, sizeof err), 0);
  ASSERT_EQ(h11py_pool_size(pool), 2);
  for (i = 0; i < 300; i++) {
    snprintf(
        inputs[i], sizeof inputs[i],
        "POST /%zu HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n%0*zu", i,
        (size_t)(i % 10 + 1), (int)(i % 10 + 1), i);
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].params = &p;
    jobs[i].data = (const uint8_t *)inputs[i];
    jobs[i].len = strlen(inputs[i]);
  }
  ASSERT_EQ(h11py_pool_submit(pool, jobs, 300), 0);
  ASSERT_EQ(h11py_pool_wait(pool), 0);
  for (i = 0; i < 300; i++) {
    char target[16];
    ASSERT_EQ(jobs[i].rc, 0);
    ASSERT_STR(jobs[i].out.impl, "h11py");
    ASSERT_EQ(jobs[i].out.nmessages, 1);
    snprintf(target, sizeof target, "/%zu", i);
    ASSERT_MEM_STR(jobs[i].out.messages[0].target.base,
                   jobs[i].out.messages[0].target.len, target);
    ASSERT_EQ(jobs[i].out.messages[0].body.len, i % 10 + 1);
    verdict_free(&jobs[i].out);
  }
  h11py_pool_stop(pool);
}

/* Without an interpreter that can import h11, the error says what to
 * install. */
TEST(h11py_missing_interpreter_is_explained) {
  char err[512] = "";
  const char *old = getenv("H11C_PYTHON");
  char saved[256] = "";
  if (old)
    snprintf(saved, sizeof saved, "%s", old);
  setenv("H11C_PYTHON", "/nonexistent/python3", 1);
  ASSERT_TRUE(h11py_find_python(err, sizeof err) == NULL);
  if (old)
    setenv("H11C_PYTHON", saved, 1);
  else
    unsetenv("H11C_PYTHON");
  ASSERT_TRUE(strstr(err, "python3-h11") != NULL);
  ASSERT_TRUE(strstr(err, "pip install h11") != NULL);
}
