/* API misuse, names, options and the allocator hooks (including an
 * allocation-failure sweep over whole request/response cycles). */
#define H11C_TEST_MAIN
#include "h11c_test_util.h"

/* ======================================================================== */
/* A counting allocator that can fail the n-th allocation                   */
/* ======================================================================== */

typedef struct counting_mem {
  size_t mallocs, reallocs, frees; /* calls */
  long live;                       /* allocated blocks not yet freed */
  size_t allocs;                   /* malloc + realloc calls so far */
  size_t fail_at;                  /* fail the allocation with this number */
  size_t failures;
  int user_tag;
  bool bad_user;
} counting_mem;

static void *cm_malloc(size_t size, void *user) {
  counting_mem *cm = user;
  void *p;
  if (cm->user_tag != 0x5eed)
    cm->bad_user = true;
  cm->mallocs++;
  cm->allocs++;
  if (cm->fail_at && cm->allocs == cm->fail_at) {
    cm->failures++;
    return NULL;
  }
  p = malloc(size ? size : 1);
  if (p)
    cm->live++;
  return p;
}

static void *cm_realloc(void *ptr, size_t size, void *user) {
  counting_mem *cm = user;
  void *p;
  if (cm->user_tag != 0x5eed)
    cm->bad_user = true;
  cm->reallocs++;
  cm->allocs++;
  if (cm->fail_at && cm->allocs == cm->fail_at) {
    cm->failures++;
    return NULL;
  }
  p = realloc(ptr, size ? size : 1);
  if (p && !ptr)
    cm->live++;
  return p;
}

static void cm_free(void *ptr, void *user) {
  counting_mem *cm = user;
  if (cm->user_tag != 0x5eed)
    cm->bad_user = true;
  cm->frees++;
  if (ptr) {
    cm->live--;
    free(ptr);
  }
}

static h11c_mem cm_hooks(counting_mem *cm) {
  h11c_mem m;
  memset(cm, 0, sizeof *cm);
  cm->user_tag = 0x5eed;
  m.user = cm;
  m.malloc = cm_malloc;
  m.realloc = cm_realloc;
  m.free = cm_free;
  return m;
}

/* ======================================================================== */
/* Construction                                                             */
/* ======================================================================== */

TEST(new_with_null_out_pointer_is_invalid) {
  ASSERT_EQ(h11c_conn_new(NULL, H11C_CLIENT, NULL, NULL),
            H11C_ERR_INVALID_ARGUMENT);
}

TEST(new_with_unknown_role_is_invalid) {
  h11c_conn *c = (h11c_conn *)&c;
  ASSERT_EQ(h11c_conn_new(&c, (h11c_role)2, NULL, NULL),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_TRUE(c == NULL || c == (h11c_conn *)&c);
  ASSERT_EQ(h11c_conn_new(&c, (h11c_role)-1, NULL, NULL),
            H11C_ERR_INVALID_ARGUMENT);
}

TEST(new_with_zero_event_size_limit_is_invalid) {
  h11c_conn *c = NULL;
  h11c_options o;
  h11c_options_init(&o);
  o.max_incomplete_event_size = 0;
  ASSERT_EQ(h11c_conn_new(&c, H11C_SERVER, &o, NULL),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_TRUE(c == NULL);
}

TEST(new_with_unknown_option_flag_is_invalid) {
  h11c_conn *c = NULL;
  h11c_options o;
  h11c_options_init(&o);
  o.flags = 1u << 30;
  ASSERT_EQ(h11c_conn_new(&c, H11C_SERVER, &o, NULL),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_TRUE(c == NULL);
}

TEST(new_with_incomplete_allocator_is_invalid) {
  h11c_conn *c = NULL;
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  m.realloc = NULL;
  ASSERT_EQ(h11c_conn_new(&c, H11C_SERVER, NULL, &m),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(cm.mallocs, 0);
}

TEST(new_with_defaults_plays_the_given_role) {
  h11c_conn *c = NULL, *s = NULL;
  ASSERT_EQ(h11c_conn_new(&c, H11C_CLIENT, NULL, NULL), 0);
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, NULL), 0);
  ASSERT_EQ(h11c_conn_our_role(c), H11C_CLIENT);
  ASSERT_EQ(h11c_conn_our_role(s), H11C_SERVER);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  ASSERT_TRUE(h11c_conn_keep_alive(c));
  ASSERT_EQ(h11c_conn_their_http_version(s), -1);
  ASSERT_FALSE(h11c_conn_client_is_waiting_for_100_continue(s));
  h11c_conn_del(c);
  h11c_conn_del(s);
}

TEST(options_are_copied_at_creation) {
  h11c_conn *s = NULL;
  h11c_options o;
  h11c_options_init(&o);
  o.max_incomplete_event_size = 10;
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, &o, NULL), 0);
  o.max_incomplete_event_size = 100000;
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\n"), 0);
  ASSERT_STR(next_str(s), "ERR -1 BUFFER_TOO_LONG");
  h11c_conn_del(s);
}

