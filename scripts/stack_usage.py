#!/usr/bin/env python3
"""Worst-case stack per public function, from GCC's -fcallgraph-info=su.

Usage: stack_usage.py FILE.ci ...   Prints "function bytes" for every wb_*
function, the deepest path through the library's own functions. Calls to
compiler helpers and libc (no stack figure in the graph) count as 0 and are
listed at the end; recursion would be reported as an error (there is none).
"""
import re
import sys

frame = {}      # function -> its own frame in bytes
calls = {}      # function -> set of callees
unknown = set()

node_re = re.compile(r'node: \{ title: "([^"]+)" label: "[^"]*\\n(\d+) bytes')
edge_re = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
for path in sys.argv[1:]:
    for line in open(path):
        m = node_re.search(line)
        if m:
            frame[m.group(1)] = int(m.group(2))
            continue
        m = edge_re.search(line)
        if m:
            calls.setdefault(m.group(1), set()).add(m.group(2))

def worst(fn, stack=()):
    """(bytes, deepest chain) of fn."""
    if fn in stack:
        sys.exit("recursion through " + " -> ".join(stack + (fn,)))
    if fn not in frame:
        unknown.add(fn)
        return 0, [fn]
    deepest = max([worst(c, stack + (fn,)) for c in calls.get(fn, ())] or [(0, [])])
    return frame[fn] + deepest[0], [fn] + deepest[1]

public = sorted(f for f in frame if f.startswith("wb_") and not f.startswith("wb__"))
for fn in public:
    total, chain = worst(fn)
    print("%-28s %5d  %s" % (fn, total, " > ".join(
        "%s %d" % (f, frame.get(f, 0)) for f in chain[1:])))
print("not counted (no figure: compiler helpers, libc):", " ".join(sorted(unknown)))
