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
 *
 * Zero-copy receive: bytes handed over with h11c_conn_receive_borrowed()
 * become the view itself (`borrowed`) when the buffer is empty, and the
 * connection's own block waits aside.  When the buffer holds part of an
 * event, the new bytes wait as `pend` and are pulled into the own block in
 * growing steps only until the event is complete; whatever was pulled past
 * it is given back (settle) and the rest of the caller's bytes becomes the
 * view.  So body bytes are never copied, a head that straddles two
 * deliveries costs at most about twice its length to copy, and before the
 * connection asks for more data the unconsumed borrowed bytes (an
 * incomplete event) are copied in (release) so the caller may reuse its
 * buffer.
 */
#include "h11c_rbuf.h"

#include <stdint.h>
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
      size_t need = live + len, ncap;
      uint8_t *nd;
      if (need < live)
        return -1;
      ncap = h11c__grown_cap(rb->cap, H11C__RBUF_MIN, need);
      if (!ncap)
        return -1;
      if (rb->start > 0) {
        /* Moving anyway: copy only the live bytes into a fresh block. */
        nd = h11c__malloc(mem, ncap);
        if (!nd)
          return -1;
        if (live)
          memcpy(nd, rb->data + rb->start, live);
        h11c__free(mem, rb->data);
      } else {
        nd = h11c__realloc(mem, rb->data, ncap);
        if (!nd)
          return -1;
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

void h11c__rbuf_free(h11c__rbuf *rb, const h11c_mem *mem) {
  h11c__free(mem, rb->borrowed ? rb->own : rb->data);
  rb->data = rb->own = NULL;
  rb->cap = rb->own_cap = rb->start = rb->end = 0;
  rb->borrowed = false;
  rb->pend = NULL;
  rb->pend_len = rb->pulled = 0;
}

void h11c__rbuf_borrow(h11c__rbuf *rb, const uint8_t *p, size_t len) {
  rb->own = rb->data;
  rb->own_cap = rb->cap;
  /* The view's pointer is not const because the connection's own block
     is written to (obs-fold joins); the readers never write to a borrowed
     view. */
  rb->data = (uint8_t *)(uintptr_t)p;
  rb->cap = len;
  rb->start = 0;
  rb->end = len;
  rb->line_memo = rb->block_memo = 0;
  rb->borrowed = true;
}

void h11c__rbuf_set_pending(h11c__rbuf *rb, const uint8_t *p, size_t len) {
  rb->pend = p;
  rb->pend_len = len;
  rb->pulled = 0;
}

/* While borrowed: makes the connection's own block, which holds nothing
 * then, at least n bytes long.  Returns 0 or -1 (out of memory). */
static int own_reserve(h11c__rbuf *rb, const h11c_mem *mem, size_t n) {
  size_t ncap;
  uint8_t *nd;
  if (rb->own_cap >= n)
    return 0;
  ncap = h11c__grown_cap(rb->own_cap, H11C__RBUF_MIN, n);
  /* Empty: a new block needs no copying. */
  nd = ncap ? h11c__malloc(mem, ncap) : NULL;
  if (!nd)
    return -1;
  h11c__free(mem, rb->own);
  rb->own = nd;
  rb->own_cap = ncap;
  return 0;
}

/* Makes the connection's own block the view again, holding its first n
 * bytes. */
static void unborrow(h11c__rbuf *rb, size_t n) {
  rb->data = rb->own;
  rb->cap = rb->own_cap;
  rb->own = NULL;
  rb->own_cap = 0;
  rb->start = 0;
  rb->end = n;
  rb->borrowed = false;
}

int h11c__rbuf_release(h11c__rbuf *rb, const h11c_mem *mem) {
  if (rb->borrowed) {
    const uint8_t *src = rb->data + rb->start;
    size_t n = rb->end - rb->start;
    if (own_reserve(rb, mem, n) != 0)
      return -1;
    if (n)
      memcpy(rb->own, src, n);
    /* The searches' memos are relative to start: they stay right. */
    unborrow(rb, n);
  }
  if (rb->pend_len && h11c__rbuf_append(rb, mem, rb->pend, rb->pend_len) != 0)
    return -1;
  /* Every byte of the caller's is now the connection's own: nothing may
     refer to the caller's buffer any more. */
  rb->pend = NULL;
  rb->pend_len = rb->pulled = 0;
  return 0;
}

void h11c__rbuf_forget(h11c__rbuf *rb) {
  if (rb->borrowed)
    unborrow(rb, 0);
  rb->pend = NULL;
  rb->pend_len = rb->pulled = 0;
}

int h11c__rbuf_pull(h11c__rbuf *rb, const h11c_mem *mem) {
  size_t k = rb->end - rb->start;
  if (rb->pend_len == 0)
    return 0;
  if (k < H11C__PULL_MIN)
    k = H11C__PULL_MIN;
  if (k > rb->pend_len)
    k = rb->pend_len;
  if (h11c__rbuf_append(rb, mem, rb->pend, k) != 0)
    return -1;
  rb->pend += k;
  rb->pend_len -= k;
  rb->pulled += k;
  return 1;
}

void h11c__rbuf_presize(h11c__rbuf *rb, const h11c_mem *mem, size_t n) {
  if (rb->borrowed)
    (void)own_reserve(rb, mem, n < H11C__PRESIZE_MAX ? n : H11C__PRESIZE_MAX);
}

void h11c__rbuf_settle_pulled(h11c__rbuf *rb) {
  size_t live = rb->end - rb->start;
  const uint8_t *p;
  if (live > rb->pulled) {
    /* Bytes from before the pending ones are left: nothing to give back
       now.  With none pending either, the pulled bytes are simply the
       connection's own. */
    if (rb->pend_len == 0) {
      rb->pend = NULL;
      rb->pulled = 0;
    }
    return;
  }
  /* The rest of the view is the last `live` bytes pulled: take them back
     from the pending bytes instead. */
  rb->end -= live;
  p = rb->pend - live;
  h11c__rbuf_borrow(rb, p, rb->pend_len + live);
  rb->pend = NULL;
  rb->pend_len = rb->pulled = 0;
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
