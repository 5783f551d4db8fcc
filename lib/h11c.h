/*
 * h11c: a bring-your-own-I/O HTTP/1.1 protocol library with the semantics of
 * Python's h11.
 *
 * Conventions used throughout this header:
 *
 * - h11c does no I/O. Bytes read from the peer are handed to
 *   h11c_conn_receive_data() (or, without copying, to
 *   h11c_conn_receive_borrowed()); events are pulled with
 *   h11c_conn_next_event().
 *   Events to send are turned into bytes by h11c_conn_send() or
 *   h11c_conn_send_copy(); the caller writes those bytes wherever it likes.
 * - Functions that can fail return an int: 0 (H11C_OK) on success, a positive
 *   H11C_NEED_DATA / H11C_PAUSED where documented, or a negative H11C_ERR_*
 *   code.  After a failure h11c_conn_last_error() describes it.
 * - Pointers MUST NOT be NULL unless a function says otherwise; a slice with
 *   len == 0 may have base == NULL.  A NULL argument where one is required is
 *   reported as H11C_ERR_INVALID_ARGUMENT, never dereferenced.
 * - Every length and count is a size_t; a position in the peer's byte
 *   stream (which may outgrow memory) is a uint64_t.  Byte strings are
 *   slices (h11c_slice): a pointer and a length, never NUL-terminated.
 * - There is no global state.  All memory a connection allocates goes
 *   through the h11c_mem hooks it was created with.
 * - A connection is not thread-safe: use one connection from one thread at a
 *   time.  Distinct connections are independent.
 *
 * Lifetimes:
 *
 * - Slices in an event returned by h11c_conn_next_event() point into memory
 *   the connection owns (its receive buffer or a per-event scratch area).
 *   They stay valid until the next call that takes a non-const h11c_conn *
 *   for the same connection (including another h11c_conn_next_event() and
 *   h11c_conn_receive_data()), or h11c_conn_del().  Copy what you keep.
 * - h11c_conn_receive_data() copies its input; the caller's buffer may be
 *   reused as soon as it returns.  h11c_conn_receive_borrowed() reads it
 *   where it is instead (zero copy); event slices may then point into the
 *   caller's buffer, which must stay valid as that function says.
 * - Events passed to h11c_conn_send() are read during the call and never
 *   kept.  Output slices follow the rule for received events, except that
 *   the Data passthrough slice is the caller's own data pointer.
 */
#ifndef H11C_H
#define H11C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A program that compiles lib/ into itself (the Python extension does)
 * may define H11C_EXTERN as empty to keep the library's symbols hidden. */
#ifndef H11C_EXTERN
#if defined(__GNUC__) && __GNUC__ >= 4
#define H11C_EXTERN __attribute__((visibility("default")))
#else
#define H11C_EXTERN
#endif
#endif

#define H11C_VERSION_MAJOR 0
#define H11C_VERSION_MINOR 1
#define H11C_VERSION_PATCH 0
#define H11C_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------ */
/* Return codes                                                             */
/* ------------------------------------------------------------------------ */

typedef enum h11c_status {
  /* Success. */
  H11C_OK = 0,
  /* h11c_conn_next_event(): more data must be received before another
     event can be produced (h11's NEED_DATA). */
  H11C_NEED_DATA = 1,
  /* h11c_conn_next_event(): the connection is not in a state where it can
     process incoming data, usually because the peer finished its part of
     the cycle and h11c_conn_start_next_cycle() has not been called, or a
     protocol switch is pending or happened (h11's PAUSED). */
  H11C_PAUSED = 2,
  /* The peer violated the protocol (h11's RemoteProtocolError).  Their
     side of the connection is now in H11C_ERROR. */
  H11C_ERR_REMOTE_PROTOCOL = -1,
  /* The caller tried something the protocol or the current state forbids
     (h11's LocalProtocolError).  Where the attempt was a send, our side of
     the connection is now in H11C_ERROR. */
  H11C_ERR_LOCAL_PROTOCOL = -2,
  /* An allocation failed.  The side being processed is now in H11C_ERROR. */
  H11C_ERR_NOMEM = -3,
  /* A bad argument (NULL where a pointer is required, an unknown enum
     value) or a call out of order that h11 reports as RuntimeError (data
     after end of input).  Nothing changed. */
  H11C_ERR_INVALID_ARGUMENT = -4
} h11c_status;

