"""What the company sees of a candidate: noisy signals of quality, and the bars they must clear.

Quality is standard normal. A stage with a `validity` r observes a signal s = quality + noise,
the noise normal with variance 1/r^2 - 1, so that corr(s, quality) = r (the figure the
selection literature reports for interviews, reference checks, ...). A candidate's running
assessment is the posterior mean of quality given every signal so far, with precision
sum(r^2 / (1 - r^2)): m = sum(precision_i s_i) / (1 + sum(precision_i)). A signal of validity
1 is quality itself.

A stage passes the candidates whose running assessment clears its bar. The bar is the
(1 - pass_prob) quantile of the assessments of the last `WINDOW` candidates to reach the stage
in the replication, so `pass_prob` stays the share passing among those who reach it, whatever
selected them before (a manager grades on the curve of those they see). Before any candidate
has reached it, the window holds the quantiles of the assessments of those who would reach it
through the bars before it (`starting_windows`).
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from sim.model.entities import blocks

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate

WINDOW = 1000
"""Candidates whose assessments set a stage's bar: the most recent to reach it."""
STRIDE = 617
"""Prime to WINDOW: the order in which the starting quantiles leave the window."""


def precision(validity: float) -> float:
    """A signal's precision (inverse noise variance): r^2 / (1 - r^2); infinite at r = 1."""
    return math.inf if validity >= 1 else validity**2 / (1 - validity**2)


def observe(c: Candidate, signal_precision: float, noise: float, root: float | None = None) -> None:
    """Update `c`'s running assessment with one signal (noise a standard normal draw; `root`,
    if given, the square root of `signal_precision`, worked out once by the caller)."""
    if signal_precision == math.inf or c.precision == math.inf:
        c.precision, c.assessment = math.inf, c.quality
        return
    signal = c.quality + noise / (math.sqrt(signal_precision) if root is None else root)
    before = 1 + c.precision
    c.precision += signal_precision
    c.assessment = (c.assessment * before + signal_precision * signal) / (1 + c.precision)


def rank_key(c: Candidate) -> float:
    """What a ranking sorts on: the running assessment (0, the mean, for a candidate not yet
    assessed); true quality when no stage of the scenario assesses (a route without any
    `validity` ranks as if quality were seen, as before assessments existed)."""
    return c.quality if c.req.ranks_on_quality else c.assessment


class Bar:
    """One stage's bar, shared by every requisition of the replication."""

    __slots__ = ("pass_prob", "values", "order", "cut")

    def __init__(self, pass_prob: float, prior: list[float]):
        self.pass_prob = pass_prob
        self.values = sorted(prior)
        # the bar's place in the sorted window: its length never changes (one in, one out)
        self.cut = min(len(self.values) - 1, int((1 - pass_prob) * len(self.values)))
        # oldest first: the prior goes first, spread over its quantiles (a stride prime to the
        # window), so the bar stays put while candidates replace it (lowest first would raise
        # it: 47% passing instead of 60% among the first thousand)
        self.order = deque(self.values[(i * STRIDE) % WINDOW] for i in range(WINDOW))

    def passes(self, assessment: float) -> bool:
        """Whether `assessment` clears the bar; then it joins the window."""
        values, order = self.values, self.order
        passed = assessment > values[self.cut]
        del values[bisect.bisect_left(values, order.popleft())]
        bisect.insort(values, assessment)
        order.append(assessment)
        return passed


class Assessor:
    """One stage as one requisition's candidates meet it: the signal (the requisition's
    `signal:<name>` stream) and the stage's bar."""

    __slots__ = ("precision", "root", "noise", "bar")

    def __init__(self, model: HiringModel, name: str, validity: float, pass_prob: float,
                 requisition: int):  # fmt: skip
        self.precision = precision(validity)
        self.root = math.sqrt(self.precision)
        self.noise = blocks(model.streams.rng(f"signal:{name}", requisition))
        self.bar = model.bar(name, pass_prob)

    def see(self, c: Candidate) -> None:
        """Observe the candidate: one signal into the running assessment."""
        observe(c, self.precision, next(self.noise), self.root)

    def judge(self, c: Candidate) -> bool:
        """Observe the candidate; return whether the assessment clears the bar."""
        observe(c, self.precision, next(self.noise), self.root)
        bar = self.bar
        pass_prob = bar.pass_prob
        if pass_prob >= 1:
            return True
        if pass_prob <= 0:
            return False
        return bar.passes(c.assessment)


PRIOR_CANDIDATES = 20_000
"""Candidates put through the stages' bars, once per replication, for their starting windows."""


@functools.lru_cache(maxsize=16)
def starting_windows(stages: tuple[tuple[str, float, float], ...]) -> dict[str, list[float]]:
    """For each assessing stage (name, validity, pass_prob), in the order candidates meet them,
    the WINDOW quantiles of the assessments of those who reach it, when everyone interviewed
    goes through the stages before it and their bars (fixed seed: the scenario's, not a draw
    of the run). Exact for a chain of bars; a shortlist's ranking or withdrawals in between
    select differently, and the window adapts to them as candidates arrive. The same for every
    replication of a scenario: kept (about 7 ms each for four stages), never changed (a `Bar`
    sorts a copy)."""
    rng = np.random.default_rng(0)
    quality = rng.standard_normal(PRIOR_CANDIDATES)
    total = np.zeros(PRIOR_CANDIDATES)
    seen = np.zeros(PRIOR_CANDIDATES)  # the running assessments
    reaching = np.ones(PRIOR_CANDIDATES, dtype=bool)
    levels = (np.arange(WINDOW) + 0.5) / WINDOW
    windows = {}
    for name, validity, pass_prob in stages:
        signal_precision = precision(validity)
        if math.isinf(signal_precision) or np.isinf(total).any():
            seen, total = quality.copy(), np.full(PRIOR_CANDIDATES, np.inf)
        else:
            signal = quality + rng.standard_normal(PRIOR_CANDIDATES) / math.sqrt(signal_precision)
            seen = (seen * (1 + total) + signal_precision * signal) / (1 + total + signal_precision)
            total = total + signal_precision
        reached = seen[reaching] if reaching.any() else seen  # none pass before: as everyone
        windows[name] = np.quantile(reached, levels).tolist()
        if pass_prob < 1:
            reaching &= seen > np.quantile(reached, 1 - pass_prob) if pass_prob > 0 else False
    return windows
