"""The recruiter's status updates: news to every waiting candidate, on a cadence.

From the interview until the offer, every `every` a recruiter spends `duration` telling the
candidate where things stand; each update resets the candidate's silence
(`HiringModel.news`). An update under way when the candidate leaves ends with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy import Interrupt

from sim.model.records import COMPLETE, SCHEDULE, START
from sim.scenario.stages import STATUS_UPDATE

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate
    from sim.scenario.candidates import StatusUpdates as StatusUpdatesSpec


class StatusUpdates:
    """One requisition's updates. Cadence and work draw from its `every:status_update` and
    `duration:status_update` streams."""

    __slots__ = ("env", "log", "model", "resource", "role", "person", "every", "duration",
                 "every_span", "work_span", "until_working")  # fmt: skip

    def __init__(self, model: HiringModel, spec: StatusUpdatesSpec, requisition: int):
        streams = model.streams
        self.env, self.log, self.model = model.env, model.records.events.append, model
        self.resource = spec.resource
        self.role, self.person, daily, away = model.holder(spec.resource, requisition)
        self.every = spec.every.draws(streams.rng(f"every:{STATUS_UPDATE}", requisition))
        self.duration = spec.duration.draws(streams.rng(f"duration:{STATUS_UPDATE}", requisition))
        clock = model.clock
        self.every_span = clock.span(spec.every.unit)
        self.work_span = clock.span(spec.duration.unit, daily, self.role is not None, away)
        self.until_working = clock.until_working(daily, away) if self.role is not None else None

    def keep_warm(self, c: Candidate):
        """The candidate's updates, until the offer or the candidate's outcome."""
        env, log, resource, role, person = self.env, self.log, self.resource, self.role, self.person
        every_span, work_span = self.every_span, self.work_span
        while True:
            draw = next(self.every)
            yield env.timeout(draw if every_span is None else every_span(env.now, draw))
            if not c.open or c.offered:
                return
            log((c.case, STATUS_UPDATE, SCHEDULE, env.now, resource))
            c.updating = [env.active_process, False]  # (process, started)
            # asked of the person at once: no `assign` row, it would be the `schedule`'s twin
            request = role.request(person) if role is not None else None
            try:
                if request is not None:
                    yield request
                    if self.until_working is not None:
                        lag = self.until_working(env.now)
                        if lag > 0:
                            yield env.timeout(lag)
                log((c.case, STATUS_UPDATE, START, env.now, resource))
                c.updating[1] = True
                draw = next(self.duration)
                yield env.timeout(draw if work_span is None else work_span(env.now, draw))
            except Interrupt:  # the candidate left (`cut`)
                if request is not None:
                    role.let_go(request, person)
                return
            if request is not None:
                role.let_go(request, person)
            c.updating = None
            log((c.case, STATUS_UPDATE, COMPLETE, env.now, resource))
            self.model.news(c)

    def cut(self, c: Candidate) -> None:
        """The candidate leaves during an update: it ends now (logged before the outcome)."""
        process, started = c.updating
        c.updating = None
        if started:
            self.log((c.case, STATUS_UPDATE, COMPLETE, self.env.now, self.resource))
        process.interrupt("candidate left")
