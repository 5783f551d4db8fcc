/*
 * Target 5, framing differential: the same request bytes go to an h11c
 * server connection and to llhttp (Debian's llhttp 8.1.0, default strict
 * settings), both driven as ../shared/spec/verdict.md says: all bytes,
 * then end of input; each complete request answered (h11c) and every
 * protocol switch declined (llhttp: llhttp_resume_after_upgrade).
 *
 * Property: for every message that both parsers accept completely, they
 * agree on where it ends and on its body bytes, unless the difference is
 * one of the intended classes in fuzz/llhttp_differences.md, which are
 * recognised here from the message's head (explain()); after the first
 * difference, later messages are not compared (the streams are out of
 * step).  Messages only one parser accepts are acceptance differences and
 * are not checked.
 *
 * Input: the raw request bytes (no configuration byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llhttp.h>

#include "fuzz_common.h"

#define MAX_MSGS 64

typedef struct msg {
  bool complete;
  size_t start; /* offset of the first byte of the head */
  size_t end;
  fbuf body;
} msg;

typedef struct side {
  msg m[MAX_MSGS];
  size_t n;
  bool error;
} side;

/* ---- h11c ---- */

static void send_simple(h11c_conn *c, const h11c_event *ev) {
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t n;
  FUZZ_CHECK(h11c_conn_send(c, ev, iov, &n) == H11C_OK,
             "the server could not answer");
}

static void run_h11c(const uint8_t *data, size_t len, side *s) {
  h11c_conn *c;
  bool eof = false, is_connect = false;
  FUZZ_CHECK(h11c_conn_new(&c, H11C_SERVER, NULL, NULL) == H11C_OK,
             "h11c_conn_new");
  if (len)
    FUZZ_CHECK(h11c_conn_receive_data(c, data, len) == H11C_OK, "receive_data");
  for (;;) {
    h11c_event ev;
    int rc = h11c_conn_next_event(c, &ev);
    if (rc == H11C_NEED_DATA && !eof) {
      h11c_conn_receive_eof(c);
      eof = true;
      continue;
    }
    if (rc != H11C_OK) {
      s->error = rc < 0;
      break;
    }
    if (ev.type == H11C_EV_REQUEST) {
      if (s->n == MAX_MSGS)
        break;
      s->m[s->n].start = (size_t)h11c_conn_bytes_consumed(c);
      s->n++;
      is_connect = fz_slice_eq_str(ev.method, "CONNECT");
    } else if (ev.type == H11C_EV_DATA) {
      fbuf_put(&s->m[s->n - 1].body, ev.data.base, ev.data.len);
    } else if (ev.type == H11C_EV_END_OF_MESSAGE) {
      h11c_header cl = {H11C_LIT("Content-Length"), {NULL, 0}, H11C_LIT("0")};
      h11c_event r;
      s->m[s->n - 1].complete = true;
      s->m[s->n - 1].end = (size_t)h11c_conn_bytes_consumed(c);
      memset(&r, 0, sizeof r);
      r.type = H11C_EV_RESPONSE;
      r.status_code = is_connect ? 405 : 200;
      r.headers = &cl;
      r.nheaders = 1;
      send_simple(c, &r);
      memset(&r, 0, sizeof r);
      r.type = H11C_EV_END_OF_MESSAGE;
      send_simple(c, &r);
      if (h11c_conn_our_state(c) != H11C_DONE ||
          h11c_conn_start_next_cycle(c) != H11C_OK)
        break;
    } else {
      break; /* ConnectionClosed */
    }
  }
  /* Where each head began: the consumed count is taken after the head,
     so walk back to the end of the previous message. */
  {
    size_t i;
    for (i = 0; i < s->n; i++)
      s->m[i].start = i ? s->m[i - 1].end : 0;
  }
  h11c_conn_del(c);
}

/* ---- llhttp ---- */

static side *cur_side(llhttp_t *p) { return (side *)p->data; }

static int on_message_begin(llhttp_t *p) {
  side *s = cur_side(p);
  if (s->n == MAX_MSGS)
    return -1;
  s->n++;
  return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len) {
  side *s = cur_side(p);
  fbuf_put(&s->m[s->n - 1].body, at, len);
  return 0;
}

static int on_message_complete(llhttp_t *p) {
  side *s = cur_side(p);
  s->m[s->n - 1].complete = true;
  /* Pause, so that llhttp_execute() reports where the message ended. */
  return HPE_PAUSED;
}

