"""Which candidates the journeys chart shows (`sample_cases`), and keeping only their events
while a replication's event log streams by (`JourneyKeeper`), so the chart of a run of a
million candidates costs the memory of a few hundred journeys, not of the whole log.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.scenario.stages import OUTCOMES

ENDINGS = tuple(o for o in OUTCOMES if o != "in_process")
"""The events that end a journey: each candidate has at most one."""
JOURNEY_CASES = 20
"""How many journeys the chart shows."""
CASE = "case:concept:name"


def case_exits(events: pd.DataFrame, end_day: float | None = None) -> pd.DataFrame:
    """One row per candidate of `events` (by name): the day of its `first` event, its
    `outcome` (in_process if none) and the day of its `exit` (for those still in process,
    `end_day`, or else the last event's day)."""
    exits = events.groupby(CASE).agg(first=("time_days", "min"))
    ended = events[events["concept:name"].isin(ENDINGS)]
    ends = ended.groupby(CASE).agg(outcome=("concept:name", "last"), exit=("time_days", "last"))
    exits = exits.join(ends)
    exits["outcome"] = exits["outcome"].fillna("in_process")
    if end_day is None:
        end_day = float(events["time_days"].max()) if len(events) else 0.0
    exits["exit"] = exits["exit"].fillna(end_day)
    return exits


def sample_cases(exits: pd.DataFrame, n: int, counts: Mapping[str, int] | None = None
                 ) -> list[str]:  # fmt: skip
    """Up to n candidates of `exits` (`case_exits`), a share of each outcome (the first of
    each by name; rare outcomes first, by `counts` of each outcome in the whole run when
    `exits` holds only some of it), in order of their first event."""
    groups = {o: list(g.index) for o, g in exits.groupby("outcome", sort=False)}
    sizes = {o: len(cases) for o, cases in groups.items()} if counts is None else counts
    chosen: list[str] = []
    order = sorted(groups, key=lambda o: sizes[o])
    while len(chosen) < n and any(groups.values()):
        for outcome in order:
            if groups[outcome] and len(chosen) < n:
                chosen.append(groups[outcome].pop(0))
    return sorted(chosen, key=lambda case: exits.loc[case, "first"])


class JourneyKeeper:
    """The events `sample_cases` would choose from one replication's whole event log, kept
    from its rows fed in the order recorded (`add`, chunk by chunk): it holds the events of
    every candidate still in process and of the first `n` by name of each outcome, and counts
    the rest, so what it holds is bounded by the candidates in process at once."""

    def __init__(self, n: int = JOURNEY_CASES):
        self.n = n
        self.kept: pd.DataFrame | None = None
        self.kept_cases = np.empty(0, dtype=np.int64)  # each kept row's case number
        self.counts = dict.fromkeys(ENDINGS, 0)
        self.best: dict[str, list[tuple[str, int]]] = {o: [] for o in ENDINGS}
        self.dropped = np.zeros(0, dtype=bool)  # by case number: a case no sample can choose

    def add(self, rows: pd.DataFrame, cases: np.ndarray) -> None:
        """More rows of the event log (with `case:concept:name`, `concept:name` and
        `time_days`), in the order recorded; `cases`: each row's case number."""
        if not len(rows):
            return
        cases = np.asarray(cases, dtype=np.int64)
        if len(self.dropped) <= cases.max():
            self.dropped = np.append(self.dropped, np.zeros(cases.max() + 1 - len(self.dropped),
                                                            dtype=bool))  # fmt: skip
        fresh = ~self.dropped[cases]
        rows, cases = rows[fresh], cases[fresh]
        names = rows["concept:name"].to_numpy()
        ending = np.isin(names, ENDINGS)
        for outcome in ENDINGS:
            mine = names[ending] == outcome
            if not mine.any():
                continue
            self.counts[outcome] += int(mine.sum())
            decided = zip(rows[CASE].to_numpy()[ending][mine], cases[ending][mine], strict=True)
            ranked = sorted([*self.best[outcome], *decided])
            self.best[outcome] = ranked[: self.n]
            for _, case in ranked[self.n :]:
                self.dropped[case] = True
        if self.kept is None:
            self.kept, self.kept_cases = rows, cases
        else:
            self.kept = pd.concat([self.kept, rows], ignore_index=True)
            self.kept_cases = np.concatenate([self.kept_cases, cases])
        alive = ~self.dropped[self.kept_cases]
        if not alive.all():
            self.kept, self.kept_cases = self.kept[alive], self.kept_cases[alive]

    def events(self) -> pd.DataFrame | None:
        """The events of the candidates the chart shows, in the order recorded (None if
        nothing was added)."""
        if self.kept is None:
            return None
        kept = self.kept.reset_index(drop=True)
        exits = case_exits(kept)
        counts = {**self.counts, "in_process": int((exits["outcome"] == "in_process").sum())}
        chosen = sample_cases(exits, self.n, counts)
        return kept[kept[CASE].isin(chosen)].reset_index(drop=True)
