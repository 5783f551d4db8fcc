#include "diff/oracles/adapters.h"

#include <stdio.h>
#include <string.h>

#include <h11c.h>

static int copy_fields(verdict_fields *f, const h11c_header *h, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (verdict_fields_add(f, h[i].name.base, h[i].name.len, h[i].value.base,
                           h[i].value.len) != 0)
      return -1;
  return 0;
}

/* Copies the start line and headers of a Request, InformationalResponse or
 * Response event into a new message. */
static verdict_message *add_head(verdict *v, const h11c_event *ev) {
  bool response = ev->type != H11C_EV_REQUEST;
  verdict_message *m = verdict_add_message(v, response);
  if (!m)
    return NULL;
  if (response) {
    m->status = ev->status_code;
    if (verdict_bytes_set(&m->reason, ev->reason.base, ev->reason.len) != 0)
      return NULL;
  } else if (verdict_bytes_set(&m->method, ev->method.base, ev->method.len) !=
                 0 ||
             verdict_bytes_set(&m->target, ev->target.base, ev->target.len) !=
                 0) {
    return NULL;
  }
  if (verdict_bytes_set(&m->version, ev->http_version.base,
                        ev->http_version.len) != 0 ||
      copy_fields(&m->headers, ev->headers, ev->nheaders) != 0)
    return NULL;
  return m;
}

/* Sends an event and throws the bytes away. */
static int send_event(h11c_conn *conn, const h11c_event *ev) {
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t niov = 0;
  return h11c_conn_send(conn, ev, iov, &niov);
}

static const char *last_reason(const h11c_conn *conn) {
  return h11c_reason_str(h11c_conn_last_error(conn)->reason);
}

/* Sends head, then an EndOfMessage. */
static int send_head_and_end(h11c_conn *conn, const h11c_event *head) {
  h11c_event end;
  int rc = send_event(conn, head);
  if (rc != H11C_OK)
    return rc;
  memset(&end, 0, sizeof end);
  end.type = H11C_EV_END_OF_MESSAGE;
  return send_event(conn, &end);
}

/* Server role: answers the request just completed. */
static int respond(h11c_conn *conn, bool is_connect) {
  h11c_header cl;
  h11c_event ev;
  memset(&cl, 0, sizeof cl);
  cl.name = H11C_LIT("Content-Length");
  cl.value = H11C_LIT("0");
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_RESPONSE;
  ev.status_code = is_connect ? 405 : 200;
  ev.headers = &cl;
  ev.nheaders = 1;
  return send_head_and_end(conn, &ev);
}

/* Client role: sends "<METHOD> / HTTP/1.1\r\nHost: example\r\n\r\n". */
static int send_request(h11c_conn *conn, const char *method) {
  h11c_header host;
  h11c_event ev;
  memset(&host, 0, sizeof host);
  host.name = H11C_LIT("Host");
  host.value = H11C_LIT("example");
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_REQUEST;
  ev.method.base = (const uint8_t *)method;
  ev.method.len = strlen(method);
  ev.target = H11C_LIT("/");
  ev.headers = &host;
  ev.nheaders = 1;
  return send_head_and_end(conn, &ev);
}

