"""The team's own queues (`sim.model.team.Role`) against `simpy.Resource`, which they replace.

Clients arrive on whole days (so many things happen at the same instant, where the order of
events matters), hold a unit for whole days, some come back at once for a second piece of work
(as a candidate goes from one stage to the next), and some are interrupted (a withdrawal) while
waiting or while served. Driven alike, the two must grant, release and record the role's levels
at the same instants and in the same order; and no queue ever hands out more than its capacity,
first come first served.
"""

from __future__ import annotations

import functools

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st
from simpy import Interrupt

from sim.model.team import Role


class SimpyRole:
    """The role as it was built on `simpy.Resource` (the oracle)."""

    def __init__(self, env, name, size, levels, owned):
        self.env, self.name, self.levels = env, name, levels
        self.people = [simpy.Resource(env, 1) for _ in range(size)] if owned else [
            simpy.Resource(env, size)]  # fmt: skip
        self._seen = [(0, 0)] * len(self.people)
        self._level = [0, 0]

    def _record(self, person, _event=None):
        busy, waiting = len(self.people[person].users), len(self.people[person].queue)
        was_busy, was_waiting = self._seen[person]
        self._seen[person] = (busy, waiting)
        self._level[0] += busy - was_busy
        self._level[1] += waiting - was_waiting
        self.levels.append((self.env.now, self.name, self._level[0], self._level[1]))

    def request(self, person=0):
        request = self.people[person].request()
        self._record(person)
        return request

    def let_go(self, request, person=0):
        if request.triggered:
            release = request.resource.release(request)
            release.callbacks.append(functools.partial(self._record, person))
        else:
            request.cancel()
            self._record(person)


CLIENT = st.tuples(
    st.integers(0, 6),  # arrival day
    st.integers(0, 3),  # days of work
    st.integers(0, 3),  # which person (owned roles)
    st.booleans(),  # comes back at once for a second piece of work
    st.none() | st.integers(0, 8),  # interrupted (withdraws) that many days after arriving
)


def simulate(role_class, clients, size, owned):
    """Run the clients against a role; return what happened, and the role's level rows."""
    env, levels, log = simpy.Environment(), [], []
    role = role_class(env, "team", size, levels, owned)

    def work(k, person, days, piece):
        request = role.request(person)
        log.append((env.now, k, piece, "request"))
        try:
            yield request
            log.append((env.now, k, piece, "start"))
            yield env.timeout(days)
        except Interrupt:
            role.let_go(request, person)
            log.append((env.now, k, piece, "withdrew"))
            raise
        role.let_go(request, person)
        log.append((env.now, k, piece, "done"))

    def client(k, arrive, days, person, again):
        try:
            yield env.timeout(arrive)
            yield from work(k, person, days, 0)
            if again:
                yield from work(k, person, days, 1)
        except Interrupt:
            pass

    for k, (arrive, days, person, again, leaves) in enumerate(clients):
        process = env.process(client(k, arrive, days, person % size if owned else 0, again))
        if leaves is not None:

            def leave(_event, process=process):
                if process.is_alive:
                    process.interrupt()

            env.timeout(arrive + leaves).callbacks.append(leave)
    env.run()
    return log, levels


@settings(max_examples=150, deadline=None)
@given(st.lists(CLIENT, max_size=14), st.integers(1, 3), st.booleans())
def test_role_queues_as_simpy_resource(clients, size, owned):
    ours, theirs = simulate(Role, clients, size, owned), simulate(SimpyRole, clients, size, owned)
    assert ours == theirs
    log, levels = ours
    assert all(0 <= busy <= size and queue >= 0 for _, _, busy, queue in levels)
    # first come first served: per person, work starts in the order it was asked for
    asked, started = {}, {}
    for _, k, piece, what in log:
        person = clients[k][2] % size if owned else 0
        if what == "request":
            asked.setdefault(person, []).append((k, piece))
        elif what == "start":
            started.setdefault(person, []).append((k, piece))
    for person, order in started.items():
        assert order == [who for who in asked[person] if who in order]


def test_a_withdrawal_leaves_the_queue():
    """One person busy for 5 days; the second client withdraws on day 1, so the third is next."""
    log, levels = simulate(Role, [(0, 5, 0, False, None), (0, 2, 0, False, 1),
                                  (0, 2, 0, False, None)], size=1, owned=False)  # fmt: skip
    assert [(t, k, what) for t, k, _, what in log if what != "request"] == [
        (0, 0, "start"),
        (1, 1, "withdrew"),
        (5, 0, "done"),
        (5, 2, "start"),
        (7, 2, "done"),
    ]
    assert levels == [(0, "team", 1, 0), (0, "team", 1, 1), (0, "team", 1, 2), (1, "team", 1, 1),
                      (5, "team", 1, 0), (7, "team", 0, 0)]  # fmt: skip
