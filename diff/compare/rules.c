#define _POSIX_C_SOURCE 200809L
#include "diff/compare/rules.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/json_read.h"

/* Built-in copies (generated from the JSON files; NUL-terminated). */
extern const char known_differences_json[];
extern const char peer_quirks_json[];

typedef enum pred_type {
  P_HAS,
  P_HAS_ANY,
  P_LACKS,
  P_REGEX,
  P_NOT_REGEX,
  P_CHUNK_DATA_END,
  P_FIRST_HEAD_HAS,
  P_FIRST_HEAD_LACKS,
  P_SELF_OUTCOME,
  P_OTHER_OUTCOME,
  P_SELF_HINT,
  P_OTHER_HINT,
  P_MORE_MESSAGES,
  P_SELF_MESSAGES,
  P_OTHER_MESSAGES,
  P_METHOD,
  P_MIN_LENGTH
} pred_type;

typedef struct pred {
  pred_type type;
  char **strs; /* lower-cased for P_HAS*, P_LACKS */
  size_t nstrs;
  regex_t re;
  bool re_ok;
  unsigned outcomes; /* bit per verdict_outcome */
  long long n;       /* hint, length; more_messages: 0 self, 1 other */
} pred;

struct rule {
  rule_kind kind;
  char *id, *summary, *why, *rfc, *risk;
  unsigned classes; /* bit per diff_class */
  unsigned roles;   /* bit per verdict_role */
  char **impls;
  size_t nimpls;
  char **against;
  size_t nagainst;
  char **inputs;
  size_t ninputs;
  pred *preds;
  size_t npreds;
  bool has_match;
};

struct rulebook {
  rule *rules;
  size_t n, cap;
};

static char *dup_str(const char *s) { return s ? strdup(s) : NULL; }

static void lower_ascii(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s + 32);
}