TEST(allocator_struct_is_copied_at_creation) {
  h11c_conn *s = NULL;
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), 0);
  m.malloc = NULL;
  m.realloc = NULL;
  m.free = NULL;
  ASSERT_STR(feed_events(s, GET11, NULL), "REQ GET / 1.1 [host: a] | EOM");
  h11c_conn_del(s);
  ASSERT_EQ(cm.live, 0);
}

TEST(del_of_null_is_harmless) {
  h11c_conn_del(NULL);
  ASSERT_TRUE(1);
}

TEST(options_init_of_null_is_harmless) {
  h11c_options o;
  h11c_options_init(NULL);
  h11c_options_init(&o);
  ASSERT_EQ(o.max_incomplete_event_size,
            H11C_DEFAULT_MAX_INCOMPLETE_EVENT_SIZE);
}

/* ======================================================================== */
/* NULL arguments and unknown values                                        */
/* ======================================================================== */

TEST(receive_data_with_null_connection_is_invalid) {
  ASSERT_EQ(h11c_conn_receive_data(NULL, (const uint8_t *)"x", 1),
            H11C_ERR_INVALID_ARGUMENT);
}

TEST(receive_data_with_null_bytes_and_length_is_invalid) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(h11c_conn_receive_data(s, NULL, 5), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_TRAILING(s, "", false);
  ASSERT_STR(next_str(s), "NEED_DATA");
  h11c_conn_del(s);
}

TEST(receive_eof_with_null_connection_is_invalid) {
  ASSERT_EQ(h11c_conn_receive_eof(NULL), H11C_ERR_INVALID_ARGUMENT);
}

