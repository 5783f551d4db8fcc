/*
 * The receive-side targets (fuzz_server, fuzz_client): fuzzer bytes are
 * fed to one connection and driven as diff/model/FORMAT.md describes,
 * once in one piece and once split as the input's split byte says, with
 * properties checked after every call.  See fuzz/README.md for the input
 * layout.
 */
#ifndef H11C_FUZZ_RECEIVE_H
#define H11C_FUZZ_RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include <h11c.h>

/* Runs one input; our_role is the role of the connection under test
 * (H11C_SERVER reads requests).  Aborts on a property violation. */
void fuzz_receive(h11c_role our_role, const uint8_t *data, size_t size);

#endif /* H11C_FUZZ_RECEIVE_H */
