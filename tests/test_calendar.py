"""Working time: the business calendar's conversions, exact wall-clock times of team work, units
of delays, team roles with hiring hours, and the lines bad calendar, team and unit input gets.

Conventions under test (see `sim.model.calendar`): working hours sit from 09:00 for
`hours_per_day`; a team member's hiring hours (`hours_per_week` over the workdays) sit at the
start of each working day; business days count whole working days; calendar days every day.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exact_times import HM, REC, log, scenario, simulate

import sim
from sim.model.calendar import Clock, WorkCalendar, team_hours, work_calendar
from sim.model.core import HiringModel
from sim.scenario.errors import ScenarioError

FRIDAY = dt.date(2026, 5, 22)  # before Memorial Day, Monday 2026-05-25
MONDAY = dt.date(2026, 1, 5)
H = 1 / 24  # an hour, in days


def at(day: dt.date, start: dt.date, hour: float) -> float:
    """Model time (days since `start` 00:00) of `day` at `hour` o'clock."""
    return (day - start).days + hour * H


# -- the calendar alone -----------------------------------------------------------------------


def test_weekends_are_skipped():
    cal = WorkCalendar(MONDAY)
    friday = at(dt.date(2026, 1, 9), MONDAY, 16.5)
    assert cal.next_working_instant(friday) == friday
    assert cal.next_working_instant(at(dt.date(2026, 1, 9), MONDAY, 17)) == pytest.approx(7 + 9 * H)
    # 2 working hours from Friday 16:00 (8-hour days): one on Friday, one on Monday
    assert cal.add_working_hours(4 + 16 * H, 2) == pytest.approx(7 + 10 * H)
    assert [cal.is_workday(d) for d in range(7)] == [True] * 5 + [False] * 2


def test_working_hours_start_at_nine_and_last_hours_per_day():
    cal = WorkCalendar(MONDAY, hours_per_day=6)
    assert cal.next_working_instant(0.0) == pytest.approx(9 * H)
    assert cal.next_working_instant(15 * H) == pytest.approx(1 + 9 * H)  # closed at 15:00
    assert cal.add_working_hours(0.0, 6) == pytest.approx(15 * H)  # the whole day, inclusive
    assert cal.add_working_hours(0.0, 6.5) == pytest.approx(1 + 9.5 * H)


def test_holidays_from_a_list_and_from_a_country():
    listed = WorkCalendar(FRIDAY, holiday_dates=[dt.date(2026, 5, 25)])
    looked_up = WorkCalendar(FRIDAY, country="US")
    for cal in (listed, looked_up):
        assert [cal.is_workday(d) for d in range(5)] == [True, False, False, False, True]
    # Independence Day 2026 is a Saturday: observed on Friday 2026-07-03
    assert not looked_up.is_workday((dt.date(2026, 7, 3) - FRIDAY).days)
    assert listed.is_workday((dt.date(2026, 7, 3) - FRIDAY).days)
    # a region's own holiday: Epiphany in Bavaria, not in Berlin
    bavaria = WorkCalendar(MONDAY, country="DE", subdiv="BY")
    berlin = WorkCalendar(MONDAY, country="DE", subdiv="BE")
    assert not bavaria.is_workday(1) and berlin.is_workday(1)  # Tuesday 2026-01-06


def test_business_days_skip_days_off_and_keep_the_time_of_day():
    cal = WorkCalendar(FRIDAY, holiday_dates=[dt.date(2026, 5, 25)])
    # 2 business days from Friday 14:00, Monday a holiday: Wednesday 14:00
    assert cal.add_business_days(14 * H, 2) == pytest.approx(5 + 14 * H)
    # from Saturday, the count starts on the next working day at 00:00: Tuesday
    assert cal.add_business_days(1.5, 0.5) == pytest.approx(4.5)


