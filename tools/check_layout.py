#!/usr/bin/python3
"""The layout test of lib/: the module tree of ARCHITECTURE.md is the code's.

    check_layout.py --doc ARCHITECTURE.md --src lib/h11c_*.[ch]
                    --archive libh11c.a --shared libh11c.so

Checks, one case each:
  - every module of lib/ is in ARCHITECTURE.md's module table and every
    module there exists;
  - the modules' #include graph is exactly the table's "uses" column (a use
    the code has and the table lacks fails, and so does one the table
    claims and the code does not have);
  - that graph has no cycle;
  - the objects' symbol graph (a module's undefined h11c__* symbols, to the
    module that defines them) is acyclic and within the include graph;
  - struct h11c_conn is defined only in h11c_conn.c;
  - the shared library exports exactly the functions h11c.h declares with
    H11C_EXTERN, and nothing else.
Ends with "N passed, N failed"; exit status 1 if any case failed.
"""

import argparse
import os
import re
import subprocess
import sys

LINKER_SYMBOLS = {"_edata", "_end", "__bss_start", "_init", "_fini"}


class Cases:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print("PASS " + name)
        else:
            self.failed += 1
            print("FAIL " + name + (": " + why if why else ""))


def module_of(path):
    m = re.match(r"h11c_([a-z0-9]+)\.[ch]$", os.path.basename(path))
    return m.group(1) if m else None


def doc_table(doc):
    """{module: set(uses)} from the table under the lib/ heading."""
    table = {}
    in_lib = False
    for line in open(doc, encoding="utf-8"):
        if line.startswith("## "):
            in_lib = line.startswith("## lib/")
            continue
        m = re.match(r"\|\s*`([a-z0-9]+)`\s*\|([^|]*)\|([^|]*)\|", line)
        if in_lib and m:
            uses = {u.strip(" `") for u in m.group(3).split(",")}
            table[m.group(1)] = {u for u in uses if u and u != "-"}
    return table


def include_graph(srcs):
    graph = {}
    for path in srcs:
        mod = module_of(path)
        if not mod:
            continue
        graph.setdefault(mod, set())
        for line in open(path, encoding="utf-8"):
            m = re.match(r'\s*#\s*include\s+"h11c_([a-z0-9]+)\.h"', line)
            if m and m.group(1) != mod:
                graph[mod].add(m.group(1))
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle, or None (iterative DFS)."""
    state = {}
    for root in sorted(graph):
        if state.get(root):
            continue
        stack = [(root, iter(sorted(graph.get(root, ()))))]
        path = [root]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, ())))))
    return None


def nm(args):
    proc = subprocess.run(["nm"] + args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("nm %s failed: %s" % (" ".join(args), proc.stderr.strip()))
    return proc.stdout.splitlines()


def symbol_graph(archive):
    defined, undefined, obj = {}, {}, None
    for line in nm(["-A", archive]):
        # archive:member.o: [addr] TYPE name
        m = re.match(r".*?:([^:]+\.o):\s*(?:[0-9a-f]+\s+)?([A-Za-z])\s+(\S+)$",
                     line)
        if not m:
            continue
        obj, kind, name = module_of(m.group(1).replace(".pic.o", ".c")
                                    .replace(".o", ".c")), m.group(2), m.group(3)
        if not obj or not name.startswith("h11c_"):
            continue
        if kind == "U":
            undefined.setdefault(obj, set()).add(name)
        elif kind.isupper():
            defined[name] = obj
    graph = {}
    for mod, names in undefined.items():
        for name in names:
            if name in defined and defined[name] != mod:
                graph.setdefault(mod, set()).add(defined[name])
    return graph


def declared_api(header):
    text = open(header, encoding="utf-8").read()
    return set(re.findall(r"H11C_EXTERN[^;(]*?\b(h11c_[a-z0-9_]+)\s*\(", text))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", required=True)
    ap.add_argument("--src", nargs="+", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--print-graph", action="store_true")
    a = ap.parse_args()
    cases = Cases()

    table = doc_table(a.doc)
    incl = include_graph(a.src)
    mods = set(incl)
    cases.check("ARCHITECTURE.md lists every module of lib/",
                mods <= set(table), "missing: " + ", ".join(sorted(mods - set(table))))
    cases.check("every module ARCHITECTURE.md lists exists",
                set(table) <= mods, "no such module: " + ", ".join(sorted(set(table) - mods)))
    for mod in sorted(mods):
        have, doc = incl.get(mod, set()), table.get(mod, set())
        why = []
        if have - doc:
            why.append("uses but ARCHITECTURE.md does not say so: " +
                       ", ".join(sorted(have - doc)))
        if doc - have:
            why.append("ARCHITECTURE.md says it uses, but it does not: " +
                       ", ".join(sorted(doc - have)))
        cases.check("module %s uses what ARCHITECTURE.md says" % mod,
                    not why, "; ".join(why))
    cyc = find_cycle(incl)
    cases.check("the #include graph of lib/ has no cycle", cyc is None,
                " -> ".join(cyc or []))

    syms = symbol_graph(a.archive)
    cyc = find_cycle(syms)
    cases.check("the symbol graph of lib/'s objects has no cycle", cyc is None,
                " -> ".join(cyc or []))
    extra = sorted("%s -> %s" % (m, d) for m, ds in syms.items() for d in ds
                   if d not in incl.get(m, set()))
    cases.check("every symbol a module uses comes from a header it includes",
                not extra, ", ".join(extra))

    owners = [p for p in a.src
              if re.search(r"^struct h11c_conn\s*\{", open(p, encoding="utf-8").read(), re.M)]
    cases.check("struct h11c_conn is private to h11c_conn.c",
                [os.path.basename(p) for p in owners] == ["h11c_conn.c"],
                "defined in: " + ", ".join(os.path.basename(p) for p in owners))

    header = [p for p in a.src if os.path.basename(p) == "h11c.h"][0]
    api = declared_api(header)
    exported = set()
    for line in nm(["-D", "--defined-only", a.shared]):
        parts = line.split()
        if parts and parts[-1] not in LINKER_SYMBOLS:
            exported.add(parts[-1])
    cases.check("the shared library exports nothing but the public API",
                exported <= api, "also exported: " + ", ".join(sorted(exported - api)))
    cases.check("the shared library exports the whole public API",
                api <= exported, "not exported: " + ", ".join(sorted(api - exported)))

    if a.print_graph:
        print("include graph (module -> modules it uses):")
        for mod in sorted(incl, key=lambda m: (len(incl[m]), m)):
            print("  %-8s -> %s" % (mod, ", ".join(sorted(incl[mod])) or "-"))
        print("exported: " + " ".join(sorted(exported)))
    print("%d passed, %d failed" % (cases.passed, cases.failed))
    return 1 if cases.failed else 0


if __name__ == "__main__":
    sys.exit(main())
