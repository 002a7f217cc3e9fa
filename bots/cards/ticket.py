"""What support receives: a case as a ready-to-file ticket for the Instructure support portal.

`build_ticket` gathers everything once (the error texts come only from the catalog); each
destination lays the same `Ticket` out its own way: `render_ticket_text` for e-mail and the
webhook, Slack blocks in support_slack.py, an Adaptive Card in support_teams.py. Values that
came from people (pasted text, names, ids) stay plain strings here; each renderer shows them as
text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bots.cards.fit import one_line
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.model import Case, Origin
from catalog import Catalog, Cause, hidden_field

LATER_CHECK = "Canvas was checked after this case was opened. What it showed:"
PLATFORM_NAMES = {"slack": "Slack", "teams": "Microsoft Teams", "cli": "the command line"}


@dataclass(frozen=True, slots=True)
class TicketError:
    entry_id: str
    title: str
    causes: tuple[Cause, ...]  # what it means and the fix steps the reporter was shown
    escalate_to: str
    escalate_when: str


@dataclass(frozen=True, slots=True)
class TicketFact:
    label: str  # "Student result"
    value: str
    field: str
    entry_id: str


_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True, slots=True)
class TicketReport:
    name: str
    user_id: str
    platform: str
    at: str  # "2024-05-01 14:03 UTC"
    place: str

    @property
    def who(self) -> str:
        """Name and id, for support outside Slack: "Ana Lopez (slack user U0TEACHER1)"."""
        account = f"{self.platform} user {self.user_id}"
        if not self.user_id:
            return self.name or "unknown"
        return f"{self.name} ({account})" if self.name and self.name != self.user_id else account

    @property
    def slack_user_id(self) -> str:
        """The Slack user id when this reporter is a Slack user (for a `<@U…>` mention)."""
        if self.platform == "slack" and _SLACK_USER_ID.match(self.user_id):
            return self.user_id
        return ""


@dataclass(frozen=True, slots=True)
class Ticket:
    reference: str
    subject: str
    status: str
    opened_at: str
    errors: tuple[TicketError, ...]
    facts: tuple[TicketFact, ...]
    text: str  # the pasted error, as stored (already trimmed)
    reports: tuple[TicketReport, ...]
    place: str  # "Slack, Lincoln High, #grades"
    link: str  # back to the conversation; only an https:// link from the platform
    source_title: str
    source_url: str
    status_by: str = ""
    diagnosis: CaseDiagnosis | None = None  # what Check in Canvas found, when it ran
    ids: str = ""  # Teams: tenant, team, channel and conversation ids, for support
    opened: datetime | None = None

    def finding_lines(self) -> list[str]:
        """What Check in Canvas found, as text ([] when it did not run)."""
        return self.diagnosis.lines(self.opened) if self.diagnosis is not None else []


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def safe_link(url: str) -> str:
    """The link if it is a plain https:// URL, else "" (it must never carry markup)."""
    if re.fullmatch(r"https://[^\s<>|\"'`]+", url or ""):
        return url
    return ""


def describe_place(origin: Origin) -> str:
    """Where, for people: "Slack, Lincoln High, #grades", "Microsoft Teams, Math › Grades"."""
    platform = PLATFORM_NAMES.get(origin.platform, origin.platform or "unknown platform")
    teams = teams_place(origin)
    if teams:
        return f"{platform}, {teams}"
    parts = [platform]
    if origin.workspace_name or origin.workspace:
        parts.append(origin.workspace_name or origin.workspace)
    channel = _channel_label(origin) or (f"conversation {origin.channel}" if origin.channel else "")
    if channel:
        parts.append(channel)
    return ", ".join(parts)


def teams_place(origin: Origin) -> str:
    """A Teams conversation by its names ("Math Department › Grades", "the group chat
    'Grade help'", "a 1:1 chat with the bot"); "" for cases stored before the scope was."""
    if origin.platform != "teams":
        return ""
    team, channel = origin.workspace_name, origin.channel_name
    if origin.scope == "channel":
        if team and channel:
            return f"{team} › {channel}"
        if team or channel:
            return f"a channel of {team}" if team else f"{channel} (a team channel)"
        return f"a team channel ({origin.channel})" if origin.channel else "a team channel"
    if origin.scope == "groupChat":
        return f"the group chat “{channel}”" if channel else "a group chat"
    if origin.scope == "personal":
        return "a 1:1 chat with the bot"
    return ""


