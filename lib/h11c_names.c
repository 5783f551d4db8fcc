/*
 * names: the static strings of the public API (reason messages and names,
 * return codes, states, roles, event types).
 */
#include "h11c_names.h"

#include <stdio.h>

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

size_t h11c_error_message(const h11c_error *err, char *buf, size_t size) {
  h11c_reason reason = err ? err->reason : H11C_REASON_NONE;
  const char *msg = h11c_reason_str(reason);
  int n;
  if (reason == H11C_REASON_INCOMPLETE_BODY && err->body_chunked)
    n = snprintf(buf, size, "%s: incomplete chunked read", msg);
  else if (reason == H11C_REASON_INCOMPLETE_BODY)
    n = snprintf(buf, size, "%s: received %llu bytes, expected %llu", msg,
                 (unsigned long long)err->body_received,
                 (unsigned long long)err->body_expected);
  else
    n = snprintf(buf, size, "%s", msg);
  return n < 0 ? 0 : (size_t)n;
}
