"""Kari's first contact through `moteklar run`, the real HTTP stack and a fake Bot API server."""

from __future__ import annotations

from tests.e2e.conftest import BotProcess
from tests.e2e.test_bad_input import unreachable
from tests.e2e.test_sharing import wait_until
from tests.fakebotapi import FakeBotApi, SentMessage

KARI = 5551234


def link_token(link: str) -> str:
    return link.rsplit("start=", 1)[1]


def press(api: FakeBotApi, message: SentMessage, label: str) -> int:
    data = dict(api.buttons(message))[label]
    return api.press_button(KARI, message.message_id, data)


def next_message(api: FakeBotApi, text: str) -> SentMessage:
    return api.wait_for_message(KARI, lambda m: text in m.text, after=0)


def test_kari_registers_and_no_call_is_rejected(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    link = bot.invite("--name", "Kari Nordmann", "--employer", "nav")
    assert link.startswith("https://t.me/moteklar_test_bot?start=")  # username stored from getMe

    api.send_text(KARI, f"/start {link_token(link)}")
    language = next_message(api, "Hvilket språk vil du at jeg skal bruke?")
    assert api.buttons(language) == [
        ("Bokmål", "v1:join:lang:nb"),
        ("Nynorsk", "v1:join:lang:nn"),
        ("English", "v1:join:lang:en"),
    ]
    update = press(api, language, "Bokmål")
    api.wait_for_callback_answer(update)
    name = next_message(api, "Heter du Kari Nordmann?")
    # The choice stays visible. The mark goes out side by side with the answer to the press
    # and the next question, so it is waited for, not assumed to have landed first.
    marked = api.wait_for_message(KARI, lambda m: m.text.endswith("✓ Bokmål"))
    assert marked.message_id == language.message_id and marked.reply_markup is None

    press(api, name, "Ja, det er meg")
    employer = next_message(api, "Hvor er du ansatt?")
    assert "I invitasjonen står det: Nav." in employer.text
    press(api, employer, "Nav")
    welcome = next_message(api, "Velkommen, Kari Nordmann!")
    assert "registrert som jobbspesialist" in welcome.text and "/hjelp" in welcome.text

    api.send_text(KARI, "/hjelp")
    next_message(api, "116 123")

    assert bot.stop() == 0
    rejected = [c for c in api.calls if not c.ok and c.method != "getUpdates"]
    assert rejected == []  # (a 409 on the last getUpdates at shutdown is PTB's own clean-up)
    assert api.commands() == ["start", "hjelp", "spraak", "avbryt", "mine_data", "slett"]
    assert api.commands("en") == ["start", "hjelp", "spraak", "avbryt", "mine_data", "slett"]
    assert api.token not in bot.log and "Kari" not in bot.log and "hjelp" not in bot.log


def test_updates_sent_while_the_bot_was_down_are_answered(api: FakeBotApi, bot: BotProcess) -> None:
    token = link_token(bot.invite("--name", "Kari Nordmann"))
    api.send_text(KARI, f"/start {token}")
    assert api.pending_update_count == 1
    bot.start()
    next_message(api, "Hvilket språk vil du at jeg skal bruke?")


def test_a_crash_in_the_middle_continues_where_kari_was(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    token = link_token(bot.invite("--name", "Kari Nordmann"))
    api.send_text(KARI, f"/start {token}")
    press(api, next_message(api, "Hvilket språk"), "Nynorsk")
    name = next_message(api, "Heiter du Kari Nordmann?")
    bot.kill()

    press(api, name, "Nei, eg skriv namnet sjølv")  # pressed while the bot is down
    bot.start()
    next_message(api, "Kva heiter du?")
    bot.kill()
    bot.start()
    api.send_text(KARI, "Kari Nordmann-Hansen")
    press(api, next_message(api, "Heiter du Kari Nordmann-Hansen?"), "Ja, det er meg")
    employer = next_message(api, "Kvar er du tilsett?")
    press(api, employer, "Helsetenesta")
    next_message(api, "Velkomen, Kari Nordmann-Hansen!")


def test_stale_buttons_stickers_and_unknown_links_get_kind_answers(
    api: FakeBotApi, bot: BotProcess
) -> None:
    bot.start()
    api.send_text(KARI, "/start this-token-does-not-exist")
    next_message(api, "Denne lenken kjenner jeg ikke igjen.")

    token = link_token(bot.invite("--name", "Kari Nordmann"))
    api.send_text(KARI, f"/start {token}")
    language = next_message(api, "Hvilket språk")
    press(api, language, "Bokmål")
    next_message(api, "Heter du")
    # Another button on the message whose first press was taken: a double tap, told so.
    again = api.press_button(KARI, language.message_id, "v1:join:lang:en", check_button=False)
    answer = api.wait_for_callback_answer(again)
    assert answer.params["text"] == "Jeg har allerede fått svaret ditt på dette."

    api.send_sticker(KARI)
    next_message(api, "Jeg kan bare lese tekst")
    api.send_text(KARI, "x" * 4097)  # more than Telegram sends in one message
    next_message(api, "opptil 4096 tegn")
    api.send_text(KARI, f"/start {token}x")
    next_message(api, "Denne lenken kjenner jeg ikke igjen.")
    assert bot.running


def test_telegram_errors_are_survived(api: FakeBotApi, bot: BotProcess) -> None:
    api.inject_error(
        "setMyCommands", status=400, description="Bad Request: BOT_COMMAND_INVALID", times=3
    )
    bot.start()

    api.inject_error(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    api.send_text(KARI, "hei")
    api.wait_for_call("sendMessage", lambda c: c.status == 403)
    # Recorded before she writes again (a reply handled first would be held back by it).
    wait_until(lambda: f"telegram:{KARI}" in unreachable(bot))

    api.inject_error(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    api.send_text(KARI, "hei igjen")
    retried = next_message(api, "Møteklar hjelper deg å forberede møter om jobb")
    assert retried.text
    statuses = [c.status for c in api.calls_to("sendMessage")]
    assert statuses == [403, 429, 200]
    assert bot.running
    assert bot.stop() == 0
    assert "could not set the command menu" in bot.log
    assert "blocked the bot" in bot.log