def test_hiring_hours_spread_over_the_workdays():
    cal = WorkCalendar(MONDAY, hours_per_day=8)
    assert cal.daily_hours(None) == 8
    assert cal.daily_hours(5) == 1
    assert cal.daily_hours(100) == 8  # never more than the working day
    assert cal.daily_hours(40, vacation_days_per_year=26) == pytest.approx(8 * (1 - 26 / 260))
    four = WorkCalendar(MONDAY, workdays=["mon", "tue", "wed", "thu"])
    assert four.daily_hours(10) == 2.5 and not four.is_workday(4)
    # one hour a day: 3 hours of work from Monday 00:00 end Wednesday 10:00
    assert cal.add_working_hours(0.0, 3, daily=1) == pytest.approx(2 + 10 * H)


HOLIDAY_CALENDAR = WorkCalendar(FRIDAY, holiday_dates=[dt.date(2026, 5, 25), dt.date(2026, 6, 3)])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    t=st.floats(0, 60),
    first=st.floats(0, 30),
    then=st.floats(0.01, 30),
    daily=st.sampled_from([None, 1.0, 2.5, 8.0]),
)
def test_working_hours_add_up_and_end_in_working_time(t, first, then, daily):
    cal = HOLIDAY_CALENDAR
    end = cal.add_working_hours(t, first, daily)
    assert end >= t and cal.is_working_instant(end, daily, end=True)
    start = cal.next_working_instant(t, daily)
    assert start >= t and cal.is_working_instant(start, daily)
    assert cal.add_working_hours(end, then, daily) == pytest.approx(
        cal.add_working_hours(t, first + then, daily), abs=1e-9
    )
    assert cal.add_business_days(cal.add_business_days(t, first), then) == pytest.approx(
        cal.add_business_days(t, first + then), abs=1e-9
    )


def test_without_a_calendar_every_hour_is_a_working_hour():
    clock = Clock(None)
    assert clock.span(None) is None and clock.span("days") is None
    assert clock.span("business_days") is None
    assert clock.span("hours")(3.0, 6) == 0.25
    assert clock.until_working(1.0) is None


# -- exact wall-clock times in the model ------------------------------------------------------


def review(duration, *, start: dt.date, hours_per_week: float, requisitions: int = 1, **calendar):
    document = scenario({"initial_review": {"resource": HM, "duration": duration}}, n=1)
    document["start_date"] = start
    document["company"]["requisitions"] = requisitions
    document["team"] = {HM: {"count": 1, "hours_per_week": hours_per_week}, REC: 1}
    document["calendar"] = {"workdays": ["mon", "tue", "wed", "thu", "fri"], "hours_per_day": 8,
                            **calendar}  # fmt: skip
    return document


def work_times(tables) -> list[tuple[str, str, pd.Timestamp]]:
    events = tables["events"]
    work = events[events["lifecycle:transition"].isin(["start", "complete"])]
    work = work[work["org:resource"].notna()]
    return [
        (case.split("-", 2)[2], transition, stamp)
        for case, transition, stamp in work[
            ["case:concept:name", "lifecycle:transition", "time:timestamp"]
        ].itertuples(index=False)
    ]


@pytest.mark.parametrize("holidays", [["2026-05-25"], {"country": "US"}])
def test_three_hours_at_one_hour_a_day_over_a_long_weekend(holidays):
    """Friday 09:00-10:00, then Tuesday and Wednesday (Monday is Memorial Day): done Wednesday
    at 10:00."""
    tables = simulate(review("3 hours", start=FRIDAY, hours_per_week=5, holidays=holidays))
    assert work_times(tables) == [
        ("q0-a0", "start", pd.Timestamp("2026-05-22 09:00")),
        ("q0-a0", "complete", pd.Timestamp("2026-05-27 10:00")),
    ]


def test_two_one_hour_reviews_for_one_manager_finish_on_consecutive_working_days():
    """Two requisitions share a manager with an hour a day: Monday's hour goes to one, the other
    waits for Tuesday's."""
    document = review({"dist": "fixed", "value": 1, "unit": "hours"}, start=MONDAY,
                      hours_per_week=5, requisitions=2)  # fmt: skip
    assert work_times(simulate(document)) == [
        ("q0-a0", "start", pd.Timestamp("2026-01-05 09:00")),
        ("q0-a0", "complete", pd.Timestamp("2026-01-05 10:00")),
        ("q1-a0", "start", pd.Timestamp("2026-01-06 09:00")),
        ("q1-a0", "complete", pd.Timestamp("2026-01-06 10:00")),
    ]


