/*
 * Shared pieces of the adapters for callback parsers (llhttp,
 * http_parser): they report the start line and fields as spans, possibly
 * cut into several calls when the input arrives in pieces, and leave the
 * body decisions (HEAD, 1xx, 304, CONNECT) to their caller.
 *
 * A vcb collects one message at a time.  The head (start line and header
 * fields) is kept aside until the parser says the headers are complete;
 * only then does it become a message of the verdict ("messages: every
 * message whose headers were accepted").  Field spans after that are
 * trailers.
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

/* A new message starts: forgets any pending head. */
void vcb_message_begin(vcb *c);
/* Span callbacks; 0, or -1 when out of memory. */
int vcb_target(vcb *c, const char *at, size_t len);
int vcb_reason(vcb *c, const char *at, size_t len);
int vcb_field_name(vcb *c, const char *at, size_t len);
int vcb_field_value(vcb *c, const char *at, size_t len);
int vcb_body(vcb *c, const char *at, size_t len);

/* The headers are complete: commits the head as a new message of the
 * verdict.  method is NUL-terminated (requests); status and reason
 * (responses).  0 or -1. */
int vcb_headers_complete(vcb *c, bool is_response, const char *method,
                         int status, unsigned major, unsigned minor);
/* The message is complete: moves pending trailer fields into it and marks
 * it complete at offset end (the adapter calls this once it knows the
 * offset).  0 or -1. */
int vcb_message_complete(vcb *c, uint64_t end);

/* Normalises a header value in place: obs-fold to SP, surrounding SP/HTAB
 * removed. */
void vcb_normalize_value(verdict_bytes *b);

#endif /* H11C_DIFF_ORACLES_CALLBACKS_H */
