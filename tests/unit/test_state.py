"""A flow's typed data: read once per turn, written back before the state is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.state import ConversationState, FlowData


@dataclass
class Data(FlowData):
    jobseeker: int | None = None
    chosen: list[int] = field(default_factory=list)


def test_changes_to_the_view_are_kept_when_flushed() -> None:
    state = ConversationState("sched", "who", {"jobseeker": 3, "old_key": "x"})
    data = state.view(Data)
    assert (data.jobseeker, data.chosen) == (3, [])  # unknown keys ignored, missing defaulted
    data.chosen.append(7)
    assert state.view(Data) is data  # one object per turn
    state.flush()
    assert state.data == {"jobseeker": 3, "chosen": [7]}


def test_entering_another_flow_starts_with_fresh_data() -> None:
    state = ConversationState("sched", "who", {"jobseeker": 3})
    state.view(Data).chosen.append(1)
    state.go("sched", "day")  # the same flow keeps its data
    assert state.view(Data).chosen == [1]
    state.go("inv", "act")
    assert state.view(Data) == Data()
    state.clear()
    assert (state.flow, state.step, state.data, state.active) == ("", "", {}, False)
