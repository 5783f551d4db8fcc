/*
 * events: event validation (h11's _events), for the events we send.
 */
#include "h11c_events.h"

#include "h11c_abnf.h"

#include <string.h>

static bool slice_ok(h11c_slice s) { return s.base || s.len == 0; }

bool h11c__event_args_ok(const h11c_event *ev) {
  size_t i;
  if (ev->type < H11C_EV_REQUEST || ev->type > H11C_EV_CONNECTION_CLOSED)
    return false;
  if (!slice_ok(ev->method) || !slice_ok(ev->target) || !slice_ok(ev->reason) ||
      !slice_ok(ev->http_version) || !slice_ok(ev->data) ||
      !slice_ok(ev->chunk_ext))
    return false;
  if (ev->nheaders && !ev->headers)
    return false;
  for (i = 0; i < ev->nheaders; i++)
    if (!slice_ok(ev->headers[i].name) || !slice_ok(ev->headers[i].value) ||
        !slice_ok(ev->headers[i].raw_name))
      return false;
  return true;
}

/* h11's request_target: VCHAR+. */
static bool valid_target(h11c_slice s) {
  return s.len > 0 && h11c__all_in(s, H11C__VCHAR);
}

/* A chunk extension to send: no CR, LF or NUL, which would let it inject
 * lines, and nothing h11c's own reader refuses. */
static bool valid_chunk_ext(h11c_slice s) {
  size_t i;
  if (s.base[0] != ';')
    return false;
  for (i = 0; i < s.len; i++)
    if (s.base[i] == '\r' || s.base[i] == '\n' || s.base[i] == 0)
      return false;
  return true;
}

/* A reason phrase to send: the bytes h11's status-line reader accepts
 * (anything but NUL, LF, VT, FF and CR).  h11 does not check what it
 * sends, so a reason could inject header lines. */
static bool valid_reason(h11c_slice s) {
  size_t i;
  for (i = 0; i < s.len; i++)
    if (h11c__is(s.base[i], H11C__VALUE_BAD))
      return false;
  return true;
}

/* The rules h11's event constructors check beyond the fields. */
static inline h11c__result check_h11_rules(const h11c_event *ev,
                                           const h11c__framing_info *fi) {
  if (ev->type == H11C_EV_REQUEST) {
    if (h11c__version_is_11(ev->http_version) && fi->hosts == 0)
      return H11C__BAD(H11C_REASON_MISSING_HOST);
    if (fi->hosts > 1)
      return H11C__BAD(H11C_REASON_MULTIPLE_HOST);
    if (!h11c__valid_name(ev->method)) /* method = token */
      return H11C__BAD(H11C_REASON_BAD_METHOD);
    if (!valid_target(ev->target))
      return H11C__BAD(H11C_REASON_BAD_TARGET);
  } else if (ev->type != H11C_EV_END_OF_MESSAGE) {
    bool info = ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
    if (info ? (ev->status_code < 100 || ev->status_code >= 200)
             : (ev->status_code < 200 || ev->status_code >= 1000))
      return H11C__BAD(H11C_REASON_BAD_STATUS_CODE);
  }
  return H11C__OK_RESULT;
}

h11c__result h11c__event_check(const h11c_event *ev, h11c__framing_info *fi) {
  h11c__result res;
  switch (ev->type) {
  case H11C_EV_DATA:
  case H11C_EV_CONNECTION_CLOSED:
    memset(fi, 0, sizeof(*fi));
    if (ev->type == H11C_EV_DATA && ev->chunk_ext.len &&
        !valid_chunk_ext(ev->chunk_ext))
      return H11C__BAD(H11C_REASON_BAD_CHUNK_EXT);
    return H11C__OK_RESULT;
  default:
    break;
  }
  res = h11c__headers_check(
      ev->headers, ev->nheaders,
      H11C__HDRS_SEND | (ev->type == H11C_EV_REQUEST ? H11C__HDRS_REQUEST : 0u),
      NULL, NULL, fi);
  if (res.reason == H11C_REASON_NONE)
    res = check_h11_rules(ev, fi);
  if (res.reason != H11C_REASON_NONE)
    return res;
  if (ev->type == H11C_EV_REQUEST) {
    /* RFC 9112 §6.2: a sender MUST NOT send Content-Length in a message
       that contains Transfer-Encoding (h11 sends both). */
    if (fi->has_content_length && fi->has_transfer_encoding)
      return H11C__BAD(H11C_REASON_CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
  } else if (ev->type != H11C_EV_END_OF_MESSAGE) {
    bool info = ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
    if (!valid_reason(ev->reason))
      return H11C__BAD(H11C_REASON_BAD_REASON);
    /* RFC 9110 §8.6 and RFC 9112 §6.1: no Content-Length or
       Transfer-Encoding in a 1xx or 204 response. */
    if ((info || ev->status_code == 204) &&
        (fi->has_content_length || fi->has_transfer_encoding))
      return H11C__BAD(H11C_REASON_FORBIDDEN_FRAMING_HEADER);
  }
  return H11C__OK_RESULT;
}

int h11c_event_validate(const h11c_event *ev, h11c_header *fields,
                        size_t *pnfields, h11c_error *perr) {
  h11c__framing_info fi;
  h11c__result res = H11C__OK_RESULT;
  size_t n = 0;
  if (perr)
    memset(perr, 0, sizeof(*perr));
  if (!ev || !pnfields || !h11c__event_args_ok(ev) ||
      (ev->nheaders && !fields)) {
    if (perr) {
      perr->code = H11C_ERR_INVALID_ARGUMENT;
      perr->reason = H11C_REASON_INVALID_ARGUMENT;
      perr->status_hint = 400;
    }
    return H11C_ERR_INVALID_ARGUMENT;
  }
  *pnfields = 0;
  if (ev->type != H11C_EV_DATA && ev->type != H11C_EV_CONNECTION_CLOSED) {
    res = h11c__headers_check(ev->headers, ev->nheaders, H11C__HDRS_SEND,
                              fields, &n, &fi);
    if (res.reason == H11C_REASON_NONE)
      res = check_h11_rules(ev, &fi);
  }
  if (res.reason != H11C_REASON_NONE) {
    if (perr) {
      perr->code = H11C_ERR_LOCAL_PROTOCOL;
      perr->reason = res.reason;
      perr->status_hint = res.status;
    }
    return H11C_ERR_LOCAL_PROTOCOL;
  }
  *pnfields = n;
  return H11C_OK;
}
