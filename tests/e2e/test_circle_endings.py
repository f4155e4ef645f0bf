"""When Møteklar ends for a job seeker, through `moteklar run` and the fake Bot API: nobody is
told that Ola took anything back (he did not: Kari ended it), Ola is told truthfully what stays
stored and how to see and delete it, and /mine_data and /slett still work for him. Before that,
words the bot does not understand get a kind answer that points Ola to /snakke."""

from __future__ import annotations

from tests.e2e.conftest import BotProcess
from tests.e2e.test_delivery import settled
from tests.e2e.test_privacy import TWO_DAYS_AND_MORE, database
from tests.e2e.test_sharing import Agenda, circle, prepare, share, visible_text, wait_until
from tests.fakebotapi import FakeBotApi, SentMessage

UNHAPPY = "jeg har det ikke bra i dag"  # not a crisis phrase: the "not understood" answer


def test_ending_moteklar_blames_nobody_and_leaves_ola_his_data_rights(
    api: FakeBotApi, bot: BotProcess
) -> None:
    bot.start()
    kari, ola, per, nina = circle(api, bot, "nav", approve_nina=True)
    agenda = Agenda(f"END{ola.id}x", True, False, ["money"], ["behandler"], True, False)
    prepare(ola, agenda)

    # Nina's copy is over two days old when it is taken back (overwritten); Per's and Kari's
    # are younger (deleted).
    share(ola, "Nina Lie", [])
    nina_copy = nina.expect("Fra Ola Hansen før samarbeidsmøtet")
    api.advance_clock(TWO_DAYS_AND_MORE)
    share(ola, "Per Berg", [])
    per.expect("Ola Hansen vil at du forklarer dette:")
    share(ola, "Kari Nordmann", [])
    kari.expect("Fra Ola Hansen før samarbeidsmøtet")

    # Words the bot does not understand: kind, /snakke (he has a jobbspesialist), help at once.
    ola.send("/avbryt")  # out of /deling: outside any conversation
    ola.expect("Greit, vi stoppet")
    ola.send(UNHAPPY)
    answer = ola.expect("Jeg er en bot og forstår bare kommandoene og knappene.")
    assert "Ingen leser det du skriver her." in answer.text
    assert "kan du bruke /snakke" in answer.text and "116 123" in answer.text
    kari.send("kan du vise meg noe")  # a professional keeps the reply as it was
    told_kari = kari.expect("Jeg er en bot, så jeg forstår bare kommandoene og knappene.")
    assert "/snakke" not in told_kari.text

    kari.send("/inviter")
    kari.press(kari.expect("Gruppen til Ola Hansen"), "Avslutt Møteklar for Ola Hansen")
    kari.press(kari.expect("Vil du avslutte Møteklar for Ola Hansen?"), "Ja, avslutt")
    kari.expect("Møteklar er avsluttet for Ola Hansen.")

    # Per and Nina: told once, in the message saying they left, that the copy is taken away.
    for person in (per, nina):
        ended = person.expect("Møteklar er avsluttet for Ola Hansen")
        assert "Det Ola Hansen delte med deg her, er tatt bort." in ended.text
    kari.expect("er tatt bort fordi Møteklar er avsluttet for Ola Hansen")

    def nina_now() -> SentMessage:
        return next(m for m in api.messages_to(nina.id) if m.message_id == nina_copy.message_id)

    wait_until(lambda: "fordi du ikke lenger er med i gruppen" in nina_now().text)
    wait_until(lambda: not any(m in visible_text(api, per) for m in agenda.all_markers))
    # Ola is told what is true: nobody else sees it, and his data is his to see and delete.
    told = ola.expect("Kari Nordmann har avsluttet Møteklar for deg.")
    assert "Ingen andre kan se møtene dine her lenger." in told.text
    assert "/mine_data" in told.text and "/slett" in told.text
    settled(bot)
    for person in (kari, per, nina):
        assert "trukket tilbake" not in visible_text(api, person), person.id

    # Without a jobbspesialist there is nobody for /snakke to tell: it is not offered.
    ola.send(UNHAPPY)
    alone = ola.expect("Jeg er en bot og forstår bare kommandoene og knappene.")
    assert "/snakke" not in alone.text and "116 123" in alone.text

    ola.send("/mine_data")
    ola.expect("Dette har Møteklar lagret om deg")
    document = api.wait_for_message(ola.id, lambda m: m.document is not None, after=ola.seen)
    assert (
        document.file_data is not None and agenda.all_markers.pop().encode() in document.file_data
    )

    ola.send("/slett")
    ola.press(ola.expect("Vil du slette alt om deg?"), "Ja, slett alt")
    ola.expect("Alt om deg er slettet fra Møteklar.")
    with database(bot.workdir / "moteklar.db") as db:
        address = f"telegram:{ola.id}"
        assert not db.execute("SELECT 1 FROM people WHERE address = ?", (address,)).fetchall()
