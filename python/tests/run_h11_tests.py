"""Runs h11's own public-API tests, from where Debian installed them, with
`import h11` resolving to the binding (run it under tools/h11c-as-h11).

Each test known not to pass is listed below with why; it is reported, not
counted.  Ends with "N passed, N failed" (failed: tests that fail and are
not listed, or listed tests that pass now).
"""
import os
import sys
import types

import h11

if not hasattr(h11, "h11c_version"):
    sys.exit("h11 is not the binding: run under tools/h11c-as-h11")

TESTS = "/usr/lib/python3/dist-packages/h11/tests"
FILES = [
    "test_connection.py",
    "test_against_stdlib_http.py",
    "test_events.py",
    "test_helpers.py",
    "test_util.py::test_ProtocolError",
]

# test id -> why it does not pass with the binding.
KNOWN = {
    "test_connection.py::test_errors": "an h11 internal: prints "
    "Connection._cstate.states (h11's ConnectionState object); the states "
    "it checks are the public our_state/their_state, which pass",
}

# h11.tests is Debian's test folder, as a subpackage of the binding.
pkg = types.ModuleType("h11.tests")
pkg.__path__ = [TESTS]
pkg.__file__ = os.path.join(TESTS, "__init__.py")
sys.modules["h11.tests"] = pkg
h11.tests = pkg

import pytest  # noqa: E402


class Collect:
    def __init__(self):
        self.outcomes = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome == "failed":
            if self.outcomes.get(report.nodeid) != "failed":
                self.outcomes[report.nodeid] = report.outcome


def main():
    c = Collect()
    args = ["-q", "-p", "no:cacheprovider", "--rootdir", TESTS]
    args += sys.argv[1:]
    pytest.main(args + [os.path.join(TESTS, f) for f in FILES], plugins=[c])
    passed = failed = 0
    for nodeid, outcome in sorted(c.outcomes.items()):
        name = nodeid.split("/")[-1]
        if name in KNOWN:
            if outcome == "passed":
                print("FAIL %s (listed as not passing, but passes)" % name)
                failed += 1
            else:
                print("KNOWN %s: %s" % (name, KNOWN[name]))
        elif outcome == "passed":
            passed += 1
        elif outcome != "skipped":
            print("FAIL %s" % name)
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