static void free_strs(char **v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

static void rule_free(rule *r) {
  size_t i;
  free(r->id);
  free(r->summary);
  free(r->why);
  free(r->rfc);
  free(r->risk);
  free_strs(r->impls, r->nimpls);
  free_strs(r->against, r->nagainst);
  free_strs(r->inputs, r->ninputs);
  for (i = 0; i < r->npreds; i++) {
    free_strs(r->preds[i].strs, r->preds[i].nstrs);
    if (r->preds[i].re_ok)
      regfree(&r->preds[i].re);
  }
  free(r->preds);
}

void rulebook_free(rulebook *rb) {
  size_t i;
  if (!rb)
    return;
  for (i = 0; i < rb->n; i++)
    rule_free(&rb->rules[i]);
  free(rb->rules);
  free(rb);
}

/* A list of strings (or one string) into a malloc'd array. */
static int str_list(const jv *v, char ***out, size_t *n, bool lower) {
  size_t i;
  *out = NULL;
  *n = 0;
  if (!v)
    return 0;
  if (v->type == JV_STRING) {
    *out = calloc(1, sizeof **out);
    if (!*out)
      return -1;
    (*out)[0] = strdup(v->s);
    if (!(*out)[0])
      return -1;
    if (lower)
      lower_ascii((*out)[0]);
    *n = 1;
    return 0;
  }
  if (v->type != JV_ARRAY)
    return -1;
  *out = calloc(v->n ? v->n : 1, sizeof **out);
  if (!*out)
    return -1;
  for (i = 0; i < v->n; i++) {
    if (v->items[i].type != JV_STRING)
      return -1;
    (*out)[i] = strdup(v->items[i].s);
    if (!(*out)[i])
      return -1;
    if (lower)
      lower_ascii((*out)[i]);
    (*n)++;
  }
  return 0;
}

static int outcome_bit(const char *s) {
  static const char *names[] = {"closed", "error", "incomplete", "must_close",
                                "switched"};
  int i;
  for (i = 0; i < 5; i++)
    if (strcmp(s, names[i]) == 0)
      return 1 << i;
  return -1;
}

static int parse_pred(const jv *o, pred *p, char *err, size_t errlen,
                      const char *id) {
  const char *key;
  const jv *v;
  memset(p, 0, sizeof *p);
  if (o->type != JV_OBJECT || o->n != 1)
    return verdict_errf(err, errlen,
                        "%s: a predicate is an object with one key", id);
  key = o->keys[0];
  v = &o->items[0];
  if (strcmp(key, "input_has") == 0 || strcmp(key, "input_has_any") == 0 ||
      strcmp(key, "input_lacks") == 0) {
    p->type = strcmp(key, "input_has") == 0       ? P_HAS
              : strcmp(key, "input_has_any") == 0 ? P_HAS_ANY
                                                  : P_LACKS;
    if (str_list(v, &p->strs, &p->nstrs, true) != 0)
      return verdict_errf(err, errlen, "%s: %s takes strings", id, key);
    return 0;
  }
  if (strcmp(key, "input_regex") == 0 || strcmp(key, "input_not_regex") == 0 ||
      strcmp(key, "input_regex_cs") == 0 ||
      strcmp(key, "input_not_regex_cs") == 0) {
    int rc;
    bool cs = strstr(key, "_cs") != NULL;
    p->type = key[6] == 'n' ? P_NOT_REGEX : P_REGEX;
    if (v->type != JV_STRING)
      return verdict_errf(err, errlen, "%s: %s takes a string", id, key);
    rc = regcomp(&p->re, v->s, REG_EXTENDED | REG_NOSUB | (cs ? 0 : REG_ICASE));
    if (rc != 0) {
      char msg[128];
      regerror(rc, &p->re, msg, sizeof msg);
      return verdict_errf(err, errlen, "%s: bad regular expression: %s", id,
                          msg);
    }
    p->re_ok = true;
    return 0;
  }
  if (strcmp(key, "self_outcome") == 0 || strcmp(key, "other_outcome") == 0) {
    char **names;
    size_t n, i;
    p->type = key[0] == 's' ? P_SELF_OUTCOME : P_OTHER_OUTCOME;
    if (str_list(v, &names, &n, false) != 0) {
      free_strs(names, n);
      return verdict_errf(err, errlen, "%s: %s takes outcome names", id, key);
    }
    for (i = 0; i < n; i++) {
      int bit = outcome_bit(names[i]);
      if (bit < 0) {
        free_strs(names, n);
        return verdict_errf(err, errlen, "%s: unknown outcome", id);
      }
      p->outcomes |= (unsigned)bit;
    }
    free_strs(names, n);
    return 0;
  }
  if (strcmp(key, "self_hint") == 0 || strcmp(key, "other_hint") == 0 ||
      strcmp(key, "min_length") == 0 || strcmp(key, "self_messages") == 0 ||
      strcmp(key, "other_messages") == 0) {
    p->type = strcmp(key, "self_hint") == 0        ? P_SELF_HINT
              : strcmp(key, "other_hint") == 0     ? P_OTHER_HINT
              : strcmp(key, "self_messages") == 0  ? P_SELF_MESSAGES
              : strcmp(key, "other_messages") == 0 ? P_OTHER_MESSAGES
                                                   : P_MIN_LENGTH;
    if (v->type != JV_NUMBER || !v->is_int)
      return verdict_errf(err, errlen, "%s: %s takes an integer", id, key);
    p->n = v->i;
    return 0;
  }
  if (strcmp(key, "first_head_has") == 0 ||
      strcmp(key, "first_head_lacks") == 0) {
    p->type = key[11] == 'h' ? P_FIRST_HEAD_HAS : P_FIRST_HEAD_LACKS;
    if (str_list(v, &p->strs, &p->nstrs, true) != 0 || p->nstrs != 1)
      return verdict_errf(err, errlen, "%s: %s takes a field name", id, key);
    return 0;
  }
  if (strcmp(key, "chunk_data_end_not_crlf") == 0) {
    p->type = P_CHUNK_DATA_END;
    if (v->type != JV_BOOL)
      return verdict_errf(err, errlen, "%s: %s takes true or false", id, key);
    p->n = v->b;
    return 0;
  }
  if (strcmp(key, "more_messages") == 0) {
    p->type = P_MORE_MESSAGES;
    if (v->type != JV_STRING ||
        (strcmp(v->s, "self") != 0 && strcmp(v->s, "other") != 0))
      return verdict_errf(err, errlen, "%s: more_messages is self or other",
                          id);
    p->n = strcmp(v->s, "other") == 0;
    return 0;
  }
  if (strcmp(key, "method") == 0) {
    p->type = P_METHOD;
    if (str_list(v, &p->strs, &p->nstrs, false) != 0)
      return verdict_errf(err, errlen, "%s: method takes strings", id);
    return 0;
  }
  return verdict_errf(err, errlen, "%s: unknown predicate '%s'", id, key);
}

static int parse_rule(const jv *e, rule_kind kind, rule *r, char *err,
                      size_t errlen) {
  const jv *cls = jv_get(e, "class"), *roles = jv_get(e, "roles");
  const jv *match = jv_get(e, "match");
  const char *id = jv_get_str(e, "id");
  char **names = NULL;
  size_t n = 0, i;

  memset(r, 0, sizeof *r);
  r->kind = kind;
  if (!id)
    return verdict_errf(err, errlen, "an entry has no id");
  r->id = dup_str(id);
  r->summary = dup_str(jv_get_str(e, "summary"));
  r->why = dup_str(jv_get_str(e, "why"));
  r->rfc = dup_str(jv_get_str(e, "rfc"));
  r->risk = dup_str(jv_get_str(e, "risk"));
  if (!r->id)
    return verdict_errf(err, errlen, "out of memory");

  if (str_list(cls, &names, &n, false) != 0) {
    free_strs(names, n);
    return verdict_errf(err, errlen, "%s: bad class", id);
  }
  for (i = 0; i < n; i++) {
    diff_class c = diff_class_from_name(names[i]);
    if (c != DIFF_NONE)
      r->classes |= 1u << c;
  }
  free_strs(names, n);

  if (str_list(roles, &names, &n, false) != 0) {
    free_strs(names, n);
    return verdict_errf(err, errlen, "%s: bad roles", id);
  }
  for (i = 0; i < n; i++) {
    if (strcmp(names[i], "server") == 0)
      r->roles |= 1u << VERDICT_SERVER;
    else if (strcmp(names[i], "client") == 0)
      r->roles |= 1u << VERDICT_CLIENT;
  }
  free_strs(names, n);
  if (!roles)
    r->roles = 3;

  if (kind == RULE_KNOWN) {
    r->impls = calloc(1, sizeof *r->impls);
    r->against = calloc(1, sizeof *r->against);
    if (!r->impls || !r->against)
      return verdict_errf(err, errlen, "out of memory");
    r->impls[0] = strdup("h11c");
    r->against[0] = strdup("h11py");
    r->nimpls = r->nagainst = 1;
  } else {
    if (str_list(jv_get(e, "impls"), &r->impls, &r->nimpls, false) != 0 ||
        r->nimpls == 0)
      return verdict_errf(err, errlen, "%s: a quirk needs impls", id);
    if (str_list(jv_get(e, "against"), &r->against, &r->nagainst, false) != 0)
      return verdict_errf(err, errlen, "%s: bad against", id);
  }
  if (str_list(jv_get(e, "inputs"), &r->inputs, &r->ninputs, false) != 0)
    return verdict_errf(err, errlen, "%s: bad inputs", id);

  if (match) {
    const jv *when = jv_get(match, "when");
    if (!when || when->type != JV_ARRAY)
      return verdict_errf(err, errlen, "%s: match needs a when list", id);
    r->preds = calloc(when->n ? when->n : 1, sizeof *r->preds);
    if (!r->preds)
      return verdict_errf(err, errlen, "out of memory");
    for (i = 0; i < when->n; i++) {
      if (parse_pred(&when->items[i], &r->preds[i], err, errlen, id) != 0)
        return -1;
      r->npreds++;
    }
    r->has_match = true;
  }
  return 0;
}

static int load_list(rulebook *rb, const char *text, size_t len,
                     const char *what, const char *list_key, rule_kind kind,
                     char *err, size_t errlen) {
  jv doc;
  const jv *list;
  size_t i;
  char jerr[256];
  if (jv_parse(text, len, &doc, jerr, sizeof jerr) != 0)
    return verdict_errf(err, errlen, "%s: %s", what, jerr);
  list = jv_get(&doc, list_key);
  if (!list || list->type != JV_ARRAY) {
    jv_free(&doc);
    return verdict_errf(err, errlen, "%s: no \"%s\" list", what, list_key);
  }
  for (i = 0; i < list->n; i++) {
    char rerr[256];
    if (rb->n == rb->cap) {
      size_t nc = rb->cap ? rb->cap * 2 : 32;
      rule *q = realloc(rb->rules, nc * sizeof *q);
      if (!q) {
        jv_free(&doc);
        return verdict_errf(err, errlen, "out of memory");
      }
      rb->rules = q;
      rb->cap = nc;
    }
    if (parse_rule(&list->items[i], kind, &rb->rules[rb->n], rerr,
                   sizeof rerr) != 0) {
      rule_free(&rb->rules[rb->n]);
      jv_free(&doc);
      return verdict_errf(err, errlen, "%s: %s", what, rerr);
    }
    rb->n++;
  }
  jv_free(&doc);
  return 0;
}

static int load_source(rulebook *rb, const char *path, const char *builtin,
                       const char *builtin_name, const char *list_key,
                       rule_kind kind, char *err, size_t errlen) {
  if (!path)
    return load_list(rb, builtin, strlen(builtin), builtin_name, list_key, kind,
                     err, errlen);
  {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!f)
      return verdict_errf(err, errlen, "%s: cannot open", path);
    for (;;) {
      size_t k;
      if (len == cap) {
        char *q = realloc(buf, cap = cap ? cap * 2 : 65536);
        if (!q) {
          free(buf);
          fclose(f);
          return verdict_errf(err, errlen, "out of memory");
        }
        buf = q;
      }
      k = fread(buf + len, 1, cap - len, f);
      len += k;
      if (k == 0)
        break;
    }
    fclose(f);
    rc = load_list(rb, buf, len, path, list_key, kind, err, errlen);
    free(buf);
    return rc;
  }
}

