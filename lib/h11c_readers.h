/*
 * readers: bytes in the receive buffer become events (h11's _readers).  A
 * reader owns the receive buffer, the storage of the last event's fields,
 * and the state of the body being read; it knows nothing of the
 * connection: on bad input it returns H11C__READ_ERROR with the reason in
 * `err`, and the connection decides what follows.  Uses rbuf, headers,
 * abnf, names and mem.
 */
#ifndef H11C_READERS_H
#define H11C_READERS_H

#include "h11c_headers.h"
#include "h11c_mem.h"
#include "h11c_names.h"
#include "h11c_rbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the chunked reader is waiting for. */
typedef enum h11c__chunk_state {
  /* A chunk-size line "<hex>[;ext][OWS]\r\n"; then CHUNK_DATA, or
     TRAILER after a zero size. */
  H11C__CHUNK_SIZE = 0,
  /* The remaining bytes of the current chunk's data; then CHUNK_CRLF. */
  H11C__CHUNK_DATA,
  /* The CRLF that ends chunk data (checked byte by byte); then
     CHUNK_SIZE. */
  H11C__CHUNK_CRLF,
  /* The trailer section up to a blank line; then the message ends. */
  H11C__CHUNK_TRAILER
} h11c__chunk_state;

/* The body being read. */
typedef struct h11c__rbody {
  h11c__framing framing;
  /* LENGTH: bytes still expected.  CHUNKED: bytes left in this chunk. */
  uint64_t remaining;
  /* LENGTH: the declared length. */
  uint64_t length;
  h11c__chunk_state chunk_state;
  /* CHUNK_CRLF: how many bytes of the CRLF were already seen. */
  uint8_t crlf_seen;
  /* The next Data is the first of its chunk. */
  bool chunk_start_pending;
} h11c__rbody;

typedef struct h11c__reader {
  h11c__rbuf rb;
  const h11c_mem *mem;
  /* max_incomplete_event_size. */
  size_t max_event;
  /* Report chunk extensions (H11C_OPT_CHUNK_EXTENSIONS). */
  bool chunk_exts;
  h11c__rbody body;
  /* The fields of the last head or trailer section, and their
     lower-cased names. */
  h11c__fields hdrs;
  h11c__bytes names;
  /* A writable copy of a borrowed head or trailer section with obs-fold
     lines, which are joined in place. */
  h11c__bytes fold;
  /* The chunk extension of the chunk being read (with chunk_exts). */
  h11c__bytes chunk_ext;
  /* Why the last step returned H11C__READ_ERROR. */
  h11c__result err;
} h11c__reader;

/* Result of one reader step. */
typedef enum h11c__read_result {
  H11C__READ_EVENT = 0, /* *ev was filled in */
  H11C__READ_NONE,      /* nothing yet: need data */
  H11C__READ_ERROR      /* err says why */
} h11c__read_result;

/* An empty reader; mem must outlive it. */
void h11c__reader_init(h11c__reader *r, const h11c_mem *mem, size_t max_event,
                       bool chunk_exts);
void h11c__reader_free(h11c__reader *r);

/* The next body is delimited by framing (LENGTH: length bytes). */
void h11c__reader_start_body(h11c__reader *r, h11c__framing framing,
                             uint64_t length);

/* Reads a request head (request) or a response head (h11's
 * maybe_read_from_IDLE_client, maybe_read_from_SEND_RESPONSE_server) and
 * consumes it.  With H11C__READ_EVENT, *fi holds what its fields say.  The
 * event's slices point into the receive buffer and the reader's storage.
 * A head longer than max_event is refused (431) whether or not it
 * arrived in one piece. */
h11c__read_result h11c__read_head(h11c__reader *r, bool request, h11c_event *ev,
                                  h11c__framing_info *fi);
/* Reads the next Data or EndOfMessage of the body (framing as set by
 * h11c__reader_start_body()). */
h11c__read_result h11c__read_body(h11c__reader *r, h11c_event *ev);
/* End of input with an empty buffer while reading the body. */
h11c__read_result h11c__read_body_eof(h11c__reader *r, h11c_event *ev);

#endif /* H11C_READERS_H */
