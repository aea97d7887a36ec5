#!/usr/bin/env python3
"""test-totals.py REPORT...: one line over JUnit XML reports, as Surefire writes them (TEST-*.xml) and CTest does
with --output-junit: "N passed, N failed, N skipped". Every argument is a report file or a directory of TEST-*.xml
files; one that does not exist counts nothing. bin/run-tests prints the line at its end.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def suites(path):
    """The <testsuite> elements of a report (a file may hold one, or several under <testsuites>)."""
    root = ET.parse(path).getroot()
    return [root] if root.tag == "testsuite" else root.iter("testsuite")


def reports(argument):
    path = Path(argument)
    if path.is_dir():
        return sorted(path.glob("TEST-*.xml"))
    return [path] if path.is_file() else []


run = failed = skipped = 0
for argument in sys.argv[1:]:
    for report in reports(argument):
        for suite in suites(report):
            run += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
print(f"{run - failed - skipped} passed, {failed} failed, {skipped} skipped")
