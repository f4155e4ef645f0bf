"""Telegram's 4096-character limit is met by splitting, never by cutting."""

from __future__ import annotations

from bot.rendering.renderer import split_message


def test_short_text_is_one_part() -> None:
    assert split_message("Hei!\n\nHvordan går det?") == ["Hei!\n\nHvordan går det?"]


def test_long_text_splits_at_paragraphs_and_keeps_every_word() -> None:
    paragraphs = [f"<b>Punkt {n}</b>\n" + ("ord " * 150).strip() for n in range(20)]
    text = "\n\n".join(paragraphs)
    parts = split_message(text, limit=1000)
    assert all(len(part) <= 1000 for part in parts) and len(parts) > 1
    assert "\n\n".join(parts) == text
    assert all(part.count("<b>") == part.count("</b>") for part in parts)


def test_a_split_never_falls_inside_a_tag_or_entity() -> None:
    text = ("a" * 95) + "&amp;" + ("b" * 95) + "<b>x</b>" + "c" * 50
    parts = split_message(text, limit=98)
    assert "".join(parts) == text
    assert all(not p.endswith(("&", "&am", "<", "<b")) for p in parts)
    assert "&amp;" in "".join(parts) and all("&am" not in p or "&amp;" in p for p in parts)


def test_a_tag_open_at_a_cut_is_closed_and_reopened() -> None:
    answer = "\n".join(f"linje {n} med mine egne ord" for n in range(400))
    text = f"Du skrev:\n<i>{answer}</i>\nSkriv et nytt svar."
    parts = split_message(text, limit=1000)
    assert len(parts) > 1 and all(len(part) <= 1000 for part in parts)
    for part in parts:
        assert part.count("<i>") == part.count("</i>")
    plain = "\n".join(part.replace("<i>", "").replace("</i>", "") for part in parts)
    assert " ".join(plain.split()) == " ".join(text.replace("<i>", "").replace("</i>", "").split())
