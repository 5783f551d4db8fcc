#include "diff/report/report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff/model/json.h"

/* ------------------------------------------------------------------------ */
/* Small text helpers                                                       */
/* ------------------------------------------------------------------------ */

typedef struct tbuf {
  char *p;
  size_t len, cap;
} tbuf;

static void tb_vprintf(tbuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int n;
  va_copy(ap2, ap);
  n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt,
                ap2);
  va_end(ap2);
  if (n < 0)
    return;
  if (!b->p || b->len + (size_t)n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap : 256;
    char *q;
    while (nc < b->len + (size_t)n + 1)
      nc *= 2;
    q = realloc(b->p, nc);
    if (!q)
      return;
    b->p = q;
    b->cap = nc;
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  }
  b->len += (size_t)n;
}

static void tb_printf(tbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tb_vprintf(b, fmt, ap);
  va_end(ap);
}

static void esc_short(const verdict_bytes *b, size_t max, char *out,
                      size_t outlen) {
  diff_escape(b->base, b->len, max, out, outlen);
}

void report_reading(const verdict *v, char *buf, size_t len) {
  tbuf t = {NULL, 0, 0};
  size_t i;
  switch (v->outcome) {
  case VERDICT_ERROR:
    if (v->error_offset_known)
      tb_printf(&t, "error %d at %" PRIu64, v->error_status_hint,
                v->error_offset);
    else
      tb_printf(&t, "error %d", v->error_status_hint);
    break;
  case VERDICT_MUST_CLOSE:
  case VERDICT_SWITCHED:
    tb_printf(&t, "%s leftover=%" PRIu64, verdict_outcome_name(v->outcome),
              v->leftover);
    break;
  default:
    tb_printf(&t, "%s", verdict_outcome_name(v->outcome));
    if (v->leftover)
      tb_printf(&t, " leftover=%" PRIu64, v->leftover);
    break;
  }
  for (i = 0; i < v->nmessages && i < 4; i++) {
    const verdict_message *m = &v->messages[i];
    char a[96], ver[24];
    esc_short(&m->version, 8, ver, sizeof ver);
    if (m->is_response) {
      tb_printf(&t, " | #%zu %d %s", i, m->status, ver);
    } else {
      char meth[40];
      esc_short(&m->method, 16, meth, sizeof meth);
      esc_short(&m->target, 24, a, sizeof a);
      tb_printf(&t, " | #%zu %s %s %s", i, meth, a, ver);
    }
    tb_printf(&t, " body=%zu", m->body.len);
    if (m->trailers.len)
      tb_printf(&t, " trailers=%zu", m->trailers.len);
    if (m->complete)
      tb_printf(&t, " end=%" PRIu64, m->end);
    else
      tb_printf(&t, " (not complete)");
  }
  if (v->nmessages > 4)
    tb_printf(&t, " | ... %zu messages", v->nmessages);
  snprintf(buf, len, "%s", t.p ? t.p : "");
  free(t.p);
}

/* ------------------------------------------------------------------------ */
/* Ordering and counting                                                    */
/* ------------------------------------------------------------------------ */

static const report *sort_ctx;

static int cmp_inputs(const void *x, const void *y) {
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  const engine_result *ra = &sort_ctx->res[a], *rb = &sort_ctx->res[b];
  if (ra->failed != rb->failed)
    return ra->failed ? -1 : 1;
  if (ra->worst_unexplained != rb->worst_unexplained)
    return rb->worst_unexplained - ra->worst_unexplained;
  if (ra->worst != rb->worst)
    return rb->worst - ra->worst;
  return a < b ? -1 : a > b;
}

size_t *report_order(const report *r, size_t *n) {
  size_t i, k = 0;
  size_t *idx = malloc((r->c->n ? r->c->n : 1) * sizeof *idx);
  if (!idx) {
    *n = 0;
    return NULL;
  }
  for (i = 0; i < r->c->n; i++)
    if (r->res[i].npairs || r->res[i].failed)
      idx[k++] = i;
  sort_ctx = r;
  qsort(idx, k, sizeof *idx, cmp_inputs);
  sort_ctx = NULL;
  *n = k;
  return idx;
}

typedef struct counts {
  size_t total[ENGINE_MAX_ORACLES][ENGINE_MAX_ORACLES];
  size_t unexpl[ENGINE_MAX_ORACLES][ENGINE_MAX_ORACLES];
  size_t by_rank[6], by_rank_unexpl[6];
  size_t inputs_with, inputs_unexpl, failed, server, client;
} counts;

