/* Shared helpers for the h11c unit tests; see h11c_test_util.h. */
#include "h11c_test_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Strings that stay valid for a few calls                                  */
/* ------------------------------------------------------------------------ */

#define KEEP_RING 16
static strbuf keep_ring[KEEP_RING];
static size_t keep_next;

static char *keep_bytes(const void *p, size_t n) {
  strbuf *b = &keep_ring[keep_next++ % KEEP_RING];
  strbuf_reset(b);
  strbuf_put(b, p, n);
  return (char *)b->p;
}

char *tstr_keep(const char *s) { return keep_bytes(s, strlen(s)); }

/* ------------------------------------------------------------------------ */
/* evlist                                                                   */
/* ------------------------------------------------------------------------ */

static h11c_slice copy_slice(uint8_t **dst, h11c_slice s) {
  h11c_slice out = {*dst, s.len};
  if (s.len)
    memcpy(*dst, s.base, s.len);
  else if (!s.base)
    out.base = NULL;
  *dst += s.len;
  return out;
}

void evlist_push(evlist *l, const h11c_event *ev) {
  size_t total = ev->method.len + ev->target.len + ev->reason.len +
                 ev->http_version.len + ev->data.len + ev->chunk_ext.len;
  size_t i;
  uint8_t *mem, *dst;
  h11c_header *hs;
  tev *t;
  for (i = 0; i < ev->nheaders; i++)
    total += ev->headers[i].name.len + ev->headers[i].raw_name.len +
             ev->headers[i].value.len;
  total += ev->nheaders * sizeof(h11c_header);
  mem = strbuf_xrealloc(NULL, total + sizeof(h11c_header));
  hs = (h11c_header *)mem;
  dst = mem + ev->nheaders * sizeof(h11c_header);
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->v = strbuf_xrealloc(l->v, l->cap * sizeof(tev));
  }
  t = &l->v[l->n++];
  t->mem = mem;
  t->ev = *ev;
  t->ev.method = copy_slice(&dst, ev->method);
  t->ev.target = copy_slice(&dst, ev->target);
  t->ev.reason = copy_slice(&dst, ev->reason);
  t->ev.http_version = copy_slice(&dst, ev->http_version);
  t->ev.data = copy_slice(&dst, ev->data);
  t->ev.chunk_ext = copy_slice(&dst, ev->chunk_ext);
  for (i = 0; i < ev->nheaders; i++) {
    hs[i].name = copy_slice(&dst, ev->headers[i].name);
    hs[i].raw_name = copy_slice(&dst, ev->headers[i].raw_name);
    hs[i].value = copy_slice(&dst, ev->headers[i].value);
  }
  t->ev.headers = ev->nheaders ? hs : NULL;
}

