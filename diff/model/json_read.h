/*
 * A small JSON reader for the differential tools: the verdicts of the h11py
 * worker, the known-differences and peer-quirks files.
 *
 * Strings are byte strings: raw bytes are kept as they are (UTF-8 text
 * stays UTF-8), a \u escape below 0x100 is that one byte (the Latin-1
 * reading that diff/model/json.h writes), and any other \u escape (surrogate
 * pairs included) becomes its UTF-8 encoding.  Every string is also
 * NUL-terminated for convenience; len counts the bytes.
 */
#ifndef H11C_DIFF_JSON_READ_H
#define H11C_DIFF_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum jv_type {
  JV_NULL = 0,
  JV_BOOL,
  JV_NUMBER,
  JV_STRING,
  JV_ARRAY,
  JV_OBJECT
} jv_type;

typedef struct jv {
  jv_type type;
  bool b;
  double num;
  /* JV_NUMBER written as an integer that fits. */
  bool is_int;
  long long i;
  /* JV_STRING: bytes (NUL-terminated); also the keys of an object. */
  char *s;
  size_t len;
  /* JV_ARRAY, JV_OBJECT: n items; objects also have keys[i]/keylens[i]. */
  struct jv *items;
  char **keys;
  size_t *keylens;
  size_t n;
} jv;

/* Parses one JSON value (surrounding whitespace allowed).  Returns 0, or
 * -1 with a message in err (and *out freed). */
int jv_parse(const char *text, size_t len, jv *out, char *err, size_t errlen);
/* Reads and parses a file. */
int jv_parse_file(const char *path, jv *out, char *err, size_t errlen);
void jv_free(jv *v);

/* The member named key of an object, or NULL (also for non-objects). */
const jv *jv_get(const jv *obj, const char *key);
/* Convenience: the string member (NULL if absent or not a string). */
const char *jv_get_str(const jv *obj, const char *key);

#endif /* H11C_DIFF_JSON_READ_H */
