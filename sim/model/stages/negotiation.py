"""After the offer: negotiation rounds, then the candidate's final decision.

Either can end in a decline. Both are plain stages (wait, work, a draw) with their own chance of
going on: a round's is staying (`1 - walk_away_prob`), the final decision's is accepting, which
falls with every week from interview to offer, and with an outside offer in hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model.stages.plain import PlainStage
from sim.scenario.types import MAX_ROUNDS, FinalDecision, Negotiation

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate


class NegotiationRounds(PlainStage):
    """A random number of rounds (the requisition's `rounds:<name>` stream), each a visit of
    the stage; after each the candidate walks away with `walk_away_prob`."""

    __slots__ = ("rounds",)

    def __init__(self, model: HiringModel, name: str, spec: Negotiation, requisition: int):
        super().__init__(model, name, spec, requisition)
        self.pass_prob = 1 - spec.walk_away_prob  # a round "passes" when the candidate stays
        self.rounds = spec.rounds.draws(model.streams.rng(f"rounds:{name}", requisition))

    def visit(self, c: Candidate):
        """Return whether the candidate stays through every round."""
        rounds = min(MAX_ROUNDS, max(0, int(next(self.rounds) + 0.5)))  # half rounds up
        for _ in range(rounds):
            if not (yield from PlainStage.visit(self, c)):
                return False
        return True


class AcceptanceDecision(PlainStage):
    """The candidate's time to decide (`duration`), then accepting with `accept_prob` less
    `accept_prob_loss_per_week` for each week from interview to offer."""

    __slots__ = ("accept_prob", "loss_per_week", "outside_factor")

    def __init__(self, model: HiringModel, name: str, spec: FinalDecision, requisition: int):
        super().__init__(model, name, spec, requisition)
        self.accept_prob, self.loss_per_week = spec.accept_prob, spec.accept_prob_loss_per_week
        outside = model.outside  # the outside offers in effect
        self.outside_factor = outside.accept_factor if outside is not None else 1.0

    def chance(self, c: Candidate, pass_prob: float | None) -> float:
        """The chance of accepting, as the candidate decides: less for a slow offer, and
        less again when an outside offer is in hand."""
        weeks = (c.offer_day - c.arrived) / 7
        accept = max(0.0, self.accept_prob - self.loss_per_week * weeks)
        return accept * self.outside_factor if c.outside else accept
