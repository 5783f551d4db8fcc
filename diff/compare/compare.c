#include "diff/compare/compare.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *diff_class_name(diff_class c) {
  switch (c) {
  case DIFF_NONE:
    return "none";
  case DIFF_STATUS:
    return "status";
  case DIFF_INTERPRETATION:
    return "interpretation";
  case DIFF_ACCEPTANCE:
    return "acceptance";
  case DIFF_FRAMING:
    return "framing";
  }
  return "none";
}

diff_class diff_class_from_name(const char *name) {
  if (strcmp(name, "status") == 0)
    return DIFF_STATUS;
  if (strcmp(name, "interpretation") == 0)
    return DIFF_INTERPRETATION;
  if (strcmp(name, "acceptance") == 0)
    return DIFF_ACCEPTANCE;
  if (strcmp(name, "framing") == 0)
    return DIFF_FRAMING;
  return DIFF_NONE;
}

int diff_rank(const diff_result *d) {
  switch (d->cls) {
  case DIFF_FRAMING:
    return d->both_accept ? 5 : 4;
  case DIFF_ACCEPTANCE:
    return 3;
  case DIFF_INTERPRETATION:
    return 2;
  case DIFF_STATUS:
    return 1;
  case DIFF_NONE:
    break;
  }
  return 0;
}

static bool bytes_eq(const verdict_bytes *a, const verdict_bytes *b) {
  return a->len == b->len &&
         (a->len == 0 || memcmp(a->base, b->base, a->len) == 0);
}

static bool bytes_is(const verdict_bytes *b, const char *s) {
  size_t n = strlen(s);
  return b->len == n && (n == 0 || memcmp(b->base, s, n) == 0);
}

static bool ci_eq(const uint8_t *a, size_t alen, const uint8_t *b,
                  size_t blen) {
  size_t i;
  if (alen != blen)
    return false;
  for (i = 0; i < alen; i++) {
    uint8_t x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (uint8_t)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (uint8_t)(y + 32);
    if (x != y)
      return false;
  }
  return true;
}

static bool is_ows(uint8_t c) { return c == ' ' || c == '\t'; }

/* The single value all Content-Length elements of f share: sets
 * *vb and *vlen and returns true; false if there are none, or they
 * differ. */
static bool cl_common(const verdict_fields *f, const uint8_t **vb,
                      size_t *vlen) {
  size_t i;
  bool any = false;
  for (i = 0; i < f->len; i++) {
    const verdict_field *h = &f->items[i];
    size_t p = 0;
    if (!bytes_is(&h->name, "content-length"))
      continue;
    for (;;) {
      size_t s, e, q = p;
      while (q < h->value.len && h->value.base[q] != ',')
        q++;
      s = p;
      e = q;
      while (s < e && is_ows(h->value.base[s]))
        s++;
      while (e > s && is_ows(h->value.base[e - 1]))
        e--;
      if (!any) {
        *vb = h->value.base + s;
        *vlen = e - s;
        any = true;
      } else if (*vlen != e - s ||
                 (e > s && memcmp(*vb, h->value.base + s, e - s) != 0)) {
        return false;
      }
      if (q >= h->value.len)
        break;
      p = q + 1;
    }
  }
  return any;
}

/* The fields of f in comparison order: when all Content-Length elements
 * agree, only the first Content-Length field is kept (its value then
 * compares as the common element).  Returns the count, or SIZE_MAX if out
 * of memory; *out is malloc'd. */
static size_t canon(const verdict_fields *f, const verdict_field ***out,
                    bool *collapsed, const uint8_t **clv, size_t *cll) {
  size_t i, n = 0;
  bool seen = false;
  const verdict_field **list = malloc((f->len ? f->len : 1) * sizeof *list);
  *out = list;
  if (!list)
    return SIZE_MAX;
  *collapsed = cl_common(f, clv, cll);
  for (i = 0; i < f->len; i++) {
    const verdict_field *h = &f->items[i];
    if (*collapsed && bytes_is(&h->name, "content-length")) {
      if (seen)
        continue;
      seen = true;
    }
    list[n++] = h;
  }
  return n;
}

