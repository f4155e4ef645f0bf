from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.invitations import (
    VALID_FOR,
    Invitation,
    InvitationProblem,
    hash_token,
    invitation_link,
    is_payload,
    new_token,
)
from bot.domain.people import Role

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_tokens_are_long_random_and_fit_telegram_payloads() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(is_payload(t) and len(t) == 32 for t in tokens)  # 24 bytes = 192 bits
    assert hash_token("abc") != "abc" and len(hash_token("abc")) == 64


def test_payload_rules_match_telegram() -> None:
    assert is_payload("A-z_09") and is_payload("x" * 64)
    assert not is_payload("") and not is_payload("x" * 65) and not is_payload("a b")
    assert not is_payload("æøå")


def test_link_uses_the_username_when_known() -> None:
    assert invitation_link("tok", "moteklar_bot") == "https://t.me/moteklar_bot?start=tok"
    assert invitation_link("tok", None) == "start=tok"


def test_problems_in_order_of_importance() -> None:
    fresh = Invitation(1, Role.JOBBSPESIALIST, "Kari", NOW, NOW + VALID_FOR)
    assert fresh.problem_for("a", NOW) is None
    claimed = replace(fresh, claimed_by="a")
    assert claimed.problem_for("a", NOW) is None
    assert claimed.problem_for("b", NOW) is InvitationProblem.TAKEN
    assert fresh.problem_for("a", NOW + VALID_FOR) is InvitationProblem.EXPIRED
    assert fresh.problem_for("a", NOW + VALID_FOR - timedelta(seconds=1)) is None
    used = replace(claimed, used_at=NOW)
    assert used.problem_for("a", NOW) is InvitationProblem.USED
    revoked = replace(used, revoked_at=NOW)
    assert revoked.problem_for("a", NOW) is InvitationProblem.REVOKED