TEST(next_event_with_null_arguments_is_invalid) {
  h11c_conn *s = new_conn(H11C_SERVER);
  h11c_event ev;
  ASSERT_EQ(h11c_conn_next_event(NULL, &ev), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(feed(s, GET11), 0);
  ASSERT_EQ(h11c_conn_next_event(s, NULL), H11C_ERR_INVALID_ARGUMENT);
  /* Nothing was consumed. */
  ASSERT_TRAILING(s, GET11, false);
  ASSERT_STR(next_str(s), "REQ GET / 1.1 [host: a]");
  h11c_conn_del(s);
}

TEST(send_with_null_arguments_is_invalid_and_changes_nothing) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  ASSERT_EQ(h11c_conn_send(NULL, &m.ev, iov, &n), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send(c, NULL, iov, &n), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send(c, &m.ev, NULL, &n), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send(c, &m.ev, iov, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  ASSERT_SEND(c, &m.ev, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h11c_conn_del(c);
}

TEST(send_copy_with_null_arguments_is_invalid_and_changes_nothing) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  const uint8_t *out;
  size_t n;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  ASSERT_EQ(h11c_conn_send_copy(NULL, &m.ev, &out, &n),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send_copy(c, NULL, &out, &n), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send_copy(c, &m.ev, NULL, &n), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(h11c_conn_send_copy(c, &m.ev, &out, NULL),
            H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(send_of_unknown_event_type_is_invalid_and_changes_nothing) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  h11c_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = (h11c_event_type)99;
  ASSERT_EQ(send_bytes(c, &ev, NULL, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(send_of_none_event_is_invalid_and_changes_nothing) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  h11c_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = H11C_EV_NONE;
  ASSERT_EQ(send_bytes(c, &ev, NULL, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(send_with_null_slice_of_nonzero_length_is_invalid) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  m.ev.target.base = NULL;
  m.ev.target.len = 3;
  ASSERT_EQ(send_bytes(c, &m.ev, NULL, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(send_with_null_header_array_is_invalid) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  mk_req(&m, "GET", "/", "Host", "a", NULL);
  m.ev.headers = NULL;
  ASSERT_EQ(send_bytes(c, &m.ev, NULL, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATES(c, H11C_IDLE, H11C_IDLE);
  h11c_conn_del(c);
}

TEST(send_of_data_with_null_pointer_and_length_is_invalid) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "3", NULL),
              "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
  mk_data(&m, NULL);
  m.ev.data.len = 3;
  ASSERT_EQ(send_bytes(c, &m.ev, NULL, NULL), H11C_ERR_INVALID_ARGUMENT);
  ASSERT_STATE(c, H11C_CLIENT, H11C_SEND_BODY);
  ASSERT_SEND(c, mk_data(&m, "abc"), "abc");
  h11c_conn_del(c);
}

TEST(empty_slices_may_have_null_base) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND(c,
              mk_req(&m, "POST", "/", "Host", "a", "Content-Length", "0", NULL),
              "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  mk_data(&m, NULL);
  ASSERT_SEND(c, &m.ev, "");
  ASSERT_SEND(c, mk_eom(&m, NULL), "");
  h11c_conn_del(c);
}

TEST(start_next_cycle_with_null_connection_is_invalid) {
  ASSERT_EQ(h11c_conn_start_next_cycle(NULL), H11C_ERR_INVALID_ARGUMENT);
}

TEST(send_failed_on_null_connection_is_harmless) {
  h11c_conn_send_failed(NULL);
  ASSERT_TRUE(1);
}

TEST(queries_on_null_connection_do_not_crash) {
  h11c_slice d = {(const uint8_t *)"x", 1};
  bool closed = true;
  const h11c_error *e;
  h11c_conn_trailing_data(NULL, &d, &closed);
  ASSERT_EQ(d.len, 0);
  ASSERT_FALSE(closed);
  ASSERT_EQ(h11c_conn_bytes_consumed(NULL), 0);
  ASSERT_EQ(h11c_conn_their_http_version(NULL), -1);
  ASSERT_FALSE(h11c_conn_client_is_waiting_for_100_continue(NULL));
  ASSERT_FALSE(h11c_conn_they_are_waiting_for_100_continue(NULL));
  e = h11c_conn_last_error(NULL);
  ASSERT_TRUE(e != NULL);
  ASSERT_EQ(e->code, H11C_OK);
}

/* ======================================================================== */
/* Protocol misuse                                                          */
/* ======================================================================== */

TEST(wrong_event_for_state_is_local_error_and_our_state_error) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_eom(&m, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_EQ(h11c_conn_our_state(c), H11C_ERROR);
  ASSERT_EQ(h11c_conn_their_state(c), H11C_IDLE);
  h11c_conn_del(c);
}

TEST(malformed_event_is_refused_without_touching_state) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_req(&m, "GET", "/", NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_MISSING_HOST);
  ASSERT_EQ(h11c_conn_our_state(c), H11C_IDLE);
  ASSERT_SEND(c, mk_req(&m, "GET", "/", "Host", "a", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  h11c_conn_del(c);
}

TEST(send_error_leaves_peer_state_alone) {
  h11c_conn *s = new_server_ready();
  tmsg m;
  ASSERT_SEND_FAILS(s, mk_data(&m, "x"), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_EQ(h11c_conn_their_state(s), H11C_MUST_CLOSE);
  h11c_conn_del(s);
}

TEST(local_error_reports_hint_400_by_default) {
  h11c_conn *c = new_conn(H11C_CLIENT);
  tmsg m;
  ASSERT_SEND_FAILS(c, mk_eom(&m, NULL), H11C_ERR_LOCAL_PROTOCOL,
                    H11C_REASON_BAD_EVENT_FOR_STATE);
  ASSERT_HINT(c, 400);
  h11c_conn_del(c);
}

TEST(remote_error_reports_hint_400_by_default) {
  h11c_conn *s = new_conn(H11C_SERVER);
  ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\n\r\n"), 0);
  ASSERT_STR(next_str(s), "ERR -1 MISSING_HOST");
  ASSERT_HINT(s, 400);
  h11c_conn_del(s);
}

/* ======================================================================== */
/* Names and strings                                                        */
/* ======================================================================== */

TEST(reason_strings_are_h11_messages) {
  ASSERT_STR(h11c_reason_str(H11C_REASON_MISSING_HOST),
             "Missing mandatory Host: header");
  ASSERT_STR(h11c_reason_str(H11C_REASON_BUFFER_TOO_LONG),
             "Receive buffer too long");
  ASSERT_STR(h11c_reason_str(H11C_REASON_PEER_IN_ERROR),
             "Can't receive data when peer state is ERROR");
  ASSERT_STR(h11c_reason_str(H11C_REASON_NONE), "no error");
}

TEST(every_reason_has_a_string_and_a_name) {
  int r;
  for (r = 0; r < H11C_REASON__COUNT; r++) {
    ASSERT_TRUE(h11c_reason_str((h11c_reason)r) != NULL);
    ASSERT_TRUE(strcmp(h11c_reason_str((h11c_reason)r), "unknown") != 0);
    ASSERT_TRUE(strcmp(h11c_reason_name((h11c_reason)r), "unknown") != 0);
  }
}

TEST(reason_names_are_the_enum_suffixes) {
  ASSERT_STR(h11c_reason_name(H11C_REASON_BAD_CHUNK_FOOTER),
             "BAD_CHUNK_FOOTER");
  ASSERT_STR(h11c_reason_name(H11C_REASON_NOMEM), "NOMEM");
  ASSERT_STR(h11c_reason_name(H11C_REASON_CHUNK_NOT_FINAL), "CHUNK_NOT_FINAL");
}

TEST(reason_values_are_stable) {
  ASSERT_EQ(H11C_REASON_NONE, 0);
  ASSERT_EQ(H11C_REASON_BAD_CHUNK_FOOTER, 16);
  ASSERT_EQ(H11C_REASON_DATA_AFTER_EOF, 38);
  ASSERT_EQ(H11C_REASON_CHUNK_NOT_FINAL, 41);
  ASSERT_EQ(H11C_REASON__COUNT, 42);
}

TEST(unknown_values_give_unknown_strings) {
  ASSERT_STR(h11c_reason_str((h11c_reason)999), "unknown");
  ASSERT_STR(h11c_reason_name((h11c_reason)-1), "unknown");
  ASSERT_STR(h11c_status_str(12345), "unknown");
  ASSERT_STR(h11c_state_name((h11c_state)99), "unknown");
  ASSERT_STR(h11c_role_name((h11c_role)5), "unknown");
  ASSERT_STR(h11c_event_type_name((h11c_event_type)42), "unknown");
}

TEST(state_names_are_h11_names) {
  ASSERT_STR(h11c_state_name(H11C_IDLE), "IDLE");
  ASSERT_STR(h11c_state_name(H11C_SEND_RESPONSE), "SEND_RESPONSE");
  ASSERT_STR(h11c_state_name(H11C_SEND_BODY), "SEND_BODY");
  ASSERT_STR(h11c_state_name(H11C_DONE), "DONE");
  ASSERT_STR(h11c_state_name(H11C_MUST_CLOSE), "MUST_CLOSE");
  ASSERT_STR(h11c_state_name(H11C_CLOSED), "CLOSED");
  ASSERT_STR(h11c_state_name(H11C_MIGHT_SWITCH_PROTOCOL),
             "MIGHT_SWITCH_PROTOCOL");
  ASSERT_STR(h11c_state_name(H11C_SWITCHED_PROTOCOL), "SWITCHED_PROTOCOL");
  ASSERT_STR(h11c_state_name(H11C_ERROR), "ERROR");
}

TEST(role_names_are_h11_names) {
  ASSERT_STR(h11c_role_name(H11C_CLIENT), "CLIENT");
  ASSERT_STR(h11c_role_name(H11C_SERVER), "SERVER");
}

TEST(every_status_and_event_type_has_a_distinct_name) {
  static const int st[] = {H11C_OK,
                           H11C_NEED_DATA,
                           H11C_PAUSED,
                           H11C_ERR_REMOTE_PROTOCOL,
                           H11C_ERR_LOCAL_PROTOCOL,
                           H11C_ERR_NOMEM,
                           H11C_ERR_INVALID_ARGUMENT};
  size_t i, j;
  for (i = 0; i < sizeof st / sizeof st[0]; i++) {
    ASSERT_TRUE(strcmp(h11c_status_str(st[i]), "unknown") != 0);
    for (j = 0; j < i; j++)
      ASSERT_TRUE(strcmp(h11c_status_str(st[i]), h11c_status_str(st[j])) != 0);
  }
  for (i = H11C_EV_REQUEST; i <= H11C_EV_CONNECTION_CLOSED; i++) {
    ASSERT_TRUE(strcmp(h11c_event_type_name((h11c_event_type)i), "unknown") !=
                0);
    for (j = H11C_EV_REQUEST; j < i; j++)
      ASSERT_TRUE(strcmp(h11c_event_type_name((h11c_event_type)i),
                         h11c_event_type_name((h11c_event_type)j)) != 0);
  }
}

TEST(version_string_matches_version_numbers) {
  char buf[32];
  snprintf(buf, sizeof buf, "%d.%d.%d", H11C_VERSION_MAJOR, H11C_VERSION_MINOR,
           H11C_VERSION_PATCH);
  ASSERT_STR(buf, H11C_VERSION_STRING);
}

TEST(lit_macro_makes_a_slice_without_terminator) {
  h11c_slice s = H11C_LIT("GET");
  ASSERT_EQ(s.len, 3);
  ASSERT_SLICE(s, "GET");
}

/* ======================================================================== */
/* Allocator hooks                                                          */
/* ======================================================================== */

TEST(allocator_hooks_see_every_allocation_and_free) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *s = NULL;
  tmsg r;
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), 0);
  ASSERT_TRUE(cm.mallocs >= 1);
  ASSERT_STR(feed_events(s, GET11, NULL), "REQ GET / 1.1 [host: a] | EOM");
  ASSERT_SEND(s, mk_resp(&r, 200, "Content-Length", "2", NULL),
              "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n");
  ASSERT_SEND(s, mk_data(&r, "hi"), "hi");
  ASSERT_SEND(s, mk_eom(&r, NULL), "");
  ASSERT_TRUE(cm.live > 0);
  h11c_conn_del(s);
  ASSERT_EQ(cm.live, 0);
  ASSERT_TRUE(cm.frees >= cm.mallocs);
  ASSERT_FALSE(cm.bad_user);
}

TEST(allocator_user_pointer_is_passed_to_every_hook) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *c = NULL;
  tmsg r;
  ASSERT_EQ(h11c_conn_new(&c, H11C_CLIENT, NULL, &m), 0);
  ASSERT_SEND(c, mk_req(&r, "GET", "/", "Host", "a", NULL),
              "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_STR(
      feed_events(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", NULL),
      "RESP 200 \"OK\" 1.1 [content-length: 0] | EOM");
  h11c_conn_del(c);
  ASSERT_FALSE(cm.bad_user);
  ASSERT_TRUE(cm.mallocs + cm.reallocs > 1);
}

TEST(growing_receive_buffer_goes_through_hooks) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *s = NULL;
  static char big[100001];
  size_t before;
  memset(big, 'x', 100000);
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), 0);
  ASSERT_EQ(feed(s, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n"
                    "\r\n"),
            0);
  before = cm.allocs;
  ASSERT_EQ(feed(s, big), 0);
  ASSERT_TRUE(cm.allocs > before);
  h11c_conn_del(s);
  ASSERT_EQ(cm.live, 0);
}

TEST(failed_creation_reports_nomem_and_leaks_nothing) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *s = (h11c_conn *)&m;
  cm.fail_at = 1;
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), H11C_ERR_NOMEM);
  ASSERT_TRUE(s == NULL);
  ASSERT_EQ(cm.live, 0);
}

TEST(failed_receive_growth_appends_nothing) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *s = NULL;
  static char big[200001];
  memset(big, 'x', 200000);
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), 0);
  cm.fail_at = cm.allocs + 1;
  ASSERT_EQ(feed(s, big), H11C_ERR_NOMEM);
  ASSERT_EQ(cm.failures, 1);
  ASSERT_ERR(s, H11C_ERR_NOMEM, H11C_REASON_NOMEM);
  ASSERT_TRAILING(s, "", false);
  ASSERT_STATES(s, H11C_IDLE, H11C_IDLE);
  /* The next attempt works. */
  ASSERT_EQ(feed(s, GET11), 0);
  ASSERT_STR(recv_events(s, NULL), "REQ GET / 1.1 [host: a] | EOM");
  h11c_conn_del(s);
  ASSERT_EQ(cm.live, 0);
}

