"""Requisitions retired during the run (`HiringModel._retire`) and candidates let go once decided:
a retired requisition's row is the one the end of the run would have written, and nothing
holds a decided candidate's requisition through its timers."""

from __future__ import annotations

from pathlib import Path

import sim
from sim.model.core import HiringModel
from sim.model.records import Records

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_a_retired_requisition_row_is_the_one_the_end_would_write(monkeypatch):
    scenario = sim.load_scenario(SCENARIOS / "reopen_on_decline.yaml")
    retired = []
    original = HiringModel._retire

    def keep(self, req):  # the test keeps what the model lets go, to ask it again at the end
        retired.append(req)
        original(self, req)

    monkeypatch.setattr(HiringModel, "_retire", keep)
    model = HiringModel(scenario, 0, records=Records(0))
    records = model.run()
    assert retired, "no requisition retired before the end: the test shows nothing"
    rows = {row[0]: row for row in records.requisitions}
    assert len(rows) == len(records.requisitions)
    assert [row[0] for row in records.requisitions] == sorted(rows)  # in the order opened
    for req in retired:
        assert req.index not in model.reqs
        assert not req.active and not req.arriving and not req.reopening
        assert rows[req.index] == req.record()  # unchanged since it retired


def test_a_decided_candidate_holds_no_pending_timer():
    scenario = sim.load_scenario(SCENARIOS / "mid_baseline.yaml")
    model = HiringModel(scenario, 0, records=Records(0))
    model.run()
    for req in model.reqs.values():
        for c in req.active.values():
            assert c.open  # the undecided only; decided ones left `active`
    pending = [event for _, _, _, event in model.env._queue if event.callbacks]
    for event in pending:
        for callback in event.callbacks:
            for cell in getattr(callback, "__closure__", None) or ():
                held = cell.cell_contents
                assert getattr(held, "open", True), "a decided candidate is still held"