static void count(const report *r, counts *c) {
  size_t i, j;
  memset(c, 0, sizeof *c);
  for (i = 0; i < r->c->n; i++) {
    const engine_result *res = &r->res[i];
    if (r->c->items[i].role == VERDICT_SERVER)
      c->server++;
    else
      c->client++;
    if (res->failed)
      c->failed++;
    if (res->npairs)
      c->inputs_with++;
    if (res->worst_unexplained)
      c->inputs_unexpl++;
    for (j = 0; j < res->npairs; j++) {
      const engine_pair *p = &res->pairs[j];
      int rank = diff_rank(&p->d);
      c->total[p->a][p->b]++;
      c->total[p->b][p->a]++;
      c->by_rank[rank]++;
      if (!p->why) {
        c->unexpl[p->a][p->b]++;
        c->unexpl[p->b][p->a]++;
        c->by_rank_unexpl[rank]++;
      }
    }
  }
}

static const char *rank_label[6] = {"none",           "status",
                                    "interpretation", "acceptance",
                                    "framing",        "framing, both accept"};

/* ------------------------------------------------------------------------ */
/* Terminal                                                                 */
/* ------------------------------------------------------------------------ */

static void print_bytes_block(FILE *f, const uint8_t *data, size_t len,
                              const char *indent) {
  size_t i = 0, lines = 0;
  char buf[1024];
  while (i < len && lines < 40) {
    size_t j = i;
    while (j < len && data[j] != '\n' && j - i < 120)
      j++;
    if (j < len && data[j] == '\n')
      j++;
    diff_escape(data + i, j - i, j - i, buf, sizeof buf);
    fprintf(f, "%s%s\n", indent, buf);
    i = j;
    lines++;
  }
  if (i < len)
    fprintf(f, "%s...(+%zu bytes)\n", indent, len - i);
  if (len == 0)
    fprintf(f, "%s(empty)\n", indent);
}

static void print_explanation(FILE *f, const engine_pair *p) {
  if (!p->why) {
    fprintf(f, "        NOT EXPLAINED\n");
    return;
  }
  fprintf(f, "        %s %s", rule_kind_label(p->why), rule_id(p->why));
  if (rule_risk(p->why))
    fprintf(f, " (risk: %s)", rule_risk(p->why));
  fprintf(f, ": %s",
          rule_why(p->why)[0] ? rule_why(p->why) : rule_summary(p->why));
  if (rule_rfc(p->why))
    fprintf(f, " (%s)", rule_rfc(p->why));
  fprintf(f, "\n");
}

