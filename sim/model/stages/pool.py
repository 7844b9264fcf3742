"""The shortlisting pool: candidates who passed review gather, one session compares them, and
the best `keep` by assessment go on as finalists; the rest wait in the requisition's reserve,
ranked, until the finalists run out (`HiringModel.advance`), the requisition fills or
`reserve_days` pass.

A pool closes when every candidate of the search has been through initial review (passed,
failed or withdrawn), or `pool_days` after its first member joined, whichever comes first.
Later candidates form the next pool.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from sim.model.assessment import Assessor, rank_key
from sim.model.records import COMPLETE, SCHEDULE
from sim.model.stages.session import GroupStage
from sim.scenario.stages import FILLED
from sim.scenario.types import Shortlisting

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate


class ShortlistPool(GroupStage):
    """One requisition's pools, one after another. Its session waits and durations draw from
    the requisition's `wait:<name>` and `duration:<name>` streams."""

    def __init__(self, model: HiringModel, name: str, spec: Shortlisting, requisition: int):
        streams = model.streams
        wait = spec.wait.draws(streams.rng(f"wait:{name}", requisition)) if spec.wait else None
        duration = spec.duration.draws(streams.rng(f"duration:{name}", requisition))
        units = (spec.wait.unit if spec.wait else None, spec.duration.unit)
        super().__init__(model, name, spec.resource, wait, duration, units, requisition)
        self.spawn, self.model = model.spawn, model
        self.keep, self.pool_days, self.reserve_days = spec.keep, spec.pool_days, spec.reserve_days
        self.assessor = (Assessor(model, name, spec.validity, 1.0, requisition)
                         if spec.validity is not None else None)  # fmt: skip
        self.members: list[Candidate] = []  # the pool gathering now
        self.round = 0  # pools closed so far: a deadline of an earlier pool does nothing
        self.pending = 0  # candidates of the search not yet through initial review

    # -- the search's side: who is still to come through review -----------------------------

    def expect(self, n: int) -> None:
        """A search begins with `n` candidates to come."""
        self.pending += n

    def not_coming(self, n: int) -> None:
        """The search ended with `n` of its candidates never arriving (the position filled)."""
        self.pending -= n
        self._maybe_close()

    def reviewed(self, c: Candidate) -> None:
        """The candidate is through initial review: in the pool, rejected or gone."""
        if not c.reviewed:
            c.reviewed = True
            self.pending -= 1
            self._maybe_close()

    # -- the candidate's side ----------------------------------------------------------------

    def visit(self, c: Candidate):
        """Join the pool; return whether the shortlist keeps the candidate."""
        env, name = self.env, self.name
        c.stage = name
        self.log((c.case, name, SCHEDULE, env.now, self.resource))
        if not self.members and self.pool_days is not None:
            round_ = self.round
            env.timeout(self.pool_days).callbacks.append(
                lambda _event: self.round == round_ and self._close()
            )
        c.wake = env.event()
        self.members.append(c)
        self.reviewed(c)
        return (yield c.wake)

    # -- closing and comparing -----------------------------------------------------------------

    def _maybe_close(self) -> None:
        if self.members and self.pending <= 0:
            self._close()

    def _close(self) -> None:
        members = [c for c in self.members if c.open]
        self.members = []
        self.round += 1
        if members:
            self.spawn(self._shortlist(members))

    def _shortlist(self, members: list[Candidate]):
        """One session comparing the pool; the best `keep` by assessment go on, the others
        join the reserve."""
        yield from self.session(members)
        members = [c for c in members if c.open]
        if not members:
            return
        if self.assessor is not None:
            for c in members:
                self.assessor.see(c)
        ranked = sorted(members, key=lambda c: (-rank_key(c), c.case))
        env, name, resource = self.env, self.name, self.resource
        req = members[0].req
        cohort = req.cohorts
        req.cohorts += 1
        for rank, c in enumerate(ranked):
            self.log((c.case, name, COMPLETE, env.now, resource))
            if rank < self.keep:
                self.go_on(c, cohort)
            else:
                self._hold(c)
        self.model.advance(req)

    def go_on(self, c: Candidate, cohort: int) -> None:
        """The candidate is a finalist of `cohort`: offers wait until it is decided on."""
        c.req.shortlisted(c, cohort)
        c.wake.succeed(True)

    def _hold(self, c: Candidate) -> None:
        """Into the reserve, ranked; rejected after `reserve_days` unless promoted."""
        heapq.heappush(c.req.reserve, (-rank_key(c), c.case, c))
        if self.reserve_days is not None:
            wake, stop = c.wake, self.model.stop
            self.model.timer(c, self.reserve_days, lambda _event: wake.triggered or stop(c, FILLED))
