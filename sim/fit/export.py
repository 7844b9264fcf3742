"""An event log CSV read into one clean table, or a `FitError` listing what is wrong with it.

The clean table has one row per event: `case`, `stage` (one of ours), `transition` (schedule,
assign, start or complete; `complete` where the export has no lifecycle column), `time` (a
pandas datetime), `outcome` (hired, rejected, withdrew, declined, in_process or empty),
`requisition`, `resource` (empty if none) and `world` (one replication of hiresim's own log;
else "1"), `ended` (when the candidate's outcome row says they left, in hiresim's own log;
NaT without one) and `opened` (when an approved candidate who waited on the backup list was
given an opening: hiresim's `opening_given`; NaT without one). Outcome and milestone rows of
hiresim's own log (`rejected`, `offer`, ...) set the candidate's outcome and are not stage
visits; `--outcomes` maps other status words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.scenario.stages import JOURNEY, MILESTONES, OPENING_GIVEN, OUTCOMES, REJECTION_NOTICE

MAX_SHOWN = 5  # rows named in one problem line


class FitError(Exception):
    """A bad export or option: its `lines` are printed one per problem, exit status 2."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Columns:
    """The export's column names for each thing the fit reads (process-mining names by default)."""

    case: str = "case:concept:name"
    stage: str = "concept:name"
    time: str = "time:timestamp"
    lifecycle: str = "lifecycle:transition"
    outcome: str = "outcome"
    requisition: str = "requisition"
    resource: str = "org:resource"


OWN_CASE = r"^(c\d+-r\d+-q\d+)-a\d+$"
"""hiresim's own case ids: cell, replication, requisition, applicant."""
OWN_WORLD = r"^(c\d+-r\d+)-q\d+-a\d+$"
TRANSITIONS = ("schedule", "assign", "start", "complete")
IGNORED = {REJECTION_NOTICE, "filled", *MILESTONES}
"""Event names that are neither a journey stage nor an outcome: read and left out."""


def _rows(index) -> str:
    """'rows 3, 7 and 9' (1-based file lines, the header being line 1)."""
    lines = [str(i + 2) for i in list(index)[:MAX_SHOWN]]
    more = f" and {len(index) - MAX_SHOWN:,} more" if len(index) > MAX_SHOWN else ""
    return ("row " if len(lines) == 1 else "rows ") + ", ".join(lines) + more


