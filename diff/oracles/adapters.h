/*
 * The in-process oracle adapters: each drives one implementation over one
 * input as the verdict format (diff/model/FORMAT.md) describes and
 * writes the canonical verdict.  All are verdict_impl_fn; the registry of
 * every oracle, the out-of-process h11py included, is oracles.h.
 */
#ifndef H11C_DIFF_ORACLES_ADAPTERS_H
#define H11C_DIFF_ORACLES_ADAPTERS_H

#include "diff/model/verdict.h"

/*
 * h11c (h11c.c): an h11c connection driven exactly as the format says.
 * This is the one h11c verdict driver: the harness, its fuzz target and
 * the fuzz targets in fuzz/ all call it.  impl "h11c".
 */
int verdict_h11c(const verdict_params *params, const uint8_t *data, size_t len,
                 verdict *out, char *err, size_t errlen);

/*
 * llhttp (llhttp.c): llhttp 8.1.0 (Debian's node-llhttp), driven the way
 * Node.js's http server and client drive it.
 *
 * Server role: every request is answered; an Upgrade or CONNECT request is
 * declined (llhttp_resume_after_upgrade, then parsing goes on).  After a
 * message that llhttp_should_keep_alive() says ends the connection, the
 * verdict is must_close.
 *
 * Client role (one exchange): on_headers_complete returns 2 (no body, a
 * switch) for any response to CONNECT, as Node.js does, and 1 (no body) for
 * 1xx other than 101, for 304 and for any response to HEAD.  A response
 * llhttp treats as an upgrade (101 with Upgrade) is a switch.
 *
 * llhttp gives no status code for an error: the hint is 400, which is what
 * Node.js answers to a parse error.
 */

/* Default flags (what Node.js uses).  impl "llhttp". */
int verdict_llhttp(const verdict_params *params, const uint8_t *data,
                   size_t len, verdict *out, char *err, size_t errlen);

/* Every lenient flag llhttp 8.1.0 has: headers, chunked_length,
 * keep_alive, transfer_encoding (llhttp 8.1.0 has no setter for the
 * version flag; it is set directly).  impl "llhttp-lenient". */
int verdict_llhttp_lenient(const verdict_params *params, const uint8_t *data,
                           size_t len, verdict *out, char *err, size_t errlen);

/*
 * http_parser (http_parser.c): http_parser 2.9.4 (Debian's
 * libhttp-parser-dev), driven the way Node.js drove it before llhttp (the
 * same JavaScript on top).
 *
 * Server role: every request is answered; after an Upgrade or CONNECT
 * request (http_parser stops there) the switch is declined by starting a
 * new parser at the next byte.  After a message that http_should_keep_alive()
 * says ends the connection, the verdict is must_close.
 *
 * Client role: on_headers_complete returns 2 (no body, a switch) for any
 * response to CONNECT, and 1 (no body) for 1xx other than 101, for 304 and
 * for any response to HEAD.  A response http_parser treats as an upgrade
 * is a switch.
 *
 * The status hint of an error is always 400.  impl "http_parser".
 */
int verdict_http_parser(const verdict_params *params, const uint8_t *data,
                        size_t len, verdict *out, char *err, size_t errlen);

#endif /* H11C_DIFF_ORACLES_ADAPTERS_H */