static const char cycle_req[] =
    "POST /upload HTTP/1.1\r\nHost: example.com\r\nX-One: 1\r\nX-Two: 2\r\n"
    "X-Three: 3\r\nX-Four: 4\r\nX-Five: 5\r\nX-Six: 6\r\nX-Seven: 7\r\n"
    "X-Eight: 8\r\nX-Nine: 9\r\nX-Ten: 10\r\nX-Folded: a\r\n b\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer-A: x\r\n"
    "Trailer-B: y\r\n\r\n";

/* Pulls events until EndOfMessage: 0, a failure code, or 1000 if it stopped
 * before. */
static int until_eom(h11c_conn *c) {
  h11c_event ev;
  int rc;
  for (;;) {
    rc = h11c_conn_next_event(c, &ev);
    if (rc < 0)
      return rc;
    if (rc != H11C_OK)
      return 1000;
    if (ev.type == H11C_EV_END_OF_MESSAGE)
      return 0;
  }
}

/* The server's answer and the next cycle. */
static int server_answer(h11c_conn *s) {
  tmsg m;
  int rc;
  const uint8_t *out;
  size_t n;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  if ((rc = h11c_conn_send_copy(
           s,
           mk_resp(&m, 200, "Content-Type", "text/plain", "Server", "t", NULL),
           &out, &n)) != 0)
    return rc;
  if ((rc = h11c_conn_send(s, mk_data(&m, "response body"), iov, &n)) != 0)
    return rc;
  if ((rc = h11c_conn_send_copy(s, mk_data(&m, "more"), &out, &n)) != 0)
    return rc;
  if ((rc = h11c_conn_send_copy(s, mk_eom(&m, "Etag", "abc", NULL), &out,
                                &n)) != 0)
    return rc;
  if ((rc = h11c_conn_start_next_cycle(s)) != 0)
    return rc;
  return 0;
}

