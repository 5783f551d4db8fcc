/*
 * Target 2, client receive: the input is what a server sent in answer to
 * the requests the client sent, behind a configuration byte, a split byte
 * and a request byte that chooses the requests (HEAD, CONNECT, GET with
 * Upgrade, POST with Expect: 100-continue, ...).  See fuzz/README.md.
 */
#include "fuzz_common.h"
#include "fuzz_receive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_receive(H11C_CLIENT, data, size);
  return 0;
}
