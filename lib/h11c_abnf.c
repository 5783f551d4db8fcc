/*
 * Byte classes for the grammar h11 implements (its _abnf.py), and the
 * static strings of the public API.
 */
#include "h11c_int.h"

#include <string.h>

#define T H11C__TCHAR
#define V H11C__VCHAR
#define B H11C__VALUE_BAD
#define W H11C__OWS
#define X H11C__HEX

/*
 * tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
 *         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA      (RFC 9110 §5.6.2)
 * VCHAR = %x21-7E                                          (RFC 5234 B.1)
 * h11's field_vchar is [^\x00\s]: every byte but NUL, SP, HTAB, LF, VT, FF
 * and CR; SP and HTAB may sit between visible bytes, so only NUL, LF, VT,
 * FF and CR are refused inside a stripped value (h11 #57 keeps the other
 * controls).
 */
const uint8_t h11c__ctype[256] = {
    [0x00] = B,        [0x09] = W,        [0x0a] = B,        [0x0b] = B,
    [0x0c] = B,        [0x0d] = B,        [' '] = W,         ['!'] = T | V,
    ['"'] = V,         ['#'] = T | V,     ['$'] = T | V,     ['%'] = T | V,
    ['&'] = T | V,     ['\''] = T | V,    ['('] = V,         [')'] = V,
    ['*'] = T | V,     ['+'] = T | V,     [','] = V,         ['-'] = T | V,
    ['.'] = T | V,     ['/'] = V,         ['0'] = T | V | X, ['1'] = T | V | X,
    ['2'] = T | V | X, ['3'] = T | V | X, ['4'] = T | V | X, ['5'] = T | V | X,
    ['6'] = T | V | X, ['7'] = T | V | X, ['8'] = T | V | X, ['9'] = T | V | X,
    [':'] = V,         [';'] = V,         ['<'] = V,         ['='] = V,
    ['>'] = V,         ['?'] = V,         ['@'] = V,         ['A'] = T | V | X,
    ['B'] = T | V | X, ['C'] = T | V | X, ['D'] = T | V | X, ['E'] = T | V | X,
    ['F'] = T | V | X, ['G'] = T | V,     ['H'] = T | V,     ['I'] = T | V,
    ['J'] = T | V,     ['K'] = T | V,     ['L'] = T | V,     ['M'] = T | V,
    ['N'] = T | V,     ['O'] = T | V,     ['P'] = T | V,     ['Q'] = T | V,
    ['R'] = T | V,     ['S'] = T | V,     ['T'] = T | V,     ['U'] = T | V,
    ['V'] = T | V,     ['W'] = T | V,     ['X'] = T | V,     ['Y'] = T | V,
    ['Z'] = T | V,     ['['] = V,         ['\\'] = V,        [']'] = V,
    ['^'] = T | V,     ['_'] = T | V,     ['`'] = T | V,     ['a'] = T | V | X,
    ['b'] = T | V | X, ['c'] = T | V | X, ['d'] = T | V | X, ['e'] = T | V | X,
    ['f'] = T | V | X, ['g'] = T | V,     ['h'] = T | V,     ['i'] = T | V,
    ['j'] = T | V,     ['k'] = T | V,     ['l'] = T | V,     ['m'] = T | V,
    ['n'] = T | V,     ['o'] = T | V,     ['p'] = T | V,     ['q'] = T | V,
    ['r'] = T | V,     ['s'] = T | V,     ['t'] = T | V,     ['u'] = T | V,
    ['v'] = T | V,     ['w'] = T | V,     ['x'] = T | V,     ['y'] = T | V,
    ['z'] = T | V,     ['{'] = V,         ['|'] = T | V,     ['}'] = V,
    ['~'] = T | V,
};

#undef T
#undef V
#undef B
#undef W
#undef X

/* ASCII lower-casing, as Python's bytes.lower(). */
#define L4(n) (n), (n) + 1, (n) + 2, (n) + 3
#define L16(n) L4(n), L4((n) + 4), L4((n) + 8), L4((n) + 12)
const uint8_t h11c__lower[256] = {
    L16(0x00), L16(0x10), L16(0x20), L16(0x30), 0x40,      L4(0x61),  L4(0x65),
    L4(0x69),  L4(0x6d),  L4(0x71),  L4(0x75),  0x79,      0x7a,      0x5b,
    0x5c,      0x5d,      0x5e,      0x5f,      L16(0x60), L16(0x70), L16(0x80),
    L16(0x90), L16(0xa0), L16(0xb0), L16(0xc0), L16(0xd0), L16(0xe0), L16(0xf0),
};
#undef L4
#undef L16

/* tchar lower-cased, 0 for any other byte: a field name is checked and
 * lower-cased with one lookup per byte. */
const uint8_t h11c__token_lower[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x23,
    0x24, 0x25, 0x26, 0x27, 0x00, 0x00, 0x2a, 0x2b, 0x00, 0x2d, 0x2e, 0x00,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
    0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73,
    0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x5e, 0x5f,
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
    0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
    0x78, 0x79, 0x7a, 0x00, 0x7c, 0x00, 0x7e, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

const char *h11c_reason_str(h11c_reason reason) {
  switch (reason) {
#define H11C__REASON_STR(name, num, str)                                       \
  case H11C_REASON_##name:                                                     \
    return str;
    H11C_REASON_MAP(H11C__REASON_STR)
#undef H11C__REASON_STR
  default:
    return "unknown";
  }
}

const char *h11c_reason_name(h11c_reason reason) {
  switch (reason) {
#define H11C__REASON_NAME(name, num, str)                                      \
  case H11C_REASON_##name:                                                     \
    return #name;
    H11C_REASON_MAP(H11C__REASON_NAME)
#undef H11C__REASON_NAME
  default:
    return "unknown";
  }
}

const char *h11c_status_str(int status) {
  switch (status) {
  case H11C_OK:
    return "ok";
  case H11C_NEED_DATA:
    return "need data";
  case H11C_PAUSED:
    return "paused";
  case H11C_ERR_REMOTE_PROTOCOL:
    return "remote protocol error";
  case H11C_ERR_LOCAL_PROTOCOL:
    return "local protocol error";
  case H11C_ERR_NOMEM:
    return "out of memory";
  case H11C_ERR_INVALID_ARGUMENT:
    return "invalid argument";
  default:
    return "unknown";
  }
}

const char *h11c_state_name(h11c_state state) {
  static const char *const names[] = {"IDLE",
                                      "SEND_RESPONSE",
                                      "SEND_BODY",
                                      "DONE",
                                      "MUST_CLOSE",
                                      "CLOSED",
                                      "MIGHT_SWITCH_PROTOCOL",
                                      "SWITCHED_PROTOCOL",
                                      "ERROR"};
  if ((unsigned)state < sizeof(names) / sizeof(names[0]))
    return names[state];
  return "unknown";
}

const char *h11c_role_name(h11c_role role) {
  switch (role) {
  case H11C_CLIENT:
    return "CLIENT";
  case H11C_SERVER:
    return "SERVER";
  default:
    return "unknown";
  }
}

const char *h11c_event_type_name(h11c_event_type type) {
  static const char *const names[] = {
      "None", "Request",      "InformationalResponse", "Response",
      "Data", "EndOfMessage", "ConnectionClosed"};
  if ((unsigned)type < sizeof(names) / sizeof(names[0]))
    return names[type];
  return "unknown";
}