def test_no_work_while_the_role_is_away():
    """Away the first week (Monday 5 to Friday 9 January): an hour's review waits for Monday 12
    at 09:00. A wait of business days is nobody's and does not stop."""
    document = review("1 hour", start=MONDAY, hours_per_week=5)
    document["team"][HM]["absences"] = [{"start": "2026-01-05", "end": "2026-01-09"}]
    assert work_times(simulate(document)) == [
        ("q0-a0", "start", pd.Timestamp("2026-01-12 09:00")),
        ("q0-a0", "complete", pd.Timestamp("2026-01-12 10:00")),
    ]
    s = sim.load_scenario(document)
    assert s.model_dump()["team"][HM]["absences"][0]["end"] == dt.date(2026, 1, 9)
    cal = WorkCalendar(MONDAY)
    away = cal.days_away([(dt.date(2026, 1, 1), dt.date(2026, 1, 6))])
    assert away == frozenset({0, 1})  # clipped to the run
    assert cal.add_working_hours(0.0, 3, daily=1, away=away) == pytest.approx(4 + 10 * H)


def test_a_part_time_pattern_works_on_its_weekdays_only():
    """Two hours a week on Tuesdays and Thursdays: an hour each; 3 hours of review from Monday
    5 January take Tuesday 6, Thursday 8 and Tuesday 13, done at 10:00."""
    document = review("3 hours", start=MONDAY, hours_per_week=2)
    document["team"][HM]["workdays"] = ["tue", "thu"]
    assert work_times(simulate(document)) == [
        ("q0-a0", "start", pd.Timestamp("2026-01-06 09:00")),
        ("q0-a0", "complete", pd.Timestamp("2026-01-13 10:00")),
    ]
    cal = WorkCalendar(MONDAY, until=13)
    assert cal.weekdays_off(["mon"]) == frozenset(range(14)) - {0, 7}
    assert cal.daily_hours(2, days_per_week=2) == 1


def test_vacation_is_taken_in_blocks_by_a_role_of_one_and_on_average_by_several():
    cal = WorkCalendar(MONDAY, until=365)
    # two blocks of five working days, a quarter and three quarters into the year: from Monday
    # 6 April (day 91) and from Tuesday 6 October (day 274, over a weekend)
    assert cal.vacation(10) == frozenset({91, 92, 93, 94, 95, 274, 275, 276, 277, 280})
    assert len(cal.vacation(12)) == 12 and cal.vacation(0) == frozenset()
    s = sim.load_scenario({
        "name": "v", "calendar": {},
        "team": {HM: {"count": 1, "hours_per_week": 10, "vacation_days_per_year": 10},
                 REC: {"count": 2, "vacation_days_per_year": 26}},
    })  # fmt: skip
    daily, away = team_hours(s, work_calendar(s))
    assert daily == {HM: 2, REC: pytest.approx(32 / 5 * 0.9)}  # the preset's 32 hours a week
    assert len(away[HM]) == 1 and len(away[HM][0]) == 10 and away[REC] == (frozenset(),)


def test_waits_and_pure_delays_run_on_their_clocks():
    """A wait of 2 business days from Friday 00:00 (Monday a holiday) ends Wednesday 00:00; a
    candidate's decision of 2 calendar days then ends Friday 00:00, a weekday or not."""
    document = scenario(
        {
            "initial_review": {"resource": None, "wait": "2 business days", "duration": 0},
            "final_decision": {"duration": "2 days", "accept_prob": 1.0},
        },
        n=1,
    )
    document.update(start_date=FRIDAY, calendar={"holidays": ["2026-05-25"]})
    rows = [(stage, t, day) for _, stage, t, day, _ in log(simulate(document))]
    assert ("initial_review", "start", 5.0) in rows
    assert rows[-1] == ("hired", "complete", 7.0)


def test_hours_without_a_calendar_are_hours_of_continuous_time():
    document = scenario({"initial_review": {"resource": HM, "duration": "6 hours"}}, n=1)
    # schedule, assign, start, then complete a quarter of a day later
    assert [row[3] for row in log(simulate(document))][:4] == [0.0, 0.0, 0.0, 0.25]


# -- no team work outside working time --------------------------------------------------------

