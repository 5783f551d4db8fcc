/*
 * Internal declarations shared by the library's modules.  Nothing here is
 * part of the public API.
 */
#ifndef H11C_INT_H
#define H11C_INT_H

#include "h11c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* Character classes (h11c_abnf.c)                                          */
/* ------------------------------------------------------------------------ */

enum {
  /* RFC 9110 §5.6.2 tchar. */
  H11C__TCHAR = 1 << 0,
  /* RFC 5234 VCHAR, %x21-7E: the bytes h11 allows in a request-target. */
  H11C__VCHAR = 1 << 1,
  /* Bytes h11 refuses inside a field value once the surrounding OWS is
     stripped: NUL, LF, VT, FF, CR (its field_vchar is [^\x00\s], and SP and
     HTAB are allowed between visible bytes). */
  H11C__VALUE_BAD = 1 << 2,
  /* SP or HTAB. */
  H11C__OWS = 1 << 3,
  /* HEXDIG. */
  H11C__HEX = 1 << 4
};

extern const uint8_t h11c__ctype[256];
extern const uint8_t h11c__lower[256];
extern const uint8_t h11c__token_lower[256];

static inline bool h11c__is(uint8_t c, unsigned cls) {
  return (h11c__ctype[c] & cls) != 0;
}

/* Case-insensitive comparison of s with the lower-case ASCII string lit. */
static inline bool h11c__slice_ieq(h11c_slice s, const char *lit,
                                   size_t litlen) {
  size_t i;
  if (s.len != litlen)
    return false;
  for (i = 0; i < litlen; i++)
    if (h11c__lower[s.base[i]] != (uint8_t)lit[i])
      return false;
  return true;
}
#define H11C__IEQ(s, lit) h11c__slice_ieq((s), (lit), sizeof(lit) - 1)

/* ------------------------------------------------------------------------ */
/* Memory (h11c_conn.c)                                                     */
/* ------------------------------------------------------------------------ */

/* A growable byte buffer owned by a connection. */
typedef struct h11c__bytes {
  uint8_t *data;
  size_t len;
  size_t cap;
} h11c__bytes;

/* The capacity a buffer of capacity cap (first if it has none yet) grows
 * to by doubling so as to hold need; 0 if that would overflow. */
static inline size_t h11c__grown_cap(size_t cap, size_t first, size_t need) {
  size_t ncap = cap ? cap : first;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return 0;
    ncap *= 2;
  }
  return ncap;
}

void *h11c__malloc(const h11c_mem *mem, size_t size);
void *h11c__realloc(const h11c_mem *mem, void *ptr, size_t size);
void h11c__free(const h11c_mem *mem, void *ptr);

/* Makes room for at least n fields in a header array that grows by
 * doubling.  Returns 0 or H11C_ERR_NOMEM (the array is then unchanged). */
int h11c__headers_reserve(const h11c_mem *mem, h11c_header **parr, size_t *pcap,
                          size_t n);

/* Makes room for at least need bytes in total.  Returns 0 or
 * H11C_ERR_NOMEM (the buffer is then unchanged). */
int h11c__bytes_reserve(h11c__bytes *b, const h11c_mem *mem, size_t need);
/* Appends len bytes.  Returns 0 or H11C_ERR_NOMEM. */
int h11c__bytes_append(h11c__bytes *b, const h11c_mem *mem, const void *p,
                       size_t len);

/* ------------------------------------------------------------------------ */
/* Receive buffer (h11c_rbuf.c)                                             */
/* ------------------------------------------------------------------------ */

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
 * nothing refers to the caller's buffer.  Returns 0 or H11C_ERR_NOMEM
 * (nothing changed then). */
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
 * added, 0 if none are pending, H11C_ERR_NOMEM. */
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

/* ------------------------------------------------------------------------ */
/* State machine (h11c_state.c)                                             */
/* ------------------------------------------------------------------------ */

