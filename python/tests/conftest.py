import sys

import pytest

import h11


def pytest_configure(config):
    if not hasattr(h11, "h11c_version"):
        raise pytest.UsageError(
            "h11 must be the binding: run under tools/h11c-as-h11 (python/tests/run.sh)")
