#!/usr/bin/python3
"""Top source lines (self cost) of a callgrind profile.

    cg_hotlines.py PROFILE [N] [PATH_SUBSTRING]

Reads one callgrind output file (e.g. a dump kept by
`bench --callgrind-keep DIR`) and prints the N (default 25) source lines
with the most instructions of their own (calls excluded), with their share
of the profile's total, optionally only those whose file name contains
PATH_SUBSTRING (e.g. "lib/").  Build with -g (bazel run -c opt --copt=-g)
to have line numbers.
"""
import collections
import re
import sys


def parse(path):
    names = {"fl": {}, "fn": {}}
    cost = collections.Counter()   # (file, line) -> Ir
    fcost = collections.Counter()  # (file, function) -> Ir
    total = 0
    cur_file = cur_sub = cur_fn = "?"
    last_line = 0
    skip_next = False
    ref = re.compile(r"^\((\d+)\)(?: (.*))?$")

    def resolve(kind, rest):
        m = ref.match(rest)
        if not m:
            return rest
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), "?")

    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line:
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                pos = parts[0]
                if pos == "*":
                    n = last_line
                elif pos[0] in "+-":
                    n = last_line + int(pos)
                else:
                    n = int(pos)
                last_line = n
                ir = int(parts[1]) if len(parts) > 1 else 0
                if skip_next:  # the inclusive cost of a call
                    skip_next = False
                    continue
                cost[(cur_sub, n)] += ir
                fcost[(cur_sub, cur_fn)] += ir
                total += ir
                continue
            key, _, rest = line.partition("=")
            if key == "fl":
                cur_file = cur_sub = resolve("fl", rest)
            elif key in ("fi", "fe"):
                cur_sub = resolve("fl", rest)
            elif key == "fn":
                cur_fn = resolve("fn", rest)
                cur_sub = cur_file
            elif key in ("cfl", "cfi"):
                resolve("fl", rest)
            elif key == "cfn":
                resolve("fn", rest)
            elif key == "calls":
                skip_next = True
    return cost, fcost, total


def short(path):
    return path.replace("/proc/self/cwd/", "")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    n = int(argv[2]) if len(argv) > 2 else 25
    only = argv[3] if len(argv) > 3 else ""
    cost, fcost, total = parse(argv[1])
    print("total Ir: %d" % total)
    by_fn = collections.Counter()
    fn_files = {}
    for (fl, fn), ir in sorted(fcost.items(), key=lambda kv: kv[1]):
        by_fn[fn] += ir
        if only in fl and "/usr/include" not in fl:
            fn_files[fn] = fl  # the file with the most of its cost
    print("top functions (self, inlined code included):")
    shown = 0
    for fn, ir in by_fn.most_common():
        if only and fn not in fn_files:
            continue
        print("  %6.2f%%  %10d  %s  (%s)" % (100.0 * ir / total, ir, fn,
                                           short(fn_files.get(fn, "?"))))
        shown += 1
        if shown >= n:
            break
    print("top lines (self):")
    shown = 0
    for (fl, ln), ir in cost.most_common():
        if only not in fl:
            continue
        print("  %6.2f%%  %10d  %s:%d" % (100.0 * ir / total, ir, short(fl),
                                         ln))
        shown += 1
        if shown >= n:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
