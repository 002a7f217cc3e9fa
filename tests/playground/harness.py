"""Microsoft's own Teams client for the tests: the Microsoft 365 Agents Playground (npm
`@microsoft/m365agentsplayground`, pinned in package.json here) against a real `passback serve`
in local mode, drawn in Debian's Chromium and driven by Playwright.

Everything stays on this machine: the playground is preloaded with `loopback.cjs`, so it listens
on 127.0.0.1 only (by itself it listens on every interface); its activities name a 127.0.0.1
serviceUrl; and the browser resolves no host name but loopback and is refused every request
that is not to 127.0.0.1 (the playground's page asks for fonts and telemetry on the internet).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, Route, sync_playwright

from tests.processes import Child, free_port, start, start_serve

HERE = Path(__file__).parent
PLAYGROUND_CLI = HERE / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
CARD_CHECKS = (HERE / "card_checks.js").read_text(encoding="utf-8")
CHROMIUM = os.environ.get("PASSBACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
# The playground's log says this for every card with "msteams": {"width": "Full"}: a Teams
# feature it documents as not supported (README, "Limitations"), not a problem with the card.
DOCUMENTED_WARNINGS = ("Full width control is not supported yet",)
BOT_NAME = "Passback"
TENANT = "00000000-0000-0000-0000-0000000000001"
TEAM = "19:lincoln-high-staff@thread.tacv2"
GENERAL = TEAM  # a team's General channel has the team's id
GRADES = "19:grades-help@thread.tacv2"
GROUP_CHAT = "19:grade-team-chat@thread.v2"
TIMEOUT_MS = 20_000

_USERS = {
    "alex": ("user-id-0", "Alex Wilber", "00000000-0000-0000-0000-0000000000020"),
    "megan": ("user-id-1", "Megan Bowen", "00000000-0000-0000-0000-0000000000021"),
    "adele": ("user-id-2", "Adele Vance", "00000000-0000-0000-0000-0000000000022"),
    "isaiah": ("user-id-3", "Isaiah Langer", "00000000-0000-0000-0000-0000000000023"),
    "patti": ("user-id-4", "Patti Fernandez", "00000000-0000-0000-0000-0000000000024"),
    "lynne": ("user-id-5", "Lynne Robbins", "00000000-0000-0000-0000-0000000000025"),
}  # the playground wants five users besides the one signed in


def _user(key: str, indent: str) -> str:
    user_id, name, aad = _USERS[key]
    first, last = name.split()
    lines = [
        f"id: {user_id}",
        f"name: {name}",
        f"userPrincipleName: {first.lower()}@example.org",
        f"aadObjectId: {aad}",
        f"givenName: {first}",
        f"surname: {last}",
        f"email: {first.lower()}@example.org",
    ]
    return "\n".join(indent + line for line in lines)


def playground_config(signed_in: str) -> str:
    """The playground's mock tenant (`.m365agentsplayground.yml`), seen by `signed_in`: the
    same team, channels and group chat for every user, so two playgrounds are two teachers."""
    others = [key for key in _USERS if key != signed_in]
    users = "\n".join("  - " + _user(key, "    ").lstrip() for key in others)
    return f"""version: "0.1.1"
tenantId: {TENANT}
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: {BOT_NAME}
currentUser:
{_user(signed_in, "  ")}
users:
{users}
personalChat:
  id: a:personal-chat-{signed_in}
groupChat:
  id: {GROUP_CHAT}
  name: Grade team
team:
  id: {TEAM}
  name: Lincoln High staff
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: {GRADES}
      name: Grades help
"""


@dataclass
class Bot:
    """A real `passback serve` (Teams in local mode: no MicrosoftAppId) on 127.0.0.1."""

    data_dir: Path
    child: Child

    @property
    def endpoint(self) -> str:
        return f"{self.child.url}/api/messages"


@contextmanager
def passback_serve(data_dir: Path) -> Iterator[Bot]:
    child = start_serve(data_dir.parent / "passback", {"PASSBACK_DATA_DIR": str(data_dir)})
    try:
        yield Bot(data_dir, child.ready_blocking("/readyz"))
    finally:
        child.stop_blocking()


@dataclass
class Playground:
    """One teacher's Teams client: a playground signed in as `user`."""

    user: str
    child: Child
    log_file: Path

    @property
    def url(self) -> str:
        return f"{self.child.url}/"


