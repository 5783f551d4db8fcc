/*
 * Shared helpers for the h11c unit tests: owned copies of events, a compact
 * text rendering of event sequences, builders for events to send, a reader
 * check that feeds input whole / byte by byte / with trailing bytes, and a
 * client/server connection pair.
 *
 * Event rendering (one event per item, items joined with " | "):
 *
 *   REQ <method> <target> <version>[ <name>: <value>]...
 *   INFO <code> "<reason>" <version>[ <name>: <value>]...
 *   RESP <code> "<reason>" <version>[ <name>: <value>]...
 *   DATA "<bytes>"            plus " start" / " end" / " ext=\"...\""
 *   EOM[ <name>: <value>]...
 *   CLOSED
 *
 * Header names are rendered lower-cased and each header is wrapped in
 * brackets: "[host: a]".  Bytes outside printable ASCII, and '"' and '\\',
 * are escaped C-style (\r, \n, \t, \0, \xHH).
 */
#ifndef H11C_TEST_UTIL_H
#define H11C_TEST_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h11c.h"
#include "h11c_test.h"
#include "strbuf.h"

/* Returns a string that stays valid for the next 15 calls (a ring of
 * static buffers), so tests need not free it. */
char *tstr_keep(const char *s);

/* ------------------------------------------------------------------------ */
/* Owned event lists                                                        */
/* ------------------------------------------------------------------------ */

typedef struct tev {
  h11c_event ev; /* slices point into mem */
  void *mem;
} tev;

typedef struct evlist {
  tev *v;
  size_t n, cap;
} evlist;

void evlist_push(evlist *l, const h11c_event *ev);
void evlist_free(evlist *l);
/* Renders the list; with normalize, adjacent Data events are merged and
 * chunk flags and extensions dropped (h11's normalize_data_events). */
void evlist_render(const evlist *l, bool normalize, strbuf *out);
void event_render(const h11c_event *ev, strbuf *out);

/* h11's get_all_events: calls next_event until it returns something other
 * than an event, or returns ConnectionClosed.  Returns the last return code
 * (H11C_OK when it stopped on ConnectionClosed). */
int collect(h11c_conn *c, evlist *out);

/* collect() rendered (not normalised); the string stays valid for a few
 * calls.  *prc (may be NULL) receives collect()'s result. */
const char *recv_events(h11c_conn *c, int *prc);
/* receive_data(s) followed by recv_events(). */
const char *feed_events(h11c_conn *c, const char *s, int *prc);
/* receive_data of a NUL-terminated string; returns receive_data's code. */
int feed(h11c_conn *c, const char *s);

/* Renders the next event (or "NEED_DATA", "PAUSED", "ERR <code> <reason
 * name>").  Returns a string valid for a few calls. */
const char *next_str(h11c_conn *c);

/* ------------------------------------------------------------------------ */
/* Building events to send                                                  */
/* ------------------------------------------------------------------------ */

#define TMSG_MAX_HEADERS 32

typedef struct tmsg {
  h11c_event ev;
  h11c_header h[TMSG_MAX_HEADERS];
} tmsg;

/* Header arguments: name, value pairs of NUL-terminated strings, ended by a
 * single NULL.  Names go into header.name (raw_name stays NULL). */
h11c_event *mk_req(tmsg *m, const char *method, const char *target, ...);
h11c_event *mk_resp(tmsg *m, int status, ...);
h11c_event *mk_info(tmsg *m, int status, ...);
h11c_event *mk_data(tmsg *m, const char *data);
h11c_event *mk_eom(tmsg *m, ...);
h11c_event *mk_closed(tmsg *m);
h11c_slice sl(const char *s);

/* ------------------------------------------------------------------------ */
/* Connections                                                              */
/* ------------------------------------------------------------------------ */

/* New connection (aborts the test binary on failure). */
h11c_conn *new_conn(h11c_role role);
h11c_conn *new_conn_opts(h11c_role role, unsigned flags, size_t max_size);