/* One full cycle on a server, returning the first failing code (0 if all
 * calls succeeded).  Every failure must be NOMEM. */
static int server_cycle(h11c_conn *s) {
  int rc;
  if ((rc = h11c_conn_receive_data(s, (const uint8_t *)cycle_req, 20)) != 0)
    return rc;
  if ((rc = h11c_conn_receive_data(s, (const uint8_t *)cycle_req + 20,
                                   sizeof cycle_req - 21)) != 0)
    return rc;
  if ((rc = until_eom(s)) != 0)
    return rc;
  return server_answer(s);
}

/* The same with the request in two borrowed deliveries, the second long
 * enough to be pulled in as the first's head needs it.  Each delivery is
 * a heap copy freed once the connection lets go of it. */
static int server_cycle_borrowed(h11c_conn *s) {
  size_t cut[3] = {0, 20, sizeof cycle_req - 1}, k;
  int rc = 0;
  for (k = 0; k < 2 && rc == 0; k++) {
    size_t n = cut[k + 1] - cut[k];
    uint8_t *p = malloc(n);
    h11c_event ev;
    if (!p)
      abort();
    memcpy(p, cycle_req + cut[k], n);
    rc = h11c_conn_receive_borrowed(s, p, n);
    if (rc == 0 && k == 0) {
      rc = h11c_conn_next_event(s, &ev);
      rc = rc == H11C_NEED_DATA ? 0 : rc < 0 ? rc : 1000;
    } else if (rc == 0) {
      rc = until_eom(s);
    }
    if (h11c_conn_release_borrowed(s) != 0 && rc == 0)
      rc = h11c_conn_last_error(s)->code;
    free(p);
  }
  if (rc != 0)
    return rc;
  return server_answer(s);
}

