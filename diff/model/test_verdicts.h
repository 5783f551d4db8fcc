/*
 * What the harness's unit tests share: verdicts written as JSON with ' for
 * " (to keep them readable), read into a verdict, and one input that every
 * pair of oracles but llhttp~http_parser disagrees on.  Test code only.
 */
#ifndef H11C_DIFF_VERDICT_TEST_VERDICTS_H
#define H11C_DIFF_VERDICT_TEST_VERDICTS_H

#include <stdio.h>
#include <string.h>

#include "diff/model/verdict.h"
#include "diff/model/verdict_parse.h"

/* Reads text (JSON with ' for ") into v; 0 or -1. */
static inline int test_verdict_parse(const char *text, verdict *v) {
  char buf[4096], err[256];
  size_t i, n = strlen(text);
  if (n >= sizeof buf)
    return -1;
  for (i = 0; i <= n; i++)
    buf[i] = text[i] == '\'' ? '"' : text[i];
  if (verdict_from_json(buf, n, v, err, sizeof err) != 0) {
    fprintf(stderr, "parse: %s\n", err);
    return -1;
  }
  return 0;
}

#define MSG(m, t, end, body)                                                   \
  "{'method': '" m "', 'target': '" t "', 'version': '1.1', 'headers': "       \
  "[['host', 'a']], 'body': '" body "', 'trailers': [], 'end': " end "}"
#define V(outcome, msgs, error, leftover)                                      \
  "{'impl': 'x', 'role': 'server', 'messages': [" msgs                         \
  "], 'outcome': '" outcome "', 'error': " error ", 'leftover': " leftover "}"

/* A request with both Content-Length and Transfer-Encoding, then another. */
#define CL_TE_INPUT                                                            \
  "POST / HTTP/1.1\r\nHost: a\r\nX-Padding: 1234567890\r\n"                    \
  "Content-Length: 5\r\nTransfer-Encoding: chunked\r\nAccept: */*\r\n\r\n"     \
  "5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n"

#endif /* H11C_DIFF_VERDICT_TEST_VERDICTS_H */