/* ------------------------------------------------------------------------ */
/* Roles, states, events                                                    */
/* ------------------------------------------------------------------------ */

typedef enum h11c_role { H11C_CLIENT = 0, H11C_SERVER = 1 } h11c_role;

/* The state of one side of the connection, with h11's names. */
typedef enum h11c_state {
  H11C_IDLE = 0,
  H11C_SEND_RESPONSE,
  H11C_SEND_BODY,
  H11C_DONE,
  H11C_MUST_CLOSE,
  H11C_CLOSED,
  H11C_MIGHT_SWITCH_PROTOCOL,
  H11C_SWITCHED_PROTOCOL,
  H11C_ERROR
} h11c_state;

typedef enum h11c_event_type {
  H11C_EV_NONE = 0,
  H11C_EV_REQUEST,
  H11C_EV_INFORMATIONAL_RESPONSE,
  H11C_EV_RESPONSE,
  H11C_EV_DATA,
  H11C_EV_END_OF_MESSAGE,
  H11C_EV_CONNECTION_CLOSED
} h11c_event_type;

/* A borrowed byte string. */
typedef struct h11c_slice {
  const uint8_t *base;
  size_t len;
} h11c_slice;

/* A slice over a string literal: H11C_LIT("GET"). */
#define H11C_LIT(s) ((h11c_slice){(const uint8_t *)(s), sizeof(s) - 1})

/* One header field.
 *
 * Received: name is lower-cased, raw_name keeps the casing on the wire,
 * value has surrounding whitespace removed and obs-fold continuations joined
 * as h11 joins them.  Content-Length values are normalised ("5, 5" -> "5",
 * repeats dropped) and Transfer-Encoding is lower-cased, as h11 does.
 *
 * To send: raw_name is written if raw_name.base is not NULL, otherwise name
 * (either way with the casing given), so a received header is re-sent with
 * its original casing. */
typedef struct h11c_header {
  h11c_slice name;
  h11c_slice raw_name;
  h11c_slice value;
} h11c_header;

/* An event, received or to be sent.  Which fields are meaningful depends on
 * type; zero-initialise the struct and fill in the ones that apply.
 *
 *   H11C_EV_REQUEST:        method, target, http_version, headers
 *   H11C_EV_INFORMATIONAL_RESPONSE,
 *   H11C_EV_RESPONSE:       status_code, reason, http_version, headers
 *   H11C_EV_DATA:           data, chunk_start, chunk_end, chunk_ext
 *   H11C_EV_END_OF_MESSAGE: headers (the trailers)
 *   H11C_EV_CONNECTION_CLOSED: nothing
 *
 * http_version is "1.1" style ("<digit>.<digit>").  When sending, an
 * empty http_version means "1.1"; h11c only sends HTTP/1.1.
 *
 * chunk_ext: received, the raw chunk extension of the chunk this Data starts
 * (from the ';' up to the CRLF, without trailing whitespace); only filled in
 * with H11C_OPT_CHUNK_EXTENSIONS, on Data with chunk_start set.  To send,
 * with chunked framing, it is written after the chunk size (it must begin
 * with ';' and contain no CR, LF or NUL); empty means none. */