/* A client connection that has sent "<method> / HTTP/1.1", Host: a and
 * EndOfMessage, ready to read a response. */
h11c_conn *new_client_after(const char *method);

/* A server connection that has received these bytes (a request) and
 * collected every event they give (aborts on a receive error). */
h11c_conn *new_server_after(const char *request);
/* The smallest HTTP/1.1 request, and a server that has read it and may
 * respond (new_server_after(GET11)). */
#define GET11 "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
h11c_conn *new_server_ready(void);
h11c_conn *new_server_after_opts(const char *request, unsigned flags);

/* send_copy; returns the code and stores the bytes (escaped rendering is
 * not used: the raw bytes, NUL-terminated) in a string valid for a few
 * calls.  *pout may be NULL. */
int send_bytes(h11c_conn *c, const h11c_event *ev, const char **pout,
               size_t *plen);

/* ------------------------------------------------------------------------ */
/* Assertion helpers                                                        */
/* ------------------------------------------------------------------------ */

#define ASSERT_STATE(conn, role, st)                                           \
  do {                                                                         \
    h11c_state h11c__got = h11c_conn_state((conn), (role));                    \
    if (h11c__got != (st)) {                                                   \
      H11C__FAIL("state of %s: expected %s, got %s", h11c_role_name(role),     \
                 h11c_state_name(st), h11c_state_name(h11c__got));             \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define ASSERT_STATES(conn, cst, sst)                                          \
  do {                                                                         \
    ASSERT_STATE(conn, H11C_CLIENT, cst);                                      \
    ASSERT_STATE(conn, H11C_SERVER, sst);                                      \
  } while (0)

/* The last error of conn has this code and reason. */
#define ASSERT_ERR(conn, ecode, ereason)                                       \
  do {                                                                         \
    const h11c_error *h11c__e = h11c_conn_last_error(conn);                    \
    ASSERT_TRUE(h11c__e != NULL);                                              \
    if (h11c__e->code != (ecode) || h11c__e->reason != (ereason)) {            \
      H11C__FAIL("last error: expected %d %s, got %d %s", (int)(ecode),        \
                 h11c_reason_name(ereason), h11c__e->code,                     \
                 h11c_reason_name(h11c__e->reason));                           \
      return;                                                                  \
    }                                                                          \
  } while (0)

#define ASSERT_HINT(conn, hint)                                                \
  ASSERT_EQ(h11c_conn_last_error(conn)->status_hint, (hint))

#define ASSERT_TRAILING(conn, str, closed)                                     \
  do {                                                                         \
    h11c_slice h11c__d;                                                        \
    bool h11c__c;                                                              \
    h11c_conn_trailing_data((conn), &h11c__d, &h11c__c);                       \
    ASSERT_SLICE(h11c__d, str);                                                \
    ASSERT_EQ(h11c__c, (closed));                                              \
  } while (0)

/* Sends ev with send_copy and checks the exact bytes produced. */
#define ASSERT_SEND(conn, ev, bytes)                                           \
  do {                                                                         \
    const char *h11c__o;                                                       \
    size_t h11c__n;                                                            \
    int h11c__rc = send_bytes((conn), (ev), &h11c__o, &h11c__n);               \
    if (h11c__rc != 0) {                                                       \
      H11C__FAIL("send failed: %d %s", h11c__rc,                               \
                 h11c_reason_name(h11c_conn_last_error(conn)->reason));        \
      return;                                                                  \
    }                                                                          \
    ASSERT_MEM_STR(h11c__o, h11c__n, bytes);                                   \
  } while (0)

/* Sends ev and expects a failure with this code and reason. */
#define ASSERT_SEND_FAILS(conn, ev, ecode, ereason)                            \
  do {                                                                         \
    int h11c__rc = send_bytes((conn), (ev), NULL, NULL);                       \
    ASSERT_EQ(h11c__rc, (ecode));                                              \
    ASSERT_ERR(conn, ecode, ereason);                                          \
  } while (0)

/* ------------------------------------------------------------------------ */
/* Reader check (h11's tr() / t_body_reader() idea)                         */
/* ------------------------------------------------------------------------ */

enum {
  RD_SERVER = 0,     /* a server reads a request */
  RD_CLIENT_GET = 1, /* a client that sent GET reads a response */
  RD_CLIENT_HEAD = 2,
  RD_CLIENT_CONNECT = 3
};

typedef struct rd_spec {
  int who;         /* RD_* */
  unsigned flags;  /* H11C_OPT_* */
  bool eof;        /* signal end of input after the data */
  bool no_trailer; /* skip the trailing-bytes run */
  bool whole_only; /* skip the byte-by-byte, borrowed and trailing runs */
} rd_spec;

/* One reader case, usually a row of a table built with the RD_* macros
 * below and registered with TEST_TABLE(table, rd_check). */
typedef struct rd_row {
  const char *name; /* the test's name: the behaviour it shows */
  const char *file; /* where the row is, for failure messages */
  int line;
  rd_spec spec;
  const void *in; /* the bytes received */
  size_t len;
  const char *expect; /* events of the whole run; NULL: not compared */
  int final_rc;       /* the last code collect() returns */
  h11c_reason reason; /* for final_rc < 0: the error's reason */
  int hint;           /* and its status hint */
} rd_row;

/* Runs row->in through a fresh connection in several ways and checks each:
 *  1. whole: collect() gives exactly `expect` (not normalised) and final
 *     code `final_rc`; nothing is left over;
 *  2. one byte at a time (collecting after every byte): the normalised
 *     events equal the normalised whole events, and the final code
 *     matches;
 *  3. borrowed (receive_borrowed), split in two at every point: the same;
 *  4. (unless final_rc < 0, eof or no_trailer) input + "trailing": the
 *     same events, then PAUSED (or, if the peer ended in MUST_CLOSE, the
 *     error DATA_WHEN_EXPECTING_EOF), with "trailing" left unparsed.
 * For final_rc < 0 every run must end with that error, reason and status
 * hint, and the peer in ERROR. */
void rd_check(int *failed, const rd_row *row);

/* Row builders.  `nm` is an identifier: the test's name. */
#define RD_ROW_(nm, rd_who, input)                                             \
  .name = #nm, .file = __FILE__, .line = __LINE__, .spec.who = rd_who,         \
  .in = input, .len = sizeof(input) - 1

/* A complete message: ends NEED_DATA, also read with trailing bytes. */
#define RD_OK(nm, rd_who, input, events)                                       \
  { RD_ROW_(nm, rd_who, input), .expect = events, .final_rc = H11C_NEED_DATA }
/* The same with H11C_OPT_* flags. */
#define RD_OK_OPT(nm, rd_who, opt, input, events)                              \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.flags = opt, .expect = events,           \
                                .final_rc = H11C_NEED_DATA                     \
  }
/* Not a whole message: ends NEED_DATA, no trailing-bytes run. */
#define RD_PARTIAL(nm, rd_who, input, events)                                  \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.no_trailer = true, .expect = events,     \
                                .final_rc = H11C_NEED_DATA                     \
  }
