/*
 * Target 1, server receive: the input is what a client sent (one or more
 * pipelined requests), behind a configuration byte and a split byte.  See
 * fuzz/README.md.
 */
#include "fuzz_common.h"
#include "fuzz_receive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_receive(H11C_SERVER, data, size);
  return 0;
}