typedef struct h11c_event {
  h11c_event_type type;
  h11c_slice method;
  h11c_slice target;
  int status_code;
  h11c_slice reason;
  h11c_slice http_version;
  const h11c_header *headers;
  size_t nheaders;
  h11c_slice data;
  bool chunk_start;
  bool chunk_end;
  h11c_slice chunk_ext;
} h11c_event;

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/* Why a call failed.  Values are stable and never renumbered. */
#define H11C_REASON_MAP(X)                                                     \
  X(NONE, 0, "no error")                                                       \
  X(BUFFER_TOO_LONG, 1, "Receive buffer too long")                             \
  X(NO_REQUEST_LINE, 2, "no request line received")                            \
  X(BAD_REQUEST_LINE, 3, "illegal request line")                               \
  X(NO_RESPONSE_LINE, 4, "no response line received")                          \
  X(BAD_STATUS_LINE, 5, "illegal status line")                                 \
  X(BAD_HEADER_LINE, 6, "illegal header line")                                 \
  X(CONTINUATION_AT_START, 7, "continuation line at start of headers")         \
  X(BAD_CONTENT_LENGTH, 8, "bad Content-Length")                               \
  X(CONFLICTING_CONTENT_LENGTH, 9, "conflicting Content-Length headers")       \
  X(MULTIPLE_TRANSFER_ENCODING, 10, "multiple Transfer-Encoding headers")      \
  X(UNSUPPORTED_TRANSFER_ENCODING, 11,                                         \
    "Only Transfer-Encoding: chunked is supported")                            \
  X(MISSING_HOST, 12, "Missing mandatory Host: header")                        \
  X(MULTIPLE_HOST, 13, "Found multiple Host: headers")                         \
  X(BAD_STATUS_CODE, 14, "status code out of range for this event type")       \
  X(BAD_CHUNK_HEADER, 15, "illegal chunk header")                              \
  X(BAD_CHUNK_FOOTER, 16, "malformed chunk footer (expected CRLF)")            \
  X(INCOMPLETE_BODY, 17,                                                       \
    "peer closed connection without sending complete message body")            \
  X(UNEXPECTED_CLOSE, 18, "peer unexpectedly closed connection")               \
  X(DATA_WHEN_EXPECTING_EOF, 19, "Got data when expecting EOF")                \
  X(BAD_EVENT_FOR_STATE, 20, "can't handle event type in this state")          \
  X(NO_PENDING_PROPOSAL, 21,                                                   \
    "server switch event without a pending client proposal")                   \
  X(PEER_IN_ERROR, 22, "Can't receive data when peer state is ERROR")          \
  X(US_IN_ERROR, 23, "Can't send data when our state is ERROR")                \
  X(NOT_REUSABLE, 24, "not in a reusable state")                               \
  X(BAD_METHOD, 25, "Illegal method characters")                               \
  X(BAD_TARGET, 26, "Illegal target characters")                               \
  X(BAD_HEADER_NAME, 27, "Illegal header name")                                \
  X(BAD_HEADER_VALUE, 28, "Illegal header value")                              \
  X(ONLY_HTTP11, 29, "I only send HTTP/1.1")                                   \
  X(TOO_MUCH_DATA, 30, "Too much data for declared Content-Length")            \
  X(TOO_LITTLE_DATA, 31, "Too little data for declared Content-Length")        \
  X(TRAILERS_WITH_CONTENT_LENGTH, 32, "Content-Length and trailers don't mix") \
  X(TRAILERS_TO_HTTP10, 33, "can't send trailers to HTTP/1.0 client")          \
  X(BAD_REASON, 34, "Illegal reason phrase characters")                        \
  X(BAD_CHUNK_EXT, 35, "Illegal chunk extension")                              \
  X(CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 36,                                 \
    "Content-Length and Transfer-Encoding in one message")                     \
  X(FORBIDDEN_FRAMING_HEADER, 37,                                              \
    "framing header not allowed in a response with this status")               \
  X(DATA_AFTER_EOF, 38, "received close, then received more data")             \
  X(NOMEM, 39, "out of memory")                                                \
  X(INVALID_ARGUMENT, 40, "invalid argument")                                  \
  X(CHUNK_NOT_FINAL, 41,                                                       \
    "chunked is not the final transfer coding of a request")

typedef enum h11c_reason {
#define H11C__REASON_ENUM(name, num, str) H11C_REASON_##name = num,
  H11C_REASON_MAP(H11C__REASON_ENUM)
#undef H11C__REASON_ENUM
      H11C_REASON__COUNT
} h11c_reason;

/* Details of the last failure on a connection. */
typedef struct h11c_error {
  /* The H11C_ERR_* code that was returned, or H11C_OK. */
  int code;
  /* Why; h11c_reason_str(reason) gives h11's message. */
  h11c_reason reason;
  /* The HTTP status a server would answer with (400 by default, 431 for an
     over-long head, 501 for an unsupported Transfer-Encoding), as h11's
     error_status_hint. */
  int status_hint;
  /* How many bytes of the peer's stream had been consumed into the events
     returned before the failing one: where that one began.  It does not
     depend on how the input was split. */
  uint64_t offset;
  /* H11C_REASON_INCOMPLETE_BODY (the peer closed inside a body): with
     Content-Length framing, the body bytes received and the length the
     head declared; with chunked framing body_chunked is set and both are
     0.  Zero for every other reason.  h11c_error_message() puts them in
     h11's words. */
  uint64_t body_received;
  uint64_t body_expected;
  bool body_chunked;
} h11c_error;