@contextmanager
def playground(bot: Bot, user: str, folder: Path) -> Iterator[Playground]:
    """The playground for `user`, connected to `bot`, listening on 127.0.0.1 only."""
    if not PLAYGROUND_CLI.exists():
        raise AssertionError(f"{PLAYGROUND_CLI} is missing: run `make test-teams`")
    home = folder / f"playground-{user}"
    home.mkdir()
    config = home / ".m365agentsplayground.yml"
    config.write_text(playground_config(user), encoding="utf-8")
    log_file = home / "playground.log"
    port = free_port()
    node_args = [
        "--require",
        str(HERE / "loopback.cjs"),
        str(PLAYGROUND_CLI),
        "--app-endpoint",
        bot.endpoint,
        "--channel-id",
        "msteams",
        "--port",
        str(port),
        "--service-url",
        f"http://127.0.0.1:{port}/_connector",
        "--disable-telemetry",
    ]
    env = {
        "TEAMSAPPTESTER_BROWSER": "none",  # it opens no browser of its own
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(log_file),
    }
    child = start(node_args, env, home, name="playground", port=port, program="node", cwd=home)
    try:
        yield Playground(user, child.ready_blocking("/"), log_file)
    finally:
        child.stop_blocking()


def _only_loopback(route: Route) -> None:
    host = re.match(r"[a-z]+://([^/:]+)", route.request.url)
    if host and host.group(1) in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@contextmanager
def browser() -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a fresh profile, that can reach only loopback."""
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 2400},  # a tall card fits whole,
        )
        context.route("**/*", _only_loopback)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


class Client:
    """The playground's page, as a teacher uses it: open a chat, type, click, read cards."""

    def __init__(self, page: Page, shots: Path):
        self.page = page
        self.shots = shots

    @classmethod
    def open(cls, context: BrowserContext, where: Playground, shots: Path) -> Client:
        page = context.new_page()
        page.goto(where.url)
        page.locator('[data-lexical-editor="true"]').first.wait_for()
        return cls(page, shots)

    def chat(self, name: str) -> None:
        """Open "Personal Chat", "Group Chat" or a channel by its name."""
        self.page.get_by_text(name, exact=True).first.click()
        self.page.locator('[data-lexical-editor="true"]').first.wait_for()

    def _type(self, text: str, mention: bool) -> None:
        if mention:
            self.page.keyboard.type("@" + BOT_NAME[:4])
            self.page.get_by_role("menuitem", name=BOT_NAME).click()  # the mention picker
            self.page.keyboard.type(" ")
        for n, line in enumerate(text.split("\n")):
            if n:
                self.page.keyboard.press("Shift+Enter")  # a line break; Enter sends
            self.page.keyboard.type(line)

    def cards(self) -> Locator:
        return self.page.locator(".ac-adaptiveCard")

    def say(self, text: str, *, mention: bool = False) -> Locator:
        """Send `text` in the open chat; the card the bot answers with."""
        before = self.cards().count()
        self.page.locator('[data-lexical-editor="true"]').last.click()
        self._type(text, mention)
        self.page.keyboard.press("Enter")
        return self._new_card(before)

    def post(self, text: str, *, mention: bool = True) -> Locator:
        """Start a new post (a thread of its own) in the open channel; the bot's card."""
        before = self.cards().count()
        self.page.locator('[data-lexical-editor="true"]').first.click()
        self._type(text, mention)
        self.page.get_by_role("button", name="Post").click()
        return self._new_card(before)

    def _new_card(self, before: int) -> Locator:
        try:
            self.page.wait_for_function(
                "n => document.querySelectorAll('.ac-adaptiveCard').length > n", arg=before
            )
        except Exception:
            self.page.screenshot(path=str(self.shots / "no-answer.png"))
            raise
        card = self.cards().nth(before)
        card.scroll_into_view_if_needed()
        return card

    def click(self, card: Locator, title: str) -> None:
        card.get_by_role("button", name=title).click()

    def log_lines(self) -> list[str]:
        """Every line of the playground's log panel (the activity log)."""
        rows = self.page.evaluate(
            """() => [...document.querySelectorAll('div')]
                .filter(d => d.children.length > 1 && /^\\[\\d{1,2}:\\d{2}:\\d{2}\\s?[AP]M\\]\\s*$/
                    .test(d.children[0].textContent))
                .map(d => d.textContent)"""
        )
        return list(dict.fromkeys(rows))

    def shoot(self, card: Locator, name: str) -> Path:
        path = self.shots / f"{name}.png"
        card.screenshot(path=str(path))
        return path


def card_problems(card: Locator) -> list[str]:
    """Text on the card cut at its edge, or with contrast under 4.5:1 (see card_checks.js)."""
    result: Any = card.evaluate(CARD_CHECKS)
    assert result["checked"] > 0, "the card checks found no text on the card"
    return list(result["problems"])


def log_problems(lines: list[str]) -> list[str]:
    """The playground's warnings and errors (its log marks them "(!) Warning: " and
    "(×) Error: "), other than its documented limitations, and any activity that was answered
    with a status other than 2xx."""
    problems = []
    for line in lines:
        _, _, rest = line.partition("] ")
        if re.match(r"\((?:!|×)\) (?:Warning|Error): ", rest):
            if not any(known in rest for known in DOCUMENTED_WARNINGS):
                problems.append(line)
        elif re.search(r"(?:Application|Playground) [a-zA-Z/]+ [45]\d\d\b", rest):
            problems.append(line)
    return problems
