/*
 * writers: events become bytes (h11's _writers).
 *
 * Each writer computes the exact size of what it writes, reserves it in
 * the output once, and then copies without further checks.
 */
#include "h11c_writers.h"

#include "h11c_abnf.h"

#include <string.h>

static uint8_t *copy(uint8_t *w, const void *p, size_t n) {
  if (n)
    memcpy(w, p, n);
  return w + n;
}

#define COPY_LIT(w, s) copy((w), (s), sizeof(s) - 1)

/* Adds n to *total; false on overflow. */
static bool add_size(size_t *total, size_t n) {
  if (n > SIZE_MAX - *total)
    return false;
  *total += n;
  return true;
}

/* The size of a header section as write_headers() writes it. */
static bool headers_size(const h11c_header *h, size_t n, size_t *total) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!add_size(total, h11c__hdr_name(&h[i]).len) ||
        !add_size(total, h[i].value.len) || !add_size(total, 4))
      return false;
  return add_size(total, 2);
}

static uint8_t *write_field(uint8_t *w, const h11c_header *h) {
  h11c_slice name = h11c__hdr_name(h);
  w = copy(w, name.base, name.len);
  w = COPY_LIT(w, ": ");
  w = copy(w, h->value.base, h->value.len);
  return COPY_LIT(w, "\r\n");
}

/* h11's write_headers: Host first, then the rest in order, then CRLF. */
static uint8_t *write_headers(uint8_t *w, const h11c_header *h, size_t n,
                              bool host_late) {
  size_t i;
  if (host_late) {
    for (i = 0; i < n; i++)
      if (H11C__IEQ(h11c__hdr_name(&h[i]), "host"))
        w = write_field(w, &h[i]);
    for (i = 0; i < n; i++)
      if (!H11C__IEQ(h11c__hdr_name(&h[i]), "host"))
        w = write_field(w, &h[i]);
  } else {
    for (i = 0; i < n; i++)
      w = write_field(w, &h[i]);
  }
  return COPY_LIT(w, "\r\n");
}

/* Makes room for size bytes of output and returns where they go, or NULL
 * (out of memory). */
static uint8_t *reserve_out(h11c__bytes *out, const h11c_mem *mem,
                            size_t size) {
  if (h11c__bytes_reserve(out, mem, size) != 0)
    return NULL;
  return out->data;
}

static void finish_out(h11c__bytes *out, const uint8_t *w) {
  out->len = (size_t)(w - out->data);
}

/* Writes v in the given base (10 or 16, lower-case digits) at the end of
 * buf[0, 24) and returns where the digits start. */
static char *format_uint(char buf[24], uint64_t v, unsigned base) {
  char *p = buf + 24;
  do {
    *--p = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  return p;
}

h11c_reason h11c__write_event(h11c__wbody *wr, h11c__bytes *out,
                              const h11c_mem *mem, const h11c_event *ev,
                              const h11c_header *headers, size_t nheaders,
                              bool host_late, bool *psuffix) {
  char num[24], *digits;
  size_t ndigits, size = 0;
  uint8_t *w;
  out->len = 0;
  *psuffix = false;
  switch (ev->type) {
  case H11C_EV_REQUEST:
    if (!add_size(&size, ev->method.len) || !add_size(&size, ev->target.len) ||
        !add_size(&size, sizeof(" ") - 1 + sizeof(" HTTP/1.1\r\n") - 1) ||
        !headers_size(headers, nheaders, &size) ||
        !(w = reserve_out(out, mem, size)))
      return H11C_REASON_NOMEM;
    w = copy(w, ev->method.base, ev->method.len);
    w = COPY_LIT(w, " ");
    w = copy(w, ev->target.base, ev->target.len);
    w = COPY_LIT(w, " HTTP/1.1\r\n");
    finish_out(out, write_headers(w, headers, nheaders, host_late));
    return H11C_REASON_NONE;
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
    /* validated: 100 <= status_code < 1000 */
    digits = format_uint(num, (uint64_t)ev->status_code, 10);
    ndigits = (size_t)(num + sizeof(num) - digits);
    if (!add_size(&size, ev->reason.len) ||
        !add_size(&size, sizeof("HTTP/1.1  \r\n") - 1 + ndigits) ||
        !headers_size(headers, nheaders, &size) ||
        !(w = reserve_out(out, mem, size)))
      return H11C_REASON_NOMEM;
    w = COPY_LIT(w, "HTTP/1.1 ");
    w = copy(w, digits, ndigits);
    w = COPY_LIT(w, " ");
    w = copy(w, ev->reason.base, ev->reason.len);
    w = COPY_LIT(w, "\r\n");
    finish_out(out, write_headers(w, headers, nheaders, host_late));
    return H11C_REASON_NONE;
  case H11C_EV_DATA:
    if (wr->framing == H11C__FRAMING_LENGTH) {
      if (ev->data.len > wr->remaining)
        return H11C_REASON_TOO_MUCH_DATA;
      wr->remaining -= ev->data.len;
    } else if (wr->framing == H11C__FRAMING_CHUNKED && ev->data.len) {
      digits = format_uint(num, (uint64_t)ev->data.len, 16);
      ndigits = (size_t)(num + sizeof(num) - digits);
      if (!add_size(&size, ev->chunk_ext.len) ||
          !add_size(&size, ndigits + 2) || !(w = reserve_out(out, mem, size)))
        return H11C_REASON_NOMEM;
      w = copy(w, digits, ndigits);
      w = copy(w, ev->chunk_ext.base, ev->chunk_ext.len);
      finish_out(out, COPY_LIT(w, "\r\n"));
      *psuffix = true;
    }
    return H11C_REASON_NONE;
  case H11C_EV_END_OF_MESSAGE:
    if (wr->framing == H11C__FRAMING_LENGTH) {
      if (wr->remaining != 0)
        return H11C_REASON_TOO_LITTLE_DATA;
      if (nheaders)
        return H11C_REASON_TRAILERS_WITH_CONTENT_LENGTH;
    } else if (wr->framing == H11C__FRAMING_CHUNKED) {
      size = 3;
      if (!headers_size(headers, nheaders, &size) ||
          !(w = reserve_out(out, mem, size)))
        return H11C_REASON_NOMEM;
      w = COPY_LIT(w, "0\r\n");
      finish_out(out, write_headers(w, headers, nheaders, host_late));
    } else if (nheaders) {
      return H11C_REASON_TRAILERS_TO_HTTP10;
    }
    return H11C_REASON_NONE;
  default:
    return H11C_REASON_NONE;
  }
}
