/* Round trips through a client/server pair (h11's ConnectionPair): every
 * event sent on one side must come out unchanged on the other. */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

static const h11c_role CL = H11C_CLIENT, SV = H11C_SERVER;

static h11c_event *chunk(tmsg *m, const char *data) {
  mk_data(m, data);
  m->ev.chunk_start = m->ev.chunk_end = true;
  return &m->ev;
}

/* Delivers `wire` to conn one byte at a time and returns the normalised
 * events (a string valid for a few calls). */
static const char *deliver_bytewise(h11c_conn *c, const strbuf *wire,
                                    int *prc) {
  evlist l = {0};
  strbuf t = {0};
  size_t i;
  int rc = H11C_NEED_DATA;
  const char *s;
  for (i = 0; i < wire->len && rc >= 0; i++) {
    if (h11c_conn_receive_data(c, wire->p + i, 1) != 0) {
      rc = -100;
      break;
    }
    rc = collect(c, &l);
  }
  evlist_render(&l, true, &t);
  s = tstr_keep(strbuf_str(&t));
  strbuf_free(&t);
  evlist_free(&l);
  if (prc)
    *prc = rc;
  return s;
}

TEST(get_without_body_round_trips) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/index.html", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, NULL, mk_resp(&r, 200, "Content-Length", "0", NULL),
        mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(many_keep_alive_cycles_round_trip) {
  static const char *const methods[] = {"GET",    "POST",    "PUT",
                                        "DELETE", "OPTIONS", "PATCH"};
  tpair p;
  tmsg r, d, e;
  size_t i;
  pair_init(&p);
  for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    PSEND(
        &p, CL, NULL,
        mk_req(&r, methods[i], "/x", "Host", "a", "Content-Length", "3", NULL));
    PSEND(&p, CL, "DATA \"abc\" | EOM", mk_data(&d, "abc"));
    PSEND(&p, CL, "", mk_eom(&e, NULL));
    PSEND(&p, SV, NULL, mk_resp(&r, 200, "Transfer-Encoding", "chunked", NULL),
          chunk(&d, "reply"), mk_eom(&e, NULL));
    ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
    ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), 0);
    ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), 0);
  }
  ASSERT_PAIR_STATES(&p, H11C_IDLE, H11C_IDLE);
  pair_free(&p);
}

TEST(content_length_body_in_several_pieces_round_trips) {
  tpair p;
  tmsg r, d1, d2, d3;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Content-Length", "9", NULL));
  PSEND(&p, CL, NULL, mk_data(&d1, "abc"));
  PSEND(&p, CL, NULL, mk_data(&d2, "def"));
  PSEND(&p, CL, "DATA \"ghi\" | EOM", mk_data(&d3, "ghi"));
  pair_free(&p);
}

TEST(chunked_request_with_trailers_round_trips) {
  tpair p;
  tmsg r, d1, d2, e;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
               NULL),
        chunk(&d1, "first"), chunk(&d2, "second"),
        mk_eom(&e, "Digest", "abc", "X-Checksum", "42", NULL));
  ASSERT_WIRE(&p, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                  "\r\n5\r\nfirst\r\n6\r\nsecond\r\n0\r\nDigest: abc\r\n"
                  "X-Checksum: 42\r\n\r\n");
  pair_free(&p);
}

