"""Valid-looking extremes never make a traceback: the schema bounds them with a clear message,
or the computation handles them (dates saturate at 9999-12-31)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import run_cli, write_registry

from itamctl.dates import add_days, add_months

#: Edits (file, old, new) that stay inside the bounds: every report must run.
IN_BOUNDS = {
    "never-ending contract": [("contracts/CTR-0001.yaml", "end: 2026-12-31", "end: 9999-12-31")],
    "never-ending license": [("licenses/LIC-0001.yaml", "end: 2026-12-31", "end: 9999-12-31")],
    "warranty forever": [("assets/LT-0001.yaml", "end: 2027-03-14", "end: 9999-12-31")],
    "longest notice and term": [("contracts/CTR-0001.yaml", "notice_days: 60",
                                 "notice_days: 36500\nrenewal_months: 1200")],
    "longest life": [("settings.yaml", "life_months: 36", "life_months: 1200")],
    "largest amounts": [("assets/LT-0001.yaml", "cost: 1200.00", "cost: 999999999999.99"),
                        ("licenses/LIC-0001.yaml", "cost: 100", "cost: 999999999999.99"),
                        ("licenses/LIC-0001.yaml", "seats: 5", "seats: 1000000000"),
                        ("contracts/CTR-0001.yaml", "cost: 480", "cost: \"999999999999.999999999 USD\"")],
    "earliest dates": [("assets/LT-0001.yaml", "date: 2024-03-15", "date: 1900-01-01"),
                       ("contracts/CTR-0001.yaml", "start: 2024-01-01", "start: 1900-01-01")],
}
REPORTS = [["check"], ["expiries"], ["expiries", "--format", "ics"], ["budget", "--years", "30", "--history", "30"],
           ["costs"], ["depreciation", "LT-0001"]]
AS_OF = ["2026-11-01", "1900-01-01", "9899-12-31"]


def _registry(tmp_path, edits):
    reg = write_registry(tmp_path / "registry")
    for file, old, new in edits:
        reg.replace(file, old, new)
    return reg


@pytest.mark.parametrize("case", IN_BOUNDS)
def test_extremes_inside_the_bounds_run_every_report(tmp_path, case):
    reg = _registry(tmp_path, IN_BOUNDS[case])
    assert run_cli("validate", "--registry", reg.root)[0] == 0
    for as_of in AS_OF:
        for report in REPORTS:
            for fmt in ("text", "json"):
                if fmt == "json" and ("--format" in report or as_of != AS_OF[0]):
                    continue
                args = [*report, "--registry", reg.root, "--as-of", as_of]
                code, _, err = run_cli(*args, *([] if "--format" in report else ["--format", fmt]))
                assert code in (0, 1) and "Traceback" not in err, (args, err)


@pytest.mark.slow
def test_site_builds_with_never_ending_items_and_the_largest_amounts(tmp_path):
    edits = [e for case in ("never-ending contract", "never-ending license", "warranty forever", "largest amounts")
             for e in IN_BOUNDS[case]]
    reg = _registry(tmp_path, edits)
    code, _, err = run_cli("site", "build", "--registry", reg.root, "--out", tmp_path / "site", "--as-of",
                             "2026-11-01")
    assert code == 0, err
    assert (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("contracts/CTR-0001.yaml", "notice_days: 60", "notice_days: 100000000", "it must be at most 36500"),
    ("settings.yaml", "life_months: 36", "life_months: 1000000", "it must be at most 1200"),
    ("assets/LT-0001.yaml", "cost: 1200.00", "cost: 1e999999", "is 1E+999999: expected a non-negative number"),
    ("assets/LT-0001.yaml", "cost: 1200.00", "cost: 12345678901234567890123456789", "less than 1000000000000"),
    ("assets/LT-0001.yaml", "cost: 1200.00", "cost: " + "9" * 10000, "number with 10000 characters"),
    ("licenses/LIC-0001.yaml", "cost: 100", "cost: \"1234567890123456789 EUR\"", "`cost` is '1234567890123456789 EUR'"),
    ("licenses/LIC-0001.yaml", "end: 2026-12-31", "end: 0001-12-31", "a calendar date from 1900-01-01 to 9999-12-31"),
])
def test_values_beyond_the_bounds_are_clear_findings(tmp_path, file, old, new, message):
    reg = _registry(tmp_path, [(file, old, new)])
    code, out, _ = run_cli("validate", "--registry", reg.root)
    assert code == 1 and message in out, out
    for report in REPORTS:
        code, out, err = run_cli(*report, "--registry", reg.root, "--as-of", "2026-11-01")
        assert code == 1 and (message in err or message in out), (report, err)


@pytest.mark.parametrize("as_of", ["0001-01-01", "1899-12-31", "9900-01-01", "9999-12-31"])
def test_as_of_outside_the_calendar_range_is_a_usage_error(registry, as_of):
    code, _, err = run_cli("expiries", "--registry", registry.root, "--as-of", as_of)
    assert code == 2 and "is outside 1900-01-01 to 9899-12-31" in err


def test_date_arithmetic_saturates():
    assert add_months(date(9999, 12, 31), 1200) == date.max
    assert add_months(date(1900, 1, 31), -30000) == date.min
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_days(date.max, 1) == date.max and add_days(date.min, -5) == date.min