/* Static, NUL-terminated strings; never NULL ("unknown" for bad values). */
H11C_EXTERN const char *h11c_reason_str(h11c_reason reason);
H11C_EXTERN const char *h11c_reason_name(h11c_reason reason);
H11C_EXTERN const char *h11c_status_str(int status);
H11C_EXTERN const char *h11c_state_name(h11c_state state);
H11C_EXTERN const char *h11c_role_name(h11c_role role);
H11C_EXTERN const char *h11c_event_type_name(h11c_event_type type);

/* The message of err as h11 words it: h11c_reason_str(err->reason), with
 * the detail h11 adds for an incomplete body (": received 5 bytes,
 * expected 100" or ": incomplete chunked read").  Writes at most size
 * bytes to buf, NUL-terminated if size > 0 (buf may be NULL when size is
 * 0), and returns the length of the whole message, as snprintf() does.
 * err NULL: the message of no error. */
H11C_EXTERN size_t h11c_error_message(const h11c_error *err, char *buf,
                                      size_t size);

/* ------------------------------------------------------------------------ */
/* Memory and options                                                       */
/* ------------------------------------------------------------------------ */

/* Allocator hooks.  Each hook receives user.  realloc and free must accept
 * what malloc and realloc returned; free(NULL, user) must be harmless.  The
 * struct is copied into the connection. */
typedef struct h11c_mem {
  void *user;
  void *(*malloc)(size_t size, void *user);
  void *(*realloc)(void *ptr, size_t size, void *user);
  void (*free)(void *ptr, void *user);
} h11c_mem;

/* Option flags (h11c_options.flags).  All are off by default, which is
 * h11's behaviour. */
enum {
  /* Treat an HTTP/1.0 message carrying "Connection: keep-alive" as
     persistent (RFC 9112 Appendix C.2.2), and announce keep-alive in
     responses sent to such a client.  h11 always closes HTTP/1.0. */
  H11C_OPT_HTTP10_KEEP_ALIVE = 1u << 0,
  /* Report chunk extensions in received Data events (chunk_ext).  h11
     discards them. */
  H11C_OPT_CHUNK_EXTENSIONS = 1u << 1
};

typedef struct h11c_options {
  /* The most bytes buffered for one incomplete event (in practice the
     start line plus headers, or one chunk header).  h11's
     max_incomplete_event_size; default 16384.  Must be >= 1. */
  size_t max_incomplete_event_size;
  /* H11C_OPT_* flags. */
  unsigned flags;
} h11c_options;

#define H11C_DEFAULT_MAX_INCOMPLETE_EVENT_SIZE ((size_t)16 * 1024)

/* Fill *opts with the defaults (h11's behaviour). */
H11C_EXTERN void h11c_options_init(h11c_options *opts);

/* ------------------------------------------------------------------------ */
/* Connections                                                              */
/* ------------------------------------------------------------------------ */

typedef struct h11c_conn h11c_conn;

/* Create a connection playing our_role.  opts may be NULL (defaults); mem
 * may be NULL (the C library's malloc, realloc and free).  Both are copied.
 *
 * Returns 0 and sets *pconn, or one of:
 *   H11C_ERR_INVALID_ARGUMENT  pconn is NULL, our_role or an option is bad;
 *   H11C_ERR_NOMEM             allocation failed. */
H11C_EXTERN int h11c_conn_new(h11c_conn **pconn, h11c_role our_role,
                              const h11c_options *opts, const h11c_mem *mem);

/* Free a connection and everything it owns.  NULL is allowed. */
H11C_EXTERN void h11c_conn_del(h11c_conn *conn);

/* Append bytes received from the peer to the receive buffer.  Nothing is
 * parsed until h11c_conn_next_event().  len == 0 is allowed and does
 * nothing (end of input is signalled with h11c_conn_receive_eof()).
 *
 * Returns 0, or one of:
 *   H11C_ERR_INVALID_ARGUMENT  data is NULL with len > 0, or end of input
 *                              was already signalled (h11's RuntimeError);
 *   H11C_ERR_NOMEM             the buffer could not grow; nothing was
 *                              appended and the state is unchanged. */
