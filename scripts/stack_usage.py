#!/usr/bin/env python3
"""Worst-case stack per public function, from GCC's -fcallgraph-info=su.

Usage: stack_usage.py [--elf CORE.elf --objdump TOOL --nm TOOL] FILE.ci ...

Prints "function bytes chain" for every wb_* function: its own frame plus
the deepest chain of callees. The library's own frames come from the call
graph files. Compiler helpers and libc functions (__aeabi_*, memset) have
no figure there; with --elf, a linked image that contains them, each gets a
bound read off its machine code: every push and every "sub sp" in its body
added up, as if all were live at once, plus its own callees (calls, and
branches out of its body, which are tail calls). A function
with no figure at all would count as 0 and is listed at the end; so would
recursion, which is an error (there is none).
"""
import re
import subprocess
import sys

frame = {}      # function -> its own frame in bytes
calls = {}      # function -> set of callees
unknown = set()
helpers = {}    # helper -> bound read off the machine code

args = sys.argv[1:]
elf = objdump = nm = None
while args and args[0].startswith("--"):
    opt, val, args = args[0], args[1], args[2:]
    if opt == "--elf":
        elf = val
    elif opt == "--objdump":
        objdump = val
    elif opt == "--nm":
        nm = val
    else:
        sys.exit("unknown option " + opt)

node_re = re.compile(r'node: \{ title: "([^"]+)" label: "[^"]*\\n(\d+) bytes')
edge_re = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
for path in args:
    for line in open(path):
        m = node_re.search(line)
        if m:
            frame[m.group(1)] = int(m.group(2))
            continue
        m = edge_re.search(line)
        if m:
            calls.setdefault(m.group(1), set()).add(m.group(2))


def read_helpers():
    """Frames and callees of every global function in the linked image."""
    syms = {}                   # name -> address
    bounds = set()              # addresses where a global function starts
    for line in subprocess.run([nm, elf], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            addr, kind, name = int(parts[0], 16), parts[1], parts[2]
            if kind in "TW":    # global functions only, not local labels
                syms[name] = addr
                bounds.add(addr)
    by_addr = {}
    for name, addr in sorted(syms.items()):
        by_addr.setdefault(addr, name)
    code = []                   # (address, instruction text)
    insn_re = re.compile(r'^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4}\s?)+\s+(.*)$')
    for line in subprocess.run([objdump, "-d", elf], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        m = insn_re.match(line)
        if m:
            code.append((int(m.group(1), 16), m.group(2)))
    starts = sorted(bounds)
    result = {}
    for name, addr in syms.items():
        if addr not in bounds:
            continue
        nxt = min([a for a in starts if a > addr] or [1 << 62])
        size, callees = 0, set()
        for a, text in code:
            if addr <= a < nxt:
                p = re.match(r'push\s+\{([^}]*)\}', text)
                if p:
                    size += 4 * len(p.group(1).split(","))
                s = re.match(r'sub\s+sp,\s*#(\d+)', text)
                if s:
                    size += int(s.group(1))
                # Calls, and branches out of the body (tail calls).
                b = re.match(r'b(l|\.n|\.w)?\s+([0-9a-f]+)', text)
                if b and (b.group(1) == "l" or
                          not addr <= int(b.group(2), 16) < nxt):
                    target = int(b.group(2), 16)
                    callees.add(max([x for x in starts if x <= target] or [target]))
        result[name] = (size, {by_addr.get(c, hex(c)) for c in callees})
    return result


if elf:
    for name, (size, callees) in read_helpers().items():
        if name not in frame:
            helpers[name] = size
            frame[name] = size
            calls[name] = callees


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
        "%s %d" % (f.split(":")[-1], frame.get(f, 0)) for f in chain[1:])))
used = sorted(h for h in helpers if any(h in c for c in calls.values() if c))
if used:
    print("helpers (bound from their code):",
          " ".join("%s %d" % (h, worst(h)[0]) for h in used))
if unknown:
    print("not counted (no figure):", " ".join(sorted(unknown)))