/* The same from the client side. */
static int client_cycle(h11c_conn *c) {
  static const char resp[] =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nA: 1\r\nB: 2\r\nC: 3\r\n"
      "D: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\nI: 9\r\nJ: 10\r\n"
      "Content-Length: 11\r\n\r\nhello world";
  tmsg m;
  h11c_event ev;
  int rc;
  const uint8_t *out;
  size_t n;
  if ((rc = h11c_conn_send_copy(c,
                                mk_req(&m, "PUT", "/x", "Host", "a",
                                       "Transfer-Encoding", "chunked", "Expect",
                                       "100-continue", NULL),
                                &out, &n)) != 0)
    return rc;
  if ((rc = h11c_conn_receive_data(c, (const uint8_t *)resp,
                                   sizeof resp - 1)) != 0)
    return rc;
  if ((rc = h11c_conn_next_event(c, &ev)) != 0)
    return rc < 0 ? rc : 1000;
  if ((rc = h11c_conn_send_copy(c, mk_data(&m, "abc"), &out, &n)) != 0)
    return rc;
  if ((rc = h11c_conn_send_copy(c, mk_eom(&m, "T", "v", NULL), &out, &n)) != 0)
    return rc;
  for (;;) {
    rc = h11c_conn_next_event(c, &ev);
    if (rc < 0)
      return rc;
    if (rc != H11C_OK || ev.type == H11C_EV_END_OF_MESSAGE)
      break;
  }
  if (rc != H11C_OK)
    return 1000;
  return h11c_conn_start_next_cycle(c);
}

