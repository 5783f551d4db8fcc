/*
 * A grammar of request-smuggling-prone mutations of HTTP/1.1 messages, for
 * the explorer and the libFuzzer target's custom mutator:
 *
 *   content-length  a Content-Length field with a variant value (signs,
 *                   lists, leading zeros, spaces, hex, huge, empty), added,
 *                   replaced or duplicated with a conflicting value
 *   te              a Transfer-Encoding field with a variant value
 *                   (chunked in other cases, lists, unknown codings,
 *                   quotes, parameters, control bytes) or name
 *   field-games     whitespace and case games on a field line: space or
 *                   tab before the colon, no space after it, a leading
 *                   space, '_' for '-', upper/lower case, control or
 *                   obs-text bytes around the value
 *   obs-fold        a value split over a continuation line, or a
 *                   whitespace-led line inserted
 *   line-endings    a CRLF made a bare LF or a bare CR (or doubled), a bare
 *                   CR or LF inserted
 *   chunked         the body re-encoded as chunked with variant chunk
 *                   sizes (leading zeros, upper case, spaces, signs, 0x,
 *                   huge), extensions (bare ';', quoted strings, bare CR),
 *                   data terminators and last chunks
 *   version         the HTTP-version varied (1.0, 1.2, 2.0, 0.9, case,
 *                   two digits, missing)
 *   method          the method (or, for responses, the status code) varied
 *   fields          a field duplicated or with a conflicting value; Host
 *                   removed or doubled; Connection close/keep-alive/upgrade,
 *                   Upgrade, Expect added
 *   trailers        fields (framing ones included) added after the last
 *                   chunk
 *   bytes           a meaningful byte inserted, a byte deleted or replaced
 *   splice          another seed appended (pipelining), the message
 *                   doubled, the input cut
 *   request-method  (client role) the method of the request being answered
 */
#ifndef H11C_DIFF_MUTATE_H
#define H11C_DIFF_MUTATE_H

#include <stddef.h>
#include <stdint.h>

#include "diff/model/verdict.h"

typedef struct mut_rng {
  uint64_t s;
} mut_rng;

uint64_t mut_next(mut_rng *r);
/* In [0, n), n >= 1. */
size_t mut_below(mut_rng *r, size_t n);

/* A seed input that splice can take from. */
typedef struct mut_seed {
  const uint8_t *data;
  size_t len;
} mut_seed;

#define MUT_METHOD_MAX 32

/* Applies one mutation to in (len bytes) and writes the result (at most max
 * bytes) to out; method (MUT_METHOD_MAX bytes, "" = GET) is the client
 * role's request method, which a mutation may change.  Returns the new
 * length; *name receives the mutation's name. */
size_t mut_apply(mut_rng *r, const uint8_t *in, size_t len, verdict_role role,
                 char *method, const mut_seed *seeds, size_t nseeds,
                 uint8_t *out, size_t max, const char **name);

#endif /* H11C_DIFF_MUTATE_H */
