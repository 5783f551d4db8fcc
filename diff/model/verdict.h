/*
 * The canonical verdict (see the project's verdict specification): what one
 * parser made of one input, reduced to a form every implementation shares,
 * and its JSON rendering.
 *
 * An implementation adapter is a verdict_impl_fn: it drives its parser over
 * the input as the specification says and fills in a verdict.  Everything
 * in a verdict is owned by it (byte strings are copies), so the parser can
 * be gone by the time the verdict is printed or compared.
 */
#ifndef H11C_DIFF_VERDICT_H
#define H11C_DIFF_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diff/model/json.h"

typedef enum verdict_role {
  VERDICT_SERVER = 0,
  VERDICT_CLIENT = 1
} verdict_role;

typedef enum verdict_outcome {
  VERDICT_CLOSED = 0,
  VERDICT_ERROR,
  VERDICT_INCOMPLETE,
  VERDICT_MUST_CLOSE,
  VERDICT_SWITCHED
} verdict_outcome;

/* An owned byte string. */
typedef struct verdict_bytes {
  uint8_t *base;
  size_t len;
  size_t cap;
} verdict_bytes;

typedef struct verdict_field {
  verdict_bytes name;  /* lower-cased */
  verdict_bytes value; /* surrounding whitespace removed */
} verdict_field;

typedef struct verdict_fields {
  verdict_field *items;
  size_t len;
  size_t cap;
} verdict_fields;

typedef struct verdict_message {
  bool is_response;
  verdict_bytes method;  /* requests */
  verdict_bytes target;  /* requests */
  int status;            /* responses */
  verdict_bytes reason;  /* responses */
  verdict_bytes version; /* "1.1" */
  verdict_fields headers;
  verdict_bytes body;
  verdict_fields trailers;
  bool complete; /* false: "end" is null */
  uint64_t end;
} verdict_message;

typedef struct verdict {
  char impl[32];
  verdict_role role;
  verdict_message *messages;
  size_t nmessages;
  size_t cap;
  verdict_outcome outcome;
  /* Meaningful when outcome is VERDICT_ERROR. */
  int error_status_hint;
  bool error_offset_known;
  uint64_t error_offset;
  uint64_t leftover;
} verdict;

/* How to drive a parser over one input. */
typedef struct verdict_params {
  verdict_role role;
  /* Client role: the method of the request that was sent (NUL-terminated);
     NULL means "GET". */
  const char *method;
  /* Deliver the input in pieces of this many bytes (0: all at once).  The
     verdict must not depend on it. */
  size_t chunk;
  /* The parser's limit for one incomplete event (0: its default). */
  size_t max_incomplete;
} verdict_params;

/* An implementation adapter.  Returns 0 with *out filled in (out is
 * initialised by the adapter; free it with verdict_free() either way), or
 * -1 if the run itself failed (out of memory, the parser misbehaved in a
 * way the specification has no outcome for), with a message in err. */
typedef int (*verdict_impl_fn)(const verdict_params *params,
                               const uint8_t *data, size_t len, verdict *out,
                               char *err, size_t errlen);

void verdict_init(verdict *v, const char *impl, verdict_role role);
void verdict_free(verdict *v);

/* Frees b's bytes and empties it. */
void verdict_bytes_free(verdict_bytes *b);

/* Appends a message (zeroed, is_response set); NULL if out of memory. */
verdict_message *verdict_add_message(verdict *v, bool is_response);

/* Byte string helpers; 0 or -1 (out of memory). */
int verdict_bytes_set(verdict_bytes *b, const uint8_t *s, size_t len);
int verdict_bytes_append(verdict_bytes *b, const uint8_t *s, size_t len);
int verdict_fields_add(verdict_fields *f, const uint8_t *name, size_t nlen,
                       const uint8_t *value, size_t vlen);

/* Formats an error message into err[0, errlen) (nothing if err is NULL or
 * errlen is 0) and returns -1: the error convention of every function of
 * the harness that takes err and errlen. */
int verdict_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *verdict_role_name(verdict_role role);
const char *verdict_outcome_name(verdict_outcome outcome);

/* Writes the verdict as one JSON object, keys in the specification's
 * order. */
void verdict_to_json(const verdict *v, json_writer *w);

/* Whether two verdicts have the same JSON (the same verdict). */
bool verdict_same(const verdict *a, const verdict *b);

/* Prints "LABEL: JSON" and a newline to f (the fuzz targets' findings). */
void verdict_print(FILE *f, const char *label, const verdict *v);

#endif /* H11C_DIFF_VERDICT_H */