static void run_llhttp(const uint8_t *data, size_t len, side *s) {
  llhttp_t p;
  llhttp_settings_t st;
  const char *pos = (const char *)data, *end = (const char *)data + len;
  llhttp_settings_init(&st);
  st.on_message_begin = on_message_begin;
  st.on_body = on_body;
  st.on_message_complete = on_message_complete;
  llhttp_init(&p, HTTP_REQUEST, &st);
  p.data = s;
  for (;;) {
    llhttp_errno_t err = llhttp_execute(&p, pos, (size_t)(end - pos));
    const char *ep;
    if (err == HPE_OK)
      break;
    ep = llhttp_get_error_pos(&p);
    if (err == HPE_PAUSED) {
      if (s->n && s->m[s->n - 1].complete && !s->m[s->n - 1].end)
        s->m[s->n - 1].end = (size_t)(ep - (const char *)data);
      llhttp_resume(&p);
    } else if (err == HPE_PAUSED_UPGRADE) {
      /* Decline the switch and go on parsing, as Node's server does. */
      llhttp_resume_after_upgrade(&p);
    } else {
      s->error = true;
      return;
    }
    FUZZ_CHECK(ep >= pos && ep <= end, "llhttp error position out of range");
    pos = ep;
  }
  if (llhttp_finish(&p) != HPE_OK)
    s->error = true;
}

/* ---- intended differences (fuzz/llhttp_differences.md) ---- */

/* Length of the head starting at p (through its blank line, "\n\r?\n"
 * as h11c delimits it), or 0 if there is none. */
static size_t head_length(const uint8_t *p, size_t n) {
  size_t i;
  for (i = 0; i + 1 < n; i++) {
    if (p[i] != '\n')
      continue;
    if (p[i + 1] == '\n')
      return i + 2;
    if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
      return i + 3;
  }
  return 0;
}

/* The class of an intended difference that explains how the two parsers
 * framed message a (h11c) and b (llhttp), or NULL. */
static const char *explain(const uint8_t *data, size_t len, const msg *a,
                           const msg *b) {
  const uint8_t *p = data + a->start;
  size_t head = head_length(p, len - a->start);
  /* connect-request-body: llhttp ends a CONNECT request with its head
     (what follows is the tunnel); h11c reads the body its Content-Length
     or Transfer-Encoding announces, as h11 does. */
  if (len - a->start >= 8 && memcmp(p, "CONNECT ", 8) == 0 && head &&
      b->end == a->start + head && b->body.len == 0 && a->end > b->end)
    return "connect-request-body";
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  side *h, *l;
  size_t i, n;
  h = calloc(1, sizeof *h);
  l = calloc(1, sizeof *l);
  if (!h || !l)
    abort();
  run_h11c(data, size, h);
  run_llhttp(data, size, l);
  if (fuzz_verbose()) {
    for (i = 0; i < h->n || i < l->n; i++)
      fprintf(stderr,
              "message %zu: h11c %s end=%zu body=%zu | llhttp %s "
              "end=%zu body=%zu\n",
              i, i < h->n ? (h->m[i].complete ? "complete" : "partial") : "-",
              h->m[i].end, h->m[i].body.len,
              i < l->n ? (l->m[i].complete ? "complete" : "partial") : "-",
              l->m[i].end, l->m[i].body.len);
    fprintf(stderr, "h11c error: %d, llhttp error: %d\n", h->error, l->error);
  }
  n = h->n < l->n ? h->n : l->n;
  for (i = 0; i < n; i++) {
    msg *a = &h->m[i], *b = &l->m[i];
    const char *why;
    if (!a->complete || !b->complete)
      break;
    if (a->end == b->end && fbuf_eq(&a->body, &b->body))
      continue;
    why = explain(data, size, a, b);
    if (fuzz_verbose() || !why) {
      fprintf(stderr,
              "message %zu (from offset %zu): h11c ends it at %zu with a "
              "body of %zu bytes, llhttp at %zu with %zu bytes%s%s\n",
              i, a->start, a->end, a->body.len, b->end, b->body.len,
              why ? "; intended: " : "", why ? why : "");
    }
    FUZZ_CHECK(why != NULL, "h11c and llhttp frame message %zu differently", i);
    break;
  }
  for (i = 0; i < MAX_MSGS; i++) {
    fbuf_free(&h->m[i].body);
    fbuf_free(&l->m[i].body);
  }
  free(h);
  free(l);
  return 0;
}
