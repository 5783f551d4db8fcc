/*
 * The oracles of the differential harness: every implementation adapter
 * that speaks the canonical verdict, by the name `--impl` takes.
 */
#ifndef H11C_DIFF_ORACLES_H
#define H11C_DIFF_ORACLES_H

#include <stdbool.h>
#include <stddef.h>

#include "diff/model/verdict.h"

typedef struct oracle {
  const char *name;
  verdict_impl_fn fn;
  /* Runs inside this process (h11py runs in worker processes). */
  bool in_process;
  /* Its error status hints are its own (llhttp and http_parser always say
     400), so status-hint differences with it are worth reporting. */
  bool status_hints;
  const char *about;
} oracle;

extern const oracle oracle_list[];
extern const size_t oracle_count;

/* By name, or NULL. */
const oracle *oracle_find(const char *name);
/* Index in oracle_list, or -1. */
int oracle_index(const char *name);

#endif /* H11C_DIFF_ORACLES_H */
