/*
 * Shared pieces of the h11c fuzz targets: property checks that abort with a
 * message, a growable byte buffer, a byte provider that turns fuzzer input
 * into choices, the split plans used to deliver bytes in pieces, a
 * counting (and optionally failing) allocator, and validity checks for
 * received events.
 *
 * Nothing here keeps state between inputs: every LLVMFuzzerTestOneInput
 * call starts from scratch, as persistent-mode engines require.
 */
#ifndef H11C_FUZZ_COMMON_H
#define H11C_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <h11c.h>

#ifdef __cplusplus
extern "C" {
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------------ */
/* Property checks                                                          */
/* ------------------------------------------------------------------------ */

/* Prints "property failed at FILE:LINE: COND: message" and aborts. */
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt,
               ...) __attribute__((noreturn, format(printf, 4, 5)));

/* Aborts with a message when cond is false.  A property violation is a
 * finding, exactly like a crash. */
#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond))                                                               \
      fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                       \
  } while (0)

/* Library bugs that are found but not fixed yet (fuzz/README.md, "Open
 * findings").  Campaign builds may define FUZZ_AVOID_OPEN_FINDINGS to 1 so
 * that a target keeps exploring instead of stopping at the same known bug;
 * regression replays never do, so the saved inputs keep failing until the
 * library is fixed. */
#ifndef FUZZ_AVOID_OPEN_FINDINGS
#define FUZZ_AVOID_OPEN_FINDINGS 0
#endif

/* Whether H11C_FUZZ_VERBOSE is set: targets then describe what they do on
 * stderr (for reproducing a finding by hand). */
bool fuzz_verbose(void);

/* ------------------------------------------------------------------------ */
/* Growable byte buffer (the harness's own memory, plain malloc)           */
/* ------------------------------------------------------------------------ */

typedef struct fbuf {
  uint8_t *p;
  size_t len, cap;
} fbuf;

void fbuf_put(fbuf *b, const void *p, size_t n);
void fbuf_puts(fbuf *b, const char *s);
void fbuf_printf(fbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends bytes with everything outside printable ASCII, '"' and '\\'
 * escaped C-style. */
void fbuf_escape(fbuf *b, const void *p, size_t n);
void fbuf_slice(fbuf *b, h11c_slice s);
/* A transcript's start line of a Request or (informational) response
 * event, without its version: REQUEST <method> <target> or
 * RESPONSE|INFORMATIONAL <code> "<reason>". */
void fbuf_start_line(fbuf *b, const h11c_event *ev);
/* NUL-terminated view (never NULL). */
const char *fbuf_str(fbuf *b);
void fbuf_free(fbuf *b);
bool fbuf_eq(const fbuf *a, const fbuf *b);

/* ------------------------------------------------------------------------ */
/* Byte provider: fuzzer bytes become choices; exhausted input gives 0s.   */
/* ------------------------------------------------------------------------ */

typedef struct fdp {
  const uint8_t *p;
  size_t n;
} fdp;

uint8_t fdp_u8(fdp *d);
uint16_t fdp_u16(fdp *d);
/* A value in [0, n), n >= 1. */
size_t fdp_below(fdp *d, size_t n);
bool fdp_bool(fdp *d);
/* Up to max bytes taken from the input (fewer if it runs out). */
h11c_slice fdp_bytes(fdp *d, size_t max);
bool fdp_empty(const fdp *d);

/* ------------------------------------------------------------------------ */
/* Split plans: how a byte stream is cut into receive_data() calls         */
/* ------------------------------------------------------------------------ */

typedef struct fsplit {
  /* 0: everything at once; 1: fixed pieces of m bytes; 2: random pieces
     of 1..m bytes. */
  int mode;
  size_t m;
  uint32_t rng;
} fsplit;

/* Everything at once. */
fsplit fsplit_whole(void);
/* The plan a split byte selects (fuzz/README.md, "Split byte"). */
fsplit fsplit_from_byte(uint8_t b, size_t total);
/* Length of the next piece when left bytes remain (left > 0). */
size_t fsplit_next(fsplit *s, size_t left);

/* ------------------------------------------------------------------------ */
/* Counting allocator                                                       */
/* ------------------------------------------------------------------------ */

#define FMEM_MAX_LIVE 256

typedef struct fmem {
  /* Live blocks, so that a free or realloc of a pointer the allocator did
     not hand out is caught. */
  void *ptr[FMEM_MAX_LIVE];
  size_t size[FMEM_MAX_LIVE];
  size_t nlive;
  size_t live_bytes, peak_bytes;
  /* Allocation calls so far (malloc and realloc). */
  unsigned long calls;
  /* If nonzero, call number fail_at fails; with fail_after, every call
     from then on fails too. */
  unsigned long fail_at;
  bool fail_after;
  unsigned long failures;
} fmem;

/* Hooks that route through *m (m must outlive the connections using it). */
h11c_mem fmem_hooks(fmem *m);
/* Aborts unless every block was freed. */
void fmem_check_empty(const fmem *m);

/* ------------------------------------------------------------------------ */
/* Received-event validity                                                  */
/* ------------------------------------------------------------------------ */

/* The byte classes of h11c's grammar, restated independently. */
bool fz_is_tchar(uint8_t c);
bool fz_is_vchar(uint8_t c);
bool fz_is_ows(uint8_t c);
/* NUL, LF, VT, FF, CR: refused anywhere inside a field value. */
bool fz_is_value_bad(uint8_t c);

bool fz_slice_eq(h11c_slice a, h11c_slice b);
bool fz_slice_eq_str(h11c_slice a, const char *s);
/* ASCII case-insensitive equality with a lower-case literal. */
bool fz_slice_ieq(h11c_slice a, const char *lower);
h11c_slice fz_strip_ows(h11c_slice s);

/* Number of fields whose (lower-case) name is lname. */
size_t fz_count(const h11c_header *h, size_t n, const char *lname);
/* The value of the first field named lname, or a NULL slice. */
h11c_slice fz_get(const h11c_header *h, size_t n, const char *lname);
/* Steps through the comma-separated elements of v: *pos starts at 0; each
 * call stores the next element, OWS stripped (it may be empty), in *el and
 * returns true, or returns false when none is left. */
bool fz_comma_next(h11c_slice v, size_t *pos, h11c_slice *el);
/* Whether a comma element of a field named lname equals token
 * (case-insensitively; token in lower case, NULL = any non-empty). */
bool fz_has_token(const h11c_header *h, size_t n, const char *lname,
                  const char *token);

/* Checks a received header list: names are tokens and the lower-cased
 * raw_name; values are stripped and hold no NUL/CR/LF/VT/FF; at most one
 * Content-Length (decimal, at most 20 digits, fits 64 bits) and one
 * Transfer-Encoding ("chunked").  On success *cl / *has_cl / *has_te
 * describe the framing headers (any may be NULL). */
void fz_check_fields(const h11c_header *h, size_t n, bool *has_cl, uint64_t *cl,
                     bool *has_te);

/* Checks a received Request or (Informational)Response event's start line
 * fields. */
void fz_check_head(const h11c_event *ev);

/* Checks the state-machine facts every call must leave true: both states
 * are valid, each side is in a state its role can be in, and the query
 * functions agree with each other. */
void fz_check_states(const h11c_conn *conn);

/* Reads every byte of every slice of ev, so that a dangling slice shows up
 * under a sanitizer; returns a value that depends on them. */
unsigned fz_touch_event(const h11c_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* H11C_FUZZ_COMMON_H */
