/*
 * Feeds a generated HTTP/1.1 stream to a server connection one byte per
 * h11c_conn_receive_data() call, pulling every event, for the linear-time
 * check (linear_test.sh).  The stream is sized by its argument, in KiB, and
 * stresses each place where a careless parser rescans: one head with many
 * headers and obs-fold lines, a chunked body of many small chunks with
 * long chunk extensions, a trailer section, and pipelined small requests.
 * Exits 0 if every event arrived as expected.
 */
#include <h11c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *buf;
static size_t len, cap;

static void put(const char *s) {
  size_t n = strlen(s);
  if (len + n > cap) {
    cap = (len + n) * 2;
    buf = realloc(buf, cap);
    if (!buf)
      exit(2);
  }
  memcpy(buf + len, s, n);
  len += n;
}

int main(int argc, char **argv) {
  size_t kib = argc > 1 ? (size_t)atol(argv[1]) : 16, i, nreq = 0, neom = 0;
  size_t target = kib * 1024;
  h11c_options opts;
  h11c_conn *conn;
  h11c_event ev;
  char line[128];

  /* One big request: about target/4 of headers, target/4 of chunks. */
  put("POST /big HTTP/1.1\r\nHost: example\r\n"
      "Transfer-Encoding: chunked\r\n");
  for (i = 0; len < target / 4; i++) {
    snprintf(line, sizeof(line), "X-Header-%zu: value %zu\r\n  folded\r\n", i,
             i);
    put(line);
  }
  put("\r\n");
  while (len < target / 2)
    put("3;name=value;other=\"quoted\"\r\nabc\r\n");
  put("0\r\nX-Trailer: t\r\n\r\n");
  /* Then small pipelined requests. */
  while (len < target)
    put("GET /small HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n");

  h11c_options_init(&opts);
  opts.max_incomplete_event_size = target + 1024;
  if (h11c_conn_new(&conn, H11C_SERVER, &opts, NULL) != H11C_OK)
    return 2;
  for (i = 0; i <= len;) {
    int rv = h11c_conn_next_event(conn, &ev);
    if (rv == H11C_NEED_DATA) {
      if (i == len) {
        h11c_conn_receive_eof(conn);
        i++;
      } else {
        h11c_conn_receive_data(conn, (const uint8_t *)buf + i, 1);
        i++;
      }
      continue;
    }
    if (rv < 0) {
      fprintf(stderr, "error: %s\n",
              h11c_reason_str(h11c_conn_last_error(conn)->reason));
      return 1;
    }
    if (rv == H11C_PAUSED)
      break;
    if (ev.type == H11C_EV_REQUEST)
      nreq++;
    if (ev.type == H11C_EV_CONNECTION_CLOSED)
      break;
    if (ev.type == H11C_EV_END_OF_MESSAGE) {
      h11c_header cl = {H11C_LIT("Content-Length"), {NULL, 0}, H11C_LIT("0")};
      h11c_event resp;
      h11c_slice iov[H11C_SEND_IOV_MAX];
      size_t niov;
      neom++;
      memset(&resp, 0, sizeof(resp));
      resp.type = H11C_EV_RESPONSE;
      resp.status_code = 200;
      resp.headers = &cl;
      resp.nheaders = 1;
      if (h11c_conn_send(conn, &resp, iov, &niov) != H11C_OK)
        return 1;
      resp.type = H11C_EV_END_OF_MESSAGE;
      resp.nheaders = 0;
      if (h11c_conn_send(conn, &resp, iov, &niov) != H11C_OK ||
          h11c_conn_start_next_cycle(conn) != H11C_OK)
        return 1;
    }
  }
  h11c_conn_del(conn);
  free(buf);
  printf("%zu bytes, %zu requests, %zu ends\n", len, nreq, neom);
  return nreq > 1 && nreq == neom ? 0 : 1;
}
