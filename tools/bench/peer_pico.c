/*
 * picohttpparser (the phr_* functions of Debian's libh2o-evloop0.13) as a
 * benchmark peer.  picohttpparser parses one head at a time and leaves
 * framing to its caller, so this driver does what every user of it must:
 * finds Content-Length and Transfer-Encoding among the returned headers and
 * skips or decodes the body.  Bodies are reported as spans (not copied).
 *
 * Heads are parsed in place in the workload's buffer, as llhttp is.
 * phr_decode_chunked() rewrites its input, so a workload with chunked
 * bodies (d) is read through a 256 KiB buffer of the driver's own, filled
 * 64 KiB (or one piece) at a time, as read(2) would fill it.  Pieces
 * smaller than a head are parsed again from the head's start with
 * last_len, picohttpparser's way of taking partial input.
 */
#include "bench.h"
#include "picohttpparser_api.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 64
#define WHOLE_PIECE ((size_t)64 * 1024)
#define RBUF_CAP ((size_t)256 * 1024)

enum { P_HEAD = 0, P_LENGTH, P_CHUNKED };

/* The per-connection state an application of picohttpparser keeps. */
typedef struct pico_conn {
  int state;
  size_t last_len;
  uint64_t remaining;
  struct phr_chunked_decoder dec;
} pico_conn;

static bool ieq(const char *p, size_t n, const char *lit, size_t litlen) {
  size_t i;
  if (n != litlen)
    return false;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c + 32);
    if (c != (unsigned char)lit[i])
      return false;
  }
  return true;
}
#define IEQ(p, n, lit) ieq((p), (n), (lit), sizeof(lit) - 1)

/* Parses what it can of base[*ppos, *pavail); returns false on error. */
static bool process(pico_conn *pc, bool response, char *base, size_t *ppos,
                    size_t *pavail, bench_result *r) {
  size_t pos = *ppos, avail = *pavail;
  bool ok = true;
  for (;;) {
    if (pc->state == P_HEAD) {
      struct phr_header hdrs[MAX_HEADERS];
      size_t nh = MAX_HEADERS, i;
      int rv, minor;
      uint64_t cl = 0;
      bool chunked = false;
      if (pos == avail)
        break;
      if (response) {
        int status;
        const char *msg;
        size_t msg_len;
        rv = phr_parse_response(base + pos, avail - pos, &minor, &status, &msg,
                                &msg_len, hdrs, &nh, pc->last_len);
      } else {
        const char *method, *path;
        size_t method_len, path_len;
        rv = phr_parse_request(base + pos, avail - pos, &method, &method_len,
                               &path, &path_len, &minor, hdrs, &nh,
                               pc->last_len);
      }
      if (rv == -2) {
        pc->last_len = avail - pos;
        break;
      }
      if (rv < 0) {
        bench_fail(r, "picohttpparser: parse error at byte %zu", pos);
        ok = false;
        break;
      }
      pc->last_len = 0;
      r->headers += nh;
      for (i = 0; i < nh; i++) {
        const struct phr_header *h = &hdrs[i];
        if (IEQ(h->name, h->name_len, "content-length")) {
          size_t k;
          cl = 0;
          for (k = 0; k < h->value_len; k++)
            cl = cl * 10 + (uint64_t)(h->value[k] - '0');
        } else if (IEQ(h->name, h->name_len, "transfer-encoding")) {
          chunked = IEQ(h->value, h->value_len, "chunked");
        }
      }
      pos += (size_t)rv;
      if (chunked) {
        memset(&pc->dec, 0, sizeof pc->dec);
        pc->dec.consume_trailer = 1;
        pc->state = P_CHUNKED;
      } else if (cl > 0) {
        pc->remaining = cl;
        pc->state = P_LENGTH;
      } else {
        r->messages++;
      }
    } else if (pc->state == P_LENGTH) {
      size_t take = avail - pos;
      if (take == 0)
        break;
      if (take > pc->remaining)
        take = (size_t)pc->remaining;
      r->body_bytes += take;
      pos += take;
      pc->remaining -= take;
      if (pc->remaining == 0) {
        r->messages++;
        pc->state = P_HEAD;
      }
    } else {
      size_t sz = avail - pos;
      ssize_t rv;
      if (sz == 0)
        break;
      rv = phr_decode_chunked(&pc->dec, base + pos, &sz);
      if (rv == -1) {
        bench_fail(r, "picohttpparser: bad chunked body");
        ok = false;
        break;
      }
      r->body_bytes += sz;
      if (rv == -2) {
        pos = avail; /* all consumed; sz decoded bytes were at pos */
        break;
      }
      /* Done: the rv bytes after the body were moved to base+pos+sz. */
      pos += sz;
      avail = pos + (size_t)rv;
      r->messages++;
      pc->state = P_HEAD;
    }
  }
  *ppos = pos;
  *pavail = avail;
  return ok;
}

bool peer_pico(const workload *w, size_t piece, bench_result *r) {
  pico_conn pc;
  bool response = w->kind == WL_RESPONSES;
  size_t in = 0;
  if (w->kind == WL_SEND)
    return false;
  memset(&pc, 0, sizeof pc);
  if (!w->chunked) {
    /* In place: the bytes received so far are buf[0, avail). */
    size_t pos = 0, avail = 0;
    char *base = (char *)(uintptr_t)w->buf; /* never written: no chunked */
    if (piece == 0)
      piece = w->len;
    while (in < w->len) {
      size_t n = w->len - in;
      if (n > piece)
        n = piece;
      in += n;
      avail = in;
      if (!process(&pc, response, base, &pos, &avail, r))
        return true;
    }
    if (pos != w->len || pc.state != P_HEAD)
      bench_fail(r, "picohttpparser: %zu bytes left over", w->len - pos);
    return true;
  } else {
    char *rbuf = malloc(RBUF_CAP);
    size_t start = 0, end = 0;
    if (!rbuf) {
      bench_fail(r, "out of memory");
      return true;
    }
    if (piece == 0)
      piece = WHOLE_PIECE;
    while (in < w->len) {
      size_t n = w->len - in;
      if (n > piece)
        n = piece;
      if (RBUF_CAP - end < n) {
        memmove(rbuf, rbuf + start, end - start);
        end -= start;
        start = 0;
        if (RBUF_CAP - end < n) {
          bench_fail(r, "picohttpparser: read buffer full");
          break;
        }
      }
      memcpy(rbuf + end, w->buf + in, n);
      end += n;
      in += n;
      if (!process(&pc, response, rbuf, &start, &end, r))
        break;
      if (start == end)
        start = end = 0;
    }
    if (!r->failed && (start != end || pc.state != P_HEAD))
      bench_fail(r, "picohttpparser: %zu bytes left over", end - start);
    free(rbuf);
    return true;
  }
}

size_t idle_bytes_pico(const workload *w) {
  (void)w;
  return sizeof(pico_conn);
}
