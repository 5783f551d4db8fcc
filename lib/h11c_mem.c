/*
 * mem: allocator hooks and growable storage.
 */
#include "h11c_mem.h"

#include <stdlib.h>
#include <string.h>

static void *default_malloc(size_t size, void *user) {
  (void)user;
  return malloc(size);
}
static void *default_realloc(void *ptr, size_t size, void *user) {
  (void)user;
  return realloc(ptr, size);
}
static void default_free(void *ptr, void *user) {
  (void)user;
  free(ptr);
}

void h11c__mem_default(h11c_mem *mem) {
  mem->user = NULL;
  mem->malloc = default_malloc;
  mem->realloc = default_realloc;
  mem->free = default_free;
}

void *h11c__malloc(const h11c_mem *mem, size_t size) {
  return mem->malloc(size ? size : 1, mem->user);
}
void *h11c__realloc(const h11c_mem *mem, void *ptr, size_t size) {
  if (!ptr)
    return h11c__malloc(mem, size);
  return mem->realloc(ptr, size ? size : 1, mem->user);
}
void h11c__free(const h11c_mem *mem, void *ptr) {
  if (ptr)
    mem->free(ptr, mem->user);
}

/* Grows *pdata, an array of *pcap elements of elem bytes, by doubling
 * (from first) to hold need elements.  Returns 0 or -1 (nothing changed
 * then). */
static int grow(const h11c_mem *mem, void **pdata, size_t *pcap, size_t elem,
                size_t first, size_t need) {
  size_t ncap;
  void *nd;
  ncap = h11c__grown_cap(*pcap, first, need);
  if (!ncap || ncap > SIZE_MAX / elem)
    return -1;
  nd = h11c__realloc(mem, *pdata, ncap * elem);
  if (!nd)
    return -1;
  *pdata = nd;
  *pcap = ncap;
  return 0;
}

int h11c__bytes_grow(h11c__bytes *b, const h11c_mem *mem, size_t need) {
  void *p = b->data;
  int rv = grow(mem, &p, &b->cap, 1, 64, need);
  b->data = p;
  return rv;
}

int h11c__bytes_append(h11c__bytes *b, const h11c_mem *mem, const void *p,
                       size_t len) {
  if (len == 0)
    return 0;
  if (len > SIZE_MAX - b->len || h11c__bytes_reserve(b, mem, b->len + len) != 0)
    return -1;
  memcpy(b->data + b->len, p, len);
  b->len += len;
  return 0;
}

void h11c__bytes_free(h11c__bytes *b, const h11c_mem *mem) {
  h11c__free(mem, b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int h11c__fields_grow(h11c__fields *f, const h11c_mem *mem, size_t n) {
  void *p = f->v;
  int rv = grow(mem, &p, &f->cap, sizeof(*f->v), 16, n);
  f->v = p;
  return rv;
}

void h11c__fields_free(h11c__fields *f, const h11c_mem *mem) {
  h11c__free(mem, f->v);
  f->v = NULL;
  f->cap = 0;
}
