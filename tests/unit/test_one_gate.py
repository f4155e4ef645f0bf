"""The Gate is the only door: read from the source, so a new flow cannot quietly add another.

- Flows never touch the unit of work: they read through ``turn.gate`` and change things
  through services (``turn.change``, ``turn.entry``).
- Nothing in the core outside the Gate (``bot/core/access.py``) reads a repository that holds
  people's data; services and the engine may write, never read around the Gate.
- Invitations are read only by ``bot/core/invitations.py`` (opening one is how anyone comes in).
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
GATE = CORE / "access.py"
INVITATIONS = CORE / "invitations.py"

PERSONAL = {
    "people",
    "memberships",
    "meetings",
    "preparations",
    "agendas",
    "shares",
    "personal",
    "followups",
    "agreements",
    "agreement_shares",
    "carryovers",
}
READS = {
    "get",
    "by_address",
    "all",
    "count",
    "with_role",
    "colleagues",
    "of_jobseeker",
    "of_member",
    "of_attendee",
    "of_preparation",
    "latest",
    "for_meeting",
    "of_recipient",
    "of_person",
    "export",
    "task",
    "untallied",
    "past_retention",
    "stale",
    "expired",
}
INVITATION_READS = {"get", "by_token_hash", "open"}


def _uow_calls(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, repository, method) of every ``<...>uow.<repository>.<method>(...)`` call."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        repository = node.func.value
        if not isinstance(repository, ast.Attribute):
            continue
        owner = repository.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if name in {"uow", "_uow"}:
            found.append((node.lineno, repository.attr, node.func.attr))
    return found


def _touches_uow(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in {"uow", "_uow"})
        or (isinstance(node, ast.Name) and node.id == "uow")
    ]


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_there_are_modules_to_check() -> None:
    flows = [p for p in core_modules() if "flows" in p.parts]
    assert len(flows) >= 6 and GATE in core_modules()


def test_flows_never_touch_the_unit_of_work() -> None:
    offenders = [
        f"{path.relative_to(CORE)}:{line}"
        for path in core_modules()
        if "flows" in path.parts and path.name != "base.py"
        for line in _touches_uow(ast.parse(path.read_text("utf-8")))
    ]
    assert offenders == [], "flows read through turn.gate and change through services"


def test_only_the_gate_reads_peoples_data() -> None:
    offenders = [
        f"{path.relative_to(CORE)}:{line} {repository}.{method}"
        for path in core_modules()
        if path != GATE
        for line, repository, method in _uow_calls(ast.parse(path.read_text("utf-8")))
        if repository in PERSONAL and method in READS
    ]
    assert offenders == [], "read other people's data through bot/core/access.py"


def test_only_the_invitation_service_reads_invitations() -> None:
    offenders = [
        f"{path.relative_to(CORE)}:{line} invitations.{method}"
        for path in core_modules()
        if path not in {GATE, INVITATIONS}
        for line, repository, method in _uow_calls(ast.parse(path.read_text("utf-8")))
        if repository == "invitations" and method in INVITATION_READS
    ]
    assert offenders == []


def test_the_checks_see_a_read_around_the_gate() -> None:
    """The rule itself: these lines, in a flow, would be caught."""
    sneaky = ast.parse(
        "async def f(turn):\n"
        "    await turn.uow.people.get(3)\n"
        "    await self._uow.meetings.of_attendee(4)\n"
    )
    assert [(r, m) for _, r, m in _uow_calls(sneaky)] == [
        ("people", "get"),
        ("meetings", "of_attendee"),
    ]
    assert _touches_uow(sneaky)
