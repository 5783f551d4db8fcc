#include "diff/oracles/oracles.h"

#include <string.h>

#include "diff/oracles/adapters.h"
#include "diff/oracles/h11py.h"

const oracle oracle_list[] = {
    {"h11c", verdict_h11c, true, true, "h11c (this library)"},
    {"h11py", verdict_h11py, false, true,
     "Python h11 (Debian's python3-h11) in worker processes"},
    {"llhttp", verdict_llhttp, true, false,
     "llhttp 8.1.0, default flags (Node.js)"},
    {"llhttp-lenient", verdict_llhttp_lenient, true, false,
     "llhttp 8.1.0 with every lenient flag set"},
    {"http_parser", verdict_http_parser, true, false, "http_parser 2.9.4"},
};

const size_t oracle_count = sizeof oracle_list / sizeof oracle_list[0];

int oracle_index(const char *name) {
  size_t i;
  for (i = 0; i < oracle_count; i++)
    if (strcmp(oracle_list[i].name, name) == 0)
      return (int)i;
  return -1;
}

const oracle *oracle_find(const char *name) {
  int i = oracle_index(name);
  return i < 0 ? NULL : &oracle_list[i];
}