H11C_EXTERN int h11c_conn_receive_data(h11c_conn *conn, const uint8_t *data,
                                       size_t len);

/* Hand bytes received from the peer to the connection without copying
 * them (zero-copy receive).  Events then point into data where they can:
 * heads are parsed in place and Data events are views of the body bytes.
 * data is never written to.
 *
 * data must stay valid and unchanged until h11c_conn_next_event() returns
 * H11C_NEED_DATA, or until the next h11c_conn_receive_data(),
 * h11c_conn_receive_borrowed() or h11c_conn_release_borrowed() call on
 * the connection, or h11c_conn_del().  At each of those points the bytes
 * not consumed yet are copied into the connection's own buffer: before
 * H11C_NEED_DATA that is at most an incomplete head, chunk-size line or
 * trailer section, never body bytes.  So a read loop that drains events
 * until H11C_NEED_DATA may reuse its buffer for the next read.  When
 * next_event() stops otherwise (H11C_PAUSED, an error, a protocol switch)
 * and the buffer must be reused, call h11c_conn_release_borrowed() first.
 *
 * If the connection holds part of an event when this is called (the
 * previous call needed data), only the bytes that complete the event are
 * copied, and at most about as many again (all of data if it is no longer
 * than 256 bytes); never more than about max_incomplete_event_size.
 *
 * Returns as h11c_conn_receive_data(); H11C_ERR_NOMEM also when the
 * connection could not take over the unconsumed bytes of an earlier
 * borrowed delivery (they are then dropped and their state is ERROR). */
H11C_EXTERN int h11c_conn_receive_borrowed(h11c_conn *conn, const uint8_t *data,
                                           size_t len);

/* Copy the bytes borrowed from the caller that are not consumed yet into
 * the connection's own buffer, so that the caller may reuse its buffer.
 * Does nothing if there are none.  Returns 0, H11C_ERR_INVALID_ARGUMENT if
 * conn is NULL, or H11C_ERR_NOMEM: the bytes are then dropped (the
 * connection keeps no reference to them) and their state is ERROR. */
H11C_EXTERN int h11c_conn_release_borrowed(h11c_conn *conn);

/* Signal that the peer closed its side (end of input).  Calling it more
 * than once is the same as calling it once.  Returns 0, or
 * H11C_ERR_INVALID_ARGUMENT if conn is NULL. */
H11C_EXTERN int h11c_conn_receive_eof(h11c_conn *conn);

/* Parse the next event from the receive buffer.
 *
 * Returns:
 *   H11C_OK           *ev holds an event; its slices follow the lifetime
 *                     rule at the top of this header;
 *   H11C_NEED_DATA    receive more data (or end of input) first;
 *   H11C_PAUSED       see H11C_PAUSED;
 *   H11C_ERR_REMOTE_PROTOCOL  the peer misbehaved; their state is now
 *                     H11C_ERROR and every later call returns this again;
 *   H11C_ERR_NOMEM    allocation failed; their state is now H11C_ERROR;
 *   H11C_ERR_INVALID_ARGUMENT  conn or ev is NULL.
 * Once H11C_EV_CONNECTION_CLOSED has been returned, every later call
 * returns it again. */
H11C_EXTERN int h11c_conn_next_event(h11c_conn *conn, h11c_event *ev);

/* The maximum number of slices h11c_conn_send() produces. */
#define H11C_SEND_IOV_MAX 3

/* Serialise an event we send and update the state machine, without copying
 * Data (h11's send_with_data_passthrough).  Up to H11C_SEND_IOV_MAX slices
 * are stored in iov and their count in *pniov; write them in order.  For a
 * Data event, the body slice is exactly ev->data (same pointer); the other
 * slices point into memory the connection owns, valid as for received
 * events.  A ConnectionClosed event, or empty Data with chunked framing,
 * produces no slices.
 *
 * Returns 0, or one of:
 *   H11C_ERR_LOCAL_PROTOCOL   the event may not be sent in the current
 *                             state, or breaks a rule h11's writers check
 *                             (only HTTP/1.1 is sent, the declared
 *                             Content-Length, trailers): our state is now
 *                             H11C_ERROR.  If the event itself is
 *                             malformed (what h11 refuses when an event
 *                             object is built: a bad header name or value,
 *                             Content-Length or Transfer-Encoding, Host,
 *                             method, target, status code, reason, chunk
 *                             extension), nothing changes;
 *   H11C_ERR_NOMEM            our state is now H11C_ERROR;
 *   H11C_ERR_INVALID_ARGUMENT a required pointer is NULL or the event type
 *                             is unknown; nothing changed. */
