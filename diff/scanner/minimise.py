"""Delta debugging of the scanner's desyncs: the smallest input on which the
same proxy still forwards bytes that the same origin delimits differently
from the proxy.

ddmin (Zeller and Hildebrandt) over lines first, then over bytes, within a
time budget; each test sends a candidate through the live proxy and judges
what it forwarded with the origin (an oracle of the harness, or the real
origin by replay).
"""

import time


def split_lines(data):
    """Lines with their endings (LF-terminated), the last one as is."""
    out, start = [], 0
    while start < len(data):
        j = data.find(b"\n", start)
        end = len(data) if j < 0 else j + 1
        out.append(data[start:end])
        start = end
    return out


def ddmin(units, test, deadline):
    """The smallest sublist of units (found by removing ever smaller
    chunks) on which test(b"".join(sublist)) still holds; stops at
    deadline (time.monotonic())."""
    n = 2
    while len(units) >= 2 and time.monotonic() < deadline:
        size = -(-len(units) // n)
        reduced = False
        for start in range(0, len(units), size):
            rest = units[:start] + units[start + size:]
            if rest and test(b"".join(rest)):
                units = rest
                n = max(n - 1, 2)
                reduced = True
                break
            if time.monotonic() >= deadline:
                return units
        if not reduced:
            if n >= len(units):
                break
            n = min(len(units), n * 2)
    return units


def minimise(data, test, seconds):
    """data reduced by lines, then by bytes, while test holds."""
    deadline = time.monotonic() + seconds
    lines = ddmin(split_lines(data), test, deadline)
    data = b"".join(lines)
    return b"".join(ddmin([data[i:i + 1] for i in range(len(data))], test,
                          deadline))
