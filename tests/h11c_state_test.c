/* The state machine, observed through h11c_conn_state() for both roles on
 * both ends of a client/server pair. */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

static const h11c_role CL = H11C_CLIENT, SV = H11C_SERVER;

/* Sends a request with these extra headers (NULL-terminated) and its end. */
#define SEND_REQ(p, method, ...)                                               \
  do {                                                                         \
    tmsg r_, e_;                                                               \
    PSEND(p, CL, NULL,                                                         \
          mk_req(&r_, method, strcmp(method, "CONNECT") ? "/" : "a:443",       \
                 "Host", "a", __VA_ARGS__),                                    \
          mk_eom(&e_, NULL));                                                  \
  } while (0)

/* Sends a Content-Length: 0 response and its end. */
#define SEND_RESP(p, status)                                                   \
  do {                                                                         \
    tmsg r_, e_;                                                               \
    PSEND(p, SV, NULL, mk_resp(&r_, status, "Content-Length", "0", NULL),      \
          mk_eom(&e_, NULL));                                                  \
  } while (0)

TEST(new_connections_start_idle) {
  tpair p;
  pair_init(&p);
  ASSERT_PAIR_STATES(&p, H11C_IDLE, H11C_IDLE);
  pair_free(&p);
}

TEST(our_and_their_state_follow_role) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Content-Length", "1", NULL));
  ASSERT_EQ(h11c_conn_our_state(p.c[CL]), H11C_SEND_BODY);
  ASSERT_EQ(h11c_conn_their_state(p.c[CL]), H11C_SEND_RESPONSE);
  ASSERT_EQ(h11c_conn_our_state(p.c[SV]), H11C_SEND_RESPONSE);
  ASSERT_EQ(h11c_conn_their_state(p.c[SV]), H11C_SEND_BODY);
  ASSERT_EQ(h11c_conn_our_role(p.c[CL]), H11C_CLIENT);
  ASSERT_EQ(h11c_conn_our_role(p.c[SV]), H11C_SERVER);
  pair_free(&p);
}

TEST(request_moves_client_to_send_body_and_server_to_send_response) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(second_request_while_sending_body_is_refused) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Content-Length", "1", NULL));
  ASSERT_SEND_FAILS(p.c[CL], mk_req(&m, "GET", "/", "Host", "a", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_STATES(p.c[CL], H11C_ERROR, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(informational_response_keeps_server_in_send_response) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 100, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(response_moves_server_to_send_body) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Content-Length", "1", NULL));
  PSEND(&p, SV, NULL, mk_resp(&m, 200, "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(end_of_message_on_both_sides_gives_done_done) {
  tpair p;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_RESPONSE);
  SEND_RESP(&p, 200);
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  pair_free(&p);
}

TEST(server_close_after_cycle_makes_client_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  SEND_RESP(&p, 200);
  PSEND(&p, SV, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_CLOSED);
  pair_free(&p);
}

TEST(client_close_after_cycle_makes_server_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  SEND_RESP(&p, 200);
  PSEND(&p, CL, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_MUST_CLOSE);
  pair_free(&p);
}

TEST(client_close_before_request_makes_server_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_MUST_CLOSE);
  pair_free(&p);
}

TEST(server_close_before_request_makes_client_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, SV, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_CLOSED);
  pair_free(&p);
}

TEST(client_close_after_request_leaves_server_responding) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  PSEND(&p, CL, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(server_may_not_close_while_a_response_is_owed) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  ASSERT_SEND_FAILS(p.c[SV], mk_closed(&m), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  /* A server in ERROR will never finish, so the client must close. */
  ASSERT_STATES(p.c[SV], H11C_MUST_CLOSE, H11C_ERROR);
  pair_free(&p);
}

TEST(client_may_not_close_in_the_middle_of_a_body) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Content-Length", "10", NULL));
  ASSERT_SEND_FAILS(p.c[CL], mk_closed(&m), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_STATE(p.c[CL], CL, H11C_ERROR);
  pair_free(&p);
}

TEST(both_sides_closed_gives_closed_closed) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL, mk_closed(&m));
  PSEND(&p, SV, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_CLOSED);
  pair_free(&p);
}

TEST(connection_closed_may_be_sent_repeatedly) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  SEND_RESP(&p, 200);
  PSEND(&p, CL, NULL, mk_closed(&m));
  PSEND(&p, SV, NULL, mk_closed(&m));
  PSEND(&p, CL, NULL, mk_closed(&m));
  PSEND(&p, SV, NULL, mk_closed(&m));
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_CLOSED);
  pair_free(&p);
}