static int drive(const verdict_params *p, h11c_conn *conn, const uint8_t *data,
                 size_t len, verdict *v, char *err, size_t errlen) {
  size_t fed = 0;
  bool eof = false;
  uint64_t last_end = 0; /* bytes consumed into completed messages */
  verdict_message *cur = NULL;
  bool cur_is_connect = false;

  if (p->role == VERDICT_CLIENT) {
    const char *method = p->method ? p->method : "GET";
    if (send_request(conn, method) != H11C_OK)
      return verdict_errf(err, errlen, "sending the %s request failed: %s",
                          method, last_reason(conn));
  }

  for (;;) {
    h11c_event ev;
    uint64_t consumed;
    int rc;

    memset(&ev, 0, sizeof ev);
    rc = h11c_conn_next_event(conn, &ev);
    if (rc == H11C_NEED_DATA) {
      if (fed < len) {
        size_t n = len - fed;
        if (p->chunk && n > p->chunk)
          n = p->chunk;
        if (h11c_conn_receive_data(conn, data + fed, n) != H11C_OK)
          return verdict_errf(err, errlen, "receive_data failed: %s",
                              last_reason(conn));
        fed += n;
      } else if (!eof) {
        h11c_conn_receive_eof(conn);
        eof = true;
      } else {
        return verdict_errf(err, errlen, "NEED_DATA after end of input");
      }
      continue;
    }
    if (rc == H11C_PAUSED)
      return verdict_errf(err, errlen, "unexpected PAUSED (their state %s)",
                          h11c_state_name(h11c_conn_their_state(conn)));
    if (rc == H11C_ERR_REMOTE_PROTOCOL) {
      if (eof) {
        v->outcome = VERDICT_INCOMPLETE;
      } else {
        v->outcome = VERDICT_ERROR;
        v->error_status_hint = h11c_conn_last_error(conn)->status_hint;
        v->error_offset_known = true;
        v->error_offset = last_end;
      }
      return 0;
    }
    if (rc != H11C_OK)
      return verdict_errf(err, errlen, "next_event returned %d: %s", rc,
                          last_reason(conn));

    consumed = h11c_conn_bytes_consumed(conn);
    switch (ev.type) {
    case H11C_EV_REQUEST:
      if (p->role != VERDICT_SERVER)
        return verdict_errf(err, errlen, "a client received a Request");
      cur = add_head(v, &ev);
      if (!cur)
        return verdict_errf(err, errlen, "out of memory");
      cur_is_connect =
          ev.method.len == 7 && memcmp(ev.method.base, "CONNECT", 7) == 0;
      break;

    case H11C_EV_INFORMATIONAL_RESPONSE: {
      verdict_message *m = add_head(v, &ev);
      if (!m)
        return verdict_errf(err, errlen, "out of memory");
      m->complete = true;
      m->end = last_end = consumed;
      cur = NULL;
      if (h11c_conn_their_state(conn) == H11C_SWITCHED_PROTOCOL) {
        v->outcome = VERDICT_SWITCHED;
        v->leftover = len - consumed;
        return 0;
      }
      break;
    }

    case H11C_EV_RESPONSE:
      if (p->role != VERDICT_CLIENT)
        return verdict_errf(err, errlen, "a server received a Response");
      cur = add_head(v, &ev);
      if (!cur)
        return verdict_errf(err, errlen, "out of memory");
      if (h11c_conn_their_state(conn) == H11C_SWITCHED_PROTOCOL) {
        cur->complete = true;
        cur->end = last_end = consumed;
        v->outcome = VERDICT_SWITCHED;
        v->leftover = len - consumed;
        return 0;
      }
      break;

    case H11C_EV_DATA:
      if (!cur)
        return verdict_errf(err, errlen, "Data outside a message");
      if (verdict_bytes_append(&cur->body, ev.data.base, ev.data.len) != 0)
        return verdict_errf(err, errlen, "out of memory");
      break;

    case H11C_EV_END_OF_MESSAGE:
      if (!cur)
        return verdict_errf(err, errlen, "EndOfMessage outside a message");
      if (copy_fields(&cur->trailers, ev.headers, ev.nheaders) != 0)
        return verdict_errf(err, errlen, "out of memory");
      cur->complete = true;
      cur->end = last_end = consumed;
      cur = NULL;
      if (p->role == VERDICT_CLIENT) {
        /* One exchange: the final response is complete. */
        v->outcome = eof || h11c_conn_their_state(conn) == H11C_MUST_CLOSE
                         ? VERDICT_MUST_CLOSE
                         : VERDICT_CLOSED;
        v->leftover = len - consumed;
        return 0;
      }
      if (respond(conn, cur_is_connect) != H11C_OK)
        return verdict_errf(err, errlen, "sending the response failed: %s",
                            last_reason(conn));
      if (h11c_conn_our_state(conn) == H11C_MUST_CLOSE) {
        v->outcome = VERDICT_MUST_CLOSE;
        v->leftover = len - consumed;
        return 0;
      }
      if (h11c_conn_start_next_cycle(conn) != H11C_OK)
        return verdict_errf(err, errlen,
                            "start_next_cycle failed (states %s/%s)",
                            h11c_state_name(h11c_conn_our_state(conn)),
                            h11c_state_name(h11c_conn_their_state(conn)));
      break;

    case H11C_EV_CONNECTION_CLOSED:
      v->outcome = VERDICT_CLOSED;
      v->leftover = len - consumed;
      return 0;

    default:
      return verdict_errf(err, errlen, "unexpected event type %d",
                          (int)ev.type);
    }
  }
}

int verdict_h11c(const verdict_params *params, const uint8_t *data, size_t len,
                 verdict *out, char *err, size_t errlen) {
  h11c_options opts;
  h11c_conn *conn = NULL;
  int rc;

  verdict_init(out, "h11c", params->role);
  if (len && !data)
    return verdict_errf(err, errlen, "no input");
  h11c_options_init(&opts);
  if (params->max_incomplete)
    opts.max_incomplete_event_size = params->max_incomplete;
  rc = h11c_conn_new(&conn,
                     params->role == VERDICT_CLIENT ? H11C_CLIENT : H11C_SERVER,
                     &opts, NULL);
  if (rc != H11C_OK)
    return verdict_errf(err, errlen, "h11c_conn_new failed: %d", rc);
  rc = drive(params, conn, data, len, out, err, errlen);
  h11c_conn_del(conn);
  return rc;
}
