/*
 * The benchmark's inputs: one buffer per workload of identical-length
 * pipelined messages (a fixed-width counter in each start line or body
 * keeps them from being byte-identical).
 *
 *   a  TechEmpower plaintext style GET, 5 headers, ~300 bytes
 *   b  browser-like GET, 21 headers with cookies and user agent, ~1.5 KB
 *   c  200 responses with a 4 KiB Content-Length body
 *   d  200 responses, chunked, 32 chunks of 1 KiB
 *   e  small GETs, each answered with 6 headers and a 4 KiB body (the
 *      send side)
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_LEN 4096
#define CHUNKS 32
#define CHUNK_LEN 1024

void bench_fail(bench_result *r, const char *fmt, ...) {
  va_list ap;
  if (r->failed)
    return; /* keep the first */
  r->failed = true;
  va_start(ap, fmt);
  vsnprintf(r->error, sizeof r->error, fmt, ap);
  va_end(ap);
}

/* Printable filler (no CR, LF or NUL), different for every seed. */
static void fill(uint8_t *p, size_t n, uint32_t seed) {
  static const char alphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_";
  uint32_t x = seed * 2654435761u + 12345u;
  size_t i;
  for (i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = (uint8_t)alphabet[(x >> 16) % (sizeof alphabet - 1)];
  }
}

const uint8_t bench_send_body[BODY_LEN] = {0};

const char *const bench_send_headers[BENCH_SEND_NHEADERS][2] = {
    {"Server", "h11c-bench/0.1"},
    {"Date", "Sat, 25 Nov 2023 13:00:00 GMT"},
    {"Content-Type", "application/octet-stream"},
    {"Content-Length", "4096"},
    {"ETag", "\"6560f1a0-1000\""},
    {"Cache-Control", "public, max-age=3600"},
};

static const char req_a[] =
    "GET /plaintext?n=%06zu HTTP/1.1\r\n"
    "Host: tfb-server.example.com:8080\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 "
    "Firefox/115.0\r\n"
    "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,"
    "application/xml;q=0.8,*/*;q=0.7\r\n"
    "Accept-Encoding: gzip, deflate\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

static const char req_b[] =
    "GET /assets/app/main.4f3c2a1b.js?v=%06zu HTTP/1.1\r\n"
    "Host: www.shop.example.com\r\n"
    "Connection: keep-alive\r\n"
    "sec-ch-ua: \"Google Chrome\";v=\"119\", \"Chromium\";v=\"119\", "
    "\"Not?A_Brand\";v=\"24\"\r\n"
    "sec-ch-ua-mobile: ?0\r\n"
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
    "Safari/537.36\r\n"
    "sec-ch-ua-platform: \"Windows\"\r\n"
    "Accept: */*\r\n"
    "Sec-Fetch-Site: same-origin\r\n"
    "Sec-Fetch-Mode: no-cors\r\n"
    "Sec-Fetch-Dest: script\r\n"
    "Referer: https://www.shop.example.com/products/garden-tools?"
    "category=outdoor&sort=price_asc&page=2&utm_source=newsletter\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Accept-Language: en-US,en;q=0.9,de;q=0.8,fr;q=0.7\r\n"
    "Cookie: session_id=3f2a9c1e7b4d4f0a8e6c2b1d9a7f5e3c; "
    "_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700900000; "
    "_gcl_au=1.1.1122334455.1700000001; consent=analytics%%3Dtrue%%26"
    "marketing%%3Dfalse%%26functional%%3Dtrue; "
    "cart=eyJpdGVtcyI6W3siaWQiOjQyLCJxdHkiOjF9LHsiaWQiOjcsInF0eSI6Mn1dfQ; "
    "prefs=lang%%3Den%%26currency%%3DEUR%%26theme%%3Ddark; "
    "ab_test=checkout_v2; recently_viewed=1042%%2C2231%%2C877%%2C93%%2C5120;"
    " _fbp=fb.1.1700000000000.1234567890; "
    "csrftoken=Zx8kQ2mV9pL4rT7wY1bN6cH3jF5dS0aG; "
    "_hjSessionUser_1234567=eyJpZCI6IjVmYjQ0NmI1LWE3ZmQtNTk0Ny1hNmM0LWYx"
    "NDk1ZjZiZTkzNyIsImNyZWF0ZWQiOjE3MDAwMDAwMDAwMDB9; "
    "_uetvid=0a1b2c3d4e5f11eeb7a9c1d2e3f4a5b6\r\n"
    "If-None-Match: \"5d8c72a5edda8d6a:0\"\r\n"
    "If-Modified-Since: Sat, 25 Nov 2023 10:00:00 GMT\r\n"
    "Cache-Control: max-age=0\r\n"
    "DNT: 1\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "Pragma: no-cache\r\n"
    "X-Requested-With: XMLHttpRequest\r\n"
    "\r\n";

