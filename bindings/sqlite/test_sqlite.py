#!/usr/bin/env python3
"""test_sqlite.py EXTENSION TOOL LOG -- the SQLite extension through Python's
sqlite3 module: the rules' examples, a till's sales table on CDNOW against
the winback program, and bad input."""
import csv
import io
import sqlite3
import subprocess
import sys

ext, tool, log = sys.argv[1:4]
failures = 0


def check(name, want, got):
    global failures
    if want != got:
        failures += 1
        print(f"FAIL {name}: expected {want!r}, got {got!r}")


def error_of(db, sql, *args):
    try:
        db.execute(sql, args).fetchall()
    except sqlite3.Error as e:
        return str(e)
    return None


db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension(ext)
q = lambda sql, *a: db.execute(sql, a).fetchone()[0]  # noqa: E731

# R1, R2: boundaries, inclusive; a never-bought customer.
for days, cls, bp in ((29, "active", 0), (30, "watch", 0), (90, "lapsed-1", 1000),
                      (180, "lapsed-2", 1500), (360, "lapsed-3", 2000)):
    check(f"class at {days} days", (cls, bp),
          db.execute("SELECT winback_class(date('1998-07-01', ?), '1998-07-01'), "
                     "winback_discount_bp(date('1998-07-01', ?), '1998-07-01')",
                     (f"-{days} days", f"-{days} days")).fetchone())
check("never bought", "never", q("SELECT winback_class(NULL, '1998-07-01')"))
# R3, R5: [Rules]' examples in cents.
check("clv 500 x 10 x 5", 2500000, q("SELECT winback_clv(50000, 1000, 5)"))
check("romi 8325 on 285", 282105, q("SELECT winback_romi_bp(832500, 28500)"))

# A till's sales table: CDNOW, its plan against the winback program's.
db.execute("CREATE TABLE sales (customer TEXT, day TEXT, cents INTEGER)")
with open(log, encoding="latin-1") as f:
    rows = [l.split() for l in f if l.split()[0].isdigit()]
db.executemany("INSERT INTO sales VALUES (?, ?, ?)",
               [(r[0], f"{r[1][:4]}-{r[1][4:6]}-{r[1][6:]}", int(r[3].replace(".", "")))
                for r in rows])
check("sales rows", 69659, q("SELECT count(*) FROM sales"))
db.execute("""CREATE TABLE summary AS
              SELECT customer, winback_summary(day, cents, '1998-07-01') AS s
              FROM sales GROUP BY customer""")
db.execute("""CREATE TABLE plan AS
    SELECT customer, winback_decide(json_extract(s, '$.last_purchase'), '1998-07-01',
        json_extract(s, '$.avg_check'),
        json_extract(s, '$.purchase_days') * 36525 /
            max(julianday('1998-07-01') - julianday(json_extract(s, '$.first_purchase')), 365),
        json_extract(s, '$.returns'), 200) AS p FROM summary""")
cli = {r["id"]: r for r in csv.DictReader(io.StringIO(subprocess.run(
    [tool, "plan", log, "--as-of", "1998-07-01", "--cost", "2.00", "--format", "csv",
     "--quiet"], check=True, capture_output=True, text=True).stdout))}
differ = 0
for customer, cls, action, bp, prio in db.execute(
        "SELECT customer, json_extract(p, '$.class'), json_extract(p, '$.action'), "
        "json_extract(p, '$.discount_bp'), json_extract(p, '$.priority') FROM plan"):
    c = cli[customer]
    differ += (cls, action, bp, prio) != (c["class"], c["action"], int(c["discount_bp"]),
                                          round(float(c["priority"]) * 100))
check("CDNOW plan rows differing from winback plan", 0, differ)
check("CDNOW customers", 23570, q("SELECT count(*) FROM plan"))

# Bad input: a clear error each, and the connection goes on.
check("bad date", "winback: not a date (YYYY-MM-DD): 2025-02-29",
      error_of(db, "SELECT winback_class('2025-02-29', '1998-07-01')"))
check("future purchase", "winback: class: event after the as-of day",
      error_of(db, "SELECT winback_class('1999-01-01', '1998-07-01')"))
check("negative amount", "winback_summary: a negative amount",
      error_of(db, "SELECT winback_summary('1998-01-01', -5, '1998-07-01')"))
check("NULL amount", "winback_summary: a purchase needs a date, an amount and the as-of day",
      error_of(db, "SELECT winback_summary('1998-01-01', NULL, '1998-07-01')"))
check("NULL in clv", "winback_clv: no argument may be NULL",
      error_of(db, "SELECT winback_clv(NULL, 1, 1)"))
check("no as-of", "winback: the as-of day is required",
      error_of(db, "SELECT winback_class('1998-01-01', NULL)"))
check("still usable", 23570, q("SELECT count(*) FROM plan"))
print(f"sqlite: {'all passed' if failures == 0 else f'{failures} failed'}")
sys.exit(1 if failures else 0)
