#!/usr/bin/python3
"""Writes corpus/smuggling/: the curated catalogue of discrepancy-prone inputs.

    tools/gen_smuggling_corpus.py [--check]

Each case below is one input, named for what it tests, in the corpus layout
(server/NAME.http; client/NAME.http or client/NAME.METHOD.http), with the
verdict h11c is expected to give, written by hand:

  - the input is given as a list of parts, and the first N parts are the
    messages h11c is expected to complete, in order (so their ends are the
    running sums of the part lengths);
  - the outcome (closed, must_close, error, incomplete, switched), the
    error's status hint, and whether an incomplete message's head was
    accepted (a message with end null).

The catalogue's row numbers ("ref") are those of
shared/research/smuggling-catalogue.md, section 3.  The cases and their
expectations go to corpus/smuggling/cases.json, which diff/smuggling_test
checks h11c against.  --check only verifies that the files on disk are what
this script would write.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "corpus", "smuggling")

CASES = []


def case(name, role, parts, expect, about, ref="", classes=(), method=None):
    """expect: ("closed",) | ("closed", n) | ("must_close", n) |
    ("switched", n) | ("error", n, hint, partial) |
    ("incomplete", n, partial)."""
    parts = [p.encode("latin-1") if isinstance(p, str) else p for p in parts]
    CASES.append(
        dict(
            name=name,
            role=role,
            method=method,
            parts=parts,
            expect=expect,
            about=about,
            ref=ref,
            classes=list(classes),
        )
    )


def expectation(c):
    parts = c["parts"]
    data = b"".join(parts)
    e = c["expect"]
    kind = e[0]
    ends = []
    total = 0
    for p in parts:
        total += len(p)
        ends.append(total)
    out = {"outcome": kind, "hint": None}
    if kind == "closed":
        n = e[1] if len(e) > 1 else len(parts)
        out["ends"] = ends[:n]
        out["messages"] = n
        out["leftover"] = len(data) - (ends[n - 1] if n else 0)
        if c["role"] == "server":
            assert out["leftover"] == 0, c["name"]
    elif kind in ("must_close", "switched"):
        n = e[1]
        out["ends"] = ends[:n]
        out["messages"] = n
        out["leftover"] = len(data) - (ends[n - 1] if n else 0)
    elif kind == "error":
        n, hint, partial = e[1], e[2], e[3]
        out["ends"] = ends[:n]
        out["messages"] = n + (1 if partial else 0)
        out["leftover"] = 0
        out["hint"] = hint
        out["offset"] = ends[n - 1] if n else 0
    elif kind == "incomplete":
        n, partial = e[1], e[2]
        out["ends"] = ends[:n]
        out["messages"] = n + (1 if partial else 0)
        out["leftover"] = 0
    else:
        raise ValueError(kind)
    return out


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

NEXT = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
CHUNKED_HELLO = "5\r\nhello\r\n0\r\n\r\n"


def req(head_fields, body="", method="POST", target="/", version="HTTP/1.1",
        host=True):
    lines = ["%s %s %s\r\n" % (method, target, version)]
    if host:
        lines.append("Host: a\r\n")
    for f in head_fields:
        lines.append(f + "\r\n")
    lines.append("\r\n")
    return "".join(lines) + body


def resp(head_fields, body="", status="200 OK", version="HTTP/1.1"):
    lines = ["%s %s\r\n" % (version, status)]
    for f in head_fields:
        lines.append(f + "\r\n")
    lines.append("\r\n")
    return "".join(lines) + body


def chunked_req(ext_or_body, fields=("Transfer-Encoding: chunked",)):
    return req(list(fields), ext_or_body)


S, C = "server", "client"
OK = ("closed",)


def err(after=0, hint=400, partial=False):
    return ("error", after, hint, partial)


def inc(after=0, partial=True):
    return ("incomplete", after, partial)


# ---------------------------------------------------------------------------
# A. Content-Length (server)
# ---------------------------------------------------------------------------
CL = ("content-length",)

case("cl_duplicate_same", S, [req(["Content-Length: 5", "Content-Length: 5"], "hello"), NEXT], OK,
     "Two identical Content-Length fields: collapsed into one (RFC 9110 8.6 allows it).", "A1", CL)
case("cl_conflicting_5_0", S, [req(["Content-Length: 5", "Content-Length: 0"], "hello"), NEXT], err(),
     "Two different Content-Length values: unrecoverable framing error.", "A2", CL)
case("cl_list_same", S, [req(["Content-Length: 5, 5"], "hello"), NEXT], OK,
     "A list of identical Content-Length values in one field.", "A3", CL)
case("cl_list_conflicting", S, [req(["Content-Length: 5, 0"], "hello"), NEXT], err(),
     "A list of different Content-Length values (PortSwigger CL-commasuffix).", "A4", CL)
case("cl_list_conflicting_prefix", S, [req(["Content-Length: 0, 5"], "hello"), NEXT], err(),
     "Different values, the smaller first (CL-commaprefix).", "A4", CL)
case("cl_plus_sign", S, [req(["Content-Length: +5"], "hello"), NEXT], err(),
     "A signed Content-Length (int()-style parsers accept it).", "A5", CL)
case("cl_minus_sign", S, [req(["Content-Length: -5"], "hello"), NEXT], err(),
     "A negative Content-Length.", "A5", CL)
case("cl_leading_zeros", S, [req(["Content-Length: 005"], "hello"), NEXT], OK,
     "Leading zeros are decimal, not octal.", "A6", CL)
case("cl_hex", S, [req(["Content-Length: 0x5"], "hello"), NEXT], err(),
     "A hexadecimal Content-Length.", "A7", CL)
case("cl_empty", S, [req(["Content-Length: "], "hello"), NEXT], err(),
     "An empty Content-Length value.", "A8", CL)
case("cl_empty_then_5", S, [req(["Content-Length: ", "Content-Length: 5"], "hello"), NEXT], err(),
     "An empty Content-Length followed by a valid one.", "A8", CL)
case("cl_trailing_garbage", S, [req(["Content-Length: 5Z"], "hello"), NEXT], err(),
     "Garbage after the digits (longest-prefix parsers read 5).", "A9", CL)
case("cl_underscore", S, [req(["Content-Length: 0_5"], "hello"), NEXT], err(),
     "An underscore between digits (Python int() accepts it).", "A9", CL)
case("cl_inner_space", S, [req(["Content-Length: 0 5"], "hello"), NEXT], err(),
     "A space between digits.", "A9", CL)
case("cl_decimal_point", S, [req(["Content-Length: 5.0"], "hello"), NEXT], err(),
     "A decimal point (DesyncBox CL-dec).", "A9", CL)
case("cl_exponent", S, [req(["Content-Length: 5e0"], "hello"), NEXT], err(),
     "An exponent (DesyncBox CL-e).", "A9", CL)
case("cl_2_pow_64_plus_5", S, [req(["Content-Length: 18446744073709551621"], "hello"), NEXT], err(),
     "2^64+5: a parser that wraps reads 5 bytes.", "A10", CL)
case("cl_21_digits", S, [req(["Content-Length: 000000000000000000005"], "hello"), NEXT], err(),
     "21 digits with leading zeros: over h11's 20-digit cap.", "A11", CL)
case("cl_20_digits", S, [req(["Content-Length: 00000000000000000005"], "hello"), NEXT], OK,
     "20 digits with leading zeros: at the cap, accepted.", "A11", CL)
case("cl_space_before_colon", S, [req(["Content-Length : 5"], "hello"), NEXT], err(),
     "Whitespace between field name and colon must be rejected.", "A12", CL + ("field-syntax",))
case("cl_on_get", S, [req(["Content-Length: 5"], "hello", method="GET"), NEXT], OK,
     "GET with a Content-Length body: framing applies to every method.", "A13", CL)
case("cl_on_head_request", S, [req(["Content-Length: 5"], "hello", method="HEAD"), NEXT], OK,
     "HEAD request with a body.", "A14", CL)
case("cl_on_options", S, [req(["Content-Length: 5"], "hello", method="OPTIONS"), NEXT], OK,
     "OPTIONS request with a body.", "A14", CL)
case("cl_zero_body_poison", S, [req(["Content-Length: 0"]), "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"], OK,
     "Content-Length: 0 followed by bytes that form a second request (CL.0).", "A13", CL)
case("cl_larger_than_data", S, [req(["Content-Length: 10"], "hello")], inc(),
     "The body ends early: incomplete at EOF.", "", CL)
case("cl_tab_before_value", S, [req(["Content-Length:\t5"], "hello"), NEXT], OK,
     "HTAB is optional whitespace.", "", CL)
case("cl_trailing_space", S, [req(["Content-Length: 5 "], "hello"), NEXT], OK,
     "Trailing whitespace is not part of the value.", "", CL)
case("cl_trailing_comma", S, [req(["Content-Length: 5,"], "hello"), NEXT], err(),
     "A trailing comma: an empty list element is not the same value.", "", CL)
case("cl_obs_fold", S, [req(["Content-Length:\r\n 5"], "hello"), NEXT], OK,
     "Content-Length value on a continuation line (folded into ' 5').", "A/G69", CL + ("obs-fold",))
case("cl_nbsp_prefix", S, [req(["Content-Length: \xa05"], "hello"), NEXT], err(),
     "NBSP before the digits (some parsers strip it).", "C28", CL)
case("cl_http10_request", S, [req(["Content-Length: 5"], "hello", version="HTTP/1.0"), NEXT],
     ("must_close", 1), "An HTTP/1.0 request with a body: the connection closes after it.", "I94", CL + ("version",))
case("cl_vertical_tab", S, [req(["Content-Length:\x0b5"], "hello"), NEXT], err(),
     "VT before the digits.", "C27", CL)

# ---------------------------------------------------------------------------
# B. CL together with TE (server)
# ---------------------------------------------------------------------------
CLTE = ("content-length", "transfer-encoding")

case("cl_then_te", S, [req(["Content-Length: 5", "Transfer-Encoding: chunked"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL then TE: framed by TE, and the server must close afterwards (RFC 9112 6.1).", "B15", CLTE)
case("te_then_cl", S, [req(["Transfer-Encoding: chunked", "Content-Length: 5"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "TE then CL.", "B16", CLTE)
case("cl_te_cl_shorter", S, [req(["Content-Length: 4", "Transfer-Encoding: chunked"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL smaller than the chunked body: a CL reader leaves chunk bytes behind.", "B15", CLTE)
case("cl_te_cl_zero", S, [req(["Content-Length: 0", "Transfer-Encoding: chunked"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL: 0 with a chunked body (the classic CL.TE).", "B15", CLTE)
case("te_empty_then_cl", S, [req(["Transfer-Encoding: ", "Content-Length: 5"], "hello"), NEXT],
     err(hint=None), "An empty TE, then CL: TE is present but chunked is not final.", "B17", CLTE)
case("cl_then_te_empty", S, [req(["Content-Length: 5", "Transfer-Encoding: "], "hello"), NEXT],
     err(hint=None), "CL, then an empty TE.", "B17", CLTE)
case("te_chunked_http10", S, [req(["Transfer-Encoding: chunked"], CHUNKED_HELLO, version="HTTP/1.0"), NEXT],
     ("must_close", 1), "HTTP/1.0 with chunked: faulty framing, closed after the message.", "B18", CLTE + ("version",))
case("te_cl_http10", S, [req(["Transfer-Encoding: chunked", "Content-Length: 5"], CHUNKED_HELLO, version="HTTP/1.0"), NEXT],
     ("must_close", 1), "HTTP/1.0 with TE and CL.", "B19", CLTE + ("version",))
case("cl_te_obs_fold_te", S, [req(["Content-Length: 5", "Transfer-Encoding:\r\n chunked"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL, and TE folded onto a continuation line.", "C29", CLTE + ("obs-fold",))
case("cl_te_te_uppercase", S, [req(["Content-Length: 5", "Transfer-Encoding: CHUNKED"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL and TE: CHUNKED (case-insensitive coding name).", "C26", CLTE)

# ---------------------------------------------------------------------------
# C. Transfer-Encoding value and name obfuscation (server)
# ---------------------------------------------------------------------------
TE = ("transfer-encoding",)

case("te_two_chunked_fields", S, [req(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], CHUNKED_HELLO), NEXT],
     err(hint=None), "chunked applied twice (two fields).", "C20", TE)
case("te_chunked_chunked_list", S, [req(["Transfer-Encoding: chunked, chunked"], CHUNKED_HELLO), NEXT],
     err(hint=None), "chunked applied twice (one list).", "C20", TE)
case("te_chunked_identity", S, [req(["Transfer-Encoding: chunked, identity"], CHUNKED_HELLO), NEXT],
     err(hint=400), "chunked not final (DesyncBox commaCow).", "C21", TE)
case("te_identity_chunked", S, [req(["Transfer-Encoding: identity, chunked"], CHUNKED_HELLO), NEXT],
     err(hint=501), "An unsupported coding before chunked (cowComma).", "C22", TE)
case("te_gzip_chunked", S, [req(["Transfer-Encoding: gzip, chunked"], CHUNKED_HELLO), NEXT],
     err(hint=501), "gzip then chunked: chunked is final, gzip unsupported.", "C22", TE)
case("te_leading_comma", S, [req(["Transfer-Encoding: ,chunked"], CHUNKED_HELLO), NEXT],
     err(hint=None), "An empty list element before chunked.", "C23", TE)
case("te_trailing_comma", S, [req(["Transfer-Encoding: chunked,"], CHUNKED_HELLO), NEXT],
     err(hint=None), "An empty list element after chunked.", "C24", TE)
case("te_xchunked", S, [req(["Transfer-Encoding: xchunked"], CHUNKED_HELLO), NEXT], err(hint=None),
     "An unknown coding that contains 'chunked'.", "C25", TE)
case("te_chunk", S, [req(["Transfer-Encoding: chunk"], CHUNKED_HELLO), NEXT], err(hint=None),
     "A prefix of chunked (DesyncBox lazygrep).", "C25", TE)
case("te_quoted", S, [req(['Transfer-Encoding: "chunked"'], CHUNKED_HELLO), NEXT], err(hint=None),
     "chunked in double quotes.", "C25", TE)
case("te_single_quoted", S, [req(["Transfer-Encoding: 'chunked'"], CHUNKED_HELLO), NEXT], err(hint=None),
     "chunked in single quotes.", "C25", TE)
case("te_chunked_param", S, [req(["Transfer-Encoding: chunked;a=b"], CHUNKED_HELLO), NEXT], err(hint=None),
     "A parameter on chunked.", "C25", TE)
case("te_identity_with_cl", S, [req(["Transfer-Encoding: identity", "Content-Length: 5"], "hello"), NEXT], err(hint=None),
     "identity (obsolete) with a CL.", "C25", CLTE)
case("te_gzip_only_with_cl", S, [req(["Transfer-Encoding: gzip", "Content-Length: 5"], "hello"), NEXT], err(hint=400),
     "gzip only, with CL: chunked is not final.", "C25", CLTE)
case("te_uppercase", S, [req(["Transfer-Encoding: CHUNKED"], CHUNKED_HELLO), NEXT], OK,
     "Coding names are case-insensitive.", "C26", TE)
case("te_mixed_case_name", S, [req(["tRANSFER-eNCODING: chunked"], CHUNKED_HELLO), NEXT], OK,
     "Field names are case-insensitive.", "C26", TE)
case("cl_te_chunked_trailing_tab", S, [req(["Content-Length: 5", "Transfer-Encoding: chunked\t"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "CL, and TE 'chunked' followed by HTAB (OWS, so still chunked).", "C26", CLTE)
case("te_chunked_trailing_tab", S, [req(["Transfer-Encoding: chunked\t"], CHUNKED_HELLO), NEXT], OK,
     "TE 'chunked' followed by HTAB: trailing OWS is not part of the value.", "C26", TE)
case("te_tab_prefix", S, [req(["Transfer-Encoding:\tchunked"], CHUNKED_HELLO), NEXT], OK,
     "HTAB before the value.", "C26", TE)
case("te_trailing_space", S, [req(["Transfer-Encoding: chunked "], CHUNKED_HELLO), NEXT], OK,
     "Trailing SP after chunked.", "C26", TE)
case("te_vt_prefix", S, [req(["Transfer-Encoding:\x0bchunked"], CHUNKED_HELLO), NEXT], err(),
     "VT before chunked (DesyncBox vertwrap).", "C27", TE)
case("te_ff_prefix", S, [req(["Transfer-Encoding:\x0cchunked"], CHUNKED_HELLO), NEXT], err(),
     "FF before chunked.", "C27", TE)
case("te_nbsp_prefix", S, [req(["Transfer-Encoding:\xa0chunked"], CHUNKED_HELLO), NEXT], err(hint=None),
     "NBSP before chunked: part of the value, so an unknown coding.", "C28", TE)
case("te_0x85_suffix", S, [req(["Transfer-Encoding: chunked\x85"], CHUNKED_HELLO), NEXT], err(hint=None),
     "NEL after chunked.", "C28", TE)
case("te_obs_fold", S, [req(["Transfer-Encoding:\r\n chunked"], CHUNKED_HELLO), NEXT], OK,
     "TE value on a continuation line: unfolded to chunked.", "C29", TE + ("obs-fold",))
case("te_hidden_in_fold", S, [req(["X: y", " Transfer-Encoding: chunked"], ""), CHUNKED_HELLO + NEXT], err(after=1),
     "A TE line that is really a continuation of X: no TE, so the chunk bytes are the next request.", "C30", TE + ("obs-fold",))
case("te_underscore_name", S, [req(["Transfer_Encoding: chunked"], ""), CHUNKED_HELLO + NEXT], err(after=1),
     "Transfer_Encoding is another field (CGI maps _ to -).", "C31", TE)
case("te_space_in_name", S, [req(["Transfer Encoding: chunked"], CHUNKED_HELLO), NEXT], err(),
     "A space inside the field name.", "C31", TE + ("field-syntax",))
case("te_space_before_colon", S, [req(["Transfer-Encoding : chunked"], CHUNKED_HELLO), NEXT], err(),
     "Whitespace before the colon.", "C32", TE + ("field-syntax",))
case("te_tab_before_colon", S, [req(["Transfer-Encoding\t: chunked"], CHUNKED_HELLO), NEXT], err(),
     "HTAB before the colon.", "C32", TE + ("field-syntax",))
case("te_0x82_in_name", S, [req(["Transf\x82r-Encoding: chunked"], CHUNKED_HELLO), NEXT], err(),
     "A non-token byte in the name (DesyncBox accentTE).", "C31", TE + ("field-syntax",))
case("te_on_get", S, [req(["Transfer-Encoding: chunked"], CHUNKED_HELLO, method="GET"), NEXT], OK,
     "GET with a chunked body.", "", TE)
case("te_chunked_then_close_list", S, [req(["Transfer-Encoding: chunked", "Connection: close, Transfer-Encoding"], CHUNKED_HELLO), NEXT],
     ("must_close", 1), "Connection lists Transfer-Encoding (hop-by-hop removal games) and close.", "", TE + ("connection",))

# ---------------------------------------------------------------------------
# D. Chunk-size line (server)
# ---------------------------------------------------------------------------
CS = ("chunk-size",)


def chunk_body(size_line, data="hello", rest="\r\n0\r\n\r\n"):
    return size_line + data + rest


case("chunk_size_0x", S, [chunked_req(chunk_body("0x5\r\n")), NEXT], err(partial=True),
     "0x prefix.", "D34", CS)
case("chunk_size_plus", S, [chunked_req(chunk_body("+5\r\n")), NEXT], err(partial=True), "Leading +.", "D34", CS)
case("chunk_size_minus", S, [chunked_req(chunk_body("-5\r\n")), NEXT], err(partial=True), "Leading -.", "D34", CS)
case("chunk_size_underscore", S, [chunked_req(chunk_body("0_5\r\n")), NEXT], err(partial=True),
     "An underscore (Python int()).", "D34", CS)
case("chunk_size_leading_space", S, [chunked_req(chunk_body(" 5\r\n")), NEXT], err(partial=True),
     "SP before the size.", "D35", CS)
case("chunk_size_trailing_space", S, [chunked_req(chunk_body("5 \r\n")), NEXT], OK,
     "SP after the size (h11 allows OWS there).", "D36", CS)
case("chunk_size_trailing_tab", S, [chunked_req(chunk_body("5\t\r\n")), NEXT], OK,
     "HTAB after the size.", "D36", CS)
case("chunk_size_bws_semicolon", S, [chunked_req(chunk_body("5 ;a=b\r\n")), NEXT], err(partial=True),
     "BWS before ';' (valid by RFC 9112 7.1.1; h11 rejects it).", "D37", CS + ("chunk-ext",))
case("chunk_size_empty", S, [chunked_req(chunk_body("\r\n")), NEXT], err(partial=True),
     "An empty chunk-size line.", "D38", CS)
case("chunk_size_20_hex_digits", S, [chunked_req(chunk_body("00000000000000000005\r\n")), NEXT], OK,
     "20 hex digits (leading zeros).", "D39", CS)
case("chunk_size_24_hex_digits", S, [chunked_req(chunk_body("000000000000000000000005\r\n")), NEXT], err(partial=True),
     "24 hex digits: over h11's 20-digit limit.", "D39", CS)
case("chunk_size_2_pow_64_plus_5", S, [chunked_req(chunk_body("10000000000000005\r\n")), NEXT], err(partial=True),
     "2^64+5: a wrapping parser reads a 5-byte chunk.", "D40", CS)
case("chunk_size_garbage", S, [chunked_req(chunk_body("5Z\r\n")), NEXT], err(partial=True),
     "Garbage after the size.", "D41", CS)
case("chunk_size_bare_lf", S, [chunked_req(chunk_body("5\n")), NEXT], err(partial=True),
     "The size line ends in a bare LF.", "D42", CS + ("bare-lf",))
case("chunk_size_bare_cr", S, [chunked_req(chunk_body("5\r")), NEXT], err(partial=True),
     "The size line ends in a bare CR.", "D43", CS + ("bare-cr",))
case("chunk_size_uppercase_hex", S, [chunked_req("A\r\n0123456789\r\n0\r\n\r\n"), NEXT], OK,
     "Upper-case hex digits.", "", CS)
case("chunk_size_lowercase_hex", S, [chunked_req("a\r\n0123456789\r\n0\r\n\r\n"), NEXT], OK,
     "Lower-case hex digits.", "", CS)
case("chunk_last_double_zero", S, [chunked_req("5\r\nhello\r\n00\r\n\r\n"), NEXT], OK,
     "last-chunk = 1*\"0\": two zeros.", "", CS)
case("chunk_last_with_ext", S, [chunked_req("5\r\nhello\r\n0;a=b\r\n\r\n"), NEXT], OK,
     "An extension on the last chunk.", "", CS + ("chunk-ext",))
case("chunk_many_small", S, [chunked_req("1\r\nh\r\n1\r\ne\r\n3\r\nllo\r\n0\r\n\r\n"), NEXT], OK,
     "Several one-byte chunks.", "", CS)

# ---------------------------------------------------------------------------
# E. Chunk extensions (server)
# ---------------------------------------------------------------------------
EXT = ("chunk-ext",)

case("ext_token", S, [chunked_req(chunk_body("5;a=b\r\n")), NEXT], OK, "A token extension.", "E44", EXT)
case("ext_quoted", S, [chunked_req(chunk_body('5;a="b c"\r\n')), NEXT], OK, "A quoted-string value.", "E44", EXT)
case("ext_quoted_semicolon", S, [chunked_req(chunk_body('5;a="x;y"\r\n')), NEXT], OK,
     "A quoted ';' inside an extension value.", "E44", EXT)
case("ext_bare_semicolon", S, [chunked_req(chunk_body("5;\r\n")), NEXT], OK,
     "A ';' with no name (h11 accepts any ext text).", "E45", EXT)
case("ext_bare_lf", S, [chunked_req(chunk_body("5;a\n")), NEXT], err(partial=True),
     "A bare LF ends the size line inside an extension (TERM.EXT).", "E46", EXT + ("bare-lf",))
case("ext_bare_cr", S, [chunked_req(chunk_body("5;a\rb\r\n")), NEXT], err(partial=True),
     "A bare CR inside an extension.", "E47", EXT + ("bare-cr",))
case("ext_cr_before_semicolon", S, [chunked_req(chunk_body("5\r;a\r\n")), NEXT], err(partial=True),
     "A CR between size and ';'.", "E48", EXT + ("bare-cr",))
case("ext_nul", S, [chunked_req(chunk_body("5;\x00\r\n")), NEXT], OK,
     "A NUL in an extension (h11 ignores extension contents).", "E49", EXT)
case("ext_obs_text", S, [chunked_req(chunk_body("5;a=\xff\r\n")), NEXT], OK,
     "obs-text in an extension.", "E49", EXT)
case("ext_crlf_in_quotes", S, [chunked_req(chunk_body('5;a="x\r\n"\r\n')), NEXT], err(partial=True),
     "CRLF inside a quoted extension value: the line ends at the first CRLF.", "E50", EXT)
case("ext_spaces_around_equals", S, [chunked_req(chunk_body("5;a = b\r\n")), NEXT], OK,
     "BWS around '=' (h11 ignores extension contents).", "E44", EXT)
case("ext_long_1k", S, [chunked_req(chunk_body("5;" + "a" * 1024 + "\r\n")), NEXT], OK,
     "A 1 KiB extension.", "E51", EXT)

# ---------------------------------------------------------------------------
# F. After chunk data, last chunk, trailers (server)
# ---------------------------------------------------------------------------
TR = ("trailers",)

case("chunk_data_bare_lf", S, [chunked_req("5\r\nhello\n0\r\n\r\n"), NEXT], err(partial=True),
     "Bare LF after the chunk data.", "F52", CS + ("bare-lf",))
case("chunk_data_missing_crlf", S, [chunked_req("5\r\nhello0\r\n\r\n"), NEXT], err(partial=True),
     "No CRLF after the chunk data.", "F53", CS)
case("chunk_data_two_junk_bytes", S, [chunked_req("5\r\nhelloXX0\r\n\r\n"), NEXT], err(partial=True),
     "Two arbitrary bytes where CRLF belongs (CVE-2025-43859).", "F54", CS)
case("chunk_data_longer_than_size", S, [chunked_req("3\r\nhello\r\n0\r\n\r\n"), NEXT], err(partial=True),
     "More data than the chunk size.", "F55", CS)
case("chunk_data_bare_cr", S, [chunked_req("5\r\nhello\r0\r\n\r\n"), NEXT], err(partial=True),
     "Bare CR after the chunk data.", "F53", CS + ("bare-cr",))
case("last_chunk_bare_lf", S, [chunked_req("5\r\nhello\r\n0\n\r\n"), NEXT], err(partial=True),
     "The last-chunk line ends in a bare LF.", "F56", CS + ("bare-lf",))
case("trailer_end_bare_lf", S, [chunked_req("5\r\nhello\r\n0\r\n\n"), NEXT], OK,
     "The empty line ending the trailer section is a bare LF (h11 allows bare LF in field sections).", "F57", TR + ("bare-lf",))
case("trailer_content_length", S, [chunked_req("5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n"), NEXT], OK,
     "Content-Length in the trailers: reported, never used for framing.", "F58", TR + CL)
case("trailer_transfer_encoding", S, [chunked_req("5\r\nhello\r\n0\r\nTransfer-Encoding: gzip\r\n\r\n"), NEXT],
     err(hint=501, partial=True), "Transfer-Encoding in the trailers (validated like a header).", "C33", TR + TE)
case("trailer_host", S, [chunked_req("5\r\nhello\r\n0\r\nHost: evil\r\n\r\n"), NEXT], OK,
     "Host in the trailers (must not be merged into the header section).", "F59", TR)
case("trailer_request_line_like", S, [chunked_req("5\r\nhello\r\n0\r\nX:POST / HTTP/1.1\r\n\r\n"), NEXT], OK,
     "A trailer that looks like a request line (Puma CVE-2023-40175).", "F60", TR)
case("trailer_obs_fold", S, [chunked_req("5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n"), NEXT], OK,
     "obs-fold inside a trailer.", "F61", TR + ("obs-fold",))
case("trailer_no_colon", S, [chunked_req("5\r\nhello\r\n0\r\nbad line\r\n\r\n"), NEXT], err(partial=True),
     "A trailer line with no colon.", "F62", TR)
case("trailer_bare_lf_lines", S, [chunked_req("5\r\nhello\r\n0\r\nX: y\n\n"), NEXT], OK,
     "Trailer lines ended by bare LF.", "F57", TR + ("bare-lf",))
case("trailer_connection_close", S, [chunked_req("5\r\nhello\r\n0\r\nConnection: close\r\n\r\n"), NEXT], OK,
     "Connection: close in the trailers (a trailer must not change the connection).", "F59", TR + ("connection",))
case("trailer_two_fields", S, [chunked_req("5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"), NEXT], OK,
     "Two trailer fields.", "", TR)

# ---------------------------------------------------------------------------
# G. Header-section syntax (server)
# ---------------------------------------------------------------------------
FS = ("field-syntax",)

case("value_nul", S, [req(["X: a\x00b"]), NEXT], err(), "NUL in a field value.", "G63", FS)
case("value_bare_cr_hides_te", S, [req(["X: a\rTransfer-Encoding: chunked"], CHUNKED_HELLO), NEXT], err(),
     "A bare CR inside a value, hiding a TE line from CR-splitting parsers.", "G64", FS + ("bare-cr",))
case("bare_lf_line_in_head", S, [("POST / HTTP/1.1\r\nHost: a\nContent-Length: 5\r\n\r\nhello"), NEXT], OK,
     "One field line ended by a bare LF.", "G65", FS + ("bare-lf",))
case("all_bare_lf", S, ["POST / HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello", NEXT], OK,
     "A request whose lines all end in bare LF.", "G66", FS + ("bare-lf",))
case("value_ctl_0x01", S, [req(["X: a\x01b"]), NEXT], OK, "A CTL other than NUL in a value (h11 allows it).", "G67", FS)
case("value_obs_text", S, [req(["X: \xff\xfe"]), NEXT], OK, "obs-text in a value.", "G68", FS)
case("value_del", S, [req(["X: a\x7fb"]), NEXT], OK, "DEL in a value.", "G67", FS)
case("obs_fold_plain", S, [req(["X: a", " b"]), NEXT], OK, "An obs-fold continuation (joined with SP).", "G69", FS + ("obs-fold",))
case("obs_fold_tab", S, [req(["X: a", "\tb"]), NEXT], OK, "An obs-fold continuation led by HTAB.", "G69", FS + ("obs-fold",))
case("space_before_first_field", S, ["POST / HTTP/1.1\r\n Host: a\r\nContent-Length: 5\r\n\r\nhello", NEXT], err(),
     "Whitespace before the first field line.", "G70", FS + ("obs-fold",))
case("empty_field_name", S, [req([": x"]), NEXT], err(), "An empty field name.", "G71", FS)
case("field_no_colon", S, [req(["Content-Length 5"], "hello"), NEXT], err(), "A field line with no colon.", "G72", FS + CL)
case("field_name_0x85", S, [req(["Content-Length\x85: 5"], "hello"), NEXT], err(), "A NEL in the field name.", "G73", FS + CL)
case("field_name_at_sign", S, [req(["X@Y: z"]), NEXT], err(), "'@' in a field name.", "G73", FS)
case("head_cr_lf_cr_x", S, ["POST / HTTP/1.1\r\nHost: a\r\n\rX: y\r\n\r\n", NEXT], err(),
     "\\r\\n\\rX inside the header block (Garden S30).", "G74", FS + ("bare-cr",))
case("host_duplicate", S, ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", NEXT], err(), "Two Host fields.", "G75", ("host",))
case("host_missing", S, ["GET / HTTP/1.1\r\n\r\n", NEXT], err(), "No Host in HTTP/1.1.", "G75", ("host",))
case("host_missing_http10", S, ["GET / HTTP/1.0\r\n\r\n", NEXT], ("must_close", 1),
     "No Host in HTTP/1.0 (allowed).", "G75", ("host", "version"))
case("host_empty", S, ["GET / HTTP/1.1\r\nHost:\r\n\r\n", NEXT], OK, "An empty Host value.", "G75", ("host",))
case("field_tab_before_colon", S, [req(["X\t: y"]), NEXT], err(), "HTAB before the colon.", "G72", FS)
case("field_no_space_after_colon", S, [req(["Content-Length:5"], "hello"), NEXT], OK,
     "No whitespace after the colon.", "", FS + CL)
case("head_over_16k", S, [req(["X: " + "a" * 17000])], err(hint=431),
     "A head longer than the 16 KiB incomplete-event limit.", "", FS)
case("many_fields", S, [req(["X-%d: %d" % (i, i) for i in range(100)]), NEXT], OK, "100 fields.", "", FS)

# ---------------------------------------------------------------------------
# H. Request line and versions (server)
# ---------------------------------------------------------------------------
RL = ("request-line",)
VER = ("version",)

case("method_lowercase", S, ["get / HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK,
     "A lower-case method (a valid token; methods are case-sensitive).", "H76", RL)
case("method_unknown_token", S, ["FOO / HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK, "An unregistered method.", "H76", RL)
case("method_non_token", S, ["G(T / HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(), "A non-token byte in the method.", "H77", RL)
case("request_line_double_space", S, ["GET  / HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(),
     "Two SPs after the method.", "H78", RL)
case("request_line_htab", S, ["GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(), "HTAB separators.", "H79", RL)
case("version_1_10", S, ["GET / HTTP/1.10\r\nHost: a\r\n\r\n", NEXT], err(), "Two-digit minor version.", "H80", VER)
case("version_lowercase", S, ["GET / http/1.1\r\nHost: a\r\n\r\n", NEXT], err(), "HTTP-name is case-sensitive.", "H80", VER)
case("version_1_2", S, ["GET / HTTP/1.2\r\nHost: a\r\n\r\n", NEXT], OK, "A higher minor version.", "H81", VER)
case("version_1_2_no_host", S, ["GET / HTTP/1.2\r\n\r\n", NEXT], OK,
     "HTTP/1.2 without Host (h11 checks Host only for 1.1).", "H81", VER + ("host",))
case("version_2_0", S, ["GET / HTTP/2.0\r\nHost: a\r\n\r\n", NEXT], OK, "HTTP/2.0 in HTTP/1 syntax.", "H82", VER)
case("version_9_9", S, ["GET / HTTP/9.9\r\nHost: a\r\n\r\n", NEXT], OK, "HTTP/9.9.", "H82", VER)
case("version_0_9_request", S, ["GET /\r\n", NEXT], err(), "An HTTP/0.9 request line.", "H83", VER)
case("version_1_0_explicit", S, ["GET / HTTP/1.0\r\nHost: a\r\n\r\n", NEXT], ("must_close", 1), "HTTP/1.0.", "I94", VER)
case("version_missing_minor", S, ["GET / HTTP/1\r\nHost: a\r\n\r\n", NEXT], err(), "HTTP/1 without a minor.", "H80", VER)
case("request_line_bare_lf", S, ["GET / HTTP/1.1\nHost: a\r\n\r\n", NEXT], OK, "The request line ends in a bare LF.", "H84", RL + ("bare-lf",))
case("leading_crlf", S, ["\r\n", NEXT], err(), "An empty line before the request line (h11 refuses it).", "H85", RL)
case("absolute_form_host_mismatch", S, ["GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK,
     "Absolute-form target whose host differs from Host.", "H86", RL + ("host",))
case("asterisk_on_get", S, ["GET * HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK, "'*' with GET.", "H87", RL)
case("authority_form_on_get", S, ["GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK, "Authority-form with GET.", "H87", RL)
case("target_with_del", S, ["GET /a\x7fb HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(), "DEL in the target.", "H88", RL)
case("target_with_fragment", S, ["GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], OK, "A fragment in the target.", "H88", RL)
case("target_with_nul", S, ["GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(), "NUL in the target.", "H88", RL)
case("target_obs_text", S, ["GET /\xe9 HTTP/1.1\r\nHost: a\r\n\r\n", NEXT], err(),
     "obs-text in the target (not a VCHAR).", "H88", RL)
case("method_pri", S, ["PRI * HTTP/2.0\r\n\r\n", "SM\r\n\r\n"], err(after=1),
     "The HTTP/2 connection preface (PRI * HTTP/2.0) read as HTTP/1.", "", RL + VER)

# ---------------------------------------------------------------------------
# I. Connection-level semantics (server)
# ---------------------------------------------------------------------------
CONN = ("connection",)

case("connect_then_pipelined", S, ["CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", NEXT], OK,
     "CONNECT, declined (405), then a pipelined request.", "I89", CONN)
case("connect_with_cl_body", S, ["CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 5\r\n\r\nhello", NEXT], OK,
     "CONNECT with a Content-Length body.", "I89", CONN + CL)
case("upgrade_declined_then_pipelined", S, [req(["Connection: upgrade", "Upgrade: websocket"], method="GET"), NEXT], OK,
     "An Upgrade request, declined, then a pipelined request.", "I90", CONN)
case("upgrade_with_cl_body", S, [req(["Connection: upgrade", "Upgrade: websocket", "Content-Length: 5"], "hello"), NEXT], OK,
     "An Upgrade request with a body.", "I90", CONN + CL)
case("upgrade_without_connection_token", S, [req(["Upgrade: websocket"], method="GET"), NEXT], OK,
     "Upgrade without Connection: upgrade.", "I90", CONN)
case("expect_100_with_body", S, [req(["Expect: 100-continue", "Content-Length: 5"], "hello"), NEXT], OK,
     "Expect: 100-continue with the body already sent.", "I91", CONN + CL)
case("expect_obfuscated", S, [req(["Expect: x 100-continue", "Content-Length: 5"], "hello"), NEXT], OK,
     "An unknown expectation.", "I92", CONN + CL)
case("connection_close_pipelined", S, [req(["Connection: close"], method="GET"), NEXT], ("must_close", 1),
     "Connection: close, then a pipelined request.", "I93", CONN)
case("connection_close_uppercase", S, [req(["Connection: CLOSE"], method="GET"), NEXT], ("must_close", 1),
     "Connection: CLOSE (tokens are case-insensitive).", "I93", CONN)
case("connection_keep_alive_close_list", S, [req(["Connection: keep-alive, close"], method="GET"), NEXT], ("must_close", 1),
     "close inside a Connection list.", "I93", CONN)
case("connection_close_two_fields", S, [req(["Connection: keep-alive", "Connection: close"], method="GET"), NEXT],
     ("must_close", 1), "close in a second Connection field.", "I93", CONN)
case("connection_close_then_empty_fold", S, [req(["Connection: close", " "], method="GET"), NEXT], ("must_close", 1),
     "Connection: close continued by an empty obs-fold line: still close (found by fuzz_diff).", "I93", CONN + ("obs-fold",))
case("connection_close_folded_into_other_token", S, [req(["Connection: close", " x"], method="GET"), NEXT], OK,
     "Connection: close continued by an obs-fold: the value is 'close x', not the close token (found by fuzz_diff).",
     "I93", CONN + ("obs-fold",))
case("http10_keep_alive", S, [req(["Connection: keep-alive"], method="GET", version="HTTP/1.0"), NEXT], ("must_close", 1),
     "HTTP/1.0 keep-alive (h11 does not support it).", "I94", CONN + VER)
case("stray_crlf_between_requests", S, [req([], method="GET"), "\r\n" + NEXT], err(after=1),
     "An extra CRLF between pipelined requests (h11 refuses it).", "H85", CONN)
case("empty_input", S, [], OK, "No bytes at all.", "", CONN)
case("only_crlf", S, ["\r\n"], err(), "Only an empty line.", "H85", CONN)
case("head_incomplete", S, ["GET / HTTP/1.1\r\nHost: a\r\n"], inc(partial=False),
     "EOF inside the head.", "", CONN)
case("three_pipelined", S, [req([], method="GET"), req(["Content-Length: 2"], "hi"), NEXT], OK,
     "Three pipelined requests.", "", CONN)
case("pipelined_after_chunked", S, [chunked_req(CHUNKED_HELLO), req(["Content-Length: 5"], "hello"), NEXT], OK,
     "A chunked request, then a CL request, then a GET.", "", CONN + TE)

# ---------------------------------------------------------------------------
# Client role: responses
# ---------------------------------------------------------------------------
R = ("response",)

case("resp_cl", C, [resp(["Content-Length: 5"], "hello")], OK, "A plain response.", "", R + CL)
case("resp_cl_extra_bytes", C, [resp(["Content-Length: 5"], "hello"), "EXTRA"], ("closed", 1),
     "Bytes after a complete response are left over.", "", R + CL)
case("resp_cl_duplicate_same", C, [resp(["Content-Length: 5", "Content-Length: 5"], "hello")], OK,
     "Two identical CL fields.", "A1", R + CL)
case("resp_cl_conflicting", C, [resp(["Content-Length: 5", "Content-Length: 2"], "hello")], err(),
     "Two different CL fields.", "A2", R + CL)
case("resp_cl_plus", C, [resp(["Content-Length: +5"], "hello")], err(), "A signed CL.", "A5", R + CL)
case("resp_cl_leading_zeros", C, [resp(["Content-Length: 0005"], "hello")], OK, "Leading zeros.", "A6", R + CL)
case("resp_cl_over_64_bits", C, [resp(["Content-Length: 18446744073709551621"], "hello")], err(),
     "A CL over 2^64.", "A10", R + CL)
case("resp_cl_te", C, [resp(["Content-Length: 3", "Transfer-Encoding: chunked"], CHUNKED_HELLO)], OK,
     "CL and TE in a response: framed by TE (RFC 9112 6.3).", "B15", R + CLTE)
case("resp_cl_te_chunked_trailing_tab", C, [resp(["Content-Length: 2", "Transfer-Encoding: chunked\t"], "2\r\nhi\r\n0\r\n\r\n")], OK,
     "CL and 'chunked' + HTAB in a response: chunked (trailing OWS is not part of the value).", "C26", R + CLTE)
case("resp_te_chunked_trailing_tab", C, [resp(["Transfer-Encoding: chunked\t"], "2\r\nhi\r\n0\r\n\r\n"), "EXTRA"], ("closed", 1),
     "'chunked' + HTAB in a response: chunked, so EXTRA is not part of the body.", "C26", R + TE)
case("resp_te_chunked", C, [resp(["Transfer-Encoding: chunked"], CHUNKED_HELLO)], OK, "A chunked response.", "", R + TE)
case("resp_te_gzip_only", C, [resp(["Transfer-Encoding: gzip"], "abc")], err(hint=501),
     "TE gzip in a response (h11 implements only chunked).", "C25", R + TE)
case("resp_te_identity_cl", C, [resp(["Transfer-Encoding: identity", "Content-Length: 3"], "abc")], err(hint=501),
     "TE identity with CL in a response.", "C25", R + CLTE)
case("resp_te_obs_fold", C, [resp(["Transfer-Encoding:\r\n chunked"], CHUNKED_HELLO)], OK, "Folded TE.", "C29", R + TE + ("obs-fold",))
case("resp_te_chunked_chunked", C, [resp(["Transfer-Encoding: chunked, chunked"], CHUNKED_HELLO)], err(hint=None),
     "chunked twice.", "C20", R + TE)
case("resp_close_delimited", C, [resp([], "until the end")], ("must_close", 1),
     "No length: the body runs to EOF.", "", R)
case("resp_close_delimited_empty", C, [resp([])], ("must_close", 1),
     "No length and no body bytes.", "", R)
case("resp_http10_cl", C, [resp(["Content-Length: 2"], "hi", version="HTTP/1.0"), "EXTRA"], ("must_close", 1),
     "HTTP/1.0 response with CL: not reused.", "", R + VER)
case("resp_http10_keep_alive", C, [resp(["Content-Length: 2", "Connection: keep-alive"], "hi", version="HTTP/1.0"), "EXTRA"],
     ("must_close", 1), "HTTP/1.0 keep-alive response.", "I94", R + VER + CONN)
case("resp_connection_close", C, [resp(["Content-Length: 2", "Connection: close"], "hi"), "EXTRA"], ("must_close", 1),
     "Connection: close in a response.", "", R + CONN)
case("resp_head_with_cl", C, [resp(["Content-Length: 5"]), "hello"], ("closed", 1),
     "A response to HEAD has no body whatever CL says.", "A14", R + CL, method="HEAD")
case("resp_head_chunked", C, [resp(["Transfer-Encoding: chunked"]), CHUNKED_HELLO], ("closed", 1),
     "A response to HEAD with TE: no body.", "", R + TE, method="HEAD")
case("resp_head_no_length", C, [resp([])], OK, "A response to HEAD without length fields.", "", R, method="HEAD")
case("resp_204_with_body", C, [resp([], status="204 No Content"), "body"], ("closed", 1),
     "204 has no body.", "", R)
case("resp_204_with_cl", C, [resp(["Content-Length: 4"], status="204 No Content"), "body"], ("closed", 1),
     "204 with a CL: still no body.", "", R + CL)
case("resp_304_with_cl", C, [resp(["Content-Length: 4"], status="304 Not Modified"), "body"], ("closed", 1),
     "304 has no body.", "", R + CL)
case("resp_100_then_200", C, [resp([], status="100 Continue"), resp(["Content-Length: 2"], "hi")], OK,
     "An interim 100 before the final response.", "", R)
case("resp_103_then_200", C, [resp(["Link: </a>"], status="103 Early Hints"), resp(["Content-Length: 2"], "hi")], OK,
     "103 Early Hints before the final response.", "", R)
case("resp_1xx_with_cl", C, [resp(["Content-Length: 5"], status="103 Early Hints"), "hello" + resp(["Content-Length: 0"])],
     err(after=1), "A 1xx with a CL: 1xx has no body, so the 'body' is a bad status line.", "", R + CL)
case("resp_101_unsolicited", C, [resp(["Upgrade: x", "Connection: upgrade"], "NEW", status="101 Switching Protocols")], err(),
     "A 101 answering a request that proposed no upgrade.", "I90", R + CONN)
case("resp_connect_200", C, [resp([], status="200 Connection established"), "TUNNEL"], ("switched", 1),
     "2xx to CONNECT switches to a tunnel.", "I89", R + CONN, method="CONNECT")
case("resp_connect_200_with_cl", C, [resp(["Content-Length: 5"], status="200 OK"), "hello"], ("switched", 1),
     "2xx to CONNECT with a CL: still a tunnel, no body.", "I89", R + CONN + CL, method="CONNECT")
case("resp_connect_407_with_body", C, [resp(["Content-Length: 5"], "hello", status="407 Proxy Auth")], OK,
     "A refused CONNECT has a normal body.", "I89", R + CONN, method="CONNECT")
case("resp_status_4_digits", C, [resp([], status="2000 OK")], err(), "A four-digit status.", "", R)
case("resp_status_2_digits", C, [resp([], status="20 OK")], err(), "A two-digit status.", "", R)
case("resp_no_reason", C, ["HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nhi"], OK, "No reason phrase, no SP.", "", R)
case("resp_empty_reason", C, ["HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nhi"], OK, "An empty reason phrase.", "", R)
case("resp_chunk_ext_bare_cr", C, [resp(["Transfer-Encoding: chunked"], "5;a\rb\r\nhello\r\n0\r\n\r\n")], err(partial=True),
     "A bare CR in a chunk extension.", "E47", R + EXT)
case("resp_chunk_size_over_64_bits", C, [resp(["Transfer-Encoding: chunked"], "10000000000000005\r\nhello\r\n0\r\n\r\n")],
     err(partial=True), "A chunk size over 2^64.", "D40", R + CS)
case("resp_chunk_data_junk", C, [resp(["Transfer-Encoding: chunked"], "5\r\nhelloXX0\r\n\r\n")], err(partial=True),
     "Junk where CRLF belongs after chunk data.", "F54", R + CS)
case("resp_chunk_trailing_space", C, [resp(["Transfer-Encoding: chunked"], "5 \r\nhello\r\n0\r\n\r\n")], OK,
     "SP after a chunk size.", "D36", R + CS)
case("resp_trailer_cl", C, [resp(["Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\nContent-Length: 9\r\n\r\n")], OK,
     "Content-Length in response trailers.", "F58", R + TR)
case("resp_bare_lf_head", C, ["HTTP/1.1 200 OK\nContent-Length: 2\n\nhi"], OK, "A response with bare-LF lines.", "G66", R + ("bare-lf",))
case("resp_obs_fold", C, [resp(["X: a", " b", "Content-Length: 2"], "hi")], OK, "obs-fold in a response.", "G69", R + ("obs-fold",))
case("resp_version_1_2", C, [resp(["Content-Length: 2"], "hi", version="HTTP/1.2")], OK, "HTTP/1.2 response.", "H81", R + VER)
case("resp_version_lowercase", C, [resp(["Content-Length: 2"], "hi", version="http/1.1")], err(), "http/1.1.", "H80", R + VER)
case("resp_nul_in_reason", C, ["HTTP/1.1 200 O\x00K\r\nContent-Length: 2\r\n\r\nhi"], err(), "NUL in the reason phrase.", "", R)
case("resp_leading_crlf", C, ["\r\n" + resp(["Content-Length: 2"], "hi")], err(), "An empty line before the status line.", "H85", R)
case("resp_body_only", C, ["hello"], inc(partial=False),
     "No status line at all (an HTTP/0.9-style response): h11 waits for a line end.", "H83", R)
case("resp_204_cl_zero", C, [resp(["Content-Length: 0"], status="204 No Content")], OK, "204 with CL: 0.", "", R + CL)
case("resp_space_before_colon", C, [resp(["Content-Length : 2"], "hi")], err(), "SP before the colon in a response.", "A12", R + CL + FS)
case("resp_te_then_cl_head", C, [resp(["Transfer-Encoding: chunked", "Content-Length: 5"]), "hello"], ("closed", 1),
     "TE and CL in a response to HEAD: no body either way.", "", R + CLTE, method="HEAD")
case("resp_incomplete_chunked", C, [resp(["Transfer-Encoding: chunked"], "5\r\nhel")], inc(),
     "EOF inside a chunk.", "", R + TE)
case("resp_value_nul", C, [resp(["X: a\x00b", "Content-Length: 2"], "hi")], err(), "NUL in a response field value.", "G63", R + FS)


def write():
    manifest = []
    seen = set()
    for c in CASES:
        assert c["name"] not in seen, c["name"]
        seen.add(c["name"])
        suffix = ".%s.http" % c["method"] if c["method"] else ".http"
        rel = "%s/%s%s" % (c["role"], c["name"], suffix)
        manifest.append(
            dict(
                file=rel,
                role=c["role"],
                method=(c["method"] or "GET") if c["role"] == "client" else None,
                about=c["about"],
                ref=c["ref"],
                classes=c["classes"],
                h11c=expectation(c),
            )
        )
    return manifest


def main(argv):
    check = "--check" in argv
    manifest = write()
    files = {}
    for c, m in zip(CASES, manifest):
        files[m["file"]] = b"".join(c["parts"])
    text = json.dumps(
        {
            "about": "corpus/smuggling: the curated catalogue of discrepancy-prone inputs, "
            "written by tools/gen_smuggling_corpus.py. 'h11c' is the verdict h11c is "
            "expected to give: outcome, ends of the completed messages, number of "
            "messages whose head was accepted, error status hint (null: not checked), "
            "leftover bytes. 'ref' is the row of shared/research/smuggling-catalogue.md "
            "section 3.",
            "inputs": manifest,
        },
        indent=1,
        sort_keys=False,
    ) + "\n"
    bad = 0
    if check:
        for rel, data in files.items():
            p = os.path.join(OUT, rel)
            if not os.path.exists(p) or open(p, "rb").read() != data:
                print("differs: %s" % rel)
                bad += 1
        p = os.path.join(OUT, "cases.json")
        if not os.path.exists(p) or open(p).read() != text:
            print("differs: cases.json")
            bad += 1
        print("%d inputs checked" % len(files))
        print("%d passed, %d failed" % (len(files) + 1 - bad, bad))
        return 1 if bad else 0
    for d in ("server", "client"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
        for f in os.listdir(os.path.join(OUT, d)):
            if f.endswith(".http"):
                os.unlink(os.path.join(OUT, d, f))
    for rel, data in files.items():
        with open(os.path.join(OUT, rel), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        f.write(text)
    n_s = sum(1 for m in manifest if m["role"] == "server")
    print("wrote %d inputs (%d server, %d client) to %s" % (len(files), n_s, len(files) - n_s, OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