void report_terminal(FILE *f, const report *r) {
  const engine *e = r->e;
  counts c;
  size_t *order, norder, i, shown;
  int a, b, w = 8;
  char reading[1024];

  count(r, &c);
  fprintf(f,
          "Differential run: %zu inputs (%zu server, %zu client) through %d "
          "oracles",
          r->c->n, c.server, c.client, e->n);
  if (r->seconds > 0)
    fprintf(f, " in %.2f s (%.0f inputs/s)", r->seconds,
            (double)r->c->n / r->seconds);
  fprintf(f, "\n  oracles:");
  for (a = 0; a < e->n; a++) {
    fprintf(f, " %s", engine_name(e, a));
    if (a == e->h11py_slot && e->pool)
      fprintf(f, " (%s, %d worker%s)", h11py_pool_python(e->pool),
              h11py_pool_size(e->pool),
              h11py_pool_size(e->pool) > 1 ? "s" : "");
    if (a + 1 < e->n)
      fprintf(f, ",");
  }
  fprintf(f,
          "\n  %zu inputs with a disagreement, %zu with one that no known "
          "difference or expected quirk explains",
          c.inputs_with, c.inputs_unexpl);
  if (c.failed)
    fprintf(f, "; %zu with a failed run", c.failed);
  fprintf(f, "\n\n");

  for (a = 0; a < e->n; a++)
    if ((int)strlen(engine_name(e, a)) > w)
      w = (int)strlen(engine_name(e, a));
  fprintf(f, "Disagreement matrix: inputs on which two oracles disagree "
             "(in brackets: not explained)\n");
  fprintf(f, "  %-*s", w, "");
  for (b = 0; b < e->n; b++)
    fprintf(f, " %*s", w + 1, engine_name(e, b));
  fprintf(f, "\n");
  for (a = 0; a < e->n; a++) {
    fprintf(f, "  %-*s", w, engine_name(e, a));
    for (b = 0; b < e->n; b++) {
      char cell[48];
      if (a == b)
        snprintf(cell, sizeof cell, "-");
      else
        snprintf(cell, sizeof cell, "%zu (%zu)", c.total[a][b], c.unexpl[a][b]);
      fprintf(f, " %*s", w + 1, cell);
    }
    fprintf(f, "\n");
  }
  fprintf(f, "\nDisagreeing pairs by class (not explained):");
  for (a = 5; a >= 1; a--)
    fprintf(f, "%s %s %zu (%zu)", a == 5 ? "" : ",", rank_label[a],
            c.by_rank[a], c.by_rank_unexpl[a]);
  fprintf(f, "\n");

  order = report_order(r, &norder);
  shown = r->top && r->top < norder ? r->top : norder;
  if (norder)
    fprintf(f, "\nTop disagreements (%zu of %zu inputs, most severe first):\n",
            shown, norder);
  for (i = 0; i < shown; i++) {
    size_t k = order[i], j;
    const corpus_input *in = &r->c->items[k];
    const engine_result *res = &r->res[k];
    const char *label = "run failed";
    for (j = 0; j < res->npairs; j++)
      if (diff_rank(&res->pairs[j].d) == res->worst) {
        label = diff_class_label(&res->pairs[j].d);
        break;
      }
    fprintf(f, "\n[%zu] %s %s", i + 1, verdict_role_name(in->role), in->path);
    if (in->role == VERDICT_CLIENT)
      fprintf(f, " (answering %s)", in->method[0] ? in->method : "GET");
    fprintf(f, ": %s%s\n", label,
            res->worst_unexplained ? ", not explained" : "");
    fprintf(f, "    bytes (%zu):\n", in->len);
    print_bytes_block(f, in->data, in->len, "      ");
    for (a = 0; a < e->n; a++) {
      if (res->rc[a] != 0)
        snprintf(reading, sizeof reading, "RUN FAILED: %s", res->err[a]);
      else
        report_reading(&res->v[a], reading, sizeof reading);
      fprintf(f, "    %-*s %s\n", w, engine_name(e, a), reading);
    }
    for (j = 0; j < res->npairs; j++) {
      const engine_pair *p = &res->pairs[j];
      fprintf(f, "      %s ~ %s: %s: %s\n", engine_name(e, p->a),
              engine_name(e, p->b), diff_class_label(&p->d), p->d.detail);
      print_explanation(f, p);
    }
    if (r->min_data && r->min_data[k]) {
      fprintf(f, "    minimised for %s (%zu bytes):\n", r->min_pair[k],
              r->min_len[k]);
      print_bytes_block(f, r->min_data[k], r->min_len[k], "      ");
    }
  }
  if (shown < norder)
    fprintf(f, "\n... %zu more inputs with disagreements (--top 0 lists all)\n",
            norder - shown);
  free(order);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */
/* ------------------------------------------------------------------------ */

static void json_rule(json_writer *w, const rule *why) {
  if (!why) {
    json_null(w);
    return;
  }
  json_begin_object(w);
  json_key(w, "kind");
  json_cstr(w, rule_get_kind(why) == RULE_KNOWN ? "known-difference"
                                                : "peer-quirk");
  json_key(w, "id");
  json_cstr(w, rule_id(why));
  json_key(w, "summary");
  json_cstr(w, rule_summary(why));
  json_key(w, "why");
  json_cstr(w, rule_why(why));
  json_key(w, "rfc");
  if (rule_rfc(why))
    json_cstr(w, rule_rfc(why));
  else
    json_null(w);
  json_key(w, "risk");
  if (rule_risk(why))
    json_cstr(w, rule_risk(why));
  else
    json_null(w);
  json_end_object(w);
}

int report_json(const char *path, const report *r) {
  const engine *e = r->e;
  json_writer w;
  counts c;
  size_t *order, norder, i, j;
  int a, b, k;
  FILE *f;
  count(r, &c);
  json_writer_init(&w);
  json_begin_object(&w);
  json_key(&w, "format");
  json_cstr(&w, "h11c-diff-report-1");
  json_key(&w, "oracles");
  json_begin_array(&w);
  for (a = 0; a < e->n; a++)
    json_cstr(&w, engine_name(e, a));
  json_end_array(&w);
  json_key(&w, "inputs");
  json_uint(&w, r->c->n);
  json_key(&w, "server_inputs");
  json_uint(&w, c.server);
  json_key(&w, "client_inputs");
  json_uint(&w, c.client);
  json_key(&w, "seconds");
  json_int(&w, (long long)(r->seconds * 1000));
  json_key(&w, "inputs_with_disagreement");
  json_uint(&w, c.inputs_with);
  json_key(&w, "inputs_with_unexplained_disagreement");
  json_uint(&w, c.inputs_unexpl);
  json_key(&w, "matrix");
  json_begin_object(&w);
  for (a = 0; a < e->n; a++) {
    json_key(&w, engine_name(e, a));
    json_begin_object(&w);
    for (b = 0; b < e->n; b++) {
      if (a == b)
        continue;
      json_key(&w, engine_name(e, b));
      json_begin_object(&w);
      json_key(&w, "disagree");
      json_uint(&w, c.total[a][b]);
      json_key(&w, "unexplained");
      json_uint(&w, c.unexpl[a][b]);
      json_end_object(&w);
    }
    json_end_object(&w);
  }
  json_end_object(&w);
  json_key(&w, "pairs_by_class");
  json_begin_object(&w);
  for (k = 5; k >= 1; k--) {
    json_key(&w, rank_label[k]);
    json_begin_object(&w);
    json_key(&w, "pairs");
    json_uint(&w, c.by_rank[k]);
    json_key(&w, "unexplained");
    json_uint(&w, c.by_rank_unexpl[k]);
    json_end_object(&w);
  }
  json_end_object(&w);
  json_key(&w, "disagreements");
  json_begin_array(&w);
  order = report_order(r, &norder);
  for (i = 0; i < norder; i++) {
    size_t x = order[i];
    const corpus_input *in = &r->c->items[x];
    const engine_result *res = &r->res[x];
    json_begin_object(&w);
    json_key(&w, "input");
    json_cstr(&w, in->path);
    json_key(&w, "role");
    json_cstr(&w, verdict_role_name(in->role));
    if (in->role == VERDICT_CLIENT) {
      json_key(&w, "method");
      json_cstr(&w, in->method[0] ? in->method : "GET");
    }
    json_key(&w, "bytes");
    json_latin1(&w, in->data, in->len);
    json_key(&w, "pairs");
    json_begin_array(&w);
    for (j = 0; j < res->npairs; j++) {
      const engine_pair *p = &res->pairs[j];
      json_begin_object(&w);
      json_key(&w, "a");
      json_cstr(&w, engine_name(e, p->a));
      json_key(&w, "b");
      json_cstr(&w, engine_name(e, p->b));
      json_key(&w, "class");
      json_cstr(&w, diff_class_name(p->d.cls));
      json_key(&w, "both_accept");
      json_bool(&w, p->d.both_accept);
      json_key(&w, "message");
      json_int(&w, p->d.msg);
      json_key(&w, "detail");
      json_cstr(&w, p->d.detail);
      json_key(&w, "explained_by");
      json_rule(&w, p->why);
      json_end_object(&w);
    }
    json_end_array(&w);
    json_key(&w, "verdicts");
    json_begin_object(&w);
    for (a = 0; a < e->n; a++) {
      json_key(&w, engine_name(e, a));
      if (res->rc[a] != 0) {
        json_begin_object(&w);
        json_key(&w, "run_failed");
        json_cstr(&w, res->err[a]);
        json_end_object(&w);
      } else {
        verdict_to_json(&res->v[a], &w);
      }
    }
    json_end_object(&w);
    if (r->min_data && r->min_data[x]) {
      json_key(&w, "minimised");
      json_begin_object(&w);
      json_key(&w, "pair");
      json_cstr(&w, r->min_pair[x]);
      json_key(&w, "bytes");
      json_latin1(&w, r->min_data[x], r->min_len[x]);
      json_end_object(&w);
    }
    json_end_object(&w);
  }
  free(order);
  json_end_array(&w);
  json_end_object(&w);
  if (!json_writer_ok(&w)) {
    json_writer_free(&w);
    return -1;
  }
  f = fopen(path, "wb");
  if (!f) {
    json_writer_free(&w);
    return -1;
  }
  fwrite(json_writer_str(&w), 1, json_writer_len(&w), f);
  fputc('\n', f);
  json_writer_free(&w);
  return fclose(f) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Markdown                                                                 */
/* ------------------------------------------------------------------------ */

/* Text for a table cell: '|' escaped, backticks dropped into a code span
 * only when there are none. */
static void md_cell(FILE *f, const char *s) {
  bool tick = strchr(s, '`') != NULL;
  if (!tick)
    fputc('`', f);
  for (; *s; s++) {
    if (*s == '|')
      fputs("\\|", f);
    else
      fputc(*s, f);
  }
  if (!tick)
    fputc('`', f);
}

static void md_bytes(FILE *f, const uint8_t *data, size_t len) {
  fputs("````text\n", f);
  print_bytes_block(f, data, len, "");
  fputs("````\n", f);
}

int report_markdown(const char *path, const report *r) {
  const engine *e = r->e;
  counts c;
  size_t *order, norder, i, j;
  int a, b, k;
  char reading[1024];
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  count(r, &c);
  fprintf(f, "# Differential report\n\n");
  fprintf(f, "%zu inputs (%zu server, %zu client) through ", r->c->n, c.server,
          c.client);
  for (a = 0; a < e->n; a++)
    fprintf(f, "%s`%s`", a ? (a + 1 == e->n ? " and " : ", ") : "",
            engine_name(e, a));
  fprintf(f,
          ". %zu inputs show a disagreement; on %zu of them, one that no "
          "known difference or expected quirk explains.\n\n",
          c.inputs_with, c.inputs_unexpl);
  fprintf(f, "## Disagreement matrix\n\nInputs on which the two oracles "
             "disagree (in brackets: not explained).\n\n|  |");
  for (b = 0; b < e->n; b++)
    fprintf(f, " %s |", engine_name(e, b));
  fprintf(f, "\n|---|");
  for (b = 0; b < e->n; b++)
    fprintf(f, "---:|");
  fprintf(f, "\n");
  for (a = 0; a < e->n; a++) {
    fprintf(f, "| **%s** |", engine_name(e, a));
    for (b = 0; b < e->n; b++) {
      if (a == b)
        fprintf(f, " - |");
      else
        fprintf(f, " %zu (%zu) |", c.total[a][b], c.unexpl[a][b]);
    }
    fprintf(f, "\n");
  }
  fprintf(f, "\n## Disagreeing pairs by class\n\n| class | pairs | not "
             "explained |\n|---|---:|---:|\n");
  for (k = 5; k >= 1; k--)
    fprintf(f, "| %s | %zu | %zu |\n", rank_label[k], c.by_rank[k],
            c.by_rank_unexpl[k]);
  order = report_order(r, &norder);
  if (norder)
    fprintf(f, "\n## Disagreements\n\nMost severe first: framing "
               "disagreements where both sides accept are the "
               "request-smuggling candidates.\n");
  for (i = 0; i < norder; i++) {
    size_t x = order[i];
    const corpus_input *in = &r->c->items[x];
    const engine_result *res = &r->res[x];
    const char *label = "run failed";
    for (j = 0; j < res->npairs; j++)
      if (diff_rank(&res->pairs[j].d) == res->worst) {
        label = diff_class_label(&res->pairs[j].d);
        break;
      }
    fprintf(f, "\n### %zu. `%s` (%s", i + 1, in->path,
            verdict_role_name(in->role));
    if (in->role == VERDICT_CLIENT)
      fprintf(f, ", answering %s", in->method[0] ? in->method : "GET");
    fprintf(f, "): %s%s\n\n", label,
            res->worst_unexplained ? ", not explained" : "");
    fprintf(f, "%zu bytes, escaped (one line per input line):\n\n", in->len);
    md_bytes(f, in->data, in->len);
    fprintf(f, "\n| oracle | reading |\n|---|---|\n");
    for (a = 0; a < e->n; a++) {
      if (res->rc[a] != 0)
        snprintf(reading, sizeof reading, "RUN FAILED: %s", res->err[a]);
      else
        report_reading(&res->v[a], reading, sizeof reading);
      fprintf(f, "| %s | ", engine_name(e, a));
      md_cell(f, reading);
      fprintf(f, " |\n");
    }
    fprintf(f, "\n");
    for (j = 0; j < res->npairs; j++) {
      const engine_pair *p = &res->pairs[j];
      fprintf(f, "- **%s ~ %s**: %s; %s. ", engine_name(e, p->a),
              engine_name(e, p->b), diff_class_label(&p->d), p->d.detail);
      if (p->why) {
        fprintf(f, "%s `%s`", rule_kind_label(p->why), rule_id(p->why));
        if (rule_risk(p->why))
          fprintf(f, " (risk: %s)", rule_risk(p->why));
        fprintf(f, ": %s",
                rule_why(p->why)[0] ? rule_why(p->why) : rule_summary(p->why));
        if (rule_rfc(p->why))
          fprintf(f, " (%s)", rule_rfc(p->why));
        fprintf(f, "\n");
      } else {
        fprintf(f, "**Not explained.**\n");
      }
    }
    if (r->min_data && r->min_data[x]) {
      fprintf(f, "\nMinimised for %s (%zu bytes):\n\n", r->min_pair[x],
              r->min_len[x]);
      md_bytes(f, r->min_data[x], r->min_len[x]);
    }
  }
  free(order);
  return fclose(f) == 0 ? 0 : -1;
}
