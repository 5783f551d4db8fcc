/*
 * Reports of the differential harness: a terminal table (the matrix of
 * disagreement counts, oracle by oracle, then each disagreeing input with
 * its bytes escaped and every oracle's reading side by side), a JSON
 * report, and a Markdown report to paste into a bug report.
 *
 * Inputs are ranked by their most severe disagreement that nothing
 * explains (framing with both sides accepting first: the smuggling
 * candidates), then by their most severe disagreement.  Explained ones are
 * shown with their explanation, never left out.
 */
#ifndef H11C_DIFF_REPORT_H
#define H11C_DIFF_REPORT_H

#include <stdio.h>

#include "diff/compare/engine.h"
#include "diff/model/corpus.h"

typedef struct report {
  const engine *e;
  const corpus *c;
  engine_result *res; /* c->n results */
  double seconds;     /* wall time of the run */
  size_t top;         /* terminal: inputs listed (0: all) */
  /* Minimised inputs, per input (NULL where none): shown when set. */
  uint8_t **min_data;
  size_t *min_len;
  const char **min_pair; /* "h11c~llhttp" */
} report;

void report_terminal(FILE *f, const report *r);
/* 0, or -1 if the file cannot be written. */
int report_json(const char *path, const report *r);
int report_markdown(const char *path, const report *r);

/* The order in which inputs are listed: a malloc'd array of the indices of
 * the inputs with a disagreement or a failed run, most severe first; its
 * length goes to *n. */
size_t *report_order(const report *r, size_t *n);

/* A one-line summary of a verdict ("closed | #0 POST / 1.1 body=5
 * end=52 | ..."). */
void report_reading(const verdict *v, char *buf, size_t len);

#endif /* H11C_DIFF_REPORT_H */
