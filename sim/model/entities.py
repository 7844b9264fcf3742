"""What the model moves and keeps: candidates, and the requisitions they apply to.

Each requisition owns its random streams (`sim.streams`), keyed by its index, so its
candidates' draws do not depend on anything else in the scenario.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.distributions import BLOCK, Distribution
from sim.streams import Streams

if TYPE_CHECKING:
    from sim.model.stages import Route
    from sim.model.stages.session import Session


def _normals(rng) -> Iterator[float]:
    while True:
        yield from rng.standard_normal(BLOCK).tolist()


class Candidate:
    """One interviewed candidate: who, when, how good, how patient, and where they are."""

    __slots__ = (
        "case", "req", "applicant", "search", "arrived", "quality", "patience", "proc",
        "open", "offered", "slot", "accepted", "reviewed", "stage", "offer_day", "wake",
        "session",
    )  # fmt: skip

    def __init__(self, case, req, applicant, search, arrived, quality, patience, stage):
        self.case, self.req, self.applicant, self.search = case, req, applicant, search
        self.arrived, self.quality, self.patience = arrived, quality, patience
        self.open = True  # outcome not yet decided
        self.offered = self.slot = self.accepted = self.reviewed = False
        self.stage: str = stage  # where the candidate is (its exit stage once it leaves)
        self.offer_day = None
        self.wake = None
        self.session: Session | None = None  # the group session (pool, meeting) under way


class Requisition:
    """One open position (or several: `openings`) and the search that fills it: who arrives,
    their qualities and patience (streams `arrival`, `quality`, `patience`), and the `route`
    they take."""

    def __init__(
        self,
        index: int,
        openings: int,
        patience: Distribution | None,
        streams: Streams,
        route: Route,
        opened: float = 0.0,
    ):
        self.index = index
        self.openings = openings
        self.opened = opened  # the day the requisition opened
        self.route = route
        self.active: dict[int, Candidate] = {}  # undecided candidates, in arrival order
        self.line: list = []  # approved candidates waiting for a free opening, best first
        self.held = 0  # openings held by an offer in progress or an acceptance
        self.accepted = 0  # openings accepted (hires included), less any backed out
        self.hired = 0
        self.filled_day: float | None = None  # when the last opening was accepted, while filled
        self.started_day: float | None = None  # when the last opening's hire started
        self.applicants = 0
        self.searches = 0
        self.arriving = self.reopening = False
        self.arrival_rng = streams.rng("arrival", index)
        self.quality = _normals(streams.rng("quality", index))
        self.patience = patience.draws(streams.rng("patience", index)) if patience else None

    @property
    def filled(self) -> bool:
        return self.accepted >= self.openings

    def accept(self, now: float) -> None:
        """A candidate accepted an opening: the requisition fills with its last one."""
        self.accepted += 1
        if self.accepted == self.openings:
            self.filled_day = now

    def back_out(self) -> None:
        """An accepted candidate left before starting: the opening is free again."""
        self.accepted -= 1
        self.filled_day = None

    def hire(self, now: float) -> None:
        """An accepted candidate started: the requisition is staffed with its last opening."""
        self.hired += 1
        if self.hired == self.openings:
            self.started_day = now

    def record(self) -> tuple:
        """The requisition's row now, laid out as `sim.model.records.RequisitionRecord`."""
        return (self.index, self.opened, self.openings, self.accepted, self.filled_day,
                self.hired, self.started_day, self.applicants, self.searches)  # fmt: skip

    def fill_slots(self) -> None:
        """Hand free openings to the best approved candidates waiting in line."""
        while self.line and self.held < self.openings:
            c = heapq.heappop(self.line)[2]
            if c.open:
                c.slot = True
                self.held += 1
                c.wake.succeed()
