#!/usr/bin/env python3
"""Hostile customer ids through winback's outputs, read back by Python.

    hostile_ids.py WINBACK TMPDIR

Writes a log whose ids hold commas, quotes, CR, LF, a tab, a NUL, invalid
UTF-8 and 1 KB of text, runs `winback plan` in CSV and JSON and with a
rejects file, and checks that Python's csv and json modules read every id
back: byte for byte from CSV, and from JSON as its UTF-8 text or, where
the id is not valid UTF-8, from its "id_hex". The rejects file must hold
one line per rejected record, whose text unescapes to the record's bytes.
Prints 'hostile ids: N passed, M failed' and exits 1 on any failure.
"""
import csv
import io
import json
import subprocess
import sys

IDS = [b"a,b", b'say "hi"', b"cr\rx", b"lf\nx", b"tab\tx", b"nul\x00x",
       b"\xff\xfe", b"bad \xc3\x28 utf8", "k\u00f6ln".encode(), b"plain"]
LONG = b"L" * 1024                          # over WB_ID_MAX: a reject


def quoted(field):
    return b'"' + field.replace(b'"', b'""') + b'"'


def unescape(text):
    out, i = bytearray(), 0
    table = {ord("\\"): b"\\", ord("t"): b"\t", ord("r"): b"\r", ord("n"): b"\n", ord("0"): b"\0"}
    while i < len(text):
        if text[i] == ord("\\") and i + 1 < len(text):
            out += table[text[i + 1]]
            i += 2
        else:
            out.append(text[i])
            i += 1
    return bytes(out)


def main():
    winback, tmp = sys.argv[1], sys.argv[2]
    records = [quoted(i) + b",2024-01-01,1.00" for i in IDS]
    long_record = quoted(LONG + b"\nsecond line") + b",2024-01-01,1.00"
    log = b"id,date,amount\n" + b"\n".join(records + [long_record]) + b"\n"
    path = tmp + "/hostile.csv"
    with open(path, "wb") as f:
        f.write(log)
    results = []

    def check(name, ok):
        results.append(ok)
        if not ok:
            print("FAIL hostile ids:", name)

    run = [winback, "plan", path, "--as-of", "2024-06-01", "--quiet"]
    out = subprocess.run(run + ["--format", "csv"], check=True, capture_output=True).stdout
    rows = list(csv.reader(io.StringIO(out.decode("latin-1"), newline="")))
    got = sorted(r[0].encode("latin-1") for r in rows[1:])
    check("CSV round trip", got == sorted(IDS))
    check("CSV is one record per customer", len(rows) == len(IDS) + 1)

    out = subprocess.run(run + ["--format", "json"], check=True, capture_output=True).stdout
    try:
        plans = json.loads(out.decode("utf-8"))
    except ValueError as e:
        check("JSON parses as UTF-8: %s" % e, False)
        plans = []
    got = sorted(bytes.fromhex(p["id_hex"]) if "id_hex" in p else p["id"].encode()
                 for p in plans)
    check("JSON round trip", got == sorted(IDS))

    rej = tmp + "/hostile.rej"
    subprocess.run(run + ["--rejects", rej], check=True, capture_output=True)
    with open(rej, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    check("one rejects line per rejected record", len(lines) == 1)
    if lines:
        line, reason, text = lines[0].split(b"\t", 2)
        check("rejects text unescapes to the record",
              (line, reason, unescape(text)) == (b"13", b"id too long", long_record))
    print("hostile ids: %d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