RANDOM_RUNS = {
    "mid-us": {
        "name": "mid-us",
        "team": {
            HM: {
                "count": 1,
                "hours_per_week": 5,
                "vacation_days_per_year": 20,
                "absences": [{"start": "2026-02-02", "end": "2026-02-13"}],
            },
        },  # fmt: skip
        "calendar": {"holidays": {"country": "US"}},
        "stages": {
            "initial_review": {
                "duration": {"dist": "lognormal", "median": 1, "p90": 3, "unit": "hours"}
            },  # fmt: skip
            "reference_checks": {
                "wait": {"dist": "gamma", "mean": 3, "cv": 0.5, "unit": "business_days"},
                "duration": "2 hours",
            },
        },  # fmt: skip
    },
    "large-committee": {
        "name": "large-committee",
        "company": {"size": "large", "requisitions": 2},
        "calendar": {"hours_per_day": 7.5, "holidays": ["2026-01-19", "2026-02-16"]},
        "team": {"committee": {"count": 1, "hours_per_week": 2}},
    },
    "four-day-week": {
        "name": "four-day-week",
        "company": {"size": "small", "requisitions": 3},
        "team": {REC: {"count": 1, "hours_per_week": 12, "workdays": ["mon", "tue", "thu"]}},
        "calendar": {"workdays": ["mon", "tue", "wed", "thu"], "hours_per_day": 6},
        "stages": {"onboarding": {"duration": "3 hours", "wait": "5 business days"}},
    },
}


@pytest.mark.parametrize("name", list(RANDOM_RUNS))
def test_no_team_member_starts_or_completes_outside_working_time(name):
    s = sim.load_scenario(RANDOM_RUNS[name])
    cal = work_calendar(s)
    for replication in range(2):
        model = HiringModel(s, replication)
        records = model.run()
        work = [e for e in records.events if e[4] is not None and e[2] in ("start", "complete")]
        assert len(work) > 20
        for _case, stage, transition, day, resource in work:
            end = transition == "complete"
            # the log names the role, not the person: one of its people works then
            assert any(
                cal.is_working_instant(day, model.daily[resource], end, away)
                for away in model.away[resource]
            ), (stage, transition, day, resource)
    # and the timestamps are those instants as wall-clock times
    events = sim.simulate(s, 0)["events"]
    expected = pd.Timestamp(s.start_date) + pd.to_timedelta(events["time_days"], unit="D")
    assert (events["time:timestamp"] - expected).abs().max() < pd.Timedelta("1ms")


def test_work_that_would_end_after_the_run_never_ends_within_it():
    """A minute a week for 1000 hours of work: the conversion stops at the horizon (the
    candidate stays in process) instead of walking 60,000 years of days."""
    document = review("1000 hours", start=MONDAY, hours_per_week=1 / 60)
    tables = simulate({**document, "horizon_days": 30})
    assert list(tables["applicants"]["outcome"]) == ["in_process"]
    cal = WorkCalendar(MONDAY, until=10)
    assert cal.add_working_hours(0.0, 100, daily=1) == math.inf
    assert cal.add_business_days(0.0, 20) == math.inf


def test_calendar_null_is_continuous_time():
    """The presets work on a Mon-Fri calendar; `calendar: null` gives every hour to work in, so
    the same preset then has team members starting work at night and at weekends."""
    document = {"name": "same", "company": {"size": "large"}, "horizon_days": 60}

    def starts(events: pd.DataFrame) -> pd.Series:
        work = events[(events["lifecycle:transition"] == "start") & events["org:resource"].notna()]
        return work["time:timestamp"]

    plain = sim.load_scenario({**document, "calendar": None})
    continuous = starts(sim.simulate(plain, 0)["events"])
    working = starts(sim.simulate(sim.load_scenario(document), 0)["events"])
    assert (continuous.dt.day_of_week >= 5).any() and (continuous.dt.hour < 9).any()
    assert (working.dt.day_of_week < 5).all() and (working.dt.hour >= 9).all()


# -- team roles ---------------------------------------------------------------------------------


