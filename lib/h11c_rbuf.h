/*
 * rbuf: the receive buffer (h11's _receivebuffer): the bytes received and
 * not consumed yet, the line and blank-line searches that never scan a
 * byte twice, and the zero-copy view of a caller's borrowed bytes.  Uses
 * mem.
 */
#ifndef H11C_RBUF_H
#define H11C_RBUF_H

#include "h11c_mem.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct h11c__rbuf {
  uint8_t *data;
  size_t cap;
  /* Unconsumed bytes are data[start, end). */
  size_t start;
  size_t end;
  /* How far (relative to start) the searches for a line end and for a
     blank line have looked without success, so that no byte is scanned
     twice (h11's _next_line_search and _multiple_lines_search). */
  size_t line_memo;
  size_t block_memo;
  /* End of input was signalled. */
  bool closed;
  /* Bytes consumed since the connection was created. */
  uint64_t consumed;
  /* consumed when the last event was returned: where the next event
     begins, whatever was consumed of it in calls that needed data. */
  uint64_t event_end;
  /* Zero-copy receive.  While `borrowed`, data and cap describe the
     caller's bytes (never written to) and the connection's own block waits
     in own and own_cap. */
  bool borrowed;
  uint8_t *own;
  size_t own_cap;
  /* The caller's bytes that follow the view but are not in it yet (only
     while the view holds the connection's copy of an incomplete event),
     and how many bytes were appended to the view from them. */
  const uint8_t *pend;
  size_t pend_len;
  size_t pulled;
  /* The last h11c_conn_next_event() needed data and nothing was received
     since: the view is a strict prefix of one event. */
  bool stalled;
} h11c__rbuf;

static inline size_t h11c__rbuf_len(const h11c__rbuf *rb) {
  return rb->end - rb->start;
}
static inline uint8_t *h11c__rbuf_ptr(const h11c__rbuf *rb) {
  return rb->data ? rb->data + rb->start : rb->data;
}
/* Appends a copy of p[0, len).  Returns 0 or -1 (out of memory; nothing
 * changed then). */
int h11c__rbuf_append(h11c__rbuf *rb, const h11c_mem *mem, const uint8_t *p,
                      size_t len);
static inline void h11c__rbuf_consume(h11c__rbuf *rb, size_t n) {
  rb->start += n;
  rb->consumed += n;
  rb->line_memo = 0;
  rb->block_memo = 0;
}
void h11c__rbuf_free(h11c__rbuf *rb, const h11c_mem *mem);
/* Makes the caller's bytes the view (which must be empty, not borrowed and
 * with nothing pending). */
void h11c__rbuf_borrow(h11c__rbuf *rb, const uint8_t *p, size_t len);
/* Sets the caller's bytes aside to follow a stalled view. */
void h11c__rbuf_set_pending(h11c__rbuf *rb, const uint8_t *p, size_t len);
/* Copies the caller's bytes not consumed yet (the borrowed view or the
 * pending bytes: never both) into the connection's own block, after which
 * nothing refers to the caller's buffer.  Returns 0 or -1 (out of memory;
 * nothing changed then). */
int h11c__rbuf_release(h11c__rbuf *rb, const h11c_mem *mem);
/* Drops every reference to the caller's bytes, and those bytes. */
void h11c__rbuf_forget(h11c__rbuf *rb);
/* The fewest pending bytes appended to the view at once; borrowed
 * deliveries no longer than this that follow part of an event are simply
 * copied. */
#define H11C__PULL_MIN 256
/* The size of the connection's first receive block: room for a typical
 * head and the piece of the next delivery that completes it, so that the
 * block seldom has to grow after the first message. */
#define H11C__RBUF_MIN 1024
/* Appends the next pending bytes to the view, as many as the view holds
 * (at least H11C__PULL_MIN), so that what an event straddling two deliveries
 * costs to copy stays proportional to its length.  Returns 1 if bytes were
 * added, 0 if none are pending, -1 if out of memory. */
int h11c__rbuf_pull(h11c__rbuf *rb, const h11c_mem *mem);
/* While borrowed: makes the connection's own block hold at least n bytes,
 * or H11C__PRESIZE_MAX (from the size of a head just read: what a head of
 * that size straddling two deliveries needs, its start and one pull, so
 * that the block does not grow then).  Failure is ignored: the block
 * grows when it must. */
#define H11C__PRESIZE_MAX ((size_t)8192)
void h11c__rbuf_presize(h11c__rbuf *rb, const h11c_mem *mem, size_t n);
/* If what is left of the view came from the pending bytes (or nothing
 * is left of it), gives it back and makes the pending bytes the
 * (borrowed) view. */
void h11c__rbuf_settle_pulled(h11c__rbuf *rb);
/* Whether any caller's bytes are referred to (borrowed view, pending
 * bytes, or pulled bytes that could be given back). */
static inline bool h11c__rbuf_lends(const h11c__rbuf *rb) {
  return rb->borrowed || rb->pend_len || rb->pulled;
}
static inline void h11c__rbuf_settle(h11c__rbuf *rb) {
  if (rb->pend_len || rb->pulled)
    h11c__rbuf_settle_pulled(rb);
}
/* Length of the first line including its CRLF, or 0 if no CRLF yet. */
size_t h11c__rbuf_find_crlf(h11c__rbuf *rb);
/* Length of the head block up to and including the first blank line
 * ("\n\r?\n"), or 0 if it is not complete yet. */
size_t h11c__rbuf_find_blank_line(h11c__rbuf *rb);

#endif /* H11C_RBUF_H */