static void alloc_sweep(int *failed, h11c_role role, int (*cycle)(h11c_conn *),
                        bool twice) {
  size_t i;
  bool completed = false;
  for (i = 1; i < 2000 && !completed; i++) {
    counting_mem cm;
    h11c_mem m = cm_hooks(&cm);
    h11c_conn *c = NULL;
    int rc;
    cm.fail_at = i;
    rc = h11c_conn_new(&c, role, NULL, &m);
    if (rc == 0) {
      rc = cycle(c);
      if (rc == 0 && twice)
        rc = cycle(c);
      if (rc == H11C_ERR_NOMEM) {
        ASSERT_EQ(h11c_conn_last_error(c)->code, H11C_ERR_NOMEM);
        ASSERT_EQ(h11c_conn_last_error(c)->reason, H11C_REASON_NOMEM);
      }
    }
    if (rc != 0 && rc != H11C_ERR_NOMEM) {
      fprintf(stderr, "  allocation %zu: code %d (%s)\n", i, rc,
              c ? h11c_reason_name(h11c_conn_last_error(c)->reason) : "-");
      ASSERT_TRUE(rc == 0 || rc == H11C_ERR_NOMEM);
    }
    if (!cm.failures)
      completed = rc == 0;
    h11c_conn_del(c);
    if (cm.live != 0) {
      fprintf(stderr, "  allocation %zu: %ld blocks leaked\n", i, cm.live);
      ASSERT_EQ(cm.live, 0);
    }
  }
  /* The sweep reached a run in which no allocation failed. */
  ASSERT_TRUE(completed);
  ASSERT_TRUE(i > 2);
}

TEST(allocation_failure_sweep_over_server_cycle) {
  alloc_sweep(failed, H11C_SERVER, server_cycle, false);
}

TEST(allocation_failure_sweep_over_two_server_cycles) {
  alloc_sweep(failed, H11C_SERVER, server_cycle, true);
}

TEST(allocation_failure_sweep_over_borrowed_server_cycles) {
  alloc_sweep(failed, H11C_SERVER, server_cycle_borrowed, true);
}

TEST(allocation_failure_sweep_over_client_cycle) {
  alloc_sweep(failed, H11C_CLIENT, client_cycle, false);
}

TEST(nomem_while_parsing_puts_peer_in_error) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *s = NULL;
  h11c_event ev;
  int rc = 0;
  size_t i;
  bool saw_nomem = false;
  /* Find an allocation made while parsing and fail it. */
  for (i = 1; i < 50 && !saw_nomem; i++) {
    ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, &m), 0);
    ASSERT_EQ(feed(s, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n"), 0);
    cm.fail_at = cm.allocs + i;
    rc = h11c_conn_next_event(s, &ev);
    if (rc == H11C_ERR_NOMEM) {
      saw_nomem = true;
      ASSERT_EQ(h11c_conn_their_state(s), H11C_ERROR);
      ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_ERR_REMOTE_PROTOCOL);
    } else {
      ASSERT_EQ(rc, H11C_OK);
    }
    h11c_conn_del(s);
    cm.fail_at = 0;
  }
  ASSERT_TRUE(saw_nomem);
  ASSERT_EQ(cm.live, 0);
}

