/* Uses h11c as an external Bazel dependency, through nothing but the public
 * header and the @h11c//lib:h11c target: a client connection serialises a
 * request, a server connection parses it back.  Prints "ok" on success. */
#include <stdio.h>
#include <string.h>

#include <h11c.h>

static int fail(const char *what) {
  fprintf(stderr, "consumer: %s\n", what);
  return 1;
}

int main(void) {
  h11c_conn *client = NULL, *server = NULL;
  h11c_header host = {H11C_LIT("Host"), {NULL, 0}, H11C_LIT("example")};
  h11c_event req, eom, ev;
  const uint8_t *out;
  size_t len;
  int rc = 1;

  memset(&req, 0, sizeof(req));
  req.type = H11C_EV_REQUEST;
  req.method = H11C_LIT("GET");
  req.target = H11C_LIT("/consumer");
  req.headers = &host;
  req.nheaders = 1;
  memset(&eom, 0, sizeof(eom));
  eom.type = H11C_EV_END_OF_MESSAGE;

  if (h11c_conn_new(&client, H11C_CLIENT, NULL, NULL) != H11C_OK ||
      h11c_conn_new(&server, H11C_SERVER, NULL, NULL) != H11C_OK) {
    rc = fail("h11c_conn_new failed");
    goto done;
  }
  if (h11c_conn_send_copy(client, &req, &out, &len) != H11C_OK ||
      h11c_conn_receive_data(server, out, len) != H11C_OK ||
      h11c_conn_send_copy(client, &eom, &out, &len) != H11C_OK) {
    rc = fail("sending the request failed");
    goto done;
  }
  if (h11c_conn_next_event(server, &ev) != H11C_OK ||
      ev.type != H11C_EV_REQUEST || ev.target.len != 9 ||
      memcmp(ev.target.base, "/consumer", 9) != 0) {
    rc = fail("the server did not parse the request back");
    goto done;
  }
  if (h11c_conn_next_event(server, &ev) != H11C_OK ||
      ev.type != H11C_EV_END_OF_MESSAGE ||
      h11c_conn_their_state(server) != H11C_DONE) {
    rc = fail("the request did not end");
    goto done;
  }
  puts("ok");
  rc = 0;
done:
  h11c_conn_del(client);
  h11c_conn_del(server);
  return rc;
}