H11C_EXTERN int h11c_conn_send(h11c_conn *conn, const h11c_event *ev,
                               h11c_slice iov[H11C_SEND_IOV_MAX],
                               size_t *pniov);

/* Like h11c_conn_send(), but joins the output (Data included) into one
 * buffer the connection owns (h11's send).  *pout and *plen receive it;
 * *pout is valid as for received events. */
H11C_EXTERN int h11c_conn_send_copy(h11c_conn *conn, const h11c_event *ev,
                                    const uint8_t **pout, size_t *plen);

/* Tell the connection that sending failed: our state becomes H11C_ERROR. */
H11C_EXTERN void h11c_conn_send_failed(h11c_conn *conn);

/* Reset both sides from DONE to IDLE for the next request/response cycle.
 * Returns 0, or H11C_ERR_LOCAL_PROTOCOL if both sides are not DONE (no
 * state changes), or H11C_ERR_INVALID_ARGUMENT if conn is NULL. */
H11C_EXTERN int h11c_conn_start_next_cycle(h11c_conn *conn);

/* The bytes received and not yet parsed, and whether end of input was
 * signalled (h11's trailing_data).  After a protocol switch these are the
 * first bytes of the new protocol.
 *
 * This is not a query: bytes from h11c_conn_receive_borrowed() that wait
 * behind an incomplete event are first copied in behind it, which may move
 * the connection's buffer, so for the lifetime rule it counts as a call
 * that takes a non-const connection.  *pdata is then valid as for
 * received events.  pdata and pclosed may each be NULL.
 *
 * Returns 0; H11C_ERR_NOMEM if the waiting bytes could not be copied
 * (*pdata then holds only the bytes before them; they are kept and parsed
 * later, and no state changes); H11C_ERR_INVALID_ARGUMENT if conn is NULL
 * (*pdata is then empty and *pclosed false). */
H11C_EXTERN int h11c_conn_trailing_data(h11c_conn *conn, h11c_slice *pdata,
                                        bool *pclosed);

/* ------------------------------------------------------------------------ */
/* Events without a connection                                              */
/* ------------------------------------------------------------------------ */

/* Check an event as h11 checks one when it is built (the constructors of
 * h11's event classes, with normalize_and_validate), for bindings whose
 * event objects validate themselves, and normalise its fields as h11
 * stores them.
 *
 * Checked, for every type with fields: each name is a token, each value a
 * field-value without surrounding whitespace; Content-Length values are
 * lists of one repeated decimal number of at most 20 digits that fits in
 * 64 bits, and repeated Content-Length fields agree; there is at most one
 * Transfer-Encoding, and it is "chunked" (any case).  Request: method is
 * a token, target is VCHAR+, Host appears once (at most once below
 * HTTP/1.1).  InformationalResponse: 100 <= status_code < 200; Response:
 * 200 <= status_code < 1000.  Not checked here, but by h11c_conn_send():
 * the rules h11 leaves out (reason phrase bytes, framing fields in 1xx and
 * 204 responses, Content-Length with Transfer-Encoding in a request, the
 * chunk extension) and the HTTP version.
 *
 * fields receives the normalised copy of ev->headers, in order: a
 * Content-Length value becomes its single element (a part of the given
 * value), repeated Content-Length fields are dropped, a Transfer-Encoding
 * value becomes "chunked"; names are unchanged (comparisons ignore case;
 * h11 also stores them lower-cased, which is left to the caller).
 * Its capacity must be ev->nheaders; it may be ev->headers itself.
 * *pnfields receives the count.  Field names are those of
 * h11c_header: raw_name if its base is not NULL, else name.
 *
 * Returns 0, or H11C_ERR_LOCAL_PROTOCOL with *perr's reason and
 * status_hint saying why (h11's message and error_status_hint; perr may be
 * NULL), or H11C_ERR_INVALID_ARGUMENT (a NULL pointer where a length says
 * there is data, an unknown type). */
