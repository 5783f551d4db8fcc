/*
 * A growable byte buffer for tests and test tools: the one text buffer of
 * tests/ (and, through //tests:strbuf, of any harness that wants it).
 *
 * A zero-initialised strbuf is empty and ready; the contents are always
 * NUL-terminated after a call, so strbuf_str() can be used as a C string
 * when the bytes hold no NUL.  Out of memory aborts.
 */
#ifndef H11C_TESTS_STRBUF_H
#define H11C_TESTS_STRBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
  uint8_t *p;
  size_t len, cap;
} strbuf;

void strbuf_put(strbuf *b, const void *p, size_t n);
void strbuf_puts(strbuf *b, const char *s);
/* Appends n copies of byte c. */
void strbuf_fill(strbuf *b, uint8_t c, size_t n);
void strbuf_printf(strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends bytes escaped C-style: \r \n \t \0 \" \\ and \xHH for other
 * bytes outside printable ASCII. */
void strbuf_escape(strbuf *b, const void *p, size_t n);
/* NUL-terminated view of the contents (never NULL). */
const char *strbuf_str(strbuf *b);
void strbuf_reset(strbuf *b);
void strbuf_free(strbuf *b);

/* realloc that aborts instead of failing (n == 0 allocates one byte). */
void *strbuf_xrealloc(void *p, size_t n);

#endif /* H11C_TESTS_STRBUF_H */
