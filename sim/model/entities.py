"""The things the model moves and keeps: candidates, requisitions, and stage plans.

Each requisition owns its random streams (`sim.streams`), keyed by its index, so its
candidates' draws do not depend on anything else in the scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.distributions import BLOCK
from sim.scenario.types import Stage
from sim.streams import Streams

if TYPE_CHECKING:
    from sim.model.core import HiringModel


def _uniforms(rng) -> Iterator[float]:
    while True:
        yield from rng.random(BLOCK).tolist()


def _normals(rng) -> Iterator[float]:
    while True:
        yield from rng.standard_normal(BLOCK).tolist()


class Plan:
    """One stage as one requisition runs it: the spec plus its own random streams."""

    __slots__ = ("name", "enabled", "resource", "wait", "duration", "uniform", "pass_prob")

    def __init__(self, name: str, spec: Stage, streams: Streams, requisition: int):
        self.name = name
        self.enabled = spec.enabled
        self.resource = spec.resource
        self.pass_prob = spec.pass_prob
        if not spec.enabled:
            return
        self.duration = spec.duration.draws(streams.rng(f"duration:{name}", requisition))
        self.wait = spec.wait.draws(streams.rng(f"wait:{name}", requisition)) if spec.wait else None
        self.uniform = _uniforms(streams.rng(f"pass:{name}", requisition))


class Session:
    """A group's work under way: its process and members, so it can end when all have left."""

    __slots__ = ("process", "members", "ended")

    def __init__(self, process, members):
        self.process, self.members, self.ended = process, members, False

    def member_left(self) -> None:
        if not self.ended and not any(c.open for c in self.members):
            self.ended = True
            self.process.interrupt("everyone left")


class Candidate:
    __slots__ = (
        "case", "req", "applicant", "search", "arrived", "quality", "patience", "proc",
        "open", "offered", "slot", "accepted", "reviewed", "stage", "offer_day", "wake",
        "session",
    )  # fmt: skip

    def __init__(self, case, req, applicant, search, arrived, quality, patience):
        self.case, self.req, self.applicant, self.search = case, req, applicant, search
        self.arrived, self.quality, self.patience = arrived, quality, patience
        self.open = True  # outcome not yet decided
        self.offered = self.slot = self.accepted = self.reviewed = False
        self.stage = "initial_review"
        self.offer_day = None
        self.wake = None
        self.session = None  # the group session (pool review, meeting) under way for them


class Requisition:
    """One open position (or several: `openings`) and the search that fills it."""

    def __init__(self, model: HiringModel, index: int):
        s, streams = model.scenario, model.streams
        self.index = index
        self.openings = s.company.openings
        self.active: dict[int, Candidate] = {}  # undecided candidates, in arrival order
        self.line: list = []  # approved candidates waiting for a free opening, best first
        self.pool: list[Candidate] = []  # passed review, waiting for the shortlist
        self.pool_round = 0
        self.pending_review = 0  # candidates of the search not yet through initial review
        self.held = 0  # openings held by an offer in progress or an acceptance
        self.accepted = 0
        self.applicants = 0
        self.searches = 0
        self.arriving = self.reopening = False
        self.arrival_rng = streams.rng("arrival", index)
        self.quality = _normals(streams.rng("quality", index))
        patience = s.candidate.patience
        self.patience = patience.draws(streams.rng("patience", index)) if patience else None
        self.second_choice = _uniforms(streams.rng("second_interview_choice", index))
        negotiation = s.stages.negotiation
        self.rounds = negotiation.rounds.draws(streams.rng("rounds:negotiation", index))
        self.plans = {name: Plan(name, spec, streams, index) for name, spec in s.stages.items()}
        follow_up = s.stages.follow_up
        self.plans["second_interview"] = Plan(
            "second_interview", follow_up.second_interview, streams, index
        )
        # the rejection email or call: the follow-up's resource, without its wait (approvals)
        notice = Stage(
            enabled=follow_up.enabled and follow_up.rejection_duration is not None,
            resource=follow_up.resource,
            duration=follow_up.rejection_duration or 0.0,
        )
        self.plans["rejection_notice"] = Plan("rejection_notice", notice, streams, index)

    @property
    def filled(self) -> bool:
        return self.accepted >= self.openings