int rulebook_load(rulebook **out, const char *known_path,
                  const char *quirks_path, char *err, size_t errlen) {
  rulebook *rb = calloc(1, sizeof *rb);
  *out = NULL;
  if (!rb)
    return verdict_errf(err, errlen, "out of memory");
  if (load_source(rb, known_path, known_differences_json,
                  "diff/compare/known_differences.json (built in)",
                  "differences", RULE_KNOWN, err, errlen) != 0 ||
      load_source(rb, quirks_path, peer_quirks_json,
                  "diff/compare/peer_quirks.json (built in)", "quirks",
                  RULE_QUIRK, err, errlen) != 0) {
    rulebook_free(rb);
    return -1;
  }
  *out = rb;
  return 0;
}

size_t rulebook_count(const rulebook *rb) { return rb->n; }
const rule *rulebook_rule(const rulebook *rb, size_t i) {
  return i < rb->n ? &rb->rules[i] : NULL;
}

void rule_input_init(rule_input *in, const char *path, verdict_role role,
                     const char *method, const uint8_t *data, size_t len) {
  memset(in, 0, sizeof *in);
  in->path = path;
  in->role = role;
  in->method = method;
  in->data = data;
  in->len = len;
}

void rule_input_free(rule_input *in) {
  free(in->text);
  free(in->lower);
  in->text = in->lower = NULL;
}