def read_export(path: str | Path, columns: Columns = Columns(),
                stage_map: dict[str, str] | None = None,
                outcome_map: dict[str, str] | None = None) -> pd.DataFrame:  # fmt: skip
    """The clean event table of the export at `path` (see the module's docstring)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise FitError([f"{path}: no such file"]) from None
    except pd.errors.EmptyDataError:
        raise FitError([f"{path}: the file is empty; give an export with a header row"]) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise FitError([f"{path}: cannot read as CSV: {str(err).splitlines()[0][:120]}"]) from None
    if raw.empty:
        raise FitError([f"{path}: no rows under the header; the export is empty"])
    needed = {"--case-col": columns.case, "--stage-col": columns.stage, "--time-col": columns.time}
    missing = [f"{path}: no column {name!r} (name it with {option})"
               for option, name in needed.items() if name not in raw.columns]  # fmt: skip
    if missing:
        raise FitError(missing + [f"{path}: its columns are {', '.join(map(repr, raw.columns))}"])
    return clean(raw, columns, stage_map, outcome_map, source=path)


def from_events(events: pd.DataFrame, source: str = "the simulated log") -> pd.DataFrame:
    """The clean table of hiresim's own `events` DataFrame (as `sim.run` returns it), read
    exactly as its `events.csv` would be: every cell as text, missing ones empty."""
    raw = events.astype(object).where(events.notna(), "").astype(str)
    return clean(raw.reset_index(drop=True), source=source)


def clean(
    raw: pd.DataFrame,
    columns: Columns = Columns(),
    stage_map: dict | None = None,
    outcome_map: dict | None = None,
    source: str | Path = "the export",
) -> pd.DataFrame:
    """The clean table of `raw`, an export's cells as text (what `read_export` read); its
    problems name `source`."""
    return _clean(source, raw, columns, stage_map or {}, outcome_map or {})


def _clean(path, raw: pd.DataFrame, columns: Columns, stage_map: dict,
           outcome_map: dict) -> pd.DataFrame:  # fmt: skip
    problems = []
    table = pd.DataFrame({"case": raw[columns.case].str.strip(),
                          "stage": raw[columns.stage].str.strip()})  # fmt: skip
    blank = table.index[table.case.eq("")]
    if len(blank):
        problems.append(f"{path}: {_rows(blank)}: column {columns.case!r} is empty")
    text = raw[columns.time].str.strip()
    times = pd.to_datetime(text, format="mixed", errors="coerce", utc=True)
    bad = times.index[times.isna()]
    if len(bad):
        shown = text[bad[0]][:30]
        problems.append(f"{path}: {_rows(bad)}: column {columns.time!r} is not a date "
                        f"({shown!r})")  # fmt: skip
    table["time"] = times.dt.tz_localize(None)
    names = set(JOURNEY) | set(OUTCOMES) | IGNORED
    table["stage"] = table.stage.map(lambda s: stage_map.get(s, s))
    unknown = table.index[~table.stage.isin(names)]
    if len(unknown):
        words = sorted(set(table.stage[unknown]))[:MAX_SHOWN]
        problems.append(f"{path}: {_rows(unknown)}: column {columns.stage!r} has stage names "
                        f"hiresim does not know ({', '.join(map(repr, words))}); map them to "
                        f"{', '.join(JOURNEY)} with --stages MAP.yaml")  # fmt: skip
    if columns.lifecycle in raw.columns:
        table["transition"] = raw[columns.lifecycle].str.strip().str.lower()
        odd = table.index[~table.transition.isin(TRANSITIONS)]
        if len(odd):
            problems.append(f"{path}: {_rows(odd)}: column {columns.lifecycle!r} must be one of "
                            f"{', '.join(TRANSITIONS)}")  # fmt: skip
    else:
        table["transition"] = "complete"
    table["outcome"] = ""
    if columns.outcome in raw.columns:
        words = {str(k).strip().lower(): v for k, v in outcome_map.items()}
        table["outcome"] = raw[columns.outcome].str.strip().str.lower().replace(words)
        odd = table.index[~table.outcome.isin(("", *OUTCOMES))]
        if len(odd):
            problems.append(f"{path}: {_rows(odd)}: column {columns.outcome!r} must be one of "
                            f"{', '.join(OUTCOMES)} (or empty)")  # fmt: skip
    if columns.requisition in raw.columns:
        table["requisition"] = raw[columns.requisition].str.strip()
    else:  # hiresim's own case ids name the requisition (c0-r0-q3-a12: q3); else one for all
        own = table.case.str.extract(OWN_CASE, expand=False)
        table["requisition"] = own if own.notna().all() else "1"
    world = table.case.str.extract(OWN_WORLD, expand=False)  # one replication of hiresim's
    table["world"] = world if world.notna().all() else "1"
    table["resource"] = (raw[columns.resource].str.strip() if columns.resource in raw.columns
                         else "")  # fmt: skip
    if problems:
        raise FitError(problems)
    table = table.drop_duplicates()
    backwards = _backwards(table)
    if len(backwards):
        problems.append(f"{path}: {_rows(backwards)}: column {columns.time!r} goes backwards "
                        "for the candidate (earlier than the row before it)")  # fmt: skip
        raise FitError(problems)
    own = table.stage.isin(OUTCOMES)  # hiresim's own log: the outcome as an event
    finals = table[own].groupby("case").stage.last().to_dict()
    ended = table[own].groupby("case").time.max()  # when the outcome row says they left
    none = pd.Series(pd.NaT, index=table.index, dtype=table.time.dtype)
    table["ended"] = table.case.map(ended) if len(ended) else none
    given = table[table.stage.eq(OPENING_GIVEN)].groupby("case").time.max()
    table["opened"] = table.case.map(given) if len(given) else none  # off the backup list
    empty = table.outcome.eq("")
    table.loc[empty, "outcome"] = [finals.get(case, "") for case in table.case[empty]]
    table = table[table.stage.isin(JOURNEY)]
    if table.empty:
        raise FitError([f"{path}: no row names a stage ({', '.join(JOURNEY)})"])
    return table.reset_index(drop=True)


def _backwards(table: pd.DataFrame) -> pd.Index:
    """Rows earlier than the row before them for the same candidate (in file order)."""
    previous = table.groupby("case").time.shift()
    return table.index[table.time < previous]