def test_team_shorthand_and_roles_read_alike():
    s = sim.load_scenario({"name": "t", "team": {HM: {"count": 2, "hours_per_week": 5}, REC: 3}})
    assert s.headcount() == {HM: 2, REC: 3}
    assert s.team[HM].hours_per_week == 5 and s.team[REC].hours_per_week is None
    dumped = s.model_dump()["team"]
    assert dumped[REC] == 3 and dumped[HM]["count"] == 2
    assert sim.load_scenario({**s.model_dump(), "name": "t"}) == s


def test_team_fields_can_be_overridden_and_swept_by_dotted_path():
    s = sim.load_scenario({"name": "t"})  # the preset's team is head counts
    assert sim.override(s, {"team.hiring_manager.hours_per_week": 4}).team[HM].hours_per_week == 4
    assert sim.override(s, {"team.recruiter.count": 5}).headcount()[REC] == 5
    swept = sim.load_scenario(
        {
            "name": "t",
            "sweep": {"team.hiring_manager.hours_per_week": [2, 5], "team.recruiter": [1, 3]},
        }
    )
    cells = sim.scenario.resolve.cells(swept)
    assert [(c.team[HM].hours_per_week, c.headcount()[REC]) for _, c in cells] == [
        (2, 1), (2, 3), (5, 1), (5, 3),
    ]  # fmt: skip


def test_working_time_fields_without_a_calendar_are_warned_about():
    from sim.scenario.checks import scenario_warnings

    document = {"name": "w", "team": {HM: {"hours_per_week": 5}}, "calendar": None}
    assert (
        "team.hiring_manager.hours_per_week: has no effect without a calendar (continuous time: "
        "every hour a working hour); add calendar: to use it"
    ) in scenario_warnings(sim.load_scenario(document))
    with_calendar = scenario_warnings(sim.load_scenario({**document, "calendar": {}}))
    assert not any("without a calendar" in line for line in with_calendar)


def test_the_report_describes_working_time_only_with_a_calendar():
    from sim.report import describe

    document = {"name": "r", "team": {HM: {"count": 1, "hours_per_week": 5, "workdays": ["tue"]}},
                "calendar": None}  # fmt: skip
    assert not any(
        line.startswith("Working time") for line in describe(sim.load_scenario(document))
    )
    with_calendar = {**document, "calendar": {"holidays": {"country": "US"}}}
    assert (
        "Working time: mon, tue, wed, thu, fri, 8 hours a day from 09:00, without US public "
        "holidays; hiring manager: 5 hours a week on tue, 15 vacation days a year; recruiter: "
        "32 hours a week, 15 vacation days a year."
    ) in describe(sim.load_scenario(with_calendar))


# -- bad input ----------------------------------------------------------------------------------