static int clip(size_t n) { return (int)(n > 40 ? 40 : n); }

/* Field lists equal after canonicalisation (see compare.h). */
static bool fields_equal(const verdict_fields *a, const verdict_fields *b,
                         char *why, size_t whylen, const char *what) {
  const verdict_field **la, **lb;
  const uint8_t *acl = NULL, *bcl = NULL;
  size_t acl_len = 0, bcl_len = 0, na, nb, i;
  bool acan, bcan, eq = true;
  if (a->len == 0 && b->len == 0)
    return true;
  na = canon(a, &la, &acan, &acl, &acl_len);
  nb = canon(b, &lb, &bcan, &bcl, &bcl_len);
  if (na == SIZE_MAX || nb == SIZE_MAX) {
    snprintf(why, whylen, "%s: out of memory", what);
    eq = false;
    goto done;
  }
  for (i = 0; eq && i < na && i < nb; i++) {
    const verdict_field *x = la[i], *y = lb[i];
    if (!bytes_eq(&x->name, &y->name)) {
      snprintf(why, whylen, "%s: field '%.*s' vs '%.*s'", what,
               clip(x->name.len), (const char *)x->name.base, clip(y->name.len),
               (const char *)y->name.base);
      eq = false;
    } else if (bytes_is(&x->name, "content-length") && acan && bcan) {
      if (acl_len != bcl_len || (acl_len && memcmp(acl, bcl, acl_len) != 0)) {
        snprintf(why, whylen, "%s: content-length value differs", what);
        eq = false;
      }
    } else if (bytes_is(&x->name, "transfer-encoding")) {
      if (!ci_eq(x->value.base, x->value.len, y->value.base, y->value.len)) {
        snprintf(why, whylen, "%s: transfer-encoding value differs", what);
        eq = false;
      }
    } else if (!bytes_eq(&x->value, &y->value)) {
      snprintf(why, whylen, "%s: value of '%.*s' differs", what,
               clip(x->name.len), (const char *)x->name.base);
      eq = false;
    }
  }
  if (eq && na != nb) {
    const verdict_field *z = na > nb ? la[nb] : lb[na];
    snprintf(why, whylen, "%s: only %s has field '%.*s'", what,
             na > nb ? "the first" : "the second", clip(z->name.len),
             (const char *)z->name.base);
    eq = false;
  }
done:
  free(la);
  free(lb);
  return eq;
}

bool verdict_heads_equal(const verdict_message *a, const verdict_message *b,
                         char *why, size_t whylen) {
  if (a->is_response != b->is_response) {
    snprintf(why, whylen, "request vs response");
    return false;
  }
  if (a->is_response) {
    if (a->status != b->status) {
      snprintf(why, whylen, "status %d vs %d", a->status, b->status);
      return false;
    }
  } else {
    if (!bytes_eq(&a->method, &b->method)) {
      snprintf(why, whylen, "method '%.*s' vs '%.*s'",
               (int)(a->method.len > 20 ? 20 : a->method.len),
               (const char *)a->method.base,
               (int)(b->method.len > 20 ? 20 : b->method.len),
               (const char *)b->method.base);
      return false;
    }
    if (!bytes_eq(&a->target, &b->target)) {
      snprintf(why, whylen, "target differs");
      return false;
    }
  }
  if (!bytes_eq(&a->version, &b->version)) {
    snprintf(why, whylen, "version '%.*s' vs '%.*s'",
             (int)(a->version.len > 10 ? 10 : a->version.len),
             (const char *)a->version.base,
             (int)(b->version.len > 10 ? 10 : b->version.len),
             (const char *)b->version.base);
    return false;
  }
  if (!fields_equal(&a->headers, &b->headers, why, whylen, "headers"))
    return false;
  if (!fields_equal(&a->trailers, &b->trailers, why, whylen, "trailers"))
    return false;
  return true;
}

