/*
 * Reading a canonical verdict back from its JSON form (the h11py worker's
 * output, saved reports).
 */
#ifndef H11C_DIFF_VERDICT_PARSE_H
#define H11C_DIFF_VERDICT_PARSE_H

#include "diff/model/json_read.h"
#include "diff/model/verdict.h"

/* Fills *out (initialised here; free it with verdict_free() either way)
 * from a parsed verdict object.  0, or -1 with a message in err. */
int verdict_from_jv(const jv *j, verdict *out, char *err, size_t errlen);

/* The same from JSON text. */
int verdict_from_json(const char *text, size_t len, verdict *out, char *err,
                      size_t errlen);

#endif /* H11C_DIFF_VERDICT_PARSE_H */