TEST(chunked_response_with_trailers_round_trips) {
  tpair p;
  tmsg r, d, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, NULL, mk_resp(&r, 200, "Transfer-Encoding", "chunked", NULL),
        chunk(&d, "54321"), mk_eom(&e, "Etag", "\"x\"", NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(empty_chunked_data_is_not_seen_by_the_peer) {
  tpair p;
  tmsg r, d;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
               NULL));
  PSEND(&p, CL, "", mk_data(&d, ""));
  ASSERT_EQ(p.wire.len, 0);
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(binary_body_round_trips_with_content_length) {
  tpair p;
  tmsg r, d;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Content-Length", "6", NULL));
  memset(&d, 0, sizeof d);
  d.ev.type = H11C_EV_DATA;
  d.ev.data.base = (const uint8_t *)"\0\r\n\xff\r\n";
  d.ev.data.len = 6;
  PSEND(&p, CL, "DATA \"\\0\\r\\n\\xff\\r\\n\" | EOM", &d.ev);
  pair_free(&p);
}

TEST(binary_body_round_trips_chunked) {
  tpair p;
  tmsg r, d;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
               NULL));
  memset(&d, 0, sizeof d);
  d.ev.type = H11C_EV_DATA;
  d.ev.data.base = (const uint8_t *)"0\r\n\r\n";
  d.ev.data.len = 5;
  d.ev.chunk_start = d.ev.chunk_end = true;
  PSEND(&p, CL, NULL, &d.ev);
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(large_body_round_trips_in_chunks) {
  tpair p;
  tmsg r, e;
  static char block[65537];
  evlist got = {0};
  size_t i, total = 0;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n, k;
  memset(block, 'z', 65536);
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "PUT", "/big", "Host", "a", "Transfer-Encoding", "chunked",
               NULL));
  for (i = 0; i < 16; i++) {
    mk_data(&r, block);
    ASSERT_EQ(h11c_conn_send(p.c[CL], &r.ev, iov, &n), 0);
    for (k = 0; k < n; k++)
      ASSERT_EQ(h11c_conn_receive_data(p.c[SV], iov[k].base, iov[k].len), 0);
    ASSERT_EQ(collect(p.c[SV], &got), H11C_NEED_DATA);
  }
  ASSERT_EQ(h11c_conn_send(p.c[CL], mk_eom(&e, NULL), iov, &n), 0);
  for (k = 0; k < n; k++)
    ASSERT_EQ(h11c_conn_receive_data(p.c[SV], iov[k].base, iov[k].len), 0);
  ASSERT_EQ(collect(p.c[SV], &got), H11C_NEED_DATA);
  for (i = 0; i < got.n; i++)
    if (got.v[i].ev.type == H11C_EV_DATA)
      total += got.v[i].ev.data.len;
  ASSERT_EQ(total, 16 * 65536);
  ASSERT_EQ(got.v[got.n - 1].ev.type, H11C_EV_END_OF_MESSAGE);
  evlist_free(&got);
  pair_free(&p);
}

TEST(informational_responses_round_trip_before_final_one) {
  tpair p;
  tmsg r, i1, i2, i3, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  mk_info(&i1, 100, NULL);
  mk_info(&i2, 102, NULL);
  i2.ev.reason = sl("Processing");
  mk_info(&i3, 103, "Link", "</style.css>; rel=preload", NULL);
  i3.ev.reason = sl("Early Hints");
  PSEND(&p, SV, NULL, &i1.ev, &i2.ev, &i3.ev);
  PSEND(&p, SV, NULL, mk_resp(&r, 204, NULL), mk_eom(&e, NULL));
  pair_free(&p);
}

TEST(reason_phrase_round_trips) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  mk_resp(&r, 404, "Content-Length", "0", NULL);
  r.ev.reason = sl("Not Found Here\tat all");
  PSEND(&p, SV, NULL, &r.ev, mk_eom(&e, NULL));
  pair_free(&p);
}

TEST(header_casing_round_trips_in_raw_name) {
  tpair p;
  tmsg r;
  h11c_event ev;
  const char *out;
  size_t n;
  pair_init(&p);
  ASSERT_EQ(send_bytes(p.c[CL],
                       mk_req(&r, "GET", "/", "hOST", "a", "X-CaSe", "v", NULL),
                       &out, &n),
            0);
  ASSERT_EQ(h11c_conn_receive_data(p.c[SV], (const uint8_t *)out, n), 0);
  ASSERT_EQ(h11c_conn_next_event(p.c[SV], &ev), H11C_OK);
  ASSERT_EQ(ev.nheaders, 2);
  ASSERT_SLICE(ev.headers[0].raw_name, "hOST");
  ASSERT_SLICE(ev.headers[0].name, "host");
  ASSERT_SLICE(ev.headers[1].raw_name, "X-CaSe");
  ASSERT_SLICE(ev.headers[1].name, "x-case");
  pair_free(&p);
}

TEST(many_headers_round_trip_in_order) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "GET", "/", "Host", "a", "A", "1", "B", "2", "C", "3", "A",
               "4", "Cookie", "x=1; y=2", "Accept", "*/*", "Accept-Language",
               "en, fr;q=0.5", "User-Agent", "test/1.0 (x; y)", "Empty", "",
               NULL),
        mk_eom(&e, NULL));
  pair_free(&p);
}

TEST(asterisk_and_absolute_targets_round_trip) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "OPTIONS", "*", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, NULL, mk_resp(&r, 204, NULL), mk_eom(&e, NULL));
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), 0);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), 0);
  PSEND(&p, CL, NULL,
        mk_req(&r, "GET", "http://a.example:8080/p?q=1", "Host", "a", NULL),
        mk_eom(&e, NULL));
  pair_free(&p);
}

