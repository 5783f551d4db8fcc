/*
 * The llhttp adapters for the canonical verdict: llhttp 8.1.0 (Debian's
 * node-llhttp), driven the way Node.js's http server and client drive it.
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
#ifndef H11C_DIFF_VERDICT_LLHTTP_H
#define H11C_DIFF_VERDICT_LLHTTP_H

#include "verdict.h"

/* Default flags (what Node.js uses).  impl "llhttp". */
int verdict_llhttp(const verdict_params *params, const uint8_t *data,
                   size_t len, verdict *out, char *err, size_t errlen);

/* Every lenient flag llhttp 8.1.0 has: headers, chunked_length,
 * keep_alive, transfer_encoding (llhttp 8.1.0 has no setter for the
 * version flag; it is set directly).  impl "llhttp-lenient". */
int verdict_llhttp_lenient(const verdict_params *params, const uint8_t *data,
                           size_t len, verdict *out, char *err, size_t errlen);

#endif /* H11C_DIFF_VERDICT_LLHTTP_H */