H11C_EXTERN int h11c_event_validate(const h11c_event *ev, h11c_header *fields,
                                    size_t *pnfields, h11c_error *perr);

/* How a message body is delimited (h11's _body_framing). */
typedef enum h11c_framing {
  /* Content-Length, or no body (length 0): h11's "content-length". */
  H11C_FRAMING_CONTENT_LENGTH = 1,
  /* Transfer-Encoding: chunked. */
  H11C_FRAMING_CHUNKED = 2,
  /* Until the connection closes: h11's "http/1.0". */
  H11C_FRAMING_CLOSE = 3
} h11c_framing;

/* The framing of the body that a Request or Response starts, given the
 * method of the request (for a Response), after RFC 9112 §6.3 as h11 does
 * it; *plength receives the length for H11C_FRAMING_CONTENT_LENGTH (else
 * 0).  ev's fields must be valid (h11c_event_validate()).  Returns 0,
 * H11C_ERR_LOCAL_PROTOCOL if a field is not, or H11C_ERR_INVALID_ARGUMENT
 * (ev is neither type, or a NULL pointer). */
H11C_EXTERN int h11c_event_body_framing(h11c_slice request_method,
                                        const h11c_event *ev,
                                        h11c_framing *pframing,
                                        uint64_t *plength);

/* Whether a Request or Response lets the connection persist (h11's
 * _keep_alive): false with "close" in Connection or below HTTP/1.1, and
 * (RFC 9112 §6.1, a known difference from h11) for a request with both
 * Content-Length and Transfer-Encoding.  The default options' rule: the
 * H11C_OPT_HTTP10_KEEP_ALIVE exception is the connection's.  Returns as
 * h11c_event_body_framing(). */
H11C_EXTERN int h11c_event_keep_alive(const h11c_event *ev, bool *pkeep);

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

/* These only read the connection: they never invalidate event slices.
 * Each accepts NULL and then returns the value stated. */

/* Our role; NULL: H11C_CLIENT. */
H11C_EXTERN h11c_role h11c_conn_our_role(const h11c_conn *conn);
/* The state of our side, of their side, of the given role's side; NULL
 * (or a role that is neither): H11C_ERROR. */
H11C_EXTERN h11c_state h11c_conn_our_state(const h11c_conn *conn);
H11C_EXTERN h11c_state h11c_conn_their_state(const h11c_conn *conn);
H11C_EXTERN h11c_state h11c_conn_state(const h11c_conn *conn, h11c_role role);

/* The HTTP version of the last start line received from the peer, as
 * 10 * major + minor (11 for HTTP/1.1), or -1 if none yet; NULL: -1. */
H11C_EXTERN int h11c_conn_their_http_version(const h11c_conn *conn);

/* h11's client_is_waiting_for_100_continue: the client sent (or we
 * received) a request with "Expect: 100-continue" and neither a response
 * nor body data has been seen since.  NULL: false. */
H11C_EXTERN bool
h11c_conn_client_is_waiting_for_100_continue(const h11c_conn *conn);

/* h11's they_are_waiting_for_100_continue: we are the server and the
 * client is waiting.  NULL: false. */
H11C_EXTERN bool
h11c_conn_they_are_waiting_for_100_continue(const h11c_conn *conn);

/* Whether the connection can be reused after this cycle (h11's
 * _cstate.keep_alive).  NULL: false. */
H11C_EXTERN bool h11c_conn_keep_alive(const h11c_conn *conn);

/* The total number of received bytes consumed so far (a stream position,
 * as h11c_error.offset is).  NULL: 0. */
H11C_EXTERN uint64_t h11c_conn_bytes_consumed(const h11c_conn *conn);

/* The last failure on this connection; code is H11C_OK if none.  Valid
 * until the connection is deleted.  NULL: a static error whose code is
 * H11C_OK. */
H11C_EXTERN const h11c_error *h11c_conn_last_error(const h11c_conn *conn);

#ifdef __cplusplus
}
#endif

#endif /* H11C_H */
