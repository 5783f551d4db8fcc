/*
 * The h11c adapter for the canonical verdict: drives an h11c connection
 * over one input exactly as the verdict specification describes.
 */
#ifndef H11C_DIFF_VERDICT_H11C_H
#define H11C_DIFF_VERDICT_H11C_H

#include "verdict.h"

/* A verdict_impl_fn.  The verdict's impl is "h11c". */
int verdict_h11c(const verdict_params *params, const uint8_t *data, size_t len,
                 verdict *out, char *err, size_t errlen);

#endif /* H11C_DIFF_VERDICT_H11C_H */