static const char resp_c[] = "HTTP/1.1 200 OK\r\n"
                             "Server: nginx/1.22.1\r\n"
                             "Date: Sat, 25 Nov 2023 13:00:00 GMT\r\n"
                             "Content-Type: application/octet-stream\r\n"
                             "Content-Length: 4096\r\n"
                             "Connection: keep-alive\r\n"
                             "ETag: \"6560f1a0-1000\"\r\n"
                             "Accept-Ranges: bytes\r\n"
                             "\r\n";

static const char resp_d[] = "HTTP/1.1 200 OK\r\n"
                             "Server: nginx/1.22.1\r\n"
                             "Date: Sat, 25 Nov 2023 13:00:00 GMT\r\n"
                             "Content-Type: text/html; charset=utf-8\r\n"
                             "Transfer-Encoding: chunked\r\n"
                             "Connection: keep-alive\r\n"
                             "Vary: Accept-Encoding\r\n"
                             "\r\n";

static const char req_e[] = "GET /static/blob-%06zu.bin HTTP/1.1\r\n"
                            "Host: bench.example\r\n"
                            "Accept: */*\r\n"
                            "\r\n";

/* Header fields in a head: its lines minus the start line and the blank
 * line. */
static size_t count_headers(const char *head) {
  size_t lines = 0;
  const char *p;
  for (p = head; (p = strstr(p, "\r\n")) != NULL; p += 2)
    lines++;
  return lines - 2;
}

/* Writes message i of workload key at out (NULL: only measure); returns
 * its length. */
static size_t message(char key, size_t i, uint8_t *out) {
  char head[4096];
  size_t n = 0, k;
  int hl;
  switch (key) {
  case 'a':
    hl = snprintf(head, sizeof head, req_a, i % 1000000);
    break;
  case 'b':
    hl = snprintf(head, sizeof head, req_b, i % 1000000);
    break;
  case 'c':
    hl = snprintf(head, sizeof head, "%s", resp_c);
    break;
  case 'd':
    hl = snprintf(head, sizeof head, "%s", resp_d);
    break;
  default:
    hl = snprintf(head, sizeof head, req_e, i % 1000000);
    break;
  }
  if (out)
    memcpy(out, head, (size_t)hl);
  n = (size_t)hl;
  if (key == 'c') {
    if (out)
      fill(out + n, BODY_LEN, (uint32_t)i);
    n += BODY_LEN;
  } else if (key == 'd') {
    for (k = 0; k < CHUNKS; k++) {
      if (out)
        memcpy(out + n, "400\r\n", 5);
      n += 5;
      if (out)
        fill(out + n, CHUNK_LEN, (uint32_t)(i * CHUNKS + k));
      n += CHUNK_LEN;
      if (out)
        memcpy(out + n, "\r\n", 2);
      n += 2;
    }
    if (out)
      memcpy(out + n, "0\r\n\r\n", 5);
    n += 5;
  }
  return n;
}

workload workload_make(char key, size_t messages) {
  workload w;
  uint8_t *buf;
  size_t i;
  const char *head;
  memset(&w, 0, sizeof w);
  w.key = key;
  w.messages = messages;
  w.msg_len = message(key, 0, NULL);
  w.len = w.msg_len * messages;
  buf = malloc(w.len ? w.len : 1);
  if (!buf) {
    fprintf(stderr, "bench: out of memory\n");
    exit(2);
  }
  for (i = 0; i < messages; i++)
    message(key, i, buf + i * w.msg_len);
  w.buf = buf;
  switch (key) {
  case 'a':
    w.kind = WL_REQUESTS;
    w.title = "small GET requests (TechEmpower plaintext style, 5 headers)";
    head = req_a;
    break;
  case 'b':
    w.kind = WL_REQUESTS;
    w.title = "browser-like GET requests (21 headers, cookies, user agent)";
    head = req_b;
    break;
  case 'c':
    w.kind = WL_RESPONSES;
    w.title = "200 responses, 7 headers, Content-Length 4 KiB body";
    head = resp_c;
    w.body_bytes = (uint64_t)BODY_LEN * messages;
    break;
  case 'd':
    w.kind = WL_RESPONSES;
    w.title = "200 responses, 6 headers, chunked: 32 chunks of 1 KiB";
    head = resp_d;
    w.chunked = true;
    w.body_bytes = (uint64_t)CHUNKS * CHUNK_LEN * messages;
    break;
  default:
    w.kind = WL_SEND;
    w.title = "send side: GET in, 200 with 6 headers + 4 KiB body out";
    head = req_e;
    w.send_body_len = BODY_LEN;
    break;
  }
  w.headers = (uint64_t)count_headers(head) * messages;
  return w;
}

workload workload_prefix(const workload *w, size_t n) {
  workload p = *w;
  if (n > w->messages)
    n = w->messages;
  p.messages = n;
  p.len = n * w->msg_len;
  p.body_bytes = w->messages ? w->body_bytes / w->messages * n : 0;
  p.headers = w->messages ? w->headers / w->messages * n : 0;
  return p;
}

void workload_free(workload *w) {
  free((void *)w->buf);
  w->buf = NULL;
  w->len = 0;
}
