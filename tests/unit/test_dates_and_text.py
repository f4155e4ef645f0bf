"""Norwegian dates and the translation of texts marked in the core."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.text import N_, NP_
from bot.domain.people import Locale
from bot.rendering.dates import DateFormatter
from bot.rendering.i18n import translate

OSLO = ZoneInfo("Europe/Oslo")


def test_norwegian_date_and_time_follow_spraakraadet() -> None:
    dates = DateFormatter("Europe/Oslo")
    meeting = datetime(2026, 12, 10, 10, 0, tzinfo=OSLO)
    assert dates.when(meeting, Locale.NB) == "torsdag 10. desember 2026 kl. 10.00"
    assert dates.when(meeting, Locale.NN) == "torsdag 10. desember 2026 kl. 10.00"
    assert dates.when(meeting, Locale.EN) == "Thursday 10 December 2026 at 10:00"
    end = datetime(2026, 12, 10, 11, 0, tzinfo=OSLO)
    assert dates.span(meeting, end, Locale.NB) == "torsdag 10. desember 2026 kl. 10.00–11.00"


def test_times_are_shown_in_the_configured_zone_across_daylight_saving() -> None:
    dates = DateFormatter("Europe/Oslo")
    summer = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)  # CEST, UTC+2
    winter = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET, UTC+1
    assert dates.when(summer, Locale.NB) == "lørdag 24. oktober 2026 kl. 10.00"
    assert dates.when(winter, Locale.NB) == "mandag 26. oktober 2026 kl. 09.00"


def test_marked_texts_translate_with_placeholders_and_plurals() -> None:
    assert translate(Locale.NB, N_("Choose language")) == "Velg språk"
    assert translate(Locale.NN, N_("Choose language")) == "Vel språk"
    assert translate(Locale.EN, N_("Choose language")) == "Choose language"
    date = N_("%(date)s at %(time)s", date="fredag", time="09.00")
    assert translate(Locale.NB, date) == "fredag kl. 09.00"
    one = NP_(
        "There is only one button. Type 1, or write a message.",
        "There are %(num)d buttons. Type a number from 1 to %(num)d, or write a message.",
        1,
    )
    three = NP_(one.msgid, one.plural or "", 3)
    assert translate(Locale.NB, one).startswith("Det er bare én knapp")
    assert translate(Locale.NB, three).startswith("Det er 3 knapper")