/* Input then end of input: ends with ConnectionClosed. */
#define RD_EOF(nm, rd_who, input, events)                                      \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.eof = true, .expect = events,            \
                                .final_rc = H11C_OK                            \
  }
/* Ends PAUSED (a protocol switch). */
#define RD_PAUSED(nm, rd_who, input, events)                                   \
  { RD_ROW_(nm, rd_who, input), .expect = events, .final_rc = H11C_PAUSED }
/* Refused with this reason and status hint however it is split. */
#define RD_ERR(nm, rd_who, input, why, status)                                 \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.no_trailer = true,                       \
                                .final_rc = H11C_ERR_REMOTE_PROTOCOL,          \
                                .reason = why, .hint = status                  \
  }
/* The same with H11C_OPT_* flags. */
#define RD_ERR_OPT(nm, rd_who, opt, input, why, status)                        \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.flags = opt, .spec.no_trailer = true,    \
                                .final_rc = H11C_ERR_REMOTE_PROTOCOL,          \
                                .reason = why, .hint = status                  \
  }
/* Input then end of input, refused like this. */
#define RD_ERR_EOF(nm, rd_who, input, why, status)                             \
  {                                                                            \
    RD_ROW_(nm, rd_who, input), .spec.eof = true, .spec.no_trailer = true,     \
                                .final_rc = H11C_ERR_REMOTE_PROTOCOL,          \
                                .reason = why, .hint = status                  \
  }
