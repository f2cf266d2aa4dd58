"""Reads a tokenlint JUnit report as its consumers do, for tests/it/formats.rs.

    python junit_consumer.py REPORT.xml SCHEMA.xsd

Validates REPORT against SCHEMA (Jenkins' junit-10.xsd) with xmlschema, parses it with
junitparser (both from PyPI, installed by .ci/run) and prints what junitparser read, as
JSON: the totals and, for each test case, its name, class and result. Exits 3 when either
package is missing, so that the test can tell "not installed" from "invalid".
"""

import json
import sys

try:
    import junitparser
    import xmlschema
except ImportError as missing:
    print(f"not installed: {missing.name}", file=sys.stderr)
    sys.exit(3)

report, schema = sys.argv[1], sys.argv[2]
xmlschema.XMLSchema(schema).validate(report)

xml = junitparser.JUnitXml.fromfile(report)
suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
cases = []
for suite in suites:
    for case in suite:
        results = [
            {"kind": type(r).__name__.lower(), "type": r.type, "message": r.message, "text": r.text}
            for r in case.result
        ]
        cases.append({"name": case.name, "classname": case.classname, "results": results})
xml.update_statistics()
print(json.dumps({
    "tests": xml.tests,
    "failures": xml.failures,
    "errors": xml.errors,
    "skipped": xml.skipped,
    "cases": cases,
}))
