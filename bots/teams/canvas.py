"""'Check in Canvas' on a Teams card, and the course menu it may ask with.

The click's turn only starts the check and returns, so neither Teams' redelivery of a message
(about 15 s) nor the invoke deadline of an `Action.Execute` (a few seconds) is ever reached by a
slow Canvas. The check goes on in the background, as a proactive turn in the click's
conversation, and its answer goes only to the person who clicked:

- in a 1:1 chat with the bot, the clicked card (or menu) is updated in place: "Checking
  Canvas…", then the finding;
- in a channel or a group chat, the bot opens (or finds) its 1:1 chat with the person
  (`POST /v3/conversations`) and the card with "Checking Canvas…", then the finding, is sent
  there. Nothing about the check is posted where others can read it; when Teams refuses the 1:1
  chat (the app is not installed for the person), the thread gets one sentence saying how to
  open it, without a word of the finding.

The person's e-mail comes from `TeamsInfo.get_member` (see identity.py). A second click by the
same person on the same card while their check runs starts nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    TextFormatTypes,
)

from bots.cards.teams import render_teams_card
from bots.cards.teams_canvas import CHECK_ACTION, COURSE_ACTION, COURSE_INPUT
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.model import Draft
from bots.escalation.service import EscalationService
from bots.teams.activity import PERSONAL, reporter_of, scope_of, tenant_of
from bots.teams.identity import teams_email
from bots.teams.replies import card_tokens

if TYPE_CHECKING:  # the Canvas client loads only when Canvas is configured
    from bots.canvas_chat import CanvasChecks, ChatCheck

log = logging.getLogger("passback.teams")

CardSender = Callable[[dict[str, Any]], Activity]
Spawn = Callable[[Coroutine[Any, Any, Any]], object]

EXPIRED = "This answer is too old to check. Ask me again and check the new answer."
SORRY = "Sorry, I couldn't finish checking Canvas. Try again in a minute, or escalate."
NO_PRIVATE_CHAT = (
    "I can only show what Canvas says in our 1:1 chat, and Teams would not let me start it. "
    "Open a chat with me (Chat > New chat, or Apps), then click Check in Canvas again."
)
CHECKING = "Checking Canvas…"  # as bots.canvas_chat.CHECKING, without loading Canvas
IN_PRIVATE = f"{CHECKING} I'll show you what it says in our 1:1 chat."


def is_canvas_action(data: Mapping[str, Any] | None) -> bool:
    return data is not None and data.get("action") in (CHECK_ACTION, COURSE_ACTION)


@dataclass(frozen=True, slots=True)
class Click:
    """One press of Check in Canvas (or of a course pick), with where it came from."""

    token: str
    course_id: str | None  # the picked course; None for the button
    member_id: str  # the person's Teams id (29:...), for TeamsInfo.get_member
    person: str  # the person as a reporter is known (their Entra object id), to tell the paster
    tenant: str
    personal: bool  # clicked in the person's 1:1 chat with the bot
    card_id: str  # the clicked card's activity id ("" when Teams did not give it)
    reference: ConversationReference
    channel_data: Mapping[str, Any] | None
    bot: ChannelAccount | None

    @classmethod
    def of(cls, activity: Activity, data: Mapping[str, Any]) -> Click | None:
        token = data.get("token")
        if not isinstance(token, str) or not token or not activity.from_property:
            return None
        course = data.get(COURSE_INPUT) if data.get("action") == COURSE_ACTION else None
        if data.get("action") == COURSE_ACTION and not course:
            return None
        channel_data = activity.channel_data
        return cls(
            token=token,
            course_id=str(course) if course is not None else None,
            member_id=activity.from_property.id or "",
            person=reporter_of(activity).user_id,
            tenant=tenant_of(activity),
            personal=scope_of(activity) == PERSONAL,
            card_id=activity.reply_to_id or "",
            reference=TurnContext.get_conversation_reference(activity),
            channel_data=channel_data if isinstance(channel_data, Mapping) else None,
            bot=activity.recipient,
        )


class _Place:
    """The one message of this check that only the person sees: updated, or sent once."""

    def __init__(self, turn_context: TurnContext, card: CardSender, activity_id: str = ""):
        self.turn_context = turn_context
        self.card = card
        self.activity_id = activity_id

    async def show(self, card: dict[str, Any]) -> None:
        activity = self.card(card)
        if self.activity_id:
            activity.id = self.activity_id
            await self.turn_context.update_activity(activity)
            return
        await self._send(activity)

    async def say(self, sentence: str) -> None:
        message = MessageFactory.text(sentence)
        message.text_format = TextFormatTypes.plain
        await self._send(message)

    async def _send(self, activity: Activity) -> None:
        # A new message in the conversation (TurnContext.send_activity would reply to the
        # made-up id of a proactive turn's activity).
        reference = TurnContext.get_conversation_reference(self.turn_context.activity)
        reference.activity_id = None
        TurnContext.apply_conversation_reference(activity, reference)
        sent = await self.turn_context.adapter.send_activities(self.turn_context, [activity])
        if sent and sent[0] is not None and not self.activity_id:
            self.activity_id = sent[0].id or ""


class TeamsCanvas:
    """Built by `mount_teams` when Canvas is configured."""

    def __init__(
        self,
        adapter: Any,
        app_id: str | None,
        canvas: CanvasChecks,
        escalation: EscalationService,
        card: CardSender,
        spawn: Spawn,
    ):
        self._adapter = adapter
        self._app_id = app_id
        self._canvas = canvas
        self._escalation = escalation
        self._card = card
        self._spawn = spawn

    @property
    def checks(self) -> CanvasChecks:
        return self._canvas

    def start(self, click: Click) -> bool:
        """Start the check in the background; False when this person's check of this card is
        already running (a second click)."""
        if not self._canvas.begin(click.member_id, click.token):
            return False
        self._spawn(self._run(click))
        return True

    async def _run(self, click: Click) -> None:
        async def in_the_conversation(turn_context: TurnContext) -> None:
            # TeamsInfo finds the team (if any) in the click's channelData.
            turn_context.activity.channel_data = dict(click.channel_data or {})
            await self._in(turn_context, click)

        try:
            await self._adapter.continue_conversation(
                click.reference, in_the_conversation, bot_app_id=self._app_id
            )
        except Exception as exc:
            log.error("teams: a Canvas check could not reach the conversation (%s)", _kind(exc))
        finally:
            self._canvas.end(click.member_id, click.token)

    async def _in(self, here: TurnContext, click: Click) -> None:
        where = _Place(here, self._card)
        try:
            draft = await self._escalation.get_draft(click.token)
            if draft is None:
                await where.say(EXPIRED)
                return
            if click.personal:
                await self._check(_Place(here, self._card, click.card_id), here, click, draft)
            else:
                await self._in_private_chat(here, click, draft, where)
        except Exception as exc:
            log.error("teams: a Canvas check failed with %s", _kind(exc))
            await _quietly(where.say(SORRY))

    async def _in_private_chat(
        self, here: TurnContext, click: Click, draft: Draft, where: _Place
    ) -> None:
        parameters = ConversationParameters(
            is_group=False,
            bot=click.bot,
            members=[ChannelAccount(id=click.member_id)],
            tenant_id=click.tenant or None,
            channel_data={"tenant": {"id": click.tenant}} if click.tenant else None,
        )
        opened: list[bool] = []

        async def in_private(private: TurnContext) -> None:
            opened.append(True)
            place = _Place(private, self._card)
            try:
                await self._check(place, here, click, draft)
            except Exception as exc:
                log.error("teams: a Canvas check failed with %s", _kind(exc))
                await _quietly(place.say(SORRY))

        try:
            await self._adapter.create_conversation(
                self._app_id,
                in_private,
                parameters,
                "msteams",
                click.reference.service_url,
                None,
            )
        except Exception as exc:
            if opened:
                raise
            log.warning("teams: no 1:1 chat for a Canvas check (%s)", _kind(exc))
            await where.say(NO_PRIVATE_CHAT)

    async def _check(self, place: _Place, here: TurnContext, click: Click, draft: Draft) -> None:
        others = not draft.pasted_by(click.person)  # only who pasted sees its students
        waiting = await self._canvas.answer_for(draft.text)
        await place.show(render_teams_card(waiting.view(shared=others), canvas_status=CHECKING))
        email = await teams_email(here, click.member_id, click.tenant)
        check = await self._canvas.run(
            draft.text, email, platform="teams", course_id=click.course_id
        )
        escalate: str | dict[str, str] | None = click.token if check.answer.escalates else None
        several = check.answer.kind == "errors" and len(check.answer.errors) > 1
        if check.answer.escalates and several:  # each error escalates on its own
            escalate = await card_tokens(
                self._escalation, check.answer, draft.text, draft.origin, draft.asked_by
            )
        diagnosis = CaseDiagnosis.of_answer(check.answer)
        if diagnosis is not None:  # an Escalate after this check carries the finding
            extra = list(escalate.values()) if isinstance(escalate, dict) else []
            for each in (click.token, *extra):
                await self._escalation.attach_diagnosis(each, diagnosis)
        await place.show(_result_card(check, click.token, escalate, others))


def _result_card(
    check: ChatCheck, token: str, escalate: str | dict[str, str] | None, shared: bool
) -> dict[str, Any]:
    again = check.outcome in ("canvas_error", "choose")
    return render_teams_card(
        check.answer.view(shared=shared),
        escalate_token=escalate,
        check_token=token if again else None,
        canvas_status=check.note if check.outcome not in ("found", "clear") else None,
        courses=check.choices if check.outcome == "choose" else (),
    )


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


async def _quietly(work: Awaitable[None]) -> None:
    try:
        await work
    except Exception as exc:
        log.error("teams: could not tell the person a Canvas check failed (%s)", _kind(exc))
