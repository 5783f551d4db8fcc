/*
 * The callback kit of the callback parsers (llhttp, http_parser), shared by
 * the two oracle adapters (llhttp.c, http_parser.c) and the benchmark's
 * peers (tools/bench/peer_llhttp.c, peer_http_parser.c).
 *
 * Both parsers report the start line, the field lines and the body as
 * spans, through callbacks of the same shape (llhttp_t and http_parser
 * both carry a `data` pointer), possibly cut into several calls when the
 * input arrives in pieces.  CB_SPAN_CALLBACKS() defines those callbacks
 * once for a parser type; each hands its span to one sink function of the
 * user's, SINK(data, kind, at, len), which returns 0 or -1 (the parser
 * stops).  CB_SPAN_SETTINGS names them in a settings initialiser.  A
 * static inline sink is inlined into each callback, so the kit costs the
 * benchmark nothing.
 *
 * vcb is the adapters' sink: it turns the spans into the messages of a
 * canonical verdict and leaves the body decisions (HEAD, 1xx, 304,
 * CONNECT) to its caller.  The head (start line and header fields) is kept
 * aside until the parser says the headers are complete; only then does it
 * become a message of the verdict ("messages: every message whose headers
 * were accepted").  Field spans after that are trailers.
 *
 * Field names are lower-cased; values lose surrounding SP/HTAB, and an
 * obs-fold (CRLF or LF, then SP/HTAB) inside a value becomes one SP, as h11
 * joins continuation lines.
 */
#ifndef H11C_DIFF_ORACLES_CALLBACKS_H
#define H11C_DIFF_ORACLES_CALLBACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/model/verdict.h"

/* What a span callback reports (CB_BEGIN: a message starts; no span). */
typedef enum cb_span {
  CB_BEGIN,
  CB_METHOD,
  CB_TARGET,
  CB_REASON,
  CB_FIELD_NAME,
  CB_FIELD_VALUE,
  CB_BODY
} cb_span;

/* The callbacks of parser type P that only pass a span on: message begin,
 * URL (the target), status (the reason phrase), field name and value, and
 * body.  Each is named cb_on_<what>. */
#define CB_SPAN_CALLBACKS(P, SINK)                                             \
  static int cb_on_message_begin(P *p) {                                       \
    return SINK(p->data, CB_BEGIN, NULL, 0);                                   \
  }                                                                            \
  static int cb_on_url(P *p, const char *at, size_t len) {                     \
    return SINK(p->data, CB_TARGET, at, len);                                  \
  }                                                                            \
  static int cb_on_status(P *p, const char *at, size_t len) {                  \
    return SINK(p->data, CB_REASON, at, len);                                  \
  }                                                                            \
  static int cb_on_header_field(P *p, const char *at, size_t len) {            \
    return SINK(p->data, CB_FIELD_NAME, at, len);                              \
  }                                                                            \
  static int cb_on_header_value(P *p, const char *at, size_t len) {            \
    return SINK(p->data, CB_FIELD_VALUE, at, len);                             \
  }                                                                            \
  static int cb_on_body(P *p, const char *at, size_t len) {                    \
    return SINK(p->data, CB_BODY, at, len);                                    \
  }

/* llhttp only: the method as a span (cb_on_method). */
#define CB_METHOD_CALLBACK(P, SINK)                                            \
  static int cb_on_method(P *p, const char *at, size_t len) {                  \
    return SINK(p->data, CB_METHOD, at, len);                                  \
  }

/* Designated initialisers of the callbacks CB_SPAN_CALLBACKS() defines. */
#define CB_SPAN_SETTINGS                                                       \
  .on_message_begin = cb_on_message_begin, .on_url = cb_on_url,                \
  .on_status = cb_on_status, .on_header_field = cb_on_header_field,            \
  .on_header_value = cb_on_header_value, .on_body = cb_on_body

typedef struct vcb {
  verdict *v;
  /* The committed message being read (body, trailers); NULL between
     messages and while the head is pending. */
  verdict_message *cur;
  /* Pending head. */
  verdict_bytes target;
  verdict_bytes reason;
  verdict_fields fields;
  /* The field being reported: 0 none, 1 in its name, 2 in its value. */
  int fstate;
  verdict_bytes name;
  verdict_bytes value;
  /* Just past the last value span: every span points into the one input
     buffer, so a gap between two spans of one value is what the parser
     skipped inside it (an obs-fold's CRLF and whitespace). */
  const char *value_end;
  /* Set by the parser's message-complete callback. */
  bool completed;
  bool keep_alive;
  /* An allocation failed inside a callback. */
  bool oom;
} vcb;

void vcb_init(vcb *c, verdict *v);
void vcb_free(vcb *c);

/* The sink of CB_SPAN_CALLBACKS(): data is the vcb (or a struct that
 * begins with one).  CB_BEGIN forgets any pending head; the spans are
 * collected; 0, or -1 when out of memory. */
int vcb_span(void *data, cb_span kind, const char *at, size_t len);

/* The headers are complete: commits the head as a new message of the
 * verdict.  method is NUL-terminated (requests); status and reason
 * (responses).  0 or -1. */
int vcb_headers_complete(vcb *c, bool is_response, const char *method,
                         int status, unsigned major, unsigned minor);
/* The message is complete: moves pending trailer fields into it and marks
 * it complete at offset end (the adapter calls this once it knows the
 * offset).  0 or -1. */
int vcb_message_complete(vcb *c, uint64_t end);

/* The body decision Node.js's client makes for a response it reads
 * (parserOnIncomingClient), as on_headers_complete returns it: 2 (no body,
 * a switch) for any response to CONNECT, 1 (no body) for 1xx other than
 * 101, for any response to HEAD and for 304, 0 otherwise.  method: the
 * request's. */
int vcb_response_body(const char *method, int status);

enum { VCB_GO_ON = 0, VCB_STOP = 1 };

/* The parser's message-complete callback has fired (c->completed) and the
 * message ended at offset off of an input of len bytes (eof: the parser
 * was finishing at the end of input); upgrade: the parser took it as an
 * upgrade.  Records the message (vcb_message_complete), sets *last_end,
 * and decides, as the verdict format says, whether the exchange goes on
 * (VCB_GO_ON) or ends (VCB_STOP, with the verdict's outcome and leftover
 * set); -1 when out of memory. */
int vcb_completed(vcb *c, verdict_role role, bool upgrade, uint64_t off,
                  uint64_t len, bool eof, uint64_t *last_end);

/* End of input, after the parser was told so: paused says it stopped in
 * message-complete (a body that ends at EOF, c->completed set), ok that it
 * was between messages, upgrade that it took the last message as an
 * upgrade.  Sets the verdict's outcome as the verdict format says and
 * *last_end for a message that just completed.  Returns 0, or -1 when out
 * of memory (before or now). */
int vcb_finish(vcb *c, verdict_role role, bool paused, bool ok, bool upgrade,
               uint64_t len, uint64_t *last_end);

/* Normalises a header value in place: obs-fold to SP, surrounding SP/HTAB
 * removed. */
void vcb_normalize_value(verdict_bytes *b);

#endif /* H11C_DIFF_ORACLES_CALLBACKS_H */