BAD = [
    (
        {"team": {HM: {"workdays": ["mon", "sat"]}}, "calendar": {}},
        "team.hiring_manager.workdays: sat not among the calendar's workdays (mon, tue, wed",
    ),  # fmt: skip
    (
        {"team": {HM: {"workdays": ["mon"], "hours_per_week": 20}}, "calendar": {}},
        "team.hiring_manager.hours_per_week: 20 is more than the role's working week of 8 hours",
    ),  # fmt: skip
    (
        {"team": {HM: {"absences": [{"start": "2026-03-02", "end": "2026-03-01"}]}}},
        "team.hiring_manager.absences.0: end (2026-03-01) is before start (2026-03-02)",
    ),  # fmt: skip
    (
        {"team": {HM: {"vacation_days_per_year": 260}}, "calendar": {}},
        "team.hiring_manager.vacation_days_per_year: must be less than the calendar's 260",
    ),  # fmt: skip
    ({"horizon_days": 1e6, "calendar": {}}, "horizon_days: with a calendar, at most 36600 days"),
    ({"calendar": {"workdays": ["mon", "funday"]}}, "calendar.workdays.1:"),
    ({"calendar": {"workdays": ["mon", "mon"]}}, "calendar.workdays: each weekday at most once"),
    ({"calendar": {"workdays": []}}, "calendar.workdays:"),
    ({"calendar": {"hours_per_day": 20}}, "calendar.hours_per_day: input should be less than"),
    ({"calendar": {"holidays": {"country": "XX"}}}, "calendar.holidays.country: unknown country"),
    (
        {"calendar": {"holidays": {"country": "US", "region": "ZZ"}}},
        "calendar.holidays: unknown region 'ZZ' of US",
    ),  # fmt: skip
    ({"calendar": {"holidays": ["2026-13-01"]}}, "calendar.holidays.dates.0:"),
    ({"calendar": {"holiday": ["2026-12-25"]}}, "calendar.holiday: unknown field (did you mean"),
    ({"team": {HM: {"hours_per_week": 0}}}, "team.hiring_manager.hours_per_week: input should be"),
    ({"team": {HM: {"hour_per_week": 5}}}, "team.hiring_manager.hour_per_week: unknown field (did"),
    ({"team": {HM: {"count": 0}}}, "team.hiring_manager.count: input should be greater"),
    (
        {"team": {HM: {"hours_per_week": 50}}, "calendar": {}},
        "team.hiring_manager.hours_per_week: 50 is more than the calendar's working week of 40",
    ),  # fmt: skip
    (
        {"stages": {"final_decision": {"duration": "2 hours"}}},
        "stages.final_decision.duration: unit hours makes no sense here",
    ),  # fmt: skip
    (
        {"stages": {"reference_checks": {"wait": "3 hours"}}},
        "stages.reference_checks.wait: unit hours makes no sense here: a wait holds no one",
    ),  # fmt: skip
    (
        {"candidate": {"patience": {"dist": "exponential", "mean": 9, "unit": "business_days"}}},
        "candidate.patience: unit business_days makes no sense here",
    ),  # fmt: skip
    (
        {"stages": {"negotiation": {"rounds": "2 days"}}},
        "stages.negotiation.rounds: unit days makes no sense here: rounds are a count",
    ),  # fmt: skip
    (
        {
            "stages": {
                "initial_review": {"duration": {"dist": "exponential", "mean": 2, "unit": "weeks"}}
            }
        },
        "stages.initial_review.duration.unit: input should be 'days', 'business_days' or 'hours'",
    ),  # fmt: skip
    (
        {"stages": {"initial_review": {"duration": "2 weeks"}}},
        'or a number and a unit as text ("2 hours"',
    ),  # fmt: skip
]


@pytest.mark.parametrize(("fields", "expected"), BAD, ids=[line for _, line in BAD])
def test_bad_calendar_team_and_unit_input_gets_one_line_naming_the_field(fields, expected):
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario({"name": "bad", **fields})
    assert any(expected in line for line in caught.value.problems), caught.value.problems


def test_the_load_estimate_reads_hiring_hours_as_the_model_does():
    """`Scenario.mean_days` (the load warning's clock) and the model's calendar share one
    computation of a person's hiring hours: part-time days and vacation included."""
    scenario = sim.load_scenario({
        "name": "part-time",
        "calendar": {"hours_per_day": 8},
        "team": {"hiring_manager": {"count": 3, "hours_per_week": 6,
                                    "vacation_days_per_year": 12, "workdays": ["tue", "thu"]}},
    })  # fmt: skip
    member = scenario.team["hiring_manager"]
    daily = WorkCalendar(MONDAY, hours_per_day=8).daily_hours(6, 12, 2)
    assert daily == pytest.approx(3 * (1 - 12 / 104))
    assert member.workdays == ["tue", "thu"]
    four_hours = scenario.stages.initial_review.duration.model_copy(update={"unit": "hours"})
    assert scenario.mean_days(four_hours, "hiring_manager") == pytest.approx(
        four_hours.mean / (daily * 2) * 7
    )


def test_work_past_the_calendars_end_never_ends_and_never_crashes():
    # business days that run past the calendar's last day end at infinity; the next working
    # instant (and more work, or more business days) from there is infinity too, not an
    # OverflowError (a heavy-tailed business-day duration crashed a run)
    cal = work_calendar(sim.load_scenario({"name": "far", "horizon_days": 30}))
    beyond = cal.add_business_days(0.0, 1e6)
    assert beyond == math.inf
    assert cal.next_working_instant(beyond) == math.inf
    assert cal.add_working_hours(beyond, 2.0) == math.inf
    assert cal.add_business_days(beyond, 1.0) == math.inf