TEST(head_request_gets_headers_without_body) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "HEAD", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, "RESP 200 \"\" 1.1 [content-length: 1234] | EOM",
        mk_resp(&r, 200, "Content-Length", "1234", NULL));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(no_content_and_not_modified_round_trip_without_bodies) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, "RESP 204 \"\" 1.1 | EOM", mk_resp(&r, 204, NULL));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), 0);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), 0);
  PSEND(&p, CL, NULL,
        mk_req(&r, "GET", "/", "Host", "a", "If-None-Match", "\"x\"", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV, "RESP 304 \"\" 1.1 [etag: \\\"x\\\"] | EOM",
        mk_resp(&r, 304, "ETag", "\"x\"", NULL));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(expect_100_continue_flow_round_trips) {
  tpair p;
  tmsg r, d, e;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "PUT", "/", "Host", "a", "Content-Length", "4", "Expect",
               "100-continue", NULL));
  ASSERT_TRUE(h11c_conn_they_are_waiting_for_100_continue(p.c[SV]));
  PSEND(&p, SV, NULL, mk_info(&r, 100, NULL));
  ASSERT_FALSE(h11c_conn_client_is_waiting_for_100_continue(p.c[CL]));
  PSEND(&p, CL, "DATA \"body\" | EOM", mk_data(&d, "body"), mk_eom(&e, NULL));
  PSEND(&p, SV, "RESP 201 \"\" 1.1 [content-length: 2] | DATA \"ok\" | EOM",
        mk_resp(&r, 201, "Content-Length", "2", NULL), mk_data(&d, "ok"));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(server_closing_after_response_round_trips) {
  tpair p;
  tmsg r, d, e, c;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, SV,
        "RESP 200 \"\" 1.1 [connection: close] [content-length: 2] | "
        "DATA \"hi\" | EOM",
        mk_resp(&r, 200, "Connection", "close", "Content-Length", "2", NULL),
        mk_data(&d, "hi"));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  PSEND(&p, SV, NULL, mk_closed(&c));
  PSEND(&p, CL, NULL, mk_closed(&c));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_CLOSED);
  pair_free(&p);
}

TEST(client_closing_request_is_answered_then_closed) {
  tpair p;
  tmsg r, d, e, c;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "GET", "/", "Host", "a", "Connection", "close", NULL),
        mk_eom(&e, NULL));
  PSEND(&p, CL, NULL, mk_closed(&c));
  PSEND(&p, SV,
        "RESP 200 \"\" 1.1 [transfer-encoding: chunked] [connection: close] | "
        "DATA \"bye\" start end | EOM",
        mk_resp(&r, 200, NULL), chunk(&d, "bye"), mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_MUST_CLOSE);
  pair_free(&p);
}