TEST(connection_close_request_makes_client_must_close_at_end) {
  tpair p;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Connection", "close", NULL);
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(connection_close_request_makes_both_must_close_after_response) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Connection", "close", NULL);
  PSEND(&p, SV,
        "RESP 200 \"\" 1.1 [content-length: 0] [connection: close] | EOM",
        mk_resp(&r, 200, "Content-Length", "0", NULL), mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  pair_free(&p);
}

TEST(connection_close_response_turns_done_client_into_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_RESPONSE);
  PSEND(&p, SV, NULL,
        mk_resp(&m, 200, "Content-Length", "1", "Connection", "close", NULL));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(keep_alive_is_true_by_default_and_false_after_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  ASSERT_TRUE(h11c_conn_keep_alive(p.c[CL]));
  ASSERT_TRUE(h11c_conn_keep_alive(p.c[SV]));
  PSEND(&p, CL, "REQ GET / 1.1 [host: a] [connection: close] | EOM",
        mk_req(&m, "GET", "/", "Host", "a", "Connection", "close", NULL));
  ASSERT_FALSE(h11c_conn_keep_alive(p.c[CL]));
  ASSERT_FALSE(h11c_conn_keep_alive(p.c[SV]));
  pair_free(&p);
}

/* --- protocol switches ---------------------------------------------------- */

TEST(switch_proposal_waits_for_end_of_request) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Upgrade", "h2c", "Content-Length",
               "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_RESPONSE);
  /* The server's reader ends the body after the declared byte... */
  PSEND(&p, CL, "DATA \"x\" | EOM", mk_data(&m, "x"));
  ASSERT_STATES(p.c[CL], H11C_SEND_BODY, H11C_SEND_RESPONSE);
  ASSERT_STATES(p.c[SV], H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  /* ...and the client gets there when it sends its EndOfMessage. */
  PSEND(&p, CL, "", mk_eom(&m, NULL));
  ASSERT_PAIR_STATES(&p, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(upgrade_denied_before_request_ends_gives_done) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Upgrade", "h2c", "Content-Length",
               "1", NULL));
  PSEND(&p, SV, NULL, mk_resp(&m, 200, "Content-Length", "1", NULL));
  PSEND(&p, CL, "DATA \"x\" | EOM", mk_data(&m, "x"));
  PSEND(&p, CL, "", mk_eom(&m, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(connect_denied_before_request_ends_gives_done) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(
      &p, CL, NULL,
      mk_req(&m, "CONNECT", "a:443", "Host", "a", "Content-Length", "1", NULL));
  PSEND(&p, SV, NULL, mk_resp(&m, 404, "Content-Length", "1", NULL));
  PSEND(&p, CL, "DATA \"x\" | EOM", mk_data(&m, "x"));
  PSEND(&p, CL, "", mk_eom(&m, NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(upgrade_denied_after_request_ends_gives_done) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  ASSERT_PAIR_STATES(&p, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  PSEND(&p, SV, NULL, mk_resp(&m, 200, "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(informational_response_keeps_switch_pending) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 100, NULL));
  ASSERT_PAIR_STATES(&p, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(accepted_upgrade_switches_both_sides) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 101, "Upgrade", "h2c", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(accepted_connect_switches_both_sides) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", NULL);
  ASSERT_PAIR_STATES(&p, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  PSEND(&p, SV, NULL, mk_resp(&m, 200, NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(connect_accepted_with_any_2xx_switches) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", NULL);
  PSEND(&p, SV, NULL, mk_resp(&m, 299, NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(connect_with_upgrade_denied_gives_done) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", "Upgrade", "a, b", NULL);
  PSEND(&p, SV, NULL, mk_resp(&m, 404, "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(connect_with_upgrade_accepted_as_upgrade_switches) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", "Upgrade", "a, b", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 101, "Upgrade", "b", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(connect_with_upgrade_accepted_as_connect_switches) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", "Upgrade", "a, b", NULL);
  PSEND(&p, SV, NULL, mk_resp(&m, 200, NULL));
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(switching_protocols_without_upgrade_proposal_is_refused) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  ASSERT_SEND_FAILS(p.c[SV], mk_info(&m, 101, "Upgrade", "x", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_NO_PENDING_PROPOSAL);
  ASSERT_STATE(p.c[SV], SV, H11C_ERROR);
  pair_free(&p);
}

TEST(switching_protocols_answer_to_connect_only_is_refused) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", NULL);
  ASSERT_SEND_FAILS(p.c[SV], mk_info(&m, 101, "Upgrade", "x", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_NO_PENDING_PROPOSAL);
  pair_free(&p);
}

TEST(received_switching_protocols_without_proposal_is_refused) {
  h11c_conn *c = new_client_after("GET");
  int rc;
  feed_events(c, "HTTP/1.1 101 Switching\r\nUpgrade: x\r\n\r\n", &rc);
  ASSERT_EQ(rc, H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_ERR(c, H11C_ERR_REMOTE_PROTOCOL, H11C_REASON_NO_PENDING_PROPOSAL);
  ASSERT_STATES(c, H11C_MUST_CLOSE, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(upgrade_answered_with_2xx_is_a_denial) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  PSEND(&p, SV, NULL, mk_resp(&m, 200, "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(denied_switch_with_connection_close_ends_in_must_close) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, CL, NULL,
        mk_req(&m, "GET", "/", "Host", "a", "Upgrade", "h2c", "Connection",
               "close", "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_SEND_BODY, H11C_SEND_RESPONSE);
  PSEND(&p, CL, "DATA \"x\" | EOM", mk_data(&m, "x"));
  PSEND(&p, CL, "", mk_eom(&m, NULL));
  /* The pending switch wins over keep-alive... */
  ASSERT_PAIR_STATES(&p, H11C_MIGHT_SWITCH_PROTOCOL, H11C_SEND_RESPONSE);
  /* ...until the server declines it. */
  PSEND(&p, SV, "RESP 200 \"\" 1.1 [content-length: 1] [connection: close]",
        mk_resp(&m, 200, "Content-Length", "1", NULL));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_SEND_BODY);
  pair_free(&p);
}

TEST(client_may_not_send_while_switch_is_pending) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  ASSERT_SEND_FAILS(p.c[CL], mk_req(&m, "GET", "/", "Host", "a", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_EVENT_FOR_STATE);
  pair_free(&p);
}

TEST(client_may_not_close_while_switch_is_pending) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  ASSERT_SEND_FAILS(p.c[CL], mk_closed(&m), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  pair_free(&p);
}

TEST(server_may_not_send_data_after_switching) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 101, NULL));
  ASSERT_SEND_FAILS(p.c[SV], mk_data(&m, "123"), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  pair_free(&p);
}

TEST(client_may_not_send_after_switching) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "CONNECT", NULL);
  PSEND(&p, SV, NULL, mk_resp(&m, 200, NULL));
  ASSERT_SEND_FAILS(p.c[CL], mk_req(&m, "GET", "/", "Host", "a", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_EVENT_FOR_STATE);
  pair_free(&p);
}

/* --- start_next_cycle ----------------------------------------------------- */

TEST(next_cycle_refused_when_idle) {
  tpair p;
  pair_init(&p);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_ERR(p.c[CL], H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_NOT_REUSABLE);
  ASSERT_STATES(p.c[CL], H11C_IDLE, H11C_IDLE);
  pair_free(&p);
}

TEST(next_cycle_refused_while_response_is_owed) {
  tpair p;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_ERR(p.c[SV], H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_NOT_REUSABLE);
  /* A refused reset changes nothing (in particular no ERROR state). */
  ASSERT_STATES(p.c[SV], H11C_DONE, H11C_SEND_RESPONSE);
  pair_free(&p);
}

TEST(next_cycle_resets_done_done_to_idle) {
  tpair p;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  SEND_RESP(&p, 200);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), 0);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), 0);
  ASSERT_PAIR_STATES(&p, H11C_IDLE, H11C_IDLE);
  pair_free(&p);
}

TEST(next_cycle_refused_without_keep_alive) {
  tpair p;
  tmsg r, e;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Connection", "close", NULL);
  PSEND(&p, SV,
        "RESP 200 \"\" 1.1 [content-length: 0] [connection: close] | EOM",
        mk_resp(&r, 200, "Content-Length", "0", NULL), mk_eom(&e, NULL));
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_PAIR_STATES(&p, H11C_MUST_CLOSE, H11C_MUST_CLOSE);
  pair_free(&p);
}

TEST(next_cycle_refused_after_client_closed) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", NULL);
  PSEND(&p, CL, NULL, mk_closed(&m));
  SEND_RESP(&p, 200);
  ASSERT_PAIR_STATES(&p, H11C_CLOSED, H11C_MUST_CLOSE);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), H11C_ERR_LOCAL_PROTOCOL);
  pair_free(&p);
}

TEST(next_cycle_refused_after_switch) {
  tpair p;
  tmsg m;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  PSEND(&p, SV, NULL, mk_info(&m, 101, NULL));
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_PAIR_STATES(&p, H11C_SWITCHED_PROTOCOL, H11C_SWITCHED_PROTOCOL);
  pair_free(&p);
}

TEST(next_cycle_allowed_after_denied_switch) {
  tpair p;
  pair_init(&p);
  SEND_REQ(&p, "GET", "Upgrade", "h2c", NULL);
  SEND_RESP(&p, 200);
  ASSERT_PAIR_STATES(&p, H11C_DONE, H11C_DONE);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[CL]), 0);
  ASSERT_EQ(h11c_conn_start_next_cycle(p.c[SV]), 0);
  ASSERT_PAIR_STATES(&p, H11C_IDLE, H11C_IDLE);
  pair_free(&p);
}

/* --- role misuse ---------------------------------------------------------- */

TEST(server_may_not_send_a_request) {
  h11c_conn *c = new_conn(H11C_SERVER);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_req(&m, "GET", "/", "Host", "a", NULL),
                    H11C_ERR_LOCAL_PROTOCOL, H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_STATES(c, H11C_IDLE, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(client_may_not_send_a_response) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_resp(&m, 200, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_STATES(c, H11C_ERROR, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(client_may_not_send_data_before_a_request) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_data(&m, "x"), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  h11c_conn_del(c);
}

TEST(server_may_not_send_end_of_message_before_a_response) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_eom(&m, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  h11c_conn_del(c);
}

TEST(informational_response_after_response_is_refused) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_SEND_FAILS(c, mk_info(&m, 100, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  h11c_conn_del(c);
}

TEST(server_may_respond_spontaneously_from_idle) {
  tpair p;
  tmsg m;
  pair_init(&p);
  PSEND(&p, SV, NULL, mk_resp(&m, 408, "connection", "close", NULL));
  ASSERT_PAIR_STATES(&p, H11C_IDLE, H11C_SEND_BODY);
  ASSERT_FALSE(h11c_conn_keep_alive(p.c[CL]));
  pair_free(&p);
}

/* --- state-triggered transitions via errors ------------------------------- */

TEST(server_done_after_client_error_must_close) {
  h11c_conn *c = new_conn(H11C_SERVER);
  tmsg m;
  int rc;
  feed_events(c, "gibberish\r\n\r\n", &rc);
  ASSERT_EQ(rc, H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_STATES(c, H11C_ERROR, H11C_IDLE);
  ASSERT_SEND(c, mk_resp(&m, 400, "Content-Length", "0", NULL),
              "HTTP/1.1 400 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_STATES(c, H11C_ERROR, H11C_SEND_BODY);
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  ASSERT_STATES(c, H11C_ERROR, H11C_MUST_CLOSE);
  h11c_conn_del(c);
}

TEST(client_done_after_server_error_must_close) {
  h11c_conn *c = new_client_after("GET");
  int rc;
  ASSERT_STATES(c, H11C_DONE, H11C_SEND_RESPONSE);
  feed_events(c, "HTTP/1.1 20 OK\r\n\r\n", &rc);
  ASSERT_EQ(rc, H11C_ERR_REMOTE_PROTOCOL);
  ASSERT_STATES(c, H11C_MUST_CLOSE, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(client_done_after_own_send_failure_is_error) {
  h11c_conn *c = new_client_after("GET");
  h11c_conn_send_failed(c);
  ASSERT_STATES(c, H11C_ERROR, H11C_SEND_RESPONSE);
  h11c_conn_del(c);
}

TEST(client_send_failure_after_cycle_makes_server_must_close) {
  h11c_conn *c = new_client_after("GET");
  ASSERT_STR(
      feed_events(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", NULL),
      "RESP 200 \"OK\" 1.1 [content-length: 0] | EOM");
  ASSERT_STATES(c, H11C_DONE, H11C_DONE);
  h11c_conn_send_failed(c);
  ASSERT_STATES(c, H11C_ERROR, H11C_MUST_CLOSE);
  h11c_conn_del(c);
}

TEST(server_send_failure_after_cycle_makes_client_must_close) {
  h11c_conn *c = new_server_ready();
  tmsg m;
  ASSERT_SEND(c, mk_resp(&m, 200, "Content-Length", "0", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  h11c_conn_send_failed(c);
  ASSERT_STATES(c, H11C_MUST_CLOSE, H11C_ERROR);
  h11c_conn_del(c);
}

TEST(states_are_reported_per_role_not_per_side) {
  h11c_conn *c = new_client_after("GET");
  ASSERT_EQ(h11c_conn_state(c, H11C_CLIENT), h11c_conn_our_state(c));
  ASSERT_EQ(h11c_conn_state(c, H11C_SERVER), h11c_conn_their_state(c));
  h11c_conn_del(c);
}