static size_t completed_messages(const verdict *v) {
  size_t i, n = 0;
  for (i = 0; i < v->nmessages; i++)
    if (v->messages[i].complete)
      n++;
  return n;
}

void verdict_compare(const verdict *a, const verdict *b, bool status_hints,
                     diff_result *out) {
  size_t n = a->nmessages < b->nmessages ? a->nmessages : b->nmessages, i;
  bool aerr = a->outcome == VERDICT_ERROR, berr = b->outcome == VERDICT_ERROR;
  int interp_msg = -1;
  char interp_why[160] = "";

  memset(out, 0, sizeof *out);
  out->msg = -1;

  /* 1. Framing of the messages both accepted. */
  for (i = 0; i < n; i++) {
    const verdict_message *x = &a->messages[i], *y = &b->messages[i];
    if (interp_msg < 0 &&
        !verdict_heads_equal(x, y, interp_why, sizeof interp_why))
      interp_msg = (int)i;
    if (x->complete && y->complete) {
      if (x->end != y->end) {
        out->cls = DIFF_FRAMING;
        snprintf(out->detail, sizeof out->detail,
                 "message %zu ends at %" PRIu64 " vs %" PRIu64, i, x->end,
                 y->end);
      } else if (!bytes_eq(&x->body, &y->body)) {
        out->cls = DIFF_FRAMING;
        snprintf(out->detail, sizeof out->detail,
                 "message %zu body differs (%zu vs %zu bytes)", i, x->body.len,
                 y->body.len);
      }
    } else if (x->complete != y->complete) {
      /* One side did not finish this message: if it rejected the input
         there, that is where they differ in acceptance (below); if the
         input ended first, they read the message's length differently. */
      const verdict *cut = x->complete ? b : a;
      if (cut->outcome == VERDICT_ERROR)
        break;
      out->cls = DIFF_FRAMING;
      snprintf(out->detail, sizeof out->detail, "message %zu %s vs %s", i,
               x->complete ? "complete" : "not complete",
               y->complete ? "complete" : "not complete");
    } else {
      break; /* neither finished it */
    }
    if (out->cls == DIFF_FRAMING) {
      out->msg = (int)i;
      out->both_accept = !aerr && !berr;
      return;
    }
  }

  /* 2. Acceptance. */
  if (aerr != berr) {
    const verdict *e = aerr ? a : b;
    out->cls = DIFF_ACCEPTANCE;
    out->msg = (int)completed_messages(e);
    snprintf(out->detail, sizeof out->detail,
             "%s rejects after %zu message(s); %s accepts (%s)",
             aerr ? "the first" : "the second", completed_messages(e),
             aerr ? "the second" : "the first",
             verdict_outcome_name(aerr ? b->outcome : a->outcome));
    return;
  }
  if (aerr && berr) {
    size_t ca = completed_messages(a), cb = completed_messages(b);
    bool offsets_differ = a->error_offset_known && b->error_offset_known &&
                          a->error_offset != b->error_offset;
    if (ca != cb || offsets_differ) {
      out->cls = DIFF_ACCEPTANCE;
      out->msg = (int)(ca < cb ? ca : cb);
      snprintf(out->detail, sizeof out->detail,
               "both reject, after %zu vs %zu message(s)", ca, cb);
      return;
    }
  } else {
    /* 3. Neither rejects: the rest of the framing. */
    if (a->nmessages != b->nmessages) {
      out->cls = DIFF_FRAMING;
      out->both_accept = true;
      out->msg = (int)n;
      snprintf(out->detail, sizeof out->detail,
               "%zu vs %zu message(s) (%s vs %s)", a->nmessages, b->nmessages,
               verdict_outcome_name(a->outcome),
               verdict_outcome_name(b->outcome));
      return;
    }
    if (a->outcome != b->outcome) {
      out->cls = DIFF_FRAMING;
      out->both_accept = true;
      snprintf(out->detail, sizeof out->detail, "outcome %s vs %s",
               verdict_outcome_name(a->outcome),
               verdict_outcome_name(b->outcome));
      return;
    }
    if (a->leftover != b->leftover) {
      out->cls = DIFF_FRAMING;
      out->both_accept = true;
      snprintf(out->detail, sizeof out->detail,
               "leftover %" PRIu64 " vs %" PRIu64 " bytes", a->leftover,
               b->leftover);
      return;
    }
  }

  /* 4. Interpretation. */
  if (interp_msg >= 0) {
    out->cls = DIFF_INTERPRETATION;
    out->msg = interp_msg;
    snprintf(out->detail, sizeof out->detail, "message %d: %s", interp_msg,
             interp_why);
    return;
  }

  /* 5. Status hints. */
  if (aerr && berr && status_hints &&
      a->error_status_hint != b->error_status_hint) {
    out->cls = DIFF_STATUS;
    out->msg = (int)completed_messages(a);
    snprintf(out->detail, sizeof out->detail, "status hint %d vs %d",
             a->error_status_hint, b->error_status_hint);
  }
}

