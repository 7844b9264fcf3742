"""The metric registry is the one place names, labels and units come from: the summary's columns,
the comparison's metrics, the comparison chart, the report and the headline all agree with it."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.analysis.compare import per_replication
from sim.analysis.headline import (
    cell_headlines,
    change_text,
    comparison_headline,
    comparison_lines,
    headline,
    interval_text,
)
from sim.analysis.metrics import (
    COMPARISON_HEADLINE,
    PER_REPLICATION,
    SUMMARY,
    Metric,
    change_label,
)
from sim.charts.compare import PANELS, plot_comparison
from sim.report import build_report

UNITS = {"days", "per replication", "candidates", "requisitions", "share", "cost per hire",
         "hours per hire"}
NAN = float("nan")


@pytest.fixture(scope="module")
def comparison():
    base = sim.load_scenario("scenarios/references_as_usual.yaml")
    fast = sim.load_scenario("scenarios/references_fast.yaml")
    return sim.compare(base, [fast], replications=3, workers=1)


@pytest.fixture(scope="module")
def sweep():
    document = {"name": "sweep", "horizon_days": 90, "sweep": {"team.recruiter": [1, 2]}}
    return sim.run(sim.load_scenario(document), replications=2, workers=1)


@pytest.mark.parametrize("family", [SUMMARY, PER_REPLICATION], ids=["summary", "per-replication"])
def test_every_metric_has_a_label_a_unit_and_says_how_it_is_computed(family):
    for name, metric in family.items():
        assert isinstance(metric, Metric) and metric.name == name
        assert metric.label.strip() and metric.computed.strip(), name
        assert metric.unit in UNITS, name


def test_every_metric_compare_reports_is_registered_with_its_label_and_unit(comparison):
    table = comparison.table
    # no `costs` in either scenario: the costs are not measured, so not compared
    measured = [name for name, metric in PER_REPLICATION.items() if metric.unit != "cost per hire"]
    assert len(measured) == len(PER_REPLICATION) - 2
    assert list(dict.fromkeys(table["metric"])) == measured
    for _, row in table.iterrows():
        metric = PER_REPLICATION[row["metric"]]
        assert (row["label"], row["unit"]) == (metric.label, metric.unit)
    assert list(per_replication(comparison.base).columns) == list(PER_REPLICATION)
    assert set(COMPARISON_HEADLINE) <= set(PER_REPLICATION) and set(PANELS) <= set(PER_REPLICATION)


def test_summary_metrics_are_summary_columns(sweep):
    columns = set(sweep.summary.columns)
    assert set(SUMMARY) <= columns
    for name, metric in SUMMARY.items():
        if metric.unit == "days":  # every time statistic comes with its interval
            assert {f"{name}_ci_low", f"{name}_ci_high"} <= columns, name


def test_every_column_of_every_table_is_in_the_data_dictionary(sweep, comparison):
    from sim.analysis.dictionary import TABLES, data_dictionary, describe

    # the sensitivity table's columns: tests/test_sensitivity.py
    tables = {name: getattr(sweep, name) for name in TABLES
              if name not in ("comparison", "sensitivity")}  # fmt: skip
    tables["comparison"] = comparison.table
    for name, table in tables.items():
        for column in table.columns:
            if column not in sweep.swept:
                unit, text = describe(name, column)
                assert unit.strip() and text.strip(), (name, column)
        # and nothing described that the table lacks
        assert set(TABLES[name]) <= set(table.columns), name
    assert describe("summary", "time_to_fill_business_days_p90_ci_high")[0] == "days"
    frame = data_dictionary()
    assert list(frame.columns) == ["table", "column", "unit", "description", "denominator"]
    # the ratios say what they divide by
    denominators = frame.set_index(["table", "column"])["denominator"]
    for ratio in (("summary", "offer_rate"), ("summary", "acceptance_rate"),
                  ("team", "utilisation"), ("stages", "lost_share")):  # fmt: skip
        assert denominators[ratio].strip(), ratio
    assert not frame.duplicated(["table", "column"]).any()


def test_the_comparison_chart_takes_its_labels_from_the_registry(comparison):
    fig = plot_comparison(comparison.table)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in panels] == [PER_REPLICATION[m].label for m in PANELS]
    assert [ax.get_xlabel() for ax in panels] == [change_label(PER_REPLICATION[m]) for m in PANELS]
    assert change_label(PER_REPLICATION["hires"]) == "change per replication"
    assert change_label(PER_REPLICATION["median_time_to_offer_days"]) == "change in days"


def test_the_report_takes_its_labels_and_headline_from_the_registry(sweep):
    page = build_report(sweep, {})
    for name in ("time_to_offer_days_median", "time_to_hire_days_median"):
        assert f">{SUMMARY[name].label} [95% CI]</th>" in page
    per = SUMMARY["hires_per_replication"]
    assert f">{per.label} {per.unit}</th>" in page
    one = sim.run(sim.load_scenario({"name": "one", "horizon_days": 90}), replications=2)
    headline_html = build_report(one, {}).split("<h2>Headline</h2>")[1].split("</p>")[0]
    assert headline_html.endswith("<br>".join(headline(one.summary.iloc[0])))


def test_the_command_line_and_the_repr_print_the_same_headline(sweep):
    lines = cell_headlines(sweep.summary, sweep.swept)
    assert lines[0].startswith("[team.recruiter=1] ") and lines[1].startswith("  median days")
    assert repr(sweep).splitlines()[1:] == [f"  {line}" for line in lines]


def row(median=14.25, low=13.3, high=16.2, hire=20.0, hire_low=18.0, hire_high=22.0):
    """A summary row as the runner's tables give it (counts stay whole numbers)."""
    return pd.Series(dtype=object, data={
        "replications": 3, "candidates": 1234, "hired": 2, "withdrew": 3, "declined": 1,
        "hires_per_replication": 0.666,
        "time_to_offer_days_median": median, "time_to_offer_days_median_ci_low": low,
        "time_to_offer_days_median_ci_high": high,
        "time_to_hire_days_median": hire, "time_to_hire_days_median_ci_low": hire_low,
        "time_to_hire_days_median_ci_high": hire_high,
    })  # fmt: skip


