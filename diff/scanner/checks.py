"""The scanner tests' check log: "ok NAME" or "FAIL NAME ...", and the
closing "N passed, N failed" line that tools/test.sh adds up."""

import sys


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, name, cond, info=""):
        if cond:
            self.passed += 1
            print("ok " + name)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, info))

    def finish(self):
        """Prints the closing line; returns the exit status."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.stdout.flush()
        return 1 if self.failed else 0
