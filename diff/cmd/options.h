/*
 * Command-line options from a table.  Each command (diff_main.c,
 * verdict_main.c) describes its options as an array of opt_spec: the
 * name, whether it takes a value (and how that value is read), the field
 * of the command's options struct it sets, and its help text.  One parser
 * reads argv against the table, and the usage text is generated from it.
 *
 * Options are --name VALUE or --name=VALUE; -h and --help ask for the
 * usage; "--" ends the options.
 */
#ifndef H11C_DIFF_CMD_OPTIONS_H
#define H11C_DIFF_CMD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum opt_kind {
  OPT_FLAG,   /* no value: the bool field becomes true */
  OPT_STRING, /* the const char * field points at the value */
  OPT_NUMBER, /* the double field: a number >= 0 (strtod) */
  OPT_SIZE,   /* the size_t field: a decimal integer */
  OPT_HANDLER /* handler(opts, spec, value) does it */
} opt_kind;

typedef struct opt_spec opt_spec;

/* 0, or -1 when the value is bad (the parser says so and fails). */
typedef int (*opt_handler)(void *opts, const opt_spec *spec, const char *val);

struct opt_spec {
  const char *name; /* "--impl" */
  opt_kind kind;
  /* The value's name in the usage text ("LIST"); NULL: no value (OPT_FLAG,
     or an OPT_HANDLER called with NULL). */
  const char *metavar;
  size_t offset; /* offsetof() the field in the options struct */
  opt_handler handler;
  /* Help text; '\n' starts a continuation line.  NULL: not listed (an
     alternative spelling of the option before it). */
  const char *help;
};

typedef struct opt_cmd {
  const char *prog;          /* "diff": prefix of every message */
  const char *synopsis;      /* the usage text before the option list */
  void (*epilogue)(FILE *f); /* prints what follows the list, or NULL */
  const opt_spec *specs;
  size_t nspecs;
  /* Arguments that are not options: true, collected wherever they are;
     false, the first one ends the options. */
  bool interleaved;
} opt_cmd;

enum { OPT_OK = 0, OPT_HELP = 1, OPT_USAGE_ERROR = 2 };

/* Parses argv[1..] into opts.  With cmd->interleaved, the other arguments
 * go to positional[*npositional++] (room for argc entries); otherwise
 * *next is the index of the first argument that is not an option.  Returns
 * OPT_OK, OPT_HELP (usage printed on stdout) or OPT_USAGE_ERROR (a message
 * on stderr). */
int opt_parse(const opt_cmd *cmd, int argc, char **argv, void *opts,
              const char **positional, int *npositional, int *next);

/* A decimal size (what OPT_SIZE reads): true and *out, or false. */
bool opt_read_size(const char *s, size_t *out);

/* The usage text: synopsis, one entry per listed option, epilogue. */
void opt_usage(const opt_cmd *cmd, FILE *f);

#endif /* H11C_DIFF_CMD_OPTIONS_H */
