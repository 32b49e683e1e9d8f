#!/usr/bin/env python3
"""check_report.py REPORT.html SUMMARY.txt -- the report is a well-formed,
self-contained XHTML page with inline SVG, and its key figures equal those
`winback summary` printed (same options) in SUMMARY.txt."""
import re
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def fail(msg):
    print(f"check_report: {msg}")
    sys.exit(1)


def summary_figures(path):
    text = open(path, encoding="utf-8").read()
    want = {}
    m = re.search(r"base as of \S+: (\d+) customers, (\d+) purchases", text)
    want["n-customers"], want["n-purchases"] = m.group(1), m.group(2)
    want["revenue"] = re.search(r"revenue to date\s+(\S+)", text).group(1)
    m = re.search(r"lost now: (\d+) customers, of them lost twice or more: (\d+)", text)
    want["lost-now"], want["twice-lost"] = m.group(1), m.group(2)
    want["lost-value"] = re.search(r"value of the lost base \(CLV\)\s+(\S+)", text).group(1)
    block = text.split("customers per class\n")[1].split("plans\n")
    for line in block[0].splitlines():
        name, value = line.split()
        want["class-" + name] = value
    for line in block[1].split("annual churn")[0].splitlines():
        name, value = line.split()
        want["action-" + name] = value
    return want


def main():
    report, summary = sys.argv[1], sys.argv[2]
    try:
        root = ET.parse(report).getroot()
    except ET.ParseError as e:
        fail(f"{report} is not well-formed XML: {e}")
    if root.tag != XHTML + "html":
        fail(f"the root is {root.tag}, not XHTML's html")
    svgs = list(root.iter(SVG + "svg"))
    if len(svgs) < 4:
        fail(f"{len(svgs)} inline SVG pictures, expected at least 4")
    for e in root.iter():
        if e.tag in (XHTML + "script", XHTML + "link", XHTML + "img", XHTML + "iframe"):
            fail(f"<{e.tag}> makes the page depend on something outside it")
        for k, v in e.attrib.items():
            if k in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
                fail(f"{k}={v}: the page must not fetch anything")
    ids = {e.get("id"): (e.text or "").strip() for e in root.iter() if e.get("id")}
    want = summary_figures(summary)
    for key, value in want.items():
        if ids.get(key) != value:
            fail(f"{key}: the report says {ids.get(key)!r}, summary says {value!r}")
    print(f"check_report: well-formed XHTML, {len(svgs)} SVG pictures, nothing fetched, "
          f"{len(want)} figures equal summary's")


if __name__ == "__main__":
    main()
