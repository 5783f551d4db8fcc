/*
 * The http_parser adapter for the canonical verdict: http_parser 2.9.4
 * (Debian's libhttp-parser-dev), driven the way Node.js drove it before
 * llhttp (the same JavaScript on top: see verdict_llhttp.h).
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
 * The status hint of an error is always 400.
 */
#ifndef H11C_DIFF_VERDICT_HTTP_PARSER_H
#define H11C_DIFF_VERDICT_HTTP_PARSER_H

#include "verdict.h"

/* impl "http_parser". */
int verdict_http_parser(const verdict_params *params, const uint8_t *data,
                        size_t len, verdict *out, char *err, size_t errlen);

#endif /* H11C_DIFF_VERDICT_HTTP_PARSER_H */
