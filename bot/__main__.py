"""The ``moteklar`` command: demo, run, invite, keygen, users, rotate-key, backup, report."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.config import ConfigError, Settings
from bot.storage.crypto import KeyError_, generate_key

if TYPE_CHECKING:
    from bot.core.ports import UnitOfWork
    from bot.domain.people import Person
    from bot.transports import Runtime

logger = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    _configure_logging(verbose=args.command == "run")
    try:
        if args.command == "keygen":
            print(generate_key())
            return 0
        settings = Settings.from_env()
        if args.command == "demo":
            return _demo(settings, args.play_as)
        if args.command == "invite":
            return asyncio.run(_invite(settings, args))
        if args.command == "run":
            return _run(settings, args, parser)
        if args.command == "users":
            return asyncio.run(_users(settings, args))
        if args.command == "rotate-key":
            return asyncio.run(_rotate_key(settings))
        if args.command == "backup":
            return _backup(settings, Path(args.path))
        if args.command == "report":
            return asyncio.run(_report(settings, args.team, args.since))
    except (ConfigError, KeyError_) as error:
        print(f"moteklar: {error}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2  # pragma: no cover - parser.error exits


def _parser() -> argparse.ArgumentParser:
    from bot.domain.people import Employer
    from bot.transports.terminal.demo import demo_roles

    parser = argparse.ArgumentParser(
        prog="moteklar",
        description="Møteklar: helps IPS job seekers prepare their samarbeidsmøte.",
    )
    parser.add_argument("--version", action="version", version=f"moteklar {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="try Møteklar in the terminal, no Telegram needed")
    demo.add_argument(
        "--as",
        dest="play_as",
        choices=demo_roles(),
        default=demo_roles()[0],
        help="who you play: the job seeker Ola (default), Kari, Per or Nina",
    )
    run = commands.add_parser(
        "run", help="run the Telegram bot (long polling, or a webhook behind a TLS proxy)"
    )
    run.add_argument(
        "--webhook-url",
        help="public HTTPS URL Telegram posts updates to (needs MOTEKLAR_WEBHOOK_SECRET)",
    )
    run.add_argument("--port", type=int, help="port to listen on for the webhook")
    run.add_argument(
        "--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    invite = commands.add_parser("invite", help="print a single-use invitation link")
    invite.add_argument("role", choices=["jobbspesialist"])
    invite.add_argument("--name", required=True, help='full name, e.g. "Kari Nordmann"')
    invite.add_argument("--employer", choices=[e.value for e in Employer])
    invite.add_argument("--team", help="team slug (templates/teams/<slug>/)")
    commands.add_parser("keygen", help="print a new MOTEKLAR_SECRET_KEY")
    commands.add_parser(
        "rotate-key",
        help="re-encrypt everything with MOTEKLAR_SECRET_KEY (old keys: MOTEKLAR_OLD_SECRET_KEYS)",
    )
    backup = commands.add_parser(
        "backup", help="a consistent copy of the database, safe while it runs"
    )
    backup.add_argument("path", help="where to write the copy (must not exist yet)")
    report = commands.add_parser(
        "report", help="anonymous counts for an IPS team (whole months; under 5 hidden)"
    )
    report.add_argument("--team", help="team slug (default: each team, one by one)")
    report.add_argument(
        "--since", help="first month, YYYY-MM (default: twelve months back); whole months only"
    )
    users = commands.add_parser("users", help="operator tasks: list people and invitations, revoke")
    user_commands = users.add_subparsers(dest="users_command", metavar="TASK", required=True)
    user_commands.add_parser("list", help="people and open invitations")
    revoke_invitation = user_commands.add_parser("revoke-invitation", help="an open invitation")
    revoke_invitation.add_argument("id", type=int)
    remove = user_commands.add_parser(
        "remove",
        help="a person and everything about them, as /slett does it: copies withdrawn and"
        " their group told (sent by the running bot)",
    )
    remove.add_argument("id", type=int)
    export = user_commands.add_parser(
        "export", help="everything about a person, as /mine_data's JSON file"
    )
    export.add_argument("id", type=int)
    export.add_argument("path", help="where to write the file (must not exist yet)")
    return parser


def _configure_logging(*, verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # With max_retries=0 the rate limiter logs every 429 as an error with a traceback; the
    # sender handles a 429 (waits for that chat) and logs it itself.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    # APScheduler logs every run of every job at INFO: two lines a second for the job that looks
    # for new reminders, one per reminder job added. A job that fails is still logged (ERROR).
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _run(settings: Settings, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.bootstrap import open_runtime
    from bot.transports.telegram.app import run
    from bot.transports.telegram.service import Webhook

    settings.require("TELEGRAM_BOT_TOKEN", "MOTEKLAR_SECRET_KEY", "MOTEKLAR_CONTROLLER")
    assert settings.telegram_bot_token is not None
    webhook = None
    if args.webhook_url is not None or args.port is not None:
        if args.webhook_url is None or args.port is None:
            parser.error("webhook mode needs both --webhook-url and --port")
        settings.require("MOTEKLAR_WEBHOOK_SECRET")
        assert settings.webhook_secret is not None
        webhook = Webhook(args.webhook_url, settings.webhook_secret, args.port, args.listen)
    token, url = settings.telegram_bot_token, settings.telegram_api_url
    run(
        token,
        url,
        lambda: open_runtime(settings),
        webhook,
        messages_per_second=settings.messages_per_second,
    )
    return 0


def _demo(settings: Settings, play_as: str) -> int:
    from bot.bootstrap import SystemClock, open_runtime
    from bot.domain.people import Role
    from bot.storage.crypto import generate_key as new_key
    from bot.transports.terminal.demo import DemoClock, TerminalDemo, enable_line_editing
    from bot.transports.terminal.scenario import DEMO_CONTROLLER

    enable_line_editing()

    async def play(folder: str) -> None:
        # Its own database and key in a folder that is deleted afterwards: never moteklar.db.
        runtime = await open_runtime(
            settings,
            db_path=Path(folder) / "demo.db",
            secret_key=new_key(),
            controller=settings.controller or DEMO_CONTROLLER,
            clock=DemoClock(SystemClock()),  # /spol moves it ahead
        )
        try:
            await TerminalDemo(runtime, role=Role(play_as)).run()
        finally:
            await runtime.close()

    with tempfile.TemporaryDirectory(prefix="moteklar-demo-") as folder:
        try:
            asyncio.run(play(folder))
        except KeyboardInterrupt:
            print()
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bootstrap import open_runtime
    from bot.core.invitations import create_invitation, invitation_link_for
    from bot.domain.invitations import VALID_FOR
    from bot.domain.people import Employer, Role, clean_name

    settings.require("MOTEKLAR_SECRET_KEY")
    name = clean_name(args.name)
    if name is None:
        raise ConfigError("--name must be a name of 1-100 characters")
    if args.team is not None and not _is_slug(args.team):
        raise ConfigError("--team must be a slug of a-z, 0-9 and -, like team-sor")
    runtime = await open_runtime(settings)
    try:
        async with runtime.uow_factory() as uow:
            token = await create_invitation(
                uow,
                runtime.clock.now(),
                role=Role(args.role),
                name=name,
                employer=Employer(args.employer) if args.employer else None,
                team=args.team,
            )
            link = await invitation_link_for(uow, token, settings.bot_username)
            await uow.commit()
    finally:
        await runtime.close()
    days = VALID_FOR.days
    print(f"Invitation for {args.role} {name}: single use, valid for {days} days.")
    if not link.startswith("https://"):
        print(
            "The bot's username is not known yet (run the bot once, or set "
            "MOTEKLAR_BOT_USERNAME); in Telegram, send the bot: /start <token>"
        )
    print(link)
    return 0


async def _users(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bootstrap import open_runtime

    settings.require("MOTEKLAR_SECRET_KEY")
    runtime = await open_runtime(settings)
    try:
        async with runtime.uow_factory() as uow:
            now = runtime.clock.now()
            if args.users_command == "list":
                print("people:")
                for person in await uow.people.all():
                    print(f"  {person.id:>5}  {person.role.value:<15} {person.name}")
                print("open invitations:")
                for invitation in await uow.invitations.open(now):
                    expires = invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
                    print(
                        f"  {invitation.id:>5}  {invitation.role.value:<15} "
                        f"{invitation.name or '-'} (expires {expires})"
                    )
                return 0
            if args.users_command == "revoke-invitation":
                found = await uow.invitations.get(args.id)
                if found is None or found.used_at or found.revoked_at:
                    print(f"moteklar: no open invitation {args.id}", file=sys.stderr)
                    return 2
                await uow.invitations.revoke(args.id, now)
                await uow.commit()
                print(f"invitation {args.id} revoked")
                return 0
            who = await uow.people.get(args.id)
            if who is None:
                print(f"moteklar: no person {args.id}", file=sys.stderr)
                return 2
            if args.users_command == "export":
                return await _export(uow, who, now, settings, Path(args.path))
            told = await _erase(runtime, uow, who, now)
            await uow.commit()
            print(
                f"person {args.id} ({who.role.value}) removed with everything about them;"
                f" {told} messages (withdrawn copies, word to their group) are sent by the"
                " running bot"
            )
            return 0
    finally:
        await runtime.close()


async def _export(
    uow: UnitOfWork, who: Person, now: datetime, settings: Settings, path: Path
) -> int:
    """An access request answered by the operator: the same file /mine_data sends."""
    import json

    from bot.core.access import Gate
    from bot.core.flows.my_data import document

    tables = await Gate(uow).everything_about(who, who.address)
    data = document(tables, who, now, settings.controller or "")
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        await asyncio.to_thread(_write_new, path, text)
    except FileExistsError:
        raise ConfigError(f"{path} exists already: choose a new file for the export") from None
    print(f"everything about person {who.id} written to {path}: keep it safe, it is theirs")
    return 0


def _write_new(path: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as file:  # never over an existing file
        file.write(text)


async def _erase(runtime: Runtime, uow: UnitOfWork, who: Person, now: datetime) -> int:
    """/slett on someone's behalf (they lost their phone): the same erasure, its messages left
    in the outbox for the running bot; how many."""
    from bot.core.commands import commands_for
    from bot.core.delivery import enqueue
    from bot.core.messages import Menu
    from bot.core.services import Change, privacy
    from bot.domain.delivery import FORGET

    notices = await privacy.erase(Change(uow, now, who))
    menu = Menu(who.address, who.locale, commands_for(None), ref=FORGET)
    await enqueue(uow, runtime.renderer, now, notices, actor=None, menus=(menu,))
    return len(notices)


async def _rotate_key(settings: Settings) -> int:
    from bot.storage.crypto import Cipher
    from bot.storage.database import open_database
    from bot.storage.maintenance import rotate_key

    settings.require("MOTEKLAR_SECRET_KEY")
    assert settings.secret_key is not None
    cipher = Cipher([settings.secret_key, *settings.old_secret_keys])
    database = await open_database(settings.db_path, cipher)
    try:
        rotated = await rotate_key(database)
    finally:
        await database.close()
    print(
        f"{rotated.values} values re-encrypted with the current key "
        f"({rotated.columns} encrypted columns looked at)."
    )
    print("Everything now reads with MOTEKLAR_SECRET_KEY alone: MOTEKLAR_OLD_SECRET_KEYS can go.")
    return 0


def _backup(settings: Settings, path: Path) -> int:
    from bot.storage.maintenance import backup

    if not settings.db_path.exists():
        raise ConfigError(f"there is no database at {settings.db_path} (MOTEKLAR_DB)")
    try:
        pages = backup(settings.db_path, path)
    except FileExistsError:
        raise ConfigError(f"{path} exists already: choose a new file for the backup") from None
    print(f"Backup written to {path} ({pages} pages). Free text in it stays encrypted.")
    return 0


async def _report(settings: Settings, team: str | None, since: str | None) -> int:
    from bot.bootstrap import open_runtime
    from bot.domain.report import Month

    settings.require("MOTEKLAR_SECRET_KEY")
    if team is not None and not _is_slug(team):
        raise ConfigError("--team must be a slug of a-z, 0-9 and -, like team-sor")
    try:
        first = Month.parse(since) if since else None
    except ValueError:
        raise ConfigError("--since must be a whole month, YYYY-MM, like 2026-01") from None
    runtime = await open_runtime(settings)
    try:
        await runtime.aftercare.tally()  # meetings that ended since the bot last counted
        try:
            reports = await runtime.aftercare.report(team, first)
        except ValueError:
            raise ConfigError(
                "--since must be a whole month that is over (this month is still running)"
            ) from None
    finally:
        await runtime.close()
    if not reports:
        print("No meetings have been counted yet.")
        return 0
    for shown in reports:
        print(_format_report(shown))
    return 0


def _format_report(shown: object) -> str:
    from bot.domain.report import (
        FOLLOWED_UP,
        HEARD_NO,
        HEARD_PARTLY,
        HEARD_YES,
        HELD,
        ITEMS_ASKED,
        ITEMS_NOT_DISCUSSED,
        PREPARED,
        Report,
    )

    assert isinstance(shown, Report)
    figures = shown.figures

    def value(name: str) -> str:
        figure = figures.get(name)
        return "under 5" if figure is None else str(figure)

    def of(part: str, whole: str) -> str:
        share = shown.share(part, whole)
        return value(part) + (f" ({share} %)" if share is not None else "")

    team = shown.team or "(no team)"
    lines = [
        f"Møteklar report for {team}, {shown.first} to {shown.last}"
        " (whole months; every figure under 5 is hidden)",
        f"  meetings held                          {value(HELD)}",
        f"  prepared (agenda ready)                {of(PREPARED, HELD)}",
        f"  followed up                            {of(FOLLOWED_UP, HELD)}",
        "  got to bring up what mattered most:",
        f"    yes                                  {of(HEARD_YES, FOLLOWED_UP)}",
        f"    partly                               {of(HEARD_PARTLY, FOLLOWED_UP)}",
        f"    no                                   {of(HEARD_NO, FOLLOWED_UP)}",
        f"  agenda points asked about              {value(ITEMS_ASKED)}",
        f"  points not talked about                {of(ITEMS_NOT_DISCUSSED, ITEMS_ASKED)}",
    ]
    return "\n".join(lines)


def _is_slug(text: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", text) is not None


if __name__ == "__main__":
    sys.exit(main())