static const char *input_text(rule_input *in) {
  size_t i;
  if (in->text)
    return in->text;
  in->text = malloc(in->len + 1);
  if (!in->text)
    return NULL;
  for (i = 0; i < in->len; i++)
    in->text[i] = in->data[i] ? (char)in->data[i] : '\x01';
  in->text[in->len] = '\0';
  return in->text;
}

static const char *input_lower(rule_input *in) {
  if (in->lower)
    return in->lower;
  if (!input_text(in))
    return NULL;
  in->lower = strdup(in->text);
  if (in->lower)
    lower_ascii(in->lower);
  return in->lower;
}

static bool has_str(const char **list, size_t n, const char *s) {
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return true;
  return false;
}

static bool path_listed(const rule *r, const char *path) {
  size_t i, plen;
  if (!path)
    return false;
  plen = strlen(path);
  for (i = 0; i < r->ninputs; i++) {
    size_t elen = strlen(r->inputs[i]);
    if (strcmp(path, r->inputs[i]) == 0)
      return true;
    if (plen > elen && path[plen - elen - 1] == '/' &&
        strcmp(path + plen - elen, r->inputs[i]) == 0)
      return true;
  }
  return false;
}

static int hexdig(uint8_t c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Whether the first head (up to its first empty line) has a field line
 * named name (lower case; the name runs up to the colon, no whitespace). */
static bool first_head_has(const uint8_t *d, size_t len, const char *name) {
  size_t pos = 0, n = strlen(name);
  while (pos < len && d[pos] != '\n') /* the start line */
    pos++;
  while (pos < len) {
    size_t i;
    pos++; /* past the LF */
    if (pos >= len || d[pos] == '\n' ||
        (d[pos] == '\r' && pos + 1 < len && d[pos + 1] == '\n'))
      return false; /* the empty line */
    for (i = 0; i < n && pos + i < len; i++) {
      uint8_t c = d[pos + i];
      if (c >= 'A' && c <= 'Z')
        c = (uint8_t)(c + 32);
      if (c != (uint8_t)name[i])
        break;
    }
    if (i == n && pos + n < len && d[pos + n] == ':')
      return true;
    while (pos < len && d[pos] != '\n')
      pos++;
  }
  return false;
}

/* Walks the first chunked body (after the first empty line): true if some
 * chunk's data is followed by anything but CRLF. */
static bool chunk_data_end_not_crlf(const uint8_t *d, size_t len) {
  size_t pos = 0;
  while (pos + 1 < len &&
         !(d[pos] == '\n' &&
           (d[pos + 1] == '\n' ||
            (d[pos + 1] == '\r' && pos + 2 < len && d[pos + 2] == '\n'))))
    pos++;
  if (pos + 1 >= len)
    return false;
  pos += d[pos + 1] == '\n' ? 2 : 3;
  for (;;) {
    uint64_t size = 0;
    int digits = 0, h;
    while (pos < len && (h = hexdig(d[pos])) >= 0) {
      if (++digits > 15)
        return false;
      size = size * 16 + (uint64_t)h;
      pos++;
    }
    if (digits == 0 || size == 0)
      return false;
    while (pos < len && d[pos] != '\n')
      pos++;
    if (pos >= len)
      return false;
    pos++;
    if (size > len - pos || len - pos - size < 2)
      return false;
    pos += size;
    if (d[pos] != '\r' || d[pos + 1] != '\n')
      return true;
    pos += 2;
  }
}

static bool pred_holds(const pred *p, rule_input *in, const verdict *self,
                       const verdict *other) {
  size_t i;
  switch (p->type) {
  case P_HAS:
  case P_HAS_ANY:
  case P_LACKS: {
    const char *lo = input_lower(in);
    size_t hits = 0;
    if (!lo)
      return false;
    for (i = 0; i < p->nstrs; i++)
      if (strstr(lo, p->strs[i]))
        hits++;
    if (p->type == P_HAS)
      return hits == p->nstrs;
    if (p->type == P_HAS_ANY)
      return hits > 0;
    return hits == 0;
  }
  case P_REGEX:
  case P_NOT_REGEX: {
    const char *t = input_text(in);
    bool m;
    if (!t)
      return false;
    m = regexec(&p->re, t, 0, NULL, 0) == 0;
    return p->type == P_REGEX ? m : !m;
  }
  case P_FIRST_HEAD_HAS:
    return first_head_has(in->data, in->len, p->strs[0]);
  case P_FIRST_HEAD_LACKS:
    return !first_head_has(in->data, in->len, p->strs[0]);
  case P_CHUNK_DATA_END:
    return chunk_data_end_not_crlf(in->data, in->len) == (p->n != 0);
  case P_SELF_OUTCOME:
    return (p->outcomes >> self->outcome) & 1u;
  case P_OTHER_OUTCOME:
    return (p->outcomes >> other->outcome) & 1u;
  case P_SELF_HINT:
    return self->outcome == VERDICT_ERROR && self->error_status_hint == p->n;
  case P_OTHER_HINT:
    return other->outcome == VERDICT_ERROR && other->error_status_hint == p->n;
  case P_MORE_MESSAGES:
    return p->n ? other->nmessages > self->nmessages
                : self->nmessages > other->nmessages;
  case P_SELF_MESSAGES:
    return (long long)self->nmessages == p->n;
  case P_OTHER_MESSAGES:
    return (long long)other->nmessages == p->n;
  case P_METHOD: {
    const char *m = in->method ? in->method : "GET";
    return has_str((const char **)p->strs, p->nstrs, m);
  }
  case P_MIN_LENGTH:
    return (long long)in->len >= p->n;
  }
  return false;
}

/* Does r explain d, with self/other as given? */
static bool rule_applies(const rule *r, rule_input *in, const verdict *self,
                         const verdict *other, const diff_result *d) {
  size_t i;
  if (!((r->classes >> d->cls) & 1u))
    return false;
  if (!((r->roles >> in->role) & 1u))
    return false;
  if (path_listed(r, in->path))
    return true;
  if (!r->has_match)
    return false;
  for (i = 0; i < r->npreds; i++)
    if (!pred_holds(&r->preds[i], in, self, other))
      return false;
  return true;
}

const rule *rulebook_explain(const rulebook *rb, rule_input *in, const char *a,
                             const verdict *va, const char *b,
                             const verdict *vb, const diff_result *d) {
  size_t i;
  if (!rb || d->cls == DIFF_NONE)
    return NULL;
  for (i = 0; i < rb->n; i++) {
    const rule *r = &rb->rules[i];
    const char **impls = (const char **)r->impls;
    const char **against = (const char **)r->against;
    bool a_self = has_str(impls, r->nimpls, a) &&
                  !has_str(impls, r->nimpls, b) &&
                  (r->nagainst == 0 || has_str(against, r->nagainst, b));
    bool b_self = has_str(impls, r->nimpls, b) &&
                  !has_str(impls, r->nimpls, a) &&
                  (r->nagainst == 0 || has_str(against, r->nagainst, a));
    if (a_self && rule_applies(r, in, va, vb, d))
      return r;
    if (b_self && rule_applies(r, in, vb, va, d))
      return r;
  }
  return NULL;
}

rule_kind rule_get_kind(const rule *r) { return r->kind; }
const char *rule_id(const rule *r) { return r->id; }
const char *rule_summary(const rule *r) { return r->summary ? r->summary : ""; }
const char *rule_why(const rule *r) { return r->why ? r->why : ""; }
const char *rule_rfc(const rule *r) { return r->rfc; }
const char *rule_risk(const rule *r) { return r->risk; }
const char *rule_kind_label(const rule *r) {
  return r->kind == RULE_KNOWN ? "known difference" : "expected quirk";
}