enum { H11C__SWITCH_UPGRADE = 1 << 0, H11C__SWITCH_CONNECT = 1 << 1 };

typedef struct h11c__cstate {
  h11c_state states[2];
  bool keep_alive;
  unsigned pending_switch; /* H11C__SWITCH_* bits */
} h11c__cstate;

void h11c__cstate_init(h11c__cstate *cs);
void h11c__cstate_process_error(h11c__cstate *cs, h11c_role role);
void h11c__cstate_keep_alive_disabled(h11c__cstate *cs);
void h11c__cstate_switch_proposal(h11c__cstate *cs, unsigned proposal);
/* Returns H11C_REASON_NONE or the reason the event may not happen now. */
h11c_reason h11c__cstate_process_event(h11c__cstate *cs, h11c_role role,
                                       h11c_event_type type,
                                       unsigned server_switch);
h11c_reason h11c__cstate_start_next_cycle(h11c__cstate *cs);

/* ------------------------------------------------------------------------ */
/* Headers (h11c_headers.c)                                                 */
/* ------------------------------------------------------------------------ */

/* The name to compare or write: raw_name if set, otherwise name. */
static inline h11c_slice h11c__hdr_name(const h11c_header *h) {
  return h->raw_name.base ? h->raw_name : h->name;
}

/* What one pass over a header list learns: h11's normalize_and_validate
 * (the framing headers), plus the fields h11's connection policy reads
 * (get_comma_header on Connection, Upgrade and Expect; the Host count). */
typedef struct h11c__framing_info {
  bool has_content_length;
  uint64_t content_length;
  bool has_transfer_encoding; /* always exactly "chunked" once validated */
  bool connection_close;      /* "close" in Connection */
  bool connection_keep_alive; /* "keep-alive" in Connection */
  bool upgrade;               /* a non-empty element in Upgrade */
  bool expect_continue;       /* "100-continue" in Expect */
  size_t hosts;               /* how many Host fields */
} h11c__framing_info;

/* Checks the Content-Length and Transfer-Encoding rules of h11's
 * normalize_and_validate on a list whose names and values are already known
 * to be well-formed, and reports the framing headers.  If normalise is
 * true, Content-Length values are rewritten to their single value, repeated
 * Content-Length fields are removed and Transfer-Encoding values become
 * "chunked" (the list must then be writable; the bytes of the values are
 * never written); *pnheaders is updated.  With lower_names, each name
 * field is known to be lower-case (received heads).  is_request selects the RFC
 * 9112 §6.1 status for a request whose final coding is not chunked.  Returns
 * the reason of the first violation, H11C_REASON_NONE if none; *pstatus gets
 * the hint. */
h11c_reason h11c__headers_check(h11c_header *headers, size_t *pnheaders,
                                bool normalise, bool is_request,
                                bool lower_names, h11c__framing_info *fi,
                                int *pstatus);

/* Validates a field name (token) and value (h11's field_value) as a sender
 * must write them. */
bool h11c__valid_name(h11c_slice name);
bool h11c__valid_value(h11c_slice value);

/* Whether the comma-separated elements of value contain token (lower
 * case), compared as h11's get_comma_header: case-insensitively, with
 * surrounding whitespace removed.  A NULL token matches any non-empty
 * element. */
bool h11c__comma_list_has(h11c_slice value, const char *token, size_t tokenlen);

/* Parses a decimal Content-Length; false on overflow of 64 bits. */
bool h11c__parse_u64_dec(h11c_slice s, uint64_t *pv);

/* ------------------------------------------------------------------------ */
/* Connection (h11c_conn.c, h11c_readers.c, h11c_writers.c)                 */
/* ------------------------------------------------------------------------ */

/* How a message body is delimited (h11's _body_framing). */
typedef enum h11c__framing {
  H11C__FRAMING_NONE = 0,
  H11C__FRAMING_LENGTH,
  H11C__FRAMING_CHUNKED,
  H11C__FRAMING_CLOSE /* h11's "http/1.0": until the connection closes */
} h11c__framing;

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

