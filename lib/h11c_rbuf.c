/*
 * The receive buffer (h11's _receivebuffer).
 *
 * Theory of operation: received bytes are appended at `end`; readers look
 * at data[start, end) and consume from the front by moving `start`.  Two
 * searches remember how far they have looked (line_memo, block_memo), so
 * that however the input is split across calls, each byte is examined a
 * bounded number of times and the work stays linear in the input.
 *
 * Compaction is amortised: the live bytes are moved to the front only when
 * the consumed prefix is at least as long as what remains, so a move never
 * costs more than the bytes consumed since the previous move; otherwise the
 * buffer doubles.  Slices handed out in events point into consumed bytes,
 * which stay put until the next append (the public lifetime rule).
 */
#include "h11c_int.h"

#include <string.h>

int h11c__rbuf_append(h11c__rbuf *rb, const h11c_mem *mem, const uint8_t *p,
                      size_t len) {
  size_t live = rb->end - rb->start;
  if (len == 0)
    return 0;
  if (rb->start == rb->end) {
    rb->start = rb->end = 0;
  }
  if (rb->cap - rb->end < len) {
    if (rb->start >= live && rb->cap - live >= len) {
      memmove(rb->data, rb->data + rb->start, live);
      rb->start = 0;
      rb->end = live;
    } else {
      size_t need = live + len, ncap = rb->cap ? rb->cap : 256;
      uint8_t *nd;
      if (need < live)
        return H11C_ERR_NOMEM;
      while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
          return H11C_ERR_NOMEM;
        ncap *= 2;
      }
      if (rb->start > 0) {
        /* Moving anyway: copy only the live bytes into a fresh block. */
        nd = h11c__malloc(mem, ncap);
        if (!nd)
          return H11C_ERR_NOMEM;
        if (live)
          memcpy(nd, rb->data + rb->start, live);
        h11c__free(mem, rb->data);
      } else {
        nd = h11c__realloc(mem, rb->data, ncap);
        if (!nd)
          return H11C_ERR_NOMEM;
      }
      rb->data = nd;
      rb->cap = ncap;
      rb->start = 0;
      rb->end = live;
    }
  }
  memcpy(rb->data + rb->end, p, len);
  rb->end += len;
  return 0;
}

void h11c__rbuf_consume(h11c__rbuf *rb, size_t n) {
  rb->start += n;
  rb->consumed += n;
  rb->line_memo = 0;
  rb->block_memo = 0;
}

void h11c__rbuf_free(h11c__rbuf *rb, const h11c_mem *mem) {
  h11c__free(mem, rb->data);
  rb->data = NULL;
  rb->cap = rb->start = rb->end = 0;
}

size_t h11c__rbuf_find_crlf(h11c__rbuf *rb) {
  const uint8_t *p = h11c__rbuf_ptr(rb);
  size_t len = h11c__rbuf_len(rb);
  /* A CR seen last time may be completed by the first new byte. */
  size_t pos = rb->line_memo ? rb->line_memo - 1 : 0;
  while (pos < len) {
    const uint8_t *lf = memchr(p + pos, '\n', len - pos);
    size_t i;
    if (!lf)
      break;
    i = (size_t)(lf - p);
    if (i > 0 && p[i - 1] == '\r')
      return i + 1;
    pos = i + 1;
  }
  rb->line_memo = len;
  return 0;
}

size_t h11c__rbuf_find_blank_line(h11c__rbuf *rb) {
  const uint8_t *p = h11c__rbuf_ptr(rb);
  size_t len = h11c__rbuf_len(rb);
  size_t pos = rb->block_memo;
  while (pos < len) {
    const uint8_t *lf = memchr(p + pos, '\n', len - pos);
    size_t i;
    if (!lf)
      break;
    i = (size_t)(lf - p);
    /* "\n\n" or "\n\r\n" ends the block (h11's blank_line_regex). */
    if (i + 1 < len && p[i + 1] == '\n')
      return i + 2;
    if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
      return i + 3;
    if (i + 1 == len || (i + 2 == len && p[i + 1] == '\r')) {
      /* Not decided yet: resume at this LF. */
      rb->block_memo = i;
      return 0;
    }
    pos = i + 1;
  }
  rb->block_memo = len;
  return 0;
}