def teams_ids(origin: Origin) -> str:
    """The Teams ids support may need (tenant, team, channel, conversation), as one line."""
    if origin.platform != "teams":
        return ""
    ids = (
        ("tenant", origin.workspace),
        ("team", origin.team_id),
        ("channel", origin.channel if origin.scope == "channel" else ""),
        ("conversation", origin.conversation or origin.channel),
    )
    return ", ".join(f"{label} {value}" for label, value in ids if value)


def ticket_errors(case: Case, catalog: Catalog) -> tuple[TicketError, ...]:
    errors = []
    for entry_id in case.entry_ids:
        entry = catalog.get(entry_id)
        if entry is not None:
            errors.append(
                TicketError(
                    entry_id,
                    entry.title,
                    entry.causes,
                    entry.escalation.to,
                    entry.escalation.when,
                )
            )
        else:  # removed from the catalog since the case was opened: say only what we know
            errors.append(TicketError(entry_id, entry_id, (), "", ""))
    return tuple(errors)


def build_ticket(case: Case, catalog: Catalog) -> Ticket:
    errors = ticket_errors(case, catalog)
    facts = []
    for entry_id in case.entry_ids:
        for name, value in case.fields.get(entry_id, {}).items():
            if hidden_field(name) or not str(value).strip():
                continue
            facts.append(TicketFact(catalog.field_label(name), str(value), name, entry_id))
    title = errors[0].title if errors else "Grade passback error"
    if len(errors) > 1:
        title += f" and {len(errors) - 1} more"
    where = " ".join(p for p in (case.origin.workspace_name, _channel_label(case.origin)) if p)
    if case.origin.platform == "teams":  # its names only: no ids in a subject line
        where = teams_place(case.origin) if where else ""
    subject = f"[Passback {case.reference}] {title}" + (f" — {where}" if where else "")
    reports = tuple(
        TicketReport(
            name=r.reporter.display_name or r.reporter.user_id,
            user_id=r.reporter.user_id,
            platform=r.reporter.platform or r.origin.platform,
            at=when(r.reported_at),
            place=describe_place(r.origin),
        )
        for r in case.reports
    )
    return Ticket(
        diagnosis=case.diagnosis,
        reference=case.reference,
        subject=one_line(subject, 200),
        status=case.status.value,
        opened_at=when(case.created_at),
        errors=errors,
        facts=tuple(facts),
        text=case.text,
        reports=reports,
        place=describe_place(case.origin),
        ids=teams_ids(case.origin),
        opened=case.created_at,
        link=safe_link(case.origin.link),
        source_title=catalog.source.title,
        source_url=catalog.source.url,
        status_by=case.status_by,
    )


def _channel_label(origin: Origin) -> str:
    name = origin.channel_name
    if not name:
        return ""
    return name if origin.platform != "slack" or name.startswith("#") else f"#{name}"


def render_ticket_text(ticket: Ticket) -> str:
    """The plain-text ticket: the e-mail body, and `body` in the webhook's JSON."""
    lines = [
        f"Passback case {ticket.reference}: grade passback error escalated for the Canvas SIS "
        "Support Team (Instructure support portal)",
        f"Status: {ticket.status}" + (f" (by {ticket.status_by})" if ticket.status_by else ""),
        f"Opened: {ticket.opened_at}",
        "",
    ]
    for error in ticket.errors:
        lines.append(f"Error: {error.title} (catalog entry {error.entry_id})")
        for cause in error.causes:
            lines.append("What it means" + (f" ({cause.label})" if cause.label else "") + ":")
            lines.append(f"  {cause.meaning}")
            if cause.steps:
                lines.append("Fix steps already suggested to the reporter:")
                lines.extend(f"  {i}. {step}" for i, step in enumerate(cause.steps, 1))
        if error.escalate_when:
            lines.append(f"When to escalate: {error.escalate_when}")
        lines.append("")
    if ticket.facts:
        lines.append("Values extracted from the error:")
        lines.extend(f"  {fact.label}: {fact.value}" for fact in ticket.facts)
        lines.append("")
    if ticket.diagnosis is not None:
        lines.extend(ticket.finding_lines())
        lines.append("")
    lines.append("Error text as reported:")
    lines.extend(f"  {line}" for line in ticket.text.splitlines() or [""])
    lines.append("")
    lines.append(f"Reported by ({len(ticket.reports)}):")
    lines.extend(f"  - {r.who}, {r.at}, in {r.place}" for r in ticket.reports)
    lines.append("")
    lines.append(f"Where: {ticket.place}")
    if ticket.ids:
        lines.append(f"Teams ids: {ticket.ids}")
    if ticket.link:
        lines.append(f"Conversation: {ticket.link}")
    lines.append(f"Source: {ticket.source_title}, {ticket.source_url}")
    return "\n".join(lines) + "\n"