typedef struct h11c__body {
  h11c__framing framing;
  /* LENGTH: bytes still expected.  CHUNKED: bytes left in this chunk. */
  uint64_t remaining;
  /* LENGTH (writer): the declared length, for messages. */
  uint64_t declared;
  h11c__chunk_state chunk_state;
  /* CHUNK_CRLF: how many bytes of the CRLF were already seen. */
  uint8_t crlf_seen;
  /* The next Data is the first of its chunk. */
  bool chunk_start_pending;
} h11c__body;

/* The request method, as far as framing cares. */
typedef enum h11c__method {
  H11C__METHOD_NONE = 0,
  H11C__METHOD_OTHER,
  H11C__METHOD_HEAD,
  H11C__METHOD_CONNECT
} h11c__method;

struct h11c_conn {
  h11c_mem mem;
  h11c_options opts;
  h11c_role our_role;
  h11c__cstate cs;
  h11c__rbuf rb;
  h11c__body reader;
  h11c__body writer;
  h11c__method request_method;
  int their_http_version;
  /* Set with the option: the peer's HTTP/1.0 message asked to stay open. */
  bool their_http10_keep_alive;
  bool client_waiting_for_100;
  /* Framing headers of the last head received. */
  h11c__framing_info rx_fi;
  h11c_error err;
  /* Header array and lower-cased names of the last received event. */
  h11c_header *hdrs;
  size_t hdrs_cap;
  h11c__bytes names;
  /* A writable copy of a borrowed head or trailer section with obs-fold
     lines, which are joined in place. */
  h11c__bytes fold;
  /* The chunk extension of the chunk being read (with the option). */
  h11c__bytes chunk_ext;
  /* Output of the last send. */
  h11c__bytes out;
  /* Normalised copy of the headers of the event being sent. */
  h11c_header *send_hdrs;
  size_t send_hdrs_cap;
  h11c__bytes send_scratch;
  h11c__bytes send_tokens;
};

/* Result of one reader step. */
typedef enum h11c__read_result {
  H11C__READ_EVENT = 0, /* *ev was filled in */
  H11C__READ_NONE,      /* nothing yet: need data */
  H11C__READ_ERROR      /* conn->err was filled in */
} h11c__read_result;

int h11c__fail(h11c_conn *conn, int code, h11c_reason reason, int status);

/* Readers (h11c_readers.c).  Each consumes what it parsed. */
h11c__read_result h11c__read_request_head(h11c_conn *conn, h11c_event *ev);
h11c__read_result h11c__read_response_head(h11c_conn *conn, h11c_event *ev);
h11c__read_result h11c__read_body(h11c_conn *conn, h11c_event *ev);
/* End of input with an empty buffer while reading a body. */
h11c__read_result h11c__read_body_eof(h11c_conn *conn, h11c_event *ev);

/* Writers (h11c_writers.c): the bytes of an event go to conn->out, except
 * Data's payload, which the caller passes through.  *psuffix is set when a
 * CRLF must follow the payload. */
int h11c__write_event(h11c_conn *conn, const h11c_event *ev,
                      const h11c_header *headers, size_t nheaders,
                      bool *psuffix);

/* Event validation as h11 does when an event object is built (h11c_writers.c).
 * Fills conn->send_hdrs with the normalised headers. */
int h11c__validate_event(h11c_conn *conn, const h11c_event *ev,
                         size_t *pnheaders, h11c__framing_info *fi);

/* h11's _clean_up_response_headers_for_sending, on conn->send_hdrs. */
int h11c__clean_up_response(h11c_conn *conn, const h11c_event *ev, size_t *pn,
                            h11c__framing_info *fi);

/* h11's _body_framing. */
void h11c__body_framing(h11c__method method, const h11c_event *ev,
                        const h11c__framing_info *fi, h11c__body *body);

#endif /* H11C_INT_H */
