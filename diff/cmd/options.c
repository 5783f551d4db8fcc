#include "diff/cmd/options.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Column where the help text starts. */
#define HELP_COLUMN 23

void opt_usage(const opt_cmd *cmd, FILE *f) {
  size_t i;
  fputs(cmd->synopsis, f);
  for (i = 0; i < cmd->nspecs; i++) {
    const opt_spec *s = &cmd->specs[i];
    const char *h = s->help;
    int w;
    if (!h)
      continue;
    w = fprintf(f, "  %s%s%s", s->name, s->metavar ? " " : "",
                s->metavar ? s->metavar : "");
    if (w >= HELP_COLUMN - 1) {
      fputc('\n', f);
      w = 0;
    }
    fprintf(f, "%*s", HELP_COLUMN - w, "");
    for (; *h; h++) {
      fputc(*h, f);
      if (*h == '\n')
        fprintf(f, "%*s", HELP_COLUMN, "");
    }
    fputc('\n', f);
  }
  if (cmd->epilogue)
    cmd->epilogue(f);
}

static bool read_number(const char *s, double *out) {
  char *end;
  if (!s || !*s)
    return false;
  errno = 0;
  *out = strtod(s, &end);
  return !errno && !*end && *out >= 0;
}

bool opt_read_size(const char *s, size_t *out) {
  char *end;
  unsigned long long v;
  if (!s || !*s || *s == '-')
    return false;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno || *end || v > SIZE_MAX)
    return false;
  *out = (size_t)v;
  return true;
}

static bool takes_value(const opt_spec *s) {
  return s->kind != OPT_FLAG && s->metavar != NULL;
}

/* The spec that argument a names (a is "--name" or "--name=..."). */
static const opt_spec *find(const opt_cmd *cmd, const char *a) {
  size_t i;
  for (i = 0; i < cmd->nspecs; i++) {
    size_t l = strlen(cmd->specs[i].name);
    if (strncmp(a, cmd->specs[i].name, l) == 0 &&
        (!a[l] || (a[l] == '=' && takes_value(&cmd->specs[i]))))
      return &cmd->specs[i];
  }
  return NULL;
}

static int store(const opt_cmd *cmd, const opt_spec *s, void *opts,
                 const char *val) {
  char *field = (char *)opts + s->offset;
  bool ok = true;
  switch (s->kind) {
  case OPT_FLAG:
    *(bool *)(void *)field = true;
    break;
  case OPT_STRING:
    *(const char **)(void *)field = val;
    break;
  case OPT_NUMBER:
    ok = read_number(val, (double *)(void *)field);
    break;
  case OPT_SIZE:
    ok = opt_read_size(val, (size_t *)(void *)field);
    break;
  case OPT_HANDLER:
    ok = s->handler(opts, s, val) == 0;
    break;
  }
  if (!ok) {
    fprintf(stderr, "%s: bad %s: %s\n", cmd->prog, s->name, val ? val : "");
    return OPT_USAGE_ERROR;
  }
  return OPT_OK;
}

int opt_parse(const opt_cmd *cmd, int argc, char **argv, void *opts,
              const char **positional, int *npositional, int *next) {
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    const opt_spec *s;
    int rc;
    if (strcmp(a, "--") == 0) {
      for (i++; cmd->interleaved && i < argc; i++)
        positional[(*npositional)++] = argv[i];
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      opt_usage(cmd, stdout);
      return OPT_HELP;
    }
    if (a[0] != '-' || a[1] == '\0') {
      if (!cmd->interleaved)
        break;
      positional[(*npositional)++] = a;
      continue;
    }
    s = find(cmd, a);
    if (!s) {
      fprintf(stderr, "%s: unknown option: %s\n", cmd->prog, a);
      opt_usage(cmd, stderr);
      return OPT_USAGE_ERROR;
    }
    if (takes_value(s)) {
      size_t l = strlen(s->name);
      if (a[l] == '=')
        val = a + l + 1;
      else if (i + 1 < argc)
        val = argv[++i];
      else {
        fprintf(stderr, "%s: %s needs a value\n", cmd->prog, s->name);
        return OPT_USAGE_ERROR;
      }
    }
    rc = store(cmd, s, opts, val);
    if (rc != OPT_OK)
      return rc;
  }
  if (next)
    *next = i;
  return OPT_OK;
}
