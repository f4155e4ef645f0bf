"""Dates and times the Norwegian way: "torsdag 10. desember 2026 kl. 10.00", in local time.

Babel gives the words (weekday, month) per locale; the shape follows Språkrådet: a full stop
between hours and minutes, "kl." before the time, an en dash in a span ("10.00–11.00").
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.core.text import N_
from bot.domain.people import Locale
from bot.rendering.i18n import translate

_DATE_PATTERN = {
    Locale.NB: "EEEE d. MMMM y",
    Locale.NN: "EEEE d. MMMM y",
    Locale.EN: "EEEE d MMMM y",
}


class DateFormatter:
    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._zone)

    def day(self, moment: datetime, locale: Locale) -> str:
        return format_date(self.local(moment).date(), _DATE_PATTERN[locale], locale=locale.value)

    def clock(self, moment: datetime, locale: Locale) -> str:
        local = self.local(moment)
        return self.clock_of(local.hour, local.minute, locale)

    @staticmethod
    def clock_of(hour: int, minute: int, locale: Locale) -> str:
        # Norwegian writes 10.00; English readers expect 10:00.
        return f"{hour:02d}{':' if locale is Locale.EN else '.'}{minute:02d}"

    @staticmethod
    def short_day(day: date, locale: Locale) -> str:
        """ "to. 10. des." / "Thu 10 Dec": short enough for a button."""
        pattern = "EEE d MMM" if locale is Locale.EN else "EEE d. MMM"
        return format_date(day, pattern, locale=locale.value)

    @staticmethod
    def long_day(day: date, locale: Locale) -> str:
        """ "torsdag 10. desember"."""
        pattern = "EEEE d MMMM" if locale is Locale.EN else "EEEE d. MMMM"
        return format_date(day, pattern, locale=locale.value)

    @staticmethod
    def month(day: date, locale: Locale) -> str:
        """ "desember 2026"."""
        return format_date(day, "LLLL y", locale=locale.value)

    def when(self, moment: datetime, locale: Locale) -> str:
        """ "torsdag 10. desember 2026 kl. 10.00"."""
        text = N_(
            "%(date)s at %(time)s", date=self.day(moment, locale), time=self.clock(moment, locale)
        )
        return translate(locale, text)

    def span(self, start: datetime, end: datetime, locale: Locale) -> str:
        """ "torsdag 10. desember 2026 kl. 10.00–11.00"."""
        return f"{self.when(start, locale)}–{self.clock(end, locale)}"
