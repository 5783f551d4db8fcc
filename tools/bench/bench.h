/*
 * The benchmark of h11c against llhttp, http_parser, picohttpparser and
 * Python's h11 (tools/bench/README.md): workloads, peers and results.
 */
#ifndef H11C_BENCH_H
#define H11C_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a workload's buffer holds. */
typedef enum wl_kind {
  WL_REQUESTS = 0, /* pipelined requests, parsed by a server */
  WL_RESPONSES,    /* pipelined responses, parsed by a client */
  WL_SEND          /* small requests; the server sends big responses */
} wl_kind;

/* One buffer of identical-length pipelined messages.  A prefix of n
 * messages is itself a workload (workload_prefix). */
typedef struct workload {
  char key;          /* 'a' .. 'e' */
  const char *title; /* one line for the table's legend */
  wl_kind kind;
  bool chunked;       /* bodies are chunked (d) */
  const uint8_t *buf; /* messages * msg_len bytes */
  size_t len;
  size_t msg_len;
  size_t messages;
  /* What every peer must report for the whole buffer. */
  uint64_t body_bytes; /* received body bytes (c, d) */
  uint64_t headers;    /* received header fields */
  /* The response the send workload (e) serialises per request. */
  size_t send_body_len;
} workload;

/* Builds the workload with the given key and message count; the buffer is
 * allocated and owned by the returned struct (workload_free). */
workload workload_make(char key, size_t messages);
void workload_free(workload *w);
/* The first n messages of w (a view, not a copy). */
workload workload_prefix(const workload *w, size_t n);

/* The body the send workload (e) sends with every response, and its
 * headers (name, value pairs), shared by the C peers and the Python
 * script's arguments. */
extern const uint8_t bench_send_body[4096];
#define BENCH_SEND_NHEADERS 6
extern const char *const bench_send_headers[BENCH_SEND_NHEADERS][2];

/* What a peer saw in one pass over a workload. */
typedef struct bench_result {
  uint64_t messages;
  uint64_t body_bytes;
  uint64_t headers;
  uint64_t out_bytes; /* send side: serialised bytes */
  /* h11c only: allocator calls (malloc + realloc) in total and after the
     first complete message, and Data slices that were not the caller's
     pointer (the zero-copy check). */
  uint64_t allocs;
  uint64_t allocs_after_first;
  uint64_t copied_data;
  /* h11c only: received body bytes handed out from memory other than the
     workload's buffer (copied on the receive path). */
  uint64_t rx_copied_bytes;
  bool failed;
  char error[160];
} bench_result;

/* A peer parses (or for WL_SEND serialises) a whole workload.  piece == 0
 * is whole delivery: the peer's natural way of taking a big buffer (h11c:
 * 64 KiB receive calls); otherwise the input arrives piece bytes per call.
 * Returns false if the peer does not support the workload. */
typedef bool (*peer_fn)(const workload *w, size_t piece, bench_result *r);

bool peer_h11c(const workload *w, size_t piece, bench_result *r);
bool peer_llhttp(const workload *w, size_t piece, bench_result *r);
bool peer_http_parser(const workload *w, size_t piece, bench_result *r);
bool peer_pico(const workload *w, size_t piece, bench_result *r);
bool peer_memchr(const workload *w, size_t piece, bench_result *r);

/* Bytes of memory an idle connection holds after one exchange of
 * workload w's first message, delivered whole: h11c's live heap bytes
 * through its allocator hooks; for the others the size of the parser
 * state the application keeps per connection.  0 if not applicable. */
size_t idle_bytes_h11c(const workload *w);
size_t idle_bytes_llhttp(void);
size_t idle_bytes_http_parser(void);
size_t idle_bytes_pico(const workload *w);

/* Printf-style failure note on r. */
void bench_fail(bench_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* H11C_BENCH_H */
