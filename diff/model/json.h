/*
 * A small JSON writer for the differential tools.
 *
 * Output is one line, with Python's json.dumps default separators (", "
 * between elements, ": " after keys), so a Python tool can produce
 * byte-identical text.  Byte strings are decoded as Latin-1: every byte is
 * one code point.  Escapes: \" \\ \n \r \t, and \u00xx (lower-case hex)
 * for every other byte below 0x20 and every byte from 0x7f up; all other
 * bytes are written as they are.
 *
 * Errors (allocation failure, nesting too deep, a value where a key is
 * required) are sticky: json_writer_ok() reports them at the end.
 */
#ifndef H11C_DIFF_JSON_H
#define H11C_DIFF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
  char *buf; /* NUL-terminated once anything was written */
  size_t len;
  size_t cap;
  int depth;
  /* Per open container: true while it is still empty. */
  bool empty[JSON_MAX_DEPTH];
  /* Per open container: true for an object. */
  bool is_object[JSON_MAX_DEPTH];
  /* A key was written and its value has not been. */
  bool after_key;
  bool failed;
} json_writer;

void json_writer_init(json_writer *w);
void json_writer_free(json_writer *w);
/* Forget the text written so far (keeps the buffer). */
void json_writer_reset(json_writer *w);
/* The text written so far, NUL-terminated ("" if nothing). */
const char *json_writer_str(const json_writer *w);
size_t json_writer_len(const json_writer *w);
/* False after any error, and while a container is still open. */
bool json_writer_ok(const json_writer *w);

void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);
/* An object key (a NUL-terminated ASCII string). */
void json_key(json_writer *w, const char *key);

/* A string value: len bytes decoded as Latin-1. */
void json_latin1(json_writer *w, const uint8_t *s, size_t len);
/* A string value from a NUL-terminated string (bytes as Latin-1). */
void json_cstr(json_writer *w, const char *s);
void json_int(json_writer *w, long long v);
void json_uint(json_writer *w, uint64_t v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);

#endif /* H11C_DIFF_JSON_H */
