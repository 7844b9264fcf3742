"""What the model moves and keeps: candidates, and the requisitions they apply to.

Each requisition owns its random streams (`sim.streams`), keyed by its index, so its
candidates' draws do not depend on anything else in the scenario.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.distributions import block_sizes
from sim.streams import Streams

if TYPE_CHECKING:
    from sim.model.stages import Route
    from sim.model.stages.session import Session
    from sim.scenario.candidates import Candidate as CandidateSpec


def blocks(rng, kind: str = "standard_normal") -> Iterator[float]:
    """Endless draws from `rng`, fetched in blocks: `kind` names the generator's method
    (`standard_normal`, `standard_exponential`, `random` for uniform [0, 1))."""
    draw = getattr(rng, kind)
    # a C-level chain: `next()` on it runs no Python frame between blocks
    return itertools.chain.from_iterable(draw(size).tolist() for size in block_sizes())


class Candidate:
    """One interviewed candidate: who, when, how good, how patient, and where they are."""

    __slots__ = (
        "case", "req", "applicant", "search", "arrived", "quality", "patience", "proc",
        "open", "offered", "slot", "accepted", "reviewed", "stage", "offer_day", "wake",
        "session", "precision", "assessment", "finalist", "outside", "tolerance", "news",
        "updating", "backup", "cohort", "timers",
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
        # what the company has seen (`sim.model.assessment`): precision 0, nothing yet
        self.precision = 0.0
        self.assessment = 0.0
        self.finalist = False  # kept by the shortlist (or promoted from its reserve), undecided
        self.outside = False  # holds an outside offer
        self.tolerance = None  # days without news the candidate tolerates (None: any)
        self.news = 0  # pieces of news heard: a silence timer set before the last one is void
        self.updating = None  # the recruiter's status update under way, if any
        self.backup = False  # approved, on the backup list (until given an opening)
        self.cohort: int | None = None  # the shortlist (or reserve promotion) that made it a
        # finalist: its offer waits for that cohort, and earlier ones, to be decided
        self.timers: list = []  # its pending timeouts (`HiringModel.timer`), void once decided


class Requisition:
    """One open position (or several: `openings`) and the search that fills it: who arrives,
    their qualities and patience (streams `arrival`, `quality`, `patience`), and the `route`
    they take."""

    def __init__(
        self,
        index: int,
        openings: int,
        candidate: CandidateSpec,
        streams: Streams,
        route: Route,
        opened: float = 0.0,
    ):
        self.index = index
        self.openings = openings
        self.opened = opened  # the day the requisition opened
        self.route = route
        self.active: dict[int, Candidate] = {}  # undecided candidates, in arrival order
        self.line: list = []  # the ranked backup list: approved candidates waiting for an
        # opening, best assessed first
        self.reserve: list = []  # ranked below the shortlist's `keep`, best assessed first
        self.finalists = 0  # kept by the shortlist and not yet approved or gone
        self.undecided: dict[int, int] = {}  # of them, per cohort (none at 0)
        self.cohorts = 0  # cohorts of finalists so far
        self.offers = 0  # offers extended
        self.ranks_on_quality = False  # rankings sort on true quality: no stage assesses
        self.lost = 0  # openings given and then lost (declined, withdrawn, reneged) in the
        # current search
        self.held = 0  # openings held by an offer in progress or an acceptance
        self.accepted = 0  # openings accepted (hires included), less any backed out
        self.hired = 0
        self.filled_day: float | None = None  # when the last opening was accepted, while filled
        self.started_day: float | None = None  # when the last opening's hire started
        self.applicants = 0
        self.searches = 0
        self.arriving = self.reopening = False
        self.arrival_rng = streams.rng("arrival", index)
        self.quality = blocks(streams.rng("quality", index))
        patience = candidate.patience
        self.patience = patience.draws(streams.rng("patience", index)) if patience else None
        # the candidates' other behaviour (`candidate` as in effect), each its own stream
        outside, silence, renege = candidate.outside_offers, candidate.silence, candidate.renege
        self.outside_offer = (blocks(streams.rng("outside_offer", index), "standard_exponential")
                              if outside else None)  # fmt: skip
        self.deliberation = (outside.deliberation.draws(streams.rng("deliberation", index))
                             if outside and outside.deliberation else None)  # fmt: skip
        self.tolerance = (silence.tolerance.draws(streams.rng("tolerance", index))
                          if silence else None)  # fmt: skip
        self.renege = blocks(streams.rng("renege", index), "random") if renege else None
        self.renege_after = (renege.after.draws(streams.rng("renege_after", index))
                             if renege else None)  # fmt: skip

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

    def fill_slots(self) -> list[Candidate]:
        """Hand free openings to the best approved candidates on the backup list; the best
        waits while a finalist of its cohort (or an earlier one) is undecided, so that they are
        compared. Return who got an opening."""
        given, line = [], self.line
        while line and self.held < self.openings:
            c = line[0][2]
            if c.open and c.cohort is not None and any(
                    k <= c.cohort for k in self.undecided):  # fmt: skip
                break
            heapq.heappop(line)
            if c.open:
                c.slot, c.backup = True, False
                self.held += 1
                given.append(c)
                c.wake.succeed()
        return given

    def shortlisted(self, c: Candidate, cohort: int) -> None:
        """`c` is a finalist of `cohort` until approved or gone (`decided`)."""
        c.finalist, c.cohort = True, cohort
        self.finalists += 1
        self.undecided[cohort] = self.undecided.get(cohort, 0) + 1

    def decided(self, c: Candidate) -> None:
        """A finalist is approved (onto the backup list) or gone."""
        if c.finalist:
            c.finalist = False
            self.finalists -= 1
            left = self.undecided[c.cohort] - 1
            if left:
                self.undecided[c.cohort] = left
            else:
                del self.undecided[c.cohort]

    def next_reserve(self, n: int) -> list[Candidate]:
        """The best `n` of the reserve still there, taken off it."""
        taken = []
        while self.reserve and len(taken) < n:
            c = heapq.heappop(self.reserve)[2]
            if c.open:
                taken.append(c)
        return taken

    def waiting(self, ranked: list) -> bool:
        """Whether a ranked list (line or reserve) holds anyone still there."""
        while ranked and not ranked[0][2].open:
            heapq.heappop(ranked)
        return bool(ranked)