TEST(nomem_while_sending_puts_us_in_error) {
  counting_mem cm;
  h11c_mem m = cm_hooks(&cm);
  h11c_conn *c = NULL;
  tmsg r;
  const uint8_t *out;
  size_t n, i;
  int rc = 0;
  bool saw_nomem = false;
  for (i = 1; i < 50 && !saw_nomem; i++) {
    ASSERT_EQ(h11c_conn_new(&c, H11C_CLIENT, NULL, &m), 0);
    cm.fail_at = cm.allocs + i;
    rc = h11c_conn_send_copy(
        c, mk_req(&r, "GET", "/", "Host", "a", "X", "y", NULL), &out, &n);
    if (rc == H11C_ERR_NOMEM) {
      saw_nomem = true;
      ASSERT_EQ(h11c_conn_our_state(c), H11C_ERROR);
    } else {
      ASSERT_EQ(rc, 0);
    }
    h11c_conn_del(c);
    cm.fail_at = 0;
  }
  ASSERT_TRUE(saw_nomem);
  ASSERT_EQ(cm.live, 0);
}

/* Found by fuzz_roundtrip: a reason phrase with VT or FF was sent, and
 * the peer's reader refused the status line. */
TEST(sending_reason_with_vertical_tab_is_refused) {
  h11c_conn *s = NULL;
  h11c_event ev;
  const uint8_t *out;
  size_t n;
  static const uint8_t req[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(h11c_conn_new(&s, H11C_SERVER, NULL, NULL), H11C_OK);
  ASSERT_EQ(h11c_conn_receive_data(s, req, sizeof(req) - 1), H11C_OK);
  ASSERT_EQ(h11c_conn_next_event(s, &ev), H11C_OK);
  memset(&ev, 0, sizeof(ev));
  ev.type = H11C_EV_INFORMATIONAL_RESPONSE;
  ev.status_code = 103;
  ev.reason = H11C_LIT("\v");
  ASSERT_EQ(h11c_conn_send_copy(s, &ev, &out, &n), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(h11c_conn_last_error(s)->reason, H11C_REASON_BAD_REASON);
  ASSERT_EQ(h11c_conn_our_state(s), H11C_SEND_RESPONSE);
  h11c_conn_del(s);
}

/* Found by fuzz_api: a sent event with a short http_version ("2") was read
 * past its end before the writer refused it. */
TEST(sending_short_http_version_is_refused_without_over_read) {
  h11c_conn *c = NULL;
  h11c_event ev;
  h11c_header host = {H11C_LIT("Host"), {NULL, 0}, H11C_LIT("a")};
  const uint8_t *out;
  size_t n;
  ASSERT_EQ(h11c_conn_new(&c, H11C_CLIENT, NULL, NULL), H11C_OK);
  memset(&ev, 0, sizeof(ev));
  ev.type = H11C_EV_REQUEST;
  ev.method = H11C_LIT("GET");
  ev.target = H11C_LIT("/");
  ev.http_version = H11C_LIT("2");
  ev.headers = &host;
  ev.nheaders = 1;
  ASSERT_EQ(h11c_conn_send_copy(c, &ev, &out, &n), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(h11c_conn_last_error(c)->reason, H11C_REASON_ONLY_HTTP11);
  ASSERT_EQ(h11c_conn_our_state(c), H11C_ERROR);
  h11c_conn_del(c);
}

/* Found by fuzz_api under UBSan: an empty value given as {NULL, 0} in a
 * framing header led to arithmetic on a NULL pointer. */
TEST(sending_empty_null_content_length_is_refused_cleanly) {
  h11c_conn *c = NULL;
  h11c_event ev;
  h11c_header h[2] = {{H11C_LIT("Host"), {NULL, 0}, H11C_LIT("a")},
                      {H11C_LIT("Content-Length"), {NULL, 0}, {NULL, 0}}};
  const uint8_t *out;
  size_t n;
  ASSERT_EQ(h11c_conn_new(&c, H11C_CLIENT, NULL, NULL), H11C_OK);
  memset(&ev, 0, sizeof(ev));
  ev.type = H11C_EV_REQUEST;
  ev.method = H11C_LIT("POST");
  ev.target = H11C_LIT("/");
  ev.headers = h;
  ev.nheaders = 2;
  ASSERT_EQ(h11c_conn_send_copy(c, &ev, &out, &n), H11C_ERR_LOCAL_PROTOCOL);
  ASSERT_EQ(h11c_conn_last_error(c)->reason, H11C_REASON_BAD_CONTENT_LENGTH);
  ASSERT_EQ(h11c_conn_our_state(c), H11C_IDLE);
  h11c_conn_del(c);
}
