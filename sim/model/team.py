"""The team: each role's people, queueing first come first served, and the level records.

A role is a pool (one queue for `size` people: one unit of capacity each) or, when it owns
requisitions, one queue per person (capacity 1). The queues are our own, not `simpy.Resource`:
SimPy's builds a `Request` and a `Release` object per use, each running its queue triggers,
and that machinery took a fifth of the model's time on the reference benchmark. These do the
same for the one way the model uses a resource (request, then release or withdraw), in the same
order, down to the instant within an instant:

- a request joins the back of the queue, then the head of the queue is given a free unit if
  there is one (SimPy's `_trigger_put`: the head, which is not always the new request);
- a withdrawal (a request still waiting) leaves the queue and gives nothing to anyone;
- a release frees its unit at once, but hands it to the head of the queue only when the release
  is processed, later in the same instant (SimPy's `Release` event), unless a request in
  between did so first.

Every grant is an event scheduled at the moment SimPy would schedule its `Request`, and the
release an event scheduled where SimPy schedules its `Release`: the run's events keep their
order, so its results are the same, bit for bit. `tests/test_team.py` checks the queues against
`simpy.Resource`.
"""

from __future__ import annotations

from collections import deque

import simpy
from simpy.events import Event


class Role:
    """One team role: `size` people, queueing first come first served. As a pool (the default)
    they share one queue, of capacity `size`, across every requisition; a role that owns
    requisitions has one queue of capacity 1 per person, and a requisition's work queues for
    its owner only. Every change of the role's level (people busy, requests waiting, over all
    its people) is appended to `levels`."""

    __slots__ = ("env", "name", "levels", "capacity", "busy", "queues", "_seen", "_level",
                 "_released")  # fmt: skip

    def __init__(
        self, env: simpy.Environment, name: str, size: int, levels: list[tuple], owned: bool
    ):
        self.env, self.name, self.levels = env, name, levels
        people = size if owned else 1
        self.capacity = [1 if owned else size] * people  # units each queue hands out
        self.busy = [0] * people  # units held, per queue
        self.queues = [deque() for _ in range(people)]  # waiting requests, first come first
        # each person's (busy, waiting) as last recorded, and the role's totals: a change is
        # always one person's, so the totals move by that person's difference
        self._seen = [(0, 0)] * people
        self._level = [0, 0]
        self._released = [self._releaser(person) for person in range(people)]

    def owner(self, requisition: int) -> int:
        """The person who works on `requisition`: its owner, taken in turn as requisitions
        open (0 for a pool, whose one queue is everyone)."""
        return requisition % len(self.queues)

    def _record(self, person: int) -> None:
        """Append the role's level now, as a `Level` row, after a change of `person`'s."""
        busy, waiting = self.busy[person], len(self.queues[person])
        was_busy, was_waiting = self._seen[person]
        self._seen[person] = (busy, waiting)
        level = self._level
        level[0] += busy - was_busy
        level[1] += waiting - was_waiting
        self.levels.append((self.env.now, self.name, level[0], level[1]))

    def _hand_over(self, person: int) -> None:
        """Give a free unit, if any, to the head of `person`'s queue (one at most, as SimPy)."""
        queue = self.queues[person]
        if queue and self.busy[person] < self.capacity[person]:
            self.busy[person] += 1
            queue.popleft().succeed()

    def _releaser(self, person: int):
        """What a processed release of `person`'s does: hand the unit over, record the level."""

        def released(_event) -> None:
            self._hand_over(person)
            self._record(person)

        return released

    def request(self, person: int = 0) -> Event:
        """A request for one unit of `person`'s (0: the pool's): an event that succeeds when it
        is granted, at once if a unit is free and no one is waiting."""
        queue = self.queues[person]
        if not queue and self.busy[person] < self.capacity[person]:
            self.busy[person] += 1
            granted = self.env.timeout(0)  # an event triggered now: the cheapest SimPy has
        else:
            granted = Event(self.env)
            queue.append(granted)
            self._hand_over(person)
        self._record(person)
        return granted

    def let_go(self, request: Event, person: int = 0) -> None:
        """Release a unit held, or withdraw a request still waiting (of `person`'s)."""
        if request.triggered:
            self.busy[person] -= 1
            self.env.timeout(0).callbacks.append(self._released[person])
        else:
            self.queues[person].remove(request)
            self._record(person)