def test_headline_with_intervals():
    assert headline(row()) == [  # per replication: counts / 3
        "per replication: 411.3 candidates interviewed, 0.67 hired, 1 withdrew (0.2%), 0.33 "
        "declined",
        "median days to offer 14.2 [13.3, 16.2], to hire 20.0 [18.0, 22.0]  (95% CI)",
    ]


def test_headline_without_intervals_claims_none():
    assert headline(row(low=NAN, high=NAN, hire_low=NAN, hire_high=NAN))[1] == (
        "median days to offer 14.2, to hire 20.0"
    )


def test_headline_without_offers_reads_n_a():
    times = headline(row(NAN, NAN, NAN, NAN, NAN, NAN))[1]
    assert times == "median days to offer n/a, to hire n/a"
    # no hire yet, but an interval for the offers: that one is still claimed
    assert headline(row(hire=NAN, hire_low=NAN, hire_high=NAN))[1] == (
        "median days to offer 14.2 [13.3, 16.2], to hire n/a  (95% CI)"
    )


def test_interval_text():
    r = row()
    assert interval_text(r, "time_to_offer_days_median", "days") == "14.2 days [13.3, 16.2]"
    assert interval_text(row(median=NAN), "time_to_offer_days_median", "days") == "n/a"
    # Kaplan-Meier: the upper bound lies beyond what the run saw
    fill = {"fill": 101.24, "fill_ci_low": 90.93, "fill_ci_high": NAN}
    assert interval_text(fill, "fill", "days") == "101.2 days [90.9, longer]"


def test_change_text_and_comparison_headline():
    assert COMPARISON_HEADLINE == ("median_time_to_offer_days", "hires", "interviewed",
                                   "withdrawal_rate", "time_to_fill_days_median")  # fmt: skip
    changes = pd.DataFrame({
        "base_scenario": "b", "variant": "v", "metric": list(COMPARISON_HEADLINE),
        "base": [26.9, 1.0, 12.3, 0.071, 40.0], "value": [23.8, 1.0, 11.0, 0.05, 42.0],
        "difference": [-3.14, 0.0, NAN, -0.021, 2.0], "ci_low": [-3.9, NAN, NAN, -0.03, 0.5],
        "ci_high": [-2.4, NAN, NAN, -0.012, 3.5],
    })  # fmt: skip
    assert change_text(changes.iloc[0], "days") == "-3.1 days [-3.9, -2.4]"
    assert change_text(changes.iloc[3], "share") == "-2.1 points [-3.0, -1.2]"
    assert comparison_headline(changes) == [
        "v: median time to offer -3.1 days [-3.9, -2.4] (26.9 -> 23.8); hires +0.0 per "
        "replication (1 -> 1); candidates interviewed n/a (12.3 -> 11); withdrawal rate "
        "-2.1 points [-3.0, -1.2] (7.1% -> 5.0%); median time to fill +2.0 days [+0.5, +3.5] "
        "(40.0 -> 42.0)"
    ]
    assert comparison_lines(changes)[:2] == [
        "v, against b:", "  median time to offer: 26.9 -> 23.8 days, change -3.1 days [-3.9, -2.4]"]