/* Refused like this when it arrives whole (only). */
#define RD_ERR_WHOLE(nm, rd_who, input, why, status)                           \
  {                                                                            \
    RD_ROW_(nm, rd_who, input),                                                \
        .spec.no_trailer = true, .spec.whole_only = true,                      \
        .final_rc = H11C_ERR_REMOTE_PROTOCOL, .reason = why, .hint = status    \
  }

/* ------------------------------------------------------------------------ */
/* What a server knows after reading a request                              */
/* ------------------------------------------------------------------------ */

typedef enum { T_ANY = 0, T_YES, T_NO } tri; /* T_ANY: not checked */

/* One case: a server (with H11C_OPT_* flags) reads a request and every
 * event it gives; then keep_alive() and both *_waiting_for_100_continue()
 * answer as given, and (with states) the two roles are in these states. */
typedef struct srv_row {
  const char *name;
  const char *request;
  unsigned flags;
  tri keep_alive;
  tri waiting_100;
  bool states;
  h11c_state client, server;
} srv_row;

void srv_check(int *failed, const srv_row *row);

#define SRV(nm, opt, input, alive, waiting)                                    \
  {                                                                            \
    .name = #nm, .request = input, .flags = opt, .keep_alive = alive,          \
    .waiting_100 = waiting                                                     \
  }
#define SRV_ST(nm, opt, input, alive, waiting, cst, sst)                       \
  {                                                                            \
    .name = #nm, .request = input, .flags = opt, .keep_alive = alive,          \
    .waiting_100 = waiting, .states = true, .client = cst, .server = sst       \
  }

/* ------------------------------------------------------------------------ */
/* Connection pair (h11's ConnectionPair)                                   */
/* ------------------------------------------------------------------------ */

typedef struct tpair {
  h11c_conn *c[2]; /* indexed by role */
  strbuf wire;     /* bytes of the last pair_send */
} tpair;

void pair_init(tpair *p);
void pair_init_opts(tpair *p, unsigned flags);
void pair_free(tpair *p);

/* Sends the NULL-terminated list of events from `from` (with
 * h11c_conn_send, checking Data passthrough), passes the bytes (and EOF
 * after a ConnectionClosed) to the other side, collects its events, and
 * checks them against `expect` (NULL: the rendering of the sent events).
 * The bytes are left in p->wire. */
void pair_send_check(int *failed, const char *file, int line, tpair *p,
                     h11c_role from, const char *expect, ...);

#define PSEND(p, from, expect, ...)                                            \
  do {                                                                         \
    pair_send_check(failed, __FILE__, __LINE__, p, from, expect, __VA_ARGS__,  \
                    (h11c_event *)NULL);                                       \
    if (*failed)                                                               \
      return;                                                                  \
  } while (0)

#define ASSERT_PAIR_STATES(p, cst, sst)                                        \
  do {                                                                         \
    ASSERT_STATES((p)->c[H11C_CLIENT], cst, sst);                              \
    ASSERT_STATES((p)->c[H11C_SERVER], cst, sst);                              \
  } while (0)

#define ASSERT_WIRE(pr, bytes)                                                 \
  ASSERT_MEM_STR((pr)->wire.p, (pr)->wire.len, bytes)

#endif /* H11C_TEST_UTIL_H */
