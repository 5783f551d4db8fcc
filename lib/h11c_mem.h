/*
 * mem: the allocator hooks of a connection and the growable storage built
 * on them.  Knows no other module.
 */
#ifndef H11C_MEM_H
#define H11C_MEM_H

#include "h11c.h"

#include <stddef.h>
#include <stdint.h>

/* The C library's malloc, realloc and free as hooks. */
void h11c__mem_default(h11c_mem *mem);

/* The hooks, with size 0 allocating one byte and NULL handled as C's
 * realloc and free do. */
void *h11c__malloc(const h11c_mem *mem, size_t size);
void *h11c__realloc(const h11c_mem *mem, void *ptr, size_t size);
void h11c__free(const h11c_mem *mem, void *ptr);

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

/* A growable byte buffer. */
typedef struct h11c__bytes {
  uint8_t *data;
  size_t len;
  size_t cap;
} h11c__bytes;

int h11c__bytes_grow(h11c__bytes *b, const h11c_mem *mem, size_t need);
/* Makes room for at least need bytes in total.  Returns 0 or -1 (out of
 * memory; the buffer is then unchanged). */
static inline int h11c__bytes_reserve(h11c__bytes *b, const h11c_mem *mem,
                                      size_t need) {
  return need <= b->cap ? 0 : h11c__bytes_grow(b, mem, need);
}
/* Appends len bytes.  Returns 0 or -1 (out of memory, nothing appended). */
int h11c__bytes_append(h11c__bytes *b, const h11c_mem *mem, const void *p,
                       size_t len);
void h11c__bytes_free(h11c__bytes *b, const h11c_mem *mem);

/* A growable array of header fields. */
typedef struct h11c__fields {
  h11c_header *v;
  size_t cap;
} h11c__fields;

int h11c__fields_grow(h11c__fields *f, const h11c_mem *mem, size_t n);
/* Makes room for at least n fields.  Returns 0 or -1 (out of memory; the
 * array is then unchanged). */
static inline int h11c__fields_reserve(h11c__fields *f, const h11c_mem *mem,
                                       size_t n) {
  return n <= f->cap ? 0 : h11c__fields_grow(f, mem, n);
}
void h11c__fields_free(h11c__fields *f, const h11c_mem *mem);

#endif /* H11C_MEM_H */
