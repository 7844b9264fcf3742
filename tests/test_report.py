"""The pages people read: report.html of a run and of a sweep, compare's report.html, the
headline per replication, every option's help text, and docs/tables.md kept in step with the
data dictionary."""

from __future__ import annotations

import html.parser
import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis.headline import headline, number
from sim.cli import build_parser, main
from sim.report import build_report

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"name": "small-run", "horizon_days": 90, "company": {"size": "small"}}
SWEEP = {"name": "size-sweep", "horizon_days": 60,
         "sweep": {"company.size": ["startup", "large"]}}  # fmt: skip


@pytest.fixture(scope="module")
def one():
    return sim.run(sim.load_scenario(SMALL), replications=3, workers=1)


@pytest.fixture(scope="module")
def sweep():
    return sim.run(sim.load_scenario(SWEEP), replications=2, workers=1)


class Page(html.parser.HTMLParser):
    """Reads a page strictly: every element closed in order, and every src/href kept."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self, text: str):
        super().__init__()
        self.stack, self.errors, self.links, self.headers = [], [], [], []
        self._table_class, self._in_th = [], False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[k] for k in ("src", "href") if k in attrs]
        if tag == "table":
            self._table_class.append(attrs.get("class", ""))
        if tag == "th":
            self._in_th = True
            self.headers.append((self._table_class[-1] if self._table_class else "", ""))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_data(self, data):
        if self._in_th:
            css, text = self.headers[-1]
            self.headers[-1] = (css, text + data)

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
        if tag == "table":
            self._table_class.pop()
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def self_contained(text: str) -> Page:
    page = Page(text)
    assert not page.errors and not page.stack, (page.errors, page.stack[-5:])
    external = [
        link
        for link in page.links
        if not link.startswith("data:") and (":" in link or link.startswith("//"))
    ]
    assert not external, external[:3]
    assert "@media print" in text  # readable printed
    return page


@pytest.mark.parametrize("which", ["one", "sweep"])
def test_report_is_one_self_contained_file_with_readable_headers(which, request):
    results = request.getfixturevalue(which)
    text = build_report(results, {"A chart": b"\x89PNG fake"})
    page = self_contained(text)
    short = [label for css, label in page.headers if css in ("short", "cells")]
    assert len(short) >= 8
    snake = [label for label in short if re.search(r"[a-z]_[a-z]", label)]
    assert not snake, snake  # readable, not column names
    assert "data:image/png;base64," in text
    # the scenario column is not repeated in the short tables; the full tables are folded
    assert "scenario" not in short and text.count("<details>") == 3
    # tooltips: a header's title is the data dictionary's description
    from sim.analysis.dictionary import describe

    assert f"utilisation (share): {describe('team', 'utilisation')[1]}" in html.unescape(text)
    # utilisation as a percentage in the table, as in the text
    assert re.search(r"<td>\d+(\.\d)?%", text.split("<h2>Team</h2>")[1])


def test_headline_counts_are_per_replication(one):
    row = one.summary.iloc[0]
    reps = row["replications"]
    assert reps == 3
    first, times, fill = headline(row)
    numbers = re.match(r"per replication: ([\d,.]+) candidates interviewed \(([\d.]+) per "
                       r"requisition\), ([\d,.]+) hired, ([\d,.]+) withdrew \(([\d.]+)%\), "
                       r"([\d,.]+) declined$", first)  # fmt: skip
    assert numbers, first
    for value, column in zip(numbers.group(1, 3, 4, 6), ["candidates", "hired", "withdrew",
                                                         "declined"], strict=True):  # fmt: skip
        per = row[column] / reps
        assert value == number(per)
        assert float(value.replace(",", "")) == pytest.approx(per, rel=0.01, abs=0.006)
    assert float(numbers.group(2)) == pytest.approx(row["candidates"] / row["requisitions"],
                                                    abs=0.006)  # fmt: skip
    assert float(numbers.group(5)) == pytest.approx(100 * row["withdrew"] / row["candidates"],
                                                    abs=0.06)  # fmt: skip
    assert times.endswith("(95% CI)") and "[" in times
    filled = re.match(r"per replication: ([\d,.]+) of ([\d,.]+) requisitions filled", fill)
    assert float(filled.group(1)) == pytest.approx(row["requisitions_filled"] / reps, abs=0.006)
    assert float(filled.group(2)) == pytest.approx(row["requisitions"] / reps, abs=0.06)
    # and the report gives the same lines
    assert "<br>".join(headline(row)) in build_report(one, {})


def test_wording_is_singular_where_it_is_one():
    from sim.reporting.scenario_text import describe

    document = {
        "name": "w",
        "company": {"requisitions": 1, "requisitions_per_month": 0},
        "applicants": {"arrivals": {"process": "poisson", "rate_per_day": 1}},
    }
    lines = describe(sim.load_scenario(document))
    assert lines[0].startswith("A mid company with 1 open requisition of 1 opening, sharing")
    assert "(about 1 interview a day)" in lines[1] and "(s)" not in " ".join(lines)


def test_sweep_page_says_what_differs_between_cells(sweep):
    text = build_report(sweep, {})
    scenario = text.split("<h2>The scenario</h2>")[1].split("<h2>Headline</h2>")[0]
    assert "What differs between cells" in scenario and "What every cell shares" in scenario
    differs = scenario.split("What differs between cells")[1].split("What every cell shares")[0]
    assert "startup" in differs and "large" in differs and ">team</th>" in differs
    assert "committee" in differs  # the large preset's committee, not the base's description
    assert "A mid company" not in scenario


def test_compare_writes_a_report_with_levels_and_differences(tmp_path, capsys):
    base = tmp_path / "base.yaml"
    base.write_text("name: base\nhorizon_days: 90\ncompany: {size: small}\n")
    fast = tmp_path / "fast.yaml"
    fast.write_text("name: fast\nhorizon_days: 90\ncompany: {size: small}\n"
                    "stages: {reference_checks: {wait: 0.5}}\n")  # fmt: skip
    out = tmp_path / "cmp"
    assert main(["compare", str(base), str(fast), "--replications", "3", "--workers", "1",
                 "--out", str(out), "--quiet"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    table = pd.read_csv(out / "comparison.csv")
    assert {"base", "variant", "difference", "ci_low", "ci_high", "pairs"} <= set(table.columns)
    row = table.set_index("metric").loc["median_time_to_offer_days"]
    levels = f"{row['base']:.1f} -> {row['value']:.1f} days"
    assert f"median time to offer: {levels}, change {row['difference']:+.1f} days" in printed
    text = (out / "report.html").read_text()
    self_contained(text)
    cells = (
        f"<td>{row['base']:.1f}</td><td>{row['value']:.1f}</td><td>{row['difference']:+.1f} days"
    )
    assert cells in text  # levels and the difference side by side
    assert "stages.reference_checks.wait" in text  # what the variant changes
    interviewed = table.set_index("metric").loc["interviewed"]
    summary = pd.read_csv(out / "summary.csv").set_index("scenario")
    # a count per replication is summary.csv's count / replications
    assert interviewed["base"] == pytest.approx(summary.loc["base", "candidates"] / 3)
    assert {"withdrawal_rate", "interviewed_in_reopened_searches", "fill_rate"} <= set(
        table["metric"]
    )


def test_comparison_axes_do_not_zoom_on_noise():
    from sim.charts.compare import plot_comparison

    metrics = ["hires", "median_time_to_offer_days", "withdrawal_rate"]
    table = pd.DataFrame({"base_scenario": "b", "variant": "v", "metric": metrics,
                          "base": [1.0, 26.9, 0.07], "value": [1.02, 26.8, 0.071],
                          "difference": [0.02, -0.1, 0.001], "ci_low": [-0.05, -0.3, -0.002],
                          "ci_high": [0.09, 0.1, 0.004], "pairs": 10})  # fmt: skip
    fig = plot_comparison(table)
    limits = {ax.get_title(loc="left"): ax.get_xlim() for ax in fig.axes if ax.get_visible()}
    assert limits["hires"][1] >= 0.5 and limits["median time to offer"][1] >= 13.4
    assert limits["withdrawal rate"][1] >= 10  # percentage points
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "26.9 → 26.8 days" in texts


def _options(parser):
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):  # the commands
            for name, sub in action.choices.items():
                yield from ((f"{name} {a.dest}", a) for a in sub._actions)
        else:
            yield parser.prog, action


def test_every_option_of_every_command_has_help_text():
    missing = [name for name, action in _options(build_parser())
               if action.dest != "command" and not (action.help or "").strip()]  # fmt: skip
    assert not missing, missing


def test_docs_tables_md_is_up_to_date_and_lists_every_column():
    spec = importlib.util.spec_from_file_location("tables_doc", ROOT / "docs" / "tables.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tables_doc", module)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert text == module.render(), "docs/tables.md is stale: run python docs/tables.py"
    from sim.analysis.dictionary import TABLES

    for table, columns in TABLES.items():
        section = text.split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
        for column in columns:
            assert f"| `{column}` |" in section, (table, column)
    assert "offers answered" in text and "empty" in text.split("## team_levels")[1]