void evlist_free(evlist *l) {
  size_t i;
  for (i = 0; i < l->n; i++)
    free(l->v[i].mem);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static void render_headers(const h11c_event *ev, strbuf *out) {
  size_t i, j;
  for (i = 0; i < ev->nheaders; i++) {
    const h11c_header *h = &ev->headers[i];
    strbuf_puts(out, " [");
    for (j = 0; j < h->name.len; j++) {
      uint8_t c = (uint8_t)tolower(h->name.base[j]);
      strbuf_escape(out, &c, 1);
    }
    strbuf_puts(out, ": ");
    strbuf_escape(out, h->value.base, h->value.len);
    strbuf_puts(out, "]");
  }
}

static void render_version(const h11c_event *ev, strbuf *out) {
  strbuf_puts(out, " ");
  strbuf_escape(out, ev->http_version.base, ev->http_version.len);
}

void event_render(const h11c_event *ev, strbuf *out) {
  switch (ev->type) {
  case H11C_EV_REQUEST:
    strbuf_puts(out, "REQ ");
    strbuf_escape(out, ev->method.base, ev->method.len);
    strbuf_puts(out, " ");
    strbuf_escape(out, ev->target.base, ev->target.len);
    render_version(ev, out);
    render_headers(ev, out);
    break;
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
    strbuf_printf(out, "%s %d \"",
                  ev->type == H11C_EV_RESPONSE ? "RESP" : "INFO",
                  ev->status_code);
    strbuf_escape(out, ev->reason.base, ev->reason.len);
    strbuf_puts(out, "\"");
    render_version(ev, out);
    render_headers(ev, out);
    break;
  case H11C_EV_DATA:
    strbuf_puts(out, "DATA \"");
    strbuf_escape(out, ev->data.base, ev->data.len);
    strbuf_puts(out, "\"");
    if (ev->chunk_start)
      strbuf_puts(out, " start");
    if (ev->chunk_end)
      strbuf_puts(out, " end");
    if (ev->chunk_ext.len) {
      strbuf_puts(out, " ext=\"");
      strbuf_escape(out, ev->chunk_ext.base, ev->chunk_ext.len);
      strbuf_puts(out, "\"");
    }
    break;
  case H11C_EV_END_OF_MESSAGE:
    strbuf_puts(out, "EOM");
    render_headers(ev, out);
    break;
  case H11C_EV_CONNECTION_CLOSED:
    strbuf_puts(out, "CLOSED");
    break;
  default:
    strbuf_printf(out, "EVENT?%d", (int)ev->type);
  }
}

void evlist_render(const evlist *l, bool normalize, strbuf *out) {
  size_t i;
  strbuf data = {0};
  bool in_data = false, first = true;
  for (i = 0; i < l->n; i++) {
    const h11c_event *ev = &l->v[i].ev;
    if (normalize && ev->type == H11C_EV_DATA) {
      strbuf_put(&data, ev->data.base, ev->data.len);
      in_data = true;
      continue;
    }
    if (in_data) {
      h11c_event d = {0};
      d.type = H11C_EV_DATA;
      d.data.base = data.p;
      d.data.len = data.len;
      if (!first)
        strbuf_puts(out, " | ");
      event_render(&d, out);
      first = false;
      strbuf_reset(&data);
      in_data = false;
    }
    if (!first)
      strbuf_puts(out, " | ");
    event_render(ev, out);
    first = false;
  }
  if (in_data) {
    h11c_event d = {0};
    d.type = H11C_EV_DATA;
    d.data.base = data.p;
    d.data.len = data.len;
    if (!first)
      strbuf_puts(out, " | ");
    event_render(&d, out);
  }
  strbuf_free(&data);
  strbuf_str(out);
}

int collect(h11c_conn *c, evlist *out) {
  for (;;) {
    h11c_event ev;
    int rc;
    memset(&ev, 0, sizeof ev);
    rc = h11c_conn_next_event(c, &ev);
    if (rc != H11C_OK)
      return rc;
    evlist_push(out, &ev);
    if (ev.type == H11C_EV_CONNECTION_CLOSED)
      return H11C_OK;
  }
}

const char *recv_events(h11c_conn *c, int *prc) {
  evlist l = {0};
  strbuf t = {0};
  char *s;
  int rc = collect(c, &l);
  if (prc)
    *prc = rc;
  evlist_render(&l, false, &t);
  s = keep_bytes(t.p, t.len);
  strbuf_free(&t);
  evlist_free(&l);
  return s;
}

int feed(h11c_conn *c, const char *s) {
  return h11c_conn_receive_data(c, (const uint8_t *)s, strlen(s));
}

const char *feed_events(h11c_conn *c, const char *s, int *prc) {
  int rc = feed(c, s);
  if (rc != 0) {
    if (prc)
      *prc = rc;
    return tstr_keep("receive_data failed");
  }
  return recv_events(c, prc);
}

const char *next_str(h11c_conn *c) {
  h11c_event ev;
  int rc;
  strbuf t = {0};
  char *s;
  memset(&ev, 0, sizeof ev);
  rc = h11c_conn_next_event(c, &ev);
  if (rc == H11C_OK)
    event_render(&ev, &t);
  else if (rc == H11C_NEED_DATA)
    strbuf_puts(&t, "NEED_DATA");
  else if (rc == H11C_PAUSED)
    strbuf_puts(&t, "PAUSED");
  else
    strbuf_printf(&t, "ERR %d %s", rc,
                  h11c_reason_name(h11c_conn_last_error(c)->reason));
  s = keep_bytes(t.p, t.len);
  strbuf_free(&t);
  return s;
}

/* ------------------------------------------------------------------------ */
/* Builders                                                                 */
/* ------------------------------------------------------------------------ */

h11c_slice sl(const char *s) {
  h11c_slice r;
  r.base = (const uint8_t *)s;
  r.len = s ? strlen(s) : 0;
  return r;
}

static void fill_headers(tmsg *m, va_list ap) {
  const char *name;
  size_t n = 0;
  while ((name = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);
    if (n == TMSG_MAX_HEADERS) {
      fprintf(stderr, "test helper: too many headers\n");
      abort();
    }
    memset(&m->h[n], 0, sizeof m->h[n]);
    m->h[n].name = sl(name);
    m->h[n].value = sl(value);
    n++;
  }
  m->ev.headers = n ? m->h : NULL;
  m->ev.nheaders = n;
}

h11c_event *mk_req(tmsg *m, const char *method, const char *target, ...) {
  va_list ap;
  memset(m, 0, sizeof *m);
  m->ev.type = H11C_EV_REQUEST;
  m->ev.method = sl(method);
  m->ev.target = sl(target);
  m->ev.http_version = sl("1.1");
  va_start(ap, target);
  fill_headers(m, ap);
  va_end(ap);
  return &m->ev;
}

static h11c_event *mk_any_resp(tmsg *m, h11c_event_type t, int status,
                               va_list ap) {
  memset(m, 0, sizeof *m);
  m->ev.type = t;
  m->ev.status_code = status;
  m->ev.reason = sl("");
  m->ev.http_version = sl("1.1");
  fill_headers(m, ap);
  return &m->ev;
}

h11c_event *mk_resp(tmsg *m, int status, ...) {
  va_list ap;
  h11c_event *ev;
  va_start(ap, status);
  ev = mk_any_resp(m, H11C_EV_RESPONSE, status, ap);
  va_end(ap);
  return ev;
}

h11c_event *mk_info(tmsg *m, int status, ...) {
  va_list ap;
  h11c_event *ev;
  va_start(ap, status);
  ev = mk_any_resp(m, H11C_EV_INFORMATIONAL_RESPONSE, status, ap);
  va_end(ap);
  return ev;
}

h11c_event *mk_data(tmsg *m, const char *data) {
  memset(m, 0, sizeof *m);
  m->ev.type = H11C_EV_DATA;
  m->ev.data = sl(data);
  return &m->ev;
}

h11c_event *mk_eom(tmsg *m, ...) {
  va_list ap;
  memset(m, 0, sizeof *m);
  m->ev.type = H11C_EV_END_OF_MESSAGE;
  va_start(ap, m);
  fill_headers(m, ap);
  va_end(ap);
  return &m->ev;
}

h11c_event *mk_closed(tmsg *m) {
  memset(m, 0, sizeof *m);
  m->ev.type = H11C_EV_CONNECTION_CLOSED;
  return &m->ev;
}

/* ------------------------------------------------------------------------ */
/* Connections                                                              */
/* ------------------------------------------------------------------------ */

h11c_conn *new_conn_opts(h11c_role role, unsigned flags, size_t max_size) {
  h11c_options o;
  h11c_conn *c = NULL;
  h11c_options_init(&o);
  o.flags = flags;
  if (max_size)
    o.max_incomplete_event_size = max_size;
  if (h11c_conn_new(&c, role, &o, NULL) != 0 || !c) {
    fprintf(stderr, "test helper: h11c_conn_new failed\n");
    abort();
  }
  return c;
}

h11c_conn *new_conn(h11c_role role) { return new_conn_opts(role, 0, 0); }

static h11c_conn *client_after(const char *method, unsigned flags) {
  h11c_conn *c = new_conn_opts(H11C_CLIENT, flags, 0);
  tmsg m;
  const uint8_t *out;
  size_t n;
  const char *target = strcmp(method, "CONNECT") == 0 ? "a:443" : "/";
  if (h11c_conn_send_copy(c, mk_req(&m, method, target, "Host", "a", NULL),
                          &out, &n) != 0 ||
      h11c_conn_send_copy(c, mk_eom(&m, NULL), &out, &n) != 0) {
    fprintf(stderr, "test helper: could not send the client's request\n");
    abort();
  }
  return c;
}

h11c_conn *new_client_after(const char *method) {
  return client_after(method, 0);
}

h11c_conn *new_server_after_opts(const char *request, unsigned flags) {
  h11c_conn *c = new_conn_opts(H11C_SERVER, flags, 0);
  evlist l = {0};
  if (feed(c, request) != 0 || collect(c, &l) < 0) {
    fprintf(stderr, "test helper: server could not read \"%s\"\n", request);
    abort();
  }
  evlist_free(&l);
  return c;
}

h11c_conn *new_server_after(const char *request) {
  return new_server_after_opts(request, 0);
}

h11c_conn *new_server_ready(void) { return new_server_after(GET11); }

int send_bytes(h11c_conn *c, const h11c_event *ev, const char **pout,
               size_t *plen) {
  const uint8_t *out = NULL;
  size_t n = 0;
  int rc = h11c_conn_send_copy(c, ev, &out, &n);
  if (pout)
    *pout = rc == 0 ? keep_bytes(out, n) : NULL;
  if (plen)
    *plen = rc == 0 ? n : 0;
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Reader check                                                             */
/* ------------------------------------------------------------------------ */

static h11c_conn *rd_conn(const rd_spec *s) {
  switch (s->who) {
  case RD_CLIENT_GET:
    return client_after("GET", s->flags);
  case RD_CLIENT_HEAD:
    return client_after("HEAD", s->flags);
  case RD_CLIENT_CONNECT:
    return client_after("CONNECT", s->flags);
  default:
    return new_conn_opts(H11C_SERVER, s->flags, 0);
  }
}

/* Whether a run stops after collect() returned rc: on an error, or once
 * the events end with ConnectionClosed. */
static bool rd_stopped(int rc, const evlist *evs) {
  return rc < 0 || (rc == H11C_OK && evs->n &&
                    evs->v[evs->n - 1].ev.type == H11C_EV_CONNECTION_CLOSED);
}

/* Checks how a run of row ended: its final code rc and, for an error, the
 * reason, the status hint and the peer's state.  Writes what is wrong to
 * why (empty when all is right). */
static void rd_outcome(const rd_row *row, h11c_conn *c, int rc,
                       const char *events, strbuf *why) {
  const h11c_error *e = h11c_conn_last_error(c);
  strbuf_reset(why);
  if (rc != row->final_rc)
    strbuf_printf(why, "final code %d, expected %d (events: %s; error %s)", rc,
                  row->final_rc, events, h11c_reason_name(e->reason));
  else if (rc < 0 && e->reason != row->reason)
    strbuf_printf(why, "error reason %s, expected %s",
                  h11c_reason_name(e->reason), h11c_reason_name(row->reason));
  else if (rc < 0 && e->status_hint != row->hint)
    strbuf_printf(why, "status hint %d, expected %d (%s)", e->status_hint,
                  row->hint, h11c_reason_name(e->reason));
  else if (rc < 0 && h11c_conn_their_state(c) != H11C_ERROR)
    strbuf_printf(why, "their state %s after the error, expected ERROR",
                  h11c_state_name(h11c_conn_their_state(c)));
}

#define RD_FAIL(...)                                                           \
  do {                                                                         \
    fprintf(stderr, "  %s:%d: %s: ", row->file, row->line, row->name);         \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    *failed = 1;                                                               \
    goto out;                                                                  \
  } while (0)

/* Hands bytes to c with receive_borrowed() from a heap copy and collects
 * the events.  The copy is poisoned and freed as soon as the connection
 * may no longer look at it (after NEED_DATA, or after
 * release_borrowed()), so that a kept reference shows up as wrong events
 * or, under ASan, as a use after free.  Returns collect()'s code. */
static int borrowed_piece(h11c_conn *c, const void *p, size_t n, evlist *out,
                          strbuf *why) {
  uint8_t *copy = malloc(n ? n : 1);
  int rc;
  if (!copy)
    abort();
  if (n)
    memcpy(copy, p, n);
  if (h11c_conn_receive_borrowed(c, copy, n) != 0)
    strbuf_puts(why, "receive_borrowed failed");
  rc = collect(c, out);
  if (rc != H11C_NEED_DATA && h11c_conn_release_borrowed(c) != 0)
    strbuf_puts(why, "release_borrowed failed");
  memset(copy, 0xA5, n);
  free(copy);
  return rc;
}

/* One borrowed run: input[0, split) then input[split, len).  Writes what
 * went wrong to why (empty: nothing) and the normalised events to
 * rendered. */
static void rd_borrowed_run(const rd_row *row, size_t split, strbuf *rendered,
                            strbuf *why) {
  h11c_conn *c = rd_conn(&row->spec);
  evlist evs = {0};
  strbuf piece_why = {0};
  int rc = borrowed_piece(c, row->in, split, &evs, &piece_why);
  bool stop = rd_stopped(rc, &evs);
  if (!stop && split < row->len)
    rc = borrowed_piece(c, (const uint8_t *)row->in + split, row->len - split,
                        &evs, &piece_why);
  if (rc >= 0 && row->spec.eof && !stop) {
    h11c_conn_receive_eof(c);
    rc = collect(c, &evs);
  }
  strbuf_reset(rendered);
  evlist_render(&evs, true, rendered);
  rd_outcome(row, c, rc, strbuf_str(rendered), why);
  if (piece_why.len) {
    strbuf_reset(why);
    strbuf_put(why, piece_why.p, piece_why.len);
  }
  strbuf_free(&piece_why);
  evlist_free(&evs);
  h11c_conn_del(c);
}

void rd_check(int *failed, const rd_row *row) {
  static const char trailing[] = "trailing";
  const uint8_t *input = row->in;
  size_t len = row->len;
  h11c_conn *c = NULL;
  evlist whole = {0}, bytewise = {0}, tr = {0};
  strbuf r1 = {0}, r1n = {0}, r2n = {0}, r3 = {0}, in3 = {0}, r4n = {0},
         why = {0};
  int rc;
  size_t i;
  h11c_slice td;
  bool tclosed;
  h11c_state their_after = H11C_IDLE;

  /* 1. whole */
  c = rd_conn(&row->spec);
  if (len && h11c_conn_receive_data(c, input, len) != 0)
    RD_FAIL("whole: receive_data failed");
  if (row->spec.eof)
    h11c_conn_receive_eof(c);
  rc = collect(c, &whole);
  evlist_render(&whole, false, &r1);
  evlist_render(&whole, true, &r1n);
  rd_outcome(row, c, rc, strbuf_str(&r1), &why);
  if (why.len)
    RD_FAIL("whole: %s", strbuf_str(&why));
  if (row->expect && strcmp(strbuf_str(&r1), row->expect) != 0)
    RD_FAIL("whole: events\n    got:      %s\n    expected: %s",
            strbuf_str(&r1), row->expect);
  their_after = h11c_conn_their_state(c);
  if (rc == H11C_NEED_DATA && !row->spec.eof && !row->spec.no_trailer) {
    h11c_conn_trailing_data(c, &td, &tclosed);
    if (td.len != 0)
      RD_FAIL("whole: %zu bytes left over", td.len);
  }
  h11c_conn_del(c);
  c = NULL;
  if (row->spec.whole_only)
    goto out;

  /* 2. one byte at a time */
  c = rd_conn(&row->spec);
  rc = H11C_NEED_DATA;
  for (i = 0; i < len; i++) {
    if (h11c_conn_receive_data(c, input + i, 1) != 0)
      RD_FAIL("bytewise: receive_data failed at byte %zu", i);
    rc = collect(c, &bytewise);
    if (rd_stopped(rc, &bytewise))
      break;
  }
  if (rc >= 0 && row->spec.eof) {
    h11c_conn_receive_eof(c);
    rc = collect(c, &bytewise);
  } else if (len == 0) {
    rc = collect(c, &bytewise);
  }
  evlist_render(&bytewise, true, &r2n);
  rd_outcome(row, c, rc, strbuf_str(&r2n), &why);
  if (why.len)
    RD_FAIL("bytewise: %s", strbuf_str(&why));
  if (strcmp(strbuf_str(&r2n), strbuf_str(&r1n)) != 0)
    RD_FAIL("bytewise: events\n    got:      %s\n    expected: %s",
            strbuf_str(&r2n), strbuf_str(&r1n));
  h11c_conn_del(c);
  c = NULL;

  /* 3. borrowed, in two pieces split at every point */
  for (i = 0; i <= len; i++) {
    rd_borrowed_run(row, i, &r4n, &why);
    if (why.len)
      RD_FAIL("borrowed split at %zu: %s", i, strbuf_str(&why));
    if (strcmp(strbuf_str(&r4n), strbuf_str(&r1n)) != 0)
      RD_FAIL("borrowed split at %zu: events\n    got:      %s\n    "
              "expected: %s",
              i, strbuf_str(&r4n), strbuf_str(&r1n));
  }

  /* 4. with trailing bytes */
  if (row->final_rc < 0 || row->spec.eof || row->spec.no_trailer)
    goto out;
  c = rd_conn(&row->spec);
  strbuf_put(&in3, input, len);
  strbuf_puts(&in3, trailing);
  if (h11c_conn_receive_data(c, in3.p, in3.len) != 0)
    RD_FAIL("trailing: receive_data failed");
  rc = collect(c, &tr);
  evlist_render(&tr, false, &r3);
  if (their_after == H11C_MUST_CLOSE) {
    /* Bytes after a message that ends the connection are an error, and
       they stay in the buffer. */
    if (rc != H11C_ERR_REMOTE_PROTOCOL ||
        h11c_conn_last_error(c)->reason != H11C_REASON_DATA_WHEN_EXPECTING_EOF)
      RD_FAIL("trailing: final code %d (%s), expected DATA_WHEN_EXPECTING_EOF"
              " (events: %s)",
              rc, h11c_reason_name(h11c_conn_last_error(c)->reason),
              strbuf_str(&r3));
  } else if (rc != H11C_PAUSED) {
    RD_FAIL("trailing: final code %d, expected PAUSED (events: %s)", rc,
            strbuf_str(&r3));
  }
  if (strcmp(strbuf_str(&r3), strbuf_str(&r1)) != 0)
    RD_FAIL("trailing: events\n    got:      %s\n    expected: %s",
            strbuf_str(&r3), strbuf_str(&r1));
  h11c_conn_trailing_data(c, &td, &tclosed);
  if (td.len != sizeof trailing - 1 || memcmp(td.base, trailing, td.len) != 0 ||
      tclosed)
    RD_FAIL("trailing: trailing data \"%.*s\" (closed %d)", (int)td.len,
            (const char *)td.base, (int)tclosed);

out:
  h11c_conn_del(c);
  evlist_free(&whole);
  evlist_free(&bytewise);
  evlist_free(&tr);
  strbuf_free(&r1);
  strbuf_free(&r1n);
  strbuf_free(&r2n);
  strbuf_free(&r3);
  strbuf_free(&in3);
  strbuf_free(&r4n);
  strbuf_free(&why);
}

#undef RD_FAIL

/* ------------------------------------------------------------------------ */
/* Server after a request                                                   */
/* ------------------------------------------------------------------------ */

static bool tri_ok(tri want, bool got) {
  return want == T_ANY || (want == T_YES) == got;
}

void srv_check(int *failed, const srv_row *row) {
  h11c_conn *s = new_server_after_opts(row->request, row->flags);
  ASSERT_TRUE(tri_ok(row->keep_alive, h11c_conn_keep_alive(s)));
  ASSERT_TRUE(
      tri_ok(row->waiting_100, h11c_conn_they_are_waiting_for_100_continue(s)));
  ASSERT_TRUE(tri_ok(row->waiting_100,
                     h11c_conn_client_is_waiting_for_100_continue(s)));
  if (row->states)
    ASSERT_STATES(s, row->client, row->server);
  h11c_conn_del(s);
}

/* ------------------------------------------------------------------------ */
/* Pair                                                                     */
/* ------------------------------------------------------------------------ */

void pair_init_opts(tpair *p, unsigned flags) {
  memset(p, 0, sizeof *p);
  p->c[H11C_CLIENT] = new_conn_opts(H11C_CLIENT, flags, 0);
  p->c[H11C_SERVER] = new_conn_opts(H11C_SERVER, flags, 0);
}

void pair_init(tpair *p) { pair_init_opts(p, 0); }

void pair_free(tpair *p) {
  h11c_conn_del(p->c[0]);
  h11c_conn_del(p->c[1]);
  p->c[0] = p->c[1] = NULL;
  strbuf_free(&p->wire);
}

#undef RD_FAIL
#define RD_FAIL(...)                                                           \
  do {                                                                         \
    fprintf(stderr, "  %s:%d: ", file, line);                                  \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    *failed = 1;                                                               \
    goto out;                                                                  \
  } while (0)

void pair_send_check(int *failed, const char *file, int line, tpair *p,
                     h11c_role from, const char *expect, ...) {
  va_list ap;
  const h11c_event *ev;
  evlist sent = {0}, got = {0};
  strbuf rs = {0}, rg = {0};
  bool closed = false;
  h11c_conn *us = p->c[from], *them = p->c[from == H11C_CLIENT];
  int rc;

  strbuf_reset(&p->wire);
  va_start(ap, expect);
  while ((ev = va_arg(ap, const h11c_event *)) != NULL) {
    h11c_slice iov[H11C_SEND_IOV_MAX];
    size_t n = 99, i;
    bool seen = false;
    evlist_push(&sent, ev);
    rc = h11c_conn_send(us, ev, iov, &n);
    if (rc != 0) {
      va_end(ap);
      RD_FAIL("send of %s failed: %d %s", h11c_event_type_name(ev->type), rc,
              h11c_reason_name(h11c_conn_last_error(us)->reason));
    }
    if (n > H11C_SEND_IOV_MAX) {
      va_end(ap);
      RD_FAIL("send gave %zu slices", n);
    }
    for (i = 0; i < n; i++) {
      strbuf_put(&p->wire, iov[i].base, iov[i].len);
      if (ev->type == H11C_EV_DATA && iov[i].base == ev->data.base &&
          iov[i].len == ev->data.len)
        seen = true;
    }
    if (ev->type == H11C_EV_DATA && ev->data.len && !seen) {
      va_end(ap);
      RD_FAIL("Data was not passed through");
    }
    if (ev->type == H11C_EV_CONNECTION_CLOSED) {
      if (n != 0) {
        va_end(ap);
        RD_FAIL("ConnectionClosed produced %zu slices", n);
      }
      closed = true;
    }
  }
  va_end(ap);
  if (p->wire.len && h11c_conn_receive_data(them, p->wire.p, p->wire.len) != 0)
    RD_FAIL("receive_data failed");
  if (closed)
    h11c_conn_receive_eof(them);
  rc = collect(them, &got);
  if (rc < 0)
    RD_FAIL("receiving side failed: %d %s", rc,
            h11c_reason_name(h11c_conn_last_error(them)->reason));
  evlist_render(&got, false, &rg);
  if (!expect) {
    evlist_render(&sent, false, &rs);
    expect = strbuf_str(&rs);
  }
  if (strcmp(strbuf_str(&rg), expect) != 0)
    RD_FAIL("received events\n    got:      %s\n    expected: %s",
            strbuf_str(&rg), expect);
out:
  evlist_free(&sent);
  evlist_free(&got);
  strbuf_free(&rs);
  strbuf_free(&rg);
}
