"""Follow-ups in Teams: when support moves a case on, each Teams reporter hears it where they
asked (the channel thread, group chat or 1:1 chat), as a proactive message.

The escalation service calls the notifier from its outbox worker and retries it when it raises,
so a failure here is raised, not swallowed. Messages go to the `serviceUrl` the reporter's own
activity came from, stored with the case; nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    TextFormatTypes,
)

from bots.escalation.model import Case, Origin, Reporter
from bots.teams.settings import TeamsSettings

log = logging.getLogger("passback.teams")

Notifier = Callable[[Case, Reporter, Origin, str], Awaitable[None]]


def build_notifier(
    adapter: CloudAdapter, settings: TeamsSettings, allowed: Callable[[str], bool]
) -> Notifier:
    """The notifier to register with `EscalationService.add_notifier("teams", ...)`.

    `allowed(service_url)` is the same rule the endpoint applies to incoming activities.
    """
    bot = ChannelAccount(id=f"28:{settings.app_id}") if settings.app_id else None

    async def notify(case: Case, reporter: Reporter, origin: Origin, sentence: str) -> None:
        conversation = origin.conversation or origin.channel  # cases stored before it was kept
        if not origin.service_url or not conversation:
            log.warning("teams: %s has no Teams conversation to follow up in", case.reference)
            return
        if not allowed(origin.service_url):
            log.warning("teams: %s follow-up skipped: serviceUrl not allowed", case.reference)
            return
        reference = ConversationReference(
            channel_id="msteams",
            service_url=origin.service_url,
            conversation=ConversationAccount(id=conversation, tenant_id=origin.workspace or None),
            activity_id=origin.thread or None,
            bot=bot,
        )

        failed: list[Exception] = []

        async def send(turn_context: TurnContext) -> None:
            message = MessageFactory.text(sentence)
            message.text_format = TextFormatTypes.plain
            # A reply to the reporter's own message, as the answer was. (TurnContext's
            # send_activity would reply to the made-up id of the continuation activity.)
            TurnContext.apply_conversation_reference(message, reference)
            try:
                await turn_context.adapter.send_activities(turn_context, [message])
            except Exception as exc:  # kept from on_turn_error, so the outbox retries it
                failed.append(exc)

        await adapter.continue_conversation(reference, send, bot_app_id=settings.app_id or None)
        if failed:
            raise failed[0]

    return notify