TEST(upgrade_round_trip_leaves_new_protocol_bytes_in_trailing_data) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&r, "GET", "/chat", "Host", "a", "Connection", "Upgrade",
               "Upgrade", "websocket", NULL),
        mk_eom(&e, NULL));
  PSEND(
      &p, SV, NULL,
      mk_info(&r, 101, "Connection", "Upgrade", "Upgrade", "websocket", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  ASSERT_EQ(feed(p.c[CL], "server frame"), 0);
  ASSERT_EQ(feed(p.c[SV], "client frame"), 0);
  ASSERT_STR(next_str(p.c[CL]), "PAUSED");
  ASSERT_STR(next_str(p.c[SV]), "PAUSED");
  ASSERT_TRAILING(p.c[CL], "server frame", false);
  ASSERT_TRAILING(p.c[SV], "client frame", false);
  pair_free(&p);
}

TEST(connect_round_trip_switches_both_sides) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  PSEND(
      &p, CL, NULL,
      mk_req(&r, "CONNECT", "example.com:443", "Host", "example.com:443", NULL),
      mk_eom(&e, NULL));
  PSEND(&p, SV, NULL, mk_resp(&r, 200, NULL));
  ASSERT_WIRE(&p, "HTTP/1.1 200 \r\n\r\n");
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(refused_connect_round_trip_has_a_body) {
  tpair p;
  tmsg r, d, e;
  pair_init(&p);
  PSEND(
      &p, CL, NULL,
      mk_req(&r, "CONNECT", "example.com:443", "Host", "example.com:443", NULL),
      mk_eom(&e, NULL));
  PSEND(&p, SV, "RESP 403 \"\" 1.1 [content-length: 2] | DATA \"no\" | EOM",
        mk_resp(&r, 403, "Content-Length", "2", NULL), mk_data(&d, "no"));
  PSEND(&p, SV, "", mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(chunked_cycle_delivered_byte_by_byte_gives_same_events) {
  tpair p;
  tmsg r, d1, d2, e;
  strbuf wire = {0};
  int rc;
  pair_init(&p);
  /* Produce the bytes with a throwaway pair, then replay them slowly. */
  PSEND(&p, CL, NULL,
        mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
               NULL),
        chunk(&d1, "hello "), chunk(&d2, "world"), mk_eom(&e, "T", "1", NULL));
  strbuf_put(&wire, p.wire.p, p.wire.len);
  pair_free(&p);
  pair_init(&p);
  ASSERT_STR(deliver_bytewise(p.c[SV], &wire, &rc),
             "REQ POST / 1.1 [host: a] [transfer-encoding: chunked] | "
             "DATA \"hello world\" | EOM [t: 1]");
  ASSERT_EQ(rc, H11C_NEED_DATA);
  ASSERT_STATE(p.c[SV], CL, H11C_DONE);
  strbuf_free(&wire);
  pair_free(&p);
}

TEST(response_delivered_byte_by_byte_gives_same_events) {
  tpair p;
  tmsg r, d, e;
  strbuf wire = {0};
  int rc;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_req(&r, "GET", "/", "Host", "a", NULL),
        mk_eom(&e, NULL));
  {
    tmsg i;
    h11c_slice iov[H11C_SEND_IOV_MAX];
    size_t n, k;
    const h11c_event *evs[4];
    evs[0] = mk_info(&i, 100, NULL);
    evs[1] = mk_resp(&r, 200, "Content-Length", "5", "X", "y", NULL);
    evs[2] = mk_data(&d, "12345");
    evs[3] = mk_eom(&e, NULL);
    for (k = 0; k < 4; k++) {
      size_t j;
      ASSERT_EQ(h11c_conn_send(p.c[SV], evs[k], iov, &n), 0);
      for (j = 0; j < n; j++)
        strbuf_put(&wire, iov[j].base, iov[j].len);
    }
  }
  ASSERT_STR(deliver_bytewise(p.c[CL], &wire, &rc),
             "INFO 100 \"\" 1.1 | RESP 200 \"\" 1.1 [content-length: 5] [x: y] "
             "| DATA \"12345\" | EOM");
  ASSERT_EQ(rc, H11C_NEED_DATA);
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  strbuf_free(&wire);
  pair_free(&p);
}

TEST(send_and_send_copy_produce_the_same_bytes) {
  tpair a, b;
  tmsg r, d, e;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n, k;
  strbuf x = {0};
  const uint8_t *out;
  size_t len;
  const h11c_event *evs[3];
  pair_init(&a);
  pair_init(&b);
  evs[0] = mk_req(&r, "POST", "/", "Host", "a", "Transfer-Encoding", "chunked",
                  NULL);
  evs[1] = mk_data(&d, "payload");
  evs[2] = mk_eom(&e, "Z", "z", NULL);
  for (k = 0; k < 3; k++) {
    size_t j;
    ASSERT_EQ(h11c_conn_send(a.c[CL], evs[k], iov, &n), 0);
    strbuf_reset(&x);
    for (j = 0; j < n; j++)
      strbuf_put(&x, iov[j].base, iov[j].len);
    ASSERT_EQ(h11c_conn_send_copy(b.c[CL], evs[k], &out, &len), 0);
    ASSERT_MEM_STR(out, len, strbuf_str(&x));
  }
  strbuf_free(&x);
  pair_free(&a);
  pair_free(&b);
}

TEST(received_events_can_be_forwarded_by_a_proxy) {
  /* A proxy reads a request as a server and re-sends it as a client. */
  tpair up, down;
  tmsg r, d, e;
  evlist got = {0};
  size_t i;
  strbuf t = {0};
  pair_init(&up);
  pair_init(&down);
  PSEND(&up, CL, NULL,
        mk_req(&r, "POST", "/p", "Host", "a", "X-Mixed-Case", "v",
               "Transfer-Encoding", "chunked", NULL),
        chunk(&d, "data"), mk_eom(&e, "T", "x", NULL));
  /* Replay the same bytes into a fresh server, forward what it sees. */
  ASSERT_EQ(h11c_conn_receive_data(down.c[SV], up.wire.p, up.wire.len), 0);
  ASSERT_EQ(collect(down.c[SV], &got), H11C_NEED_DATA);
  for (i = 0; i < got.n; i++) {
    const char *out;
    size_t n;
    ASSERT_EQ(send_bytes(down.c[CL], &got.v[i].ev, &out, &n), 0);
    strbuf_put(&t, out, n);
  }
  ASSERT_MEM_STR(t.p, t.len, strbuf_str(&up.wire));
  strbuf_free(&t);
  evlist_free(&got);
  pair_free(&up);
  pair_free(&down);
}
