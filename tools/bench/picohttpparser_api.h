/*
 * The API of picohttpparser as exported by Debian's libh2o-evloop0.13
 * (h2o 2.2.5 bundles picohttpparser and exports its phr_* functions, but
 * no package ships the header).  Declared from picohttpparser's
 * documented interface; the layout of phr_chunked_decoder matches the
 * library's phr_decode_chunked (which touches offsets 0, 8, 9 and 10).
 */
#ifndef H11C_BENCH_PICOHTTPPARSER_API_H
#define H11C_BENCH_PICOHTTPPARSER_API_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One header field; name is NULL for an obs-fold continuation line. */
struct phr_header {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
};

/* Each returns the number of bytes of the head consumed, -2 if the head is
 * incomplete, -1 on a parse error.  *num_headers is the capacity of
 * headers on entry and the count on return.  last_len is the length of the
 * buffer at the previous call for the same head (0 the first time), so
 * that an incomplete head is not rescanned. */
int phr_parse_request(const char *buf, size_t len, const char **method,
                      size_t *method_len, const char **path, size_t *path_len,
                      int *minor_version, struct phr_header *headers,
                      size_t *num_headers, size_t last_len);

int phr_parse_response(const char *buf, size_t len, int *minor_version,
                       int *status, const char **msg, size_t *msg_len,
                       struct phr_header *headers, size_t *num_headers,
                       size_t last_len);

int phr_parse_headers(const char *buf, size_t len, struct phr_header *headers,
                      size_t *num_headers, size_t last_len);

/* Zero-filled before the first call for a body. */
struct phr_chunked_decoder {
  size_t bytes_left_in_chunk; /* bytes left in the current chunk */
  char consume_trailer;       /* consume the trailer section too */
  char _hex_count;
  char _state;
};

/* Decodes chunked data in place: buf[0, *bufsz) is rewritten to the
 * decoded bytes, whose count is stored in *bufsz.  Returns -2 if the body
 * is not complete yet (feed the next bytes in a new call), -1 on error, or
 * the number of bytes after the end of the body, which the call moved to
 * buf + *bufsz. */
ssize_t phr_decode_chunked(struct phr_chunked_decoder *decoder, char *buf,
                           size_t *bufsz);

/* Whether the decoder is in the middle of chunk data. */
int phr_decode_chunked_is_in_data(struct phr_chunked_decoder *decoder);

#ifdef __cplusplus
}
#endif

#endif /* H11C_BENCH_PICOHTTPPARSER_API_H */