void diff_name_sides(diff_result *d, const char *a, const char *b) {
  char out[sizeof d->detail];
  const char *p = d->detail;
  size_t o = 0;
  while (*p && o + 1 < sizeof out) {
    const char *name = NULL;
    size_t skip = 0;
    if (strncmp(p, "the first", 9) == 0) {
      name = a;
      skip = 9;
    } else if (strncmp(p, "the second", 10) == 0) {
      name = b;
      skip = 10;
    }
    if (name) {
      size_t n = strlen(name);
      if (o + n >= sizeof out)
        break;
      memcpy(out + o, name, n);
      o += n;
      p += skip;
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = '\0';
  memcpy(d->detail, out, o + 1);
}

const char *diff_class_label(const diff_result *d) {
  if (d->cls == DIFF_FRAMING)
    return d->both_accept ? "framing, both accept" : "framing";
  return diff_class_name(d->cls);
}

void diff_escape(const uint8_t *data, size_t len, size_t max, char *buf,
                 size_t buflen) {
  size_t i, o = 0;
  if (!buflen)
    return;
  for (i = 0; i < len && i < max; i++) {
    char tmp[8];
    uint8_t c = data[i];
    size_t k;
    switch (c) {
    case '\r':
      strcpy(tmp, "\\r");
      break;
    case '\n':
      strcpy(tmp, "\\n");
      break;
    case '\t':
      strcpy(tmp, "\\t");
      break;
    case '\\':
      strcpy(tmp, "\\\\");
      break;
    default:
      if (c < 0x20 || c >= 0x7f)
        snprintf(tmp, sizeof tmp, "\\x%02x", c);
      else {
        tmp[0] = (char)c;
        tmp[1] = '\0';
      }
    }
    k = strlen(tmp);
    if (o + k + 1 > buflen)
      break;
    memcpy(buf + o, tmp, k);
    o += k;
  }
  buf[o] = '\0';
  if (i < len) {
    char more[48];
    snprintf(more, sizeof more, "...(+%zu bytes)", len - i);
    if (o + strlen(more) + 1 <= buflen)
      strcpy(buf + o, more);
  }
}

void diff_print_input(FILE *f, const verdict_params *p, const uint8_t *data,
                      size_t len) {
  char buf[8192];
  diff_escape(data, len, 2000, buf, sizeof buf);
  fprintf(f, "role %s, method %s, %zu bytes:\n  %s\n",
          verdict_role_name(p->role), p->method ? p->method : "GET", len, buf);
}
