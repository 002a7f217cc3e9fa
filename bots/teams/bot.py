"""The Teams bot: an `ActivityHandler` that translates activities and delegates.

Messages go to `replies.answer_card`, Escalate clicks (an `Action.Submit` message with a
`value`, or an `Action.Execute` invoke) to `replies.escalate`, Check in Canvas clicks and course
picks (when Canvas is configured) to `canvas.TeamsCanvas`, and the bot being added to a team
or chat to `replies.greeting`. Everything else (its own echoes, members coming and going,
channels renamed) is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment, TextFormatTypes

from bots.assistant import Assistant
from bots.cards.teams import CONTENT_TYPE, attachment
from bots.deliveries import DeliveryLedger
from bots.escalation.model import Origin
from bots.escalation.service import EscalationService
from bots.teams import replies
from bots.teams.activity import (
    PERSONAL,
    bot_was_added,
    delivery_key,
    from_the_bot,
    read_message,
    reporter_of,
    scope_of,
)
from bots.teams.canvas import CHECKING, IN_PRIVATE, Click, TeamsCanvas, is_canvas_action
from bots.teams.names import TeamNames

if TYPE_CHECKING:  # the Canvas client loads only when Canvas is configured
    from bots.canvas_chat import CanvasChecks

log = logging.getLogger("passback.teams")

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
STILL_CHECKING = "Your check of this card is still running; its answer comes in a moment."


def card_activity(card: dict[str, Any]) -> Activity:
    wrapped = attachment(card)
    return MessageFactory.attachment(
        Attachment(content_type=wrapped["contentType"], content=wrapped["content"])
    )


def _plain(text: str) -> Activity:
    message = MessageFactory.text(text)
    message.text_format = TextFormatTypes.plain
    return message


class PassbackBot(ActivityHandler):
    def __init__(
        self,
        assistant: Assistant,
        escalation: EscalationService,
        names: TeamNames | None = None,
        canvas: TeamsCanvas | None = None,
    ):
        self._assistant = assistant
        self._escalation = escalation
        self._canvas = canvas  # None: Canvas is not configured, and cards have no Check
        self._ledger = DeliveryLedger(escalation)
        self._names = names or TeamNames()

    def _namer(self, turn_context: TurnContext) -> Callable[[Origin], Awaitable[Origin]]:
        async def name(origin: Origin) -> Origin:
            return await self._names.name(turn_context, origin)

        return name

    async def _first_time(self, key: str) -> bool:
        return await self._ledger.first_time(key)

    async def on_turn(self, turn_context: TurnContext) -> None:
        if from_the_bot(turn_context.activity):
            return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        message = read_message(activity)
        if not message.addressed:
            return
        if not await self._first_time(delivery_key(activity)):
            log.info("teams: ignored a redelivered message (%s)", scope_of(activity))
            return
        if message.action is not None and not message.text:
            click = self._canvas_click(activity, message.action)
            if click is not None and self._canvas is not None:
                self._canvas.start(click)  # its answer comes privately, in the background
                return
            token = replies.escalate_token(message.action)
            reply = await replies.escalate(
                self._assistant,
                self._escalation,
                token or "",
                message.reporter,
                click_id=activity.id,
                name=self._namer(turn_context),
                canvas=self._checks,
                shared=message.scope != PERSONAL,
            )
            await self._show_on_card(turn_context, reply)
            return
        card = await replies.answer_card(
            self._assistant,
            self._escalation,
            message.text,
            origin=message.origin,
            asked_by=message.reporter,
            shared=message.scope != PERSONAL,
            canvas=self._checks,
        )
        await turn_context.send_activity(card_activity(card))

    @property
    def _checks(self) -> CanvasChecks | None:
        return self._canvas.checks if self._canvas is not None else None

    def _canvas_click(self, activity: Activity, data: dict[str, Any] | Any) -> Click | None:
        if self._canvas is None or not isinstance(data, dict) or not is_canvas_action(data):
            return None  # without Canvas, an old card's Check is "not a button" of ours
        return Click.of(activity, data)

    async def _show_on_card(self, turn_context: TurnContext, reply: replies.Reply) -> None:
        """Replace the clicked card in place; without a card, answer in words."""
        card_id = turn_context.activity.reply_to_id
        if reply.card is None:
            await turn_context.send_activity(_plain(reply.text))
            return
        updated = card_activity(reply.card)
        if card_id:
            updated.id = card_id
            await turn_context.update_activity(updated)
        else:
            await turn_context.send_activity(updated)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        return InvokeResponse(status=200, body=await self._card_action(turn_context))

    async def _card_action(self, turn_context: TurnContext) -> dict[str, Any]:
        """An Action.Execute click: the refreshed card, or a sentence Teams shows the user.

        The adaptiveCard/action response as a plain dict; botbuilder's AdaptiveCardInvokeResponse
        model cannot carry a sentence (its `value` is typed as an object)."""
        activity = turn_context.activity
        value = _mapping(activity.value)
        action = _mapping(value.get("action"))
        data = _mapping(action.get("data"))
        if action.get("verb") and "action" not in data:
            data = {**data, "action": action["verb"]}
        execute = action.get("type") == "Action.Execute"
        click = self._canvas_click(activity, data) if execute else None
        if click is not None and self._canvas is not None:
            # Answered at once: the check goes on in the background, well past the invoke's
            # deadline, and its answer reaches the person as a card of its own.
            started = self._canvas.start(click)
            sentence = CHECKING if click.personal else IN_PRIVATE
            said = sentence if started else STILL_CHECKING
            return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": said}
        token = replies.escalate_token(data) if execute else None
        reply = await replies.escalate(
            self._assistant,
            self._escalation,
            token or "",
            reporter_of(activity),
            click_id=activity.id,
            name=self._namer(turn_context),
            canvas=self._checks,
            shared=scope_of(activity) != PERSONAL,
        )
        if reply.card is not None:
            return {"statusCode": 200, "type": CONTENT_TYPE, "value": reply.card}
        return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": reply.text}

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not bot_was_added(activity):
            return  # people joining or leaving, channels created or renamed
        if not await self._first_time(f"teams:welcome:{activity.conversation.id}"):
            return
        name = activity.recipient.name or ""
        personal = scope_of(activity) == PERSONAL
        await turn_context.send_activity(_plain(replies.greeting(name, personal)))


def _mapping(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (activity values are untyped)."""
    return value if isinstance(value, dict) else {}
