/*
 * The API tour from README.md as a complete program: a server connection
 * parses one request from a buffer and answers it.  It prints what it would
 * write to the socket.
 */
#include <h11c.h>

#include <stdio.h>
#include <string.h>

static void write_out(h11c_slice s) { fwrite(s.base, 1, s.len, stdout); }

/* Feeds a request to a new server connection and answers it with "hi".
 * Returns 0 on success. */
static int serve(const uint8_t *in, size_t inlen) {
  h11c_conn *conn;
  h11c_event ev;
  int rv;
  if (h11c_conn_new(&conn, H11C_SERVER, NULL, NULL) != H11C_OK)
    return -1;
  h11c_conn_receive_data(conn, in, inlen); /* copies the bytes */
  while ((rv = h11c_conn_next_event(conn, &ev)) == H11C_OK) {
    if (ev.type == H11C_EV_REQUEST) {
      /* Views into the connection, valid until the next non-const call. */
      fprintf(stderr, "request: %.*s %.*s, %zu headers\n", (int)ev.method.len,
              (const char *)ev.method.base, (int)ev.target.len,
              (const char *)ev.target.base, ev.nheaders);
    } else if (ev.type == H11C_EV_END_OF_MESSAGE) {
      h11c_header hdr = {H11C_LIT("Content-Length"), {NULL, 0}, H11C_LIT("2")};
      h11c_event resp, body, end;
      const h11c_event *out[3];
      h11c_slice iov[H11C_SEND_IOV_MAX];
      size_t niov, i, k;
      memset(&resp, 0, sizeof resp);
      resp.type = H11C_EV_RESPONSE;
      resp.status_code = 200;
      resp.reason = H11C_LIT("OK");
      resp.headers = &hdr;
      resp.nheaders = 1;
      memset(&body, 0, sizeof body);
      body.type = H11C_EV_DATA;
      body.data = H11C_LIT("hi"); /* passed through, not copied */
      memset(&end, 0, sizeof end);
      end.type = H11C_EV_END_OF_MESSAGE;
      out[0] = &resp;
      out[1] = &body;
      out[2] = &end;
      for (k = 0; k < 3; k++) {
        rv = h11c_conn_send(conn, out[k], iov, &niov);
        if (rv != H11C_OK)
          break;
        for (i = 0; i < niov; i++)
          write_out(iov[i]); /* or writev() */
      }
      break;
    }
  }
  if (rv < 0)
    fprintf(stderr, "error: %s (answer %d)\n",
            h11c_reason_str(h11c_conn_last_error(conn)->reason),
            h11c_conn_last_error(conn)->status_hint);
  h11c_conn_del(conn);
  return rv < 0 ? -1 : 0;
}

int main(void) {
  static const char req[] = "GET /hello HTTP/1.1\r\nHost: example\r\n\r\n";
  return serve((const uint8_t *)req, sizeof(req) - 1) == 0 ? 0 : 1;
}
