"""Work done once for a group: a shortlisting pool's review, a committee's meeting.

A session holds one unit of its resource for one duration, whoever of its members is still
there; it ends early when every member has left (withdrawn or been turned away).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from simpy import Interrupt

from sim.model.records import ASSIGN, START

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate


class Session:
    """A group's work under way: its process and members, so it can end when all have left."""

    __slots__ = ("process", "members", "ended")

    def __init__(self, process, members):
        self.process, self.members, self.ended = process, members, False

    def member_left(self) -> None:
        if not self.ended and not any(c.open for c in self.members):
            self.ended = True
            self.process.interrupt("everyone left")


class GroupStage:
    """A stage whose work is done in sessions, for everyone gathered at once."""

    def __init__(
        self,
        model: HiringModel,
        name: str,
        resource: str | None,
        wait: Iterator[float] | None,
        duration: Iterator[float],
        units: tuple[str | None, str | None] = (None, None),
        requisition: int | None = None,
    ):
        self.env, self.log = model.env, model.records.events.append  # of Event rows
        self.assigned = model.records.assigns.append  # of Assign rows
        self.name, self.resource = name, resource
        # `requisition`: whose sessions these are (its owner works them); None, the company's
        self.role, self.person, daily, away = model.holder(resource, requisition)
        self.wait = wait
        """Before each session, holding no one; None: none."""
        self.duration = duration
        clock = model.clock
        self.wait_span = clock.span(units[0])
        """`units`: the wait's and the duration's; spans as in `sim.model.stages.plain`."""
        self.work_span = clock.span(units[1], daily, self.role is not None, away)
        self.until_working = clock.until_working(daily, away) if self.role is not None else None

    def session(self, members: list[Candidate]):
        """Wait, take the resource, and work for those of `members` still there. With a
        resource, each member still there when the wait ends gets its `assign` then (those
        still there once the person is free, their `Records.assigns` row)."""
        env, name, resource = self.env, self.name, self.resource
        wait_span, work_span = self.wait_span, self.work_span
        if self.wait is not None:
            draw = next(self.wait)
            yield env.timeout(draw if wait_span is None else wait_span(env.now, draw))
        request = self.role.request(self.person) if self.role is not None else None
        if request is not None:
            asked = env.now  # the wait is over: queueing for the person from now
            for c in members:  # those still there (each visit's own `assign`)
                if c.open:
                    self.log((c.case, name, ASSIGN, asked, resource))
            yield request
            for c in members:  # those still there: asked, granted
                if c.open:
                    self.assigned((c.case, name, asked, env.now))
            if self.until_working is not None:  # the holder starts in working time
                lag = self.until_working(env.now)
                if lag > 0:
                    yield env.timeout(lag)
        present = [c for c in members if c.open]
        if present:  # everyone may have left while the session waited for its resource
            session = Session(env.active_process, present)
            for c in present:
                self.log((c.case, name, START, env.now, resource))
                c.session = session
            with contextlib.suppress(Interrupt):  # everyone left during the session: it ends
                draw = next(self.duration)
                yield env.timeout(draw if work_span is None else work_span(env.now, draw))
            session.ended = True
            for c in present:
                c.session = None
        if request is not None:
            self.role.let_go(request, self.person)
