#!/usr/bin/env python3
"""Offline stand-in for Bazel's coverage output generator (LcovMerger).

Bazel runs this tool in two roles, with the same flags as the Java original:

* after each test under `bazel coverage`, as the lcov merger:
    --coverage_dir=DIR --output_file=FILE [--filter_sources=REGEX ...]
    [--source_file_manifest=FILE]
  DIR holds what tools/test/collect_cc_coverage.sh left there: gcov JSON
  reports (*.gcov.json.gz, gcc >= 9), gcov intermediate text (*.gcov, older
  gcc) or lcov tracefiles (*.dat, e.g. from llvm-cov export).

* once per run with --combined_report=lcov, as the report generator:
    --reports_file=FILE --output_file=FILE
  FILE lists the per-test lcov files to merge, one path a line.

The output is one lcov tracefile with line, function and branch records;
counts for the same source are added up.  Only the Python 3 standard library
is used.
"""

import argparse
import gzip
import json
import os
import re
import sys


class SourceFile:
    def __init__(self):
        self.lines = {}  # line -> count
        self.functions = {}  # name -> [start line, count]
        self.branches = {}  # (line, block, branch) -> count or None ('-')

    def add_line(self, line, count):
        self.lines[line] = self.lines.get(line, 0) + count

    def add_function(self, name, line, count):
        entry = self.functions.setdefault(name, [line, 0])
        if line and not entry[0]:
            entry[0] = line
        entry[1] += count

    def add_branch(self, key, count):
        old = self.branches.get(key)
        if count is None:
            self.branches.setdefault(key, None)
        else:
            self.branches[key] = (old or 0) + count


class Coverage:
    def __init__(self):
        self.files = {}

    def source(self, path):
        path = normalize(path)
        return self.files.setdefault(path, SourceFile())


def normalize(path):
    for prefix in ("/proc/self/cwd/", "./"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return path


def parse_gcov_json(path, cov):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        doc = json.load(f)
    for entry in doc.get("files", []):
        src = cov.source(entry["file"])
        for fn in entry.get("functions", []):
            name = fn.get("demangled_name") or fn.get("name")
            src.add_function(name, fn.get("start_line", 0),
                             fn.get("execution_count", 0))
        for ln in entry.get("lines", []):
            number = ln["line_number"]
            src.add_line(number, ln.get("count", 0))
            for i, br in enumerate(ln.get("branches", [])):
                src.add_branch((number, 0, i), br.get("count", 0))


def parse_gcov_text(path, cov):
    """gcov -i intermediate text format (gcc 4.9 to 8)."""
    src = None
    branch_index = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            kind, _, value = raw.strip().partition(":")
            if kind == "file":
                src = cov.source(value)
                branch_index = {}
            elif src is None:
                continue
            elif kind == "function":
                parts = value.split(",")
                # gcc 8: start,end,count,name; older: start,count,name.
                count = int(parts[-2])
                src.add_function(parts[-1], int(parts[0]), count)
            elif kind == "lcount":
                parts = value.split(",")
                src.add_line(int(parts[0]), int(parts[1]))
            elif kind == "branch":
                line, state = value.split(",")[:2]
                line = int(line)
                index = branch_index.get(line, 0)
                branch_index[line] = index + 1
                taken = {"taken": 1, "nottaken": 0}.get(state)
                src.add_branch((line, 0, index), taken)


def parse_lcov(path, cov):
    src = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.strip()
            kind, _, value = line.partition(":")
            if kind == "SF":
                src = cov.source(value)
                fn_lines = {}
            elif src is None:
                continue
            elif kind == "FN":
                number, _, name = value.partition(",")
                fn_lines[name] = int(number)
                src.add_function(name, int(number), 0)
            elif kind == "FNDA":
                count, _, name = value.partition(",")
                src.add_function(name, fn_lines.get(name, 0), int(count))
            elif kind == "DA":
                parts = value.split(",")
                src.add_line(int(parts[0]), int(parts[1]))
            elif kind == "BRDA":
                number, block, branch, taken = value.split(",")[:4]
                count = None if taken == "-" else int(taken)
                src.add_branch((int(number), block, branch), count)
            elif line == "end_of_record":
                src = None


def parse_any(path, cov):
    try:
        if path.endswith(".gcov.json.gz"):
            parse_gcov_json(path, cov)
        elif path.endswith(".gcov"):
            parse_gcov_text(path, cov)
        elif path.endswith(".dat") or path.endswith(".info"):
            parse_lcov(path, cov)
    except (OSError, ValueError, KeyError, IndexError, EOFError) as e:
        print("lcov_merger: skipping %s: %s" % (path, e), file=sys.stderr)


def write_lcov(cov, out, keep):
    for path in sorted(cov.files):
        if not keep(path):
            continue
        src = cov.files[path]
        out.write("SF:%s\n" % path)
        funcs = sorted(src.functions.items(), key=lambda kv: (kv[1][0], kv[0]))
        for name, (line, _) in funcs:
            out.write("FN:%d,%s\n" % (line, name))
        for name, (_, count) in funcs:
            out.write("FNDA:%d,%s\n" % (count, name))
        out.write("FNF:%d\n" % len(funcs))
        out.write("FNH:%d\n" % sum(1 for _, (_, c) in funcs if c > 0))
        if src.branches:
            for (line, block, branch), count in sorted(
                    src.branches.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), str(kv[0][2]))):
                out.write("BRDA:%d,%s,%s,%s\n" % (
                    line, block, branch, "-" if count is None else count))
            out.write("BRF:%d\n" % len(src.branches))
            out.write("BRH:%d\n" % sum(1 for c in src.branches.values() if c))
        for line in sorted(src.lines):
            out.write("DA:%d,%d\n" % (line, src.lines[line]))
        out.write("LH:%d\n" % sum(1 for c in src.lines.values() if c > 0))
        out.write("LF:%d\n" % len(src.lines))
        out.write("end_of_record\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coverage_dir")
    parser.add_argument("--reports_file")
    parser.add_argument("--output_file", required=True)
    parser.add_argument("--filter_sources", action="append", default=[])
    parser.add_argument("--source_file_manifest")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print("lcov_merger: ignoring %s" % " ".join(unknown), file=sys.stderr)

    cov = Coverage()
    output = os.path.abspath(args.output_file)
    if args.coverage_dir:
        for root, _, names in os.walk(args.coverage_dir):
            for name in sorted(names):
                path = os.path.join(root, name)
                if os.path.abspath(path) != output:
                    parse_any(path, cov)
    if args.reports_file:
        with open(args.reports_file, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and os.path.isfile(line):
                    parse_any(line, cov)

    filters = [re.compile(r) for r in args.filter_sources]
    wanted = set()
    if args.source_file_manifest and os.path.isfile(args.source_file_manifest):
        with open(args.source_file_manifest, encoding="utf-8") as f:
            for line in f:
                line = normalize(line.strip())
                if line and not line.endswith((".gcno", ".gcda")):
                    wanted.add(line)

    def keep(path):
        if any(r.fullmatch(path) for r in filters):
            return False
        return not wanted or path in wanted

    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w", encoding="utf-8") as out:
        write_lcov(cov, out, keep)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
