"""`POST /api/messages`: the Bot Framework endpoint Teams and the Emulator call.

The BotBuilder samples' wiring (`CloudAdapter(ConfigurationBotFrameworkAuthentication(config))`,
an `on_turn_error` that answers the user), plus what the samples leave out: a request that fails
authentication is an HTTP 401 that never reaches the bot, whatever the token looked like; a
malformed body is a 400 in words; and in local mode (no MicrosoftAppId) the bot only talks to an
Emulator on this machine, so an unconfigured server cannot be used to send requests elsewhere.

The handler calls `adapter.process_activity` (as the samples did before `CloudAdapter.process`)
so it owns the HTTP answer: `process` turns some token failures into a 500 and serialises an
invoke's body a second time, which fails for an `adaptiveCard/action` answer (botbuilder 4.17).
"""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bots.assistant import Assistant
from bots.escalation.service import EscalationService
from bots.lifecycle import InFlight
from bots.metrics import Metrics
from bots.teams.bot import PassbackBot, card_activity
from bots.teams.canvas import TeamsCanvas
from bots.teams.connectors import CachedConnectorFactory, ClientCache, app_id_of
from bots.teams.isolation import ServiceSlots, executor
from bots.teams.notify import build_notifier
from bots.teams.service_url import service_url_problem
from bots.teams.settings import TeamsSettings

if TYPE_CHECKING:  # the Canvas client loads only when Canvas is configured
    from bots.canvas_chat import CanvasChecks

log = logging.getLogger("passback.teams")

MESSAGES_PATH = "/api/messages"
TEAMS_ADAPTER_KEY = web.AppKey("teams_adapter", CloudAdapter)

SORRY = (
    "Sorry, something went wrong on my side while answering that. Please try again in a "
    "minute; if it keeps happening, tell your district's Canvas admins."
)


@dataclass(frozen=True, slots=True)
class _BotConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str | None
    APP_PASSWORD: str | None = field(repr=False)
    APP_TYPE: str
    APP_TENANTID: str | None

    @classmethod
    def from_settings(cls, settings: TeamsSettings) -> _BotConfig:
        return cls(
            APP_ID=settings.app_id or None,
            APP_PASSWORD=settings.app_password or None,
            APP_TYPE=settings.app_type,
            APP_TENANTID=settings.tenant_id or None,
        )


class _StrictAuthentication(BotFrameworkAuthentication):
    """Every failure to validate a request's token is a PermissionError, which the endpoint
    answers with 401: the library raises PermissionError for some bad tokens, but a
    jwt.DecodeError, KeyError or IndexError for others (garbage, an unknown key id).
    The Bot Connector clients it hands the adapter are kept between turns (see connectors.py)."""

    def __init__(self, inner: BotFrameworkAuthentication):
        self._inner = inner
        self._clients = ClientCache()

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        try:
            result = await self._inner.authenticate_request(activity, auth_header)
        except PermissionError:
            log.warning("Teams: rejected a request without a valid Bot Framework token")
            raise
        except Exception as exc:
            log.warning(
                "Teams: rejected a request whose token could not be validated (%s)",
                type(exc).__name__,
            )
            raise PermissionError("the token could not be validated") from None
        if result.connector_factory is not None:
            result.connector_factory = CachedConnectorFactory(
                result.connector_factory, app_id_of(result.claims_identity), self._clients
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise PermissionError("streaming connections are not accepted")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = self._inner.create_connector_factory(claims_identity)
        return CachedConnectorFactory(inner, app_id_of(claims_identity), self._clients)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = ("user-token", app_id_of(claims_identity))
        build = self._inner.create_user_token_client
        return await self._clients.get(key, lambda: build(claims_identity))

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        try:
            return await self._inner.authenticate_channel_request(auth_header)
        except PermissionError:
            raise
        except Exception:
            raise PermissionError("the token could not be validated") from None


def _frames(error: BaseException) -> str:
    """Where an error happened: files, lines and code, without values (no pasted text)."""
    return "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Answer the user in words; log the failure without its message (it may quote the paste)."""
    activity = context.activity
    log.error(
        "Teams: a %s turn failed with %s\n%s",
        activity.type,
        type(error).__name__,
        _frames(error),
    )
    if activity.type not in (ActivityTypes.message, ActivityTypes.invoke):
        return
    try:
        await context.send_activity(SORRY)
    except Exception as exc:
        log.error("Teams: could not send the apology either (%s)", type(exc).__name__)


_KINDS = {kind.value.lower(): kind.value for kind in ActivityTypes}


def _activity_kind(activity: Activity) -> str:
    """message, invoke, conversationUpdate ...: one of the Bot Framework's activity types,
    else "other", so a caller cannot add label values."""
    kind = activity.type if isinstance(activity.type, str) else ""
    return _KINDS.get(kind.lower(), "other")


def _count(metrics: Metrics, activity: Activity) -> None:
    metrics.requests.labels(platform="teams", kind=_activity_kind(activity)).inc()


def _activity(body: dict) -> Activity | None:
    """The activity, or None when msrest cannot read the body as one (a field of the wrong
    shape: `"conversation": "c"`, `"entities": "x"`, a bad timestamp, nesting too deep)."""
    try:
        return Activity().deserialize(body)
    except (DeserializationError, RecursionError, ValueError, TypeError, AttributeError):
        return None


def _problem(status: int, sentence: str) -> web.Response:
    return web.json_response({"error": sentence}, status=status)


def build_messages_handler(
    adapter: CloudAdapter, bot: PassbackBot, settings: TeamsSettings, metrics: Metrics
) -> Handler:
    slots = ServiceSlots()

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _problem(415, "Send a Bot Framework activity as application/json.")
        try:
            body = json.loads(await request.text())
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _problem(400, "The request body is not valid JSON.")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return _problem(400, "The request body is not a Bot Framework activity.")
        service_url = body.get("serviceUrl")
        problem = service_url_problem(service_url, local=False)
        if problem is not None:
            log.warning("Teams: ignored an activity: %s", problem)
            return _problem(400, f"Not answered: {problem}.")
        if not settings.authenticated and service_url_problem(service_url, local=True):
            log.warning("Teams: local mode ignored an activity whose serviceUrl is not local")
            return _problem(
                403,
                "This bot runs without MicrosoftAppId (local mode) and only answers the Bot "
                "Framework Emulator on this machine.",
            )
        activity = _activity(body)
        if activity is None:
            # Nothing of the body is logged: its fields hold what people typed.
            log.warning("Teams: refused a body that is not a Bot Framework activity")
            return _problem(400, "The request body is not a Bot Framework activity.")
        # In local mode there is nothing to check a token against: a header sent anyway would
        # make botbuilder fetch the Bot Framework's signing keys from the internet.
        auth_header = request.headers.get("Authorization", "") if settings.authenticated else ""
        try:
            async with slots.turn(str(service_url)):
                invoke = await adapter.process_activity(auth_header, activity, bot.on_turn)
        except PermissionError:
            return _problem(401, "A valid Bot Framework token is required.")
        except Exception as exc:
            _count(metrics, activity)
            log.error("Teams: the request failed with %s\n%s", type(exc).__name__, _frames(exc))
            return _problem(500, "The bot could not handle this activity.")
        _count(metrics, activity)  # authenticated (or local mode): never a caller's free text
        if invoke is None:
            return web.Response(status=201)
        result = invoke.body
        if isinstance(result, Model):  # the library's own invoke answers are models
            result = serializer_helper(result)
        return web.json_response(result, status=int(invoke.status or 200))

    return messages


def mount_teams(
    app: web.Application,
    settings: TeamsSettings,
    assistant: Assistant,
    escalation: EscalationService,
    metrics: Metrics,
    in_flight: InFlight | None = None,
    canvas: CanvasChecks | None = None,
) -> None:
    """Add `POST /api/messages` to the server; with `canvas`, Check in Canvas on the cards."""
    auth = ConfigurationBotFrameworkAuthentication(_BotConfig.from_settings(settings))
    adapter = CloudAdapter(_StrictAuthentication(auth))
    adapter.on_turn_error = on_turn_error
    checking = None
    if canvas is not None:
        spawn = (in_flight or InFlight()).spawn  # counted, so a shutdown lets checks finish
        app_id = settings.app_id or None
        checking = TeamsCanvas(adapter, app_id, canvas, escalation, card_activity, spawn)
    bot = PassbackBot(assistant, escalation, canvas=checking)
    app[TEAMS_ADAPTER_KEY] = adapter
    app.router.add_post(MESSAGES_PATH, build_messages_handler(adapter, bot, settings, metrics))

    async def room_for_slow_calls(app: web.Application) -> None:
        asyncio.get_running_loop().set_default_executor(executor())

    app.on_startup.append(room_for_slow_calls)

    def allowed(service_url: str) -> bool:
        return service_url_problem(service_url, local=not settings.authenticated) is None

    escalation.add_notifier("teams", build_notifier(adapter, settings, allowed))
    if settings.authenticated:
        log.info(
            "Teams: %s on POST %s for app id %s",
            settings.app_type,
            MESSAGES_PATH,
            settings.app_id,
        )
    else:
        log.warning(
            "Teams is running WITHOUT AUTHENTICATION (no MicrosoftAppId): POST %s accepts "
            "any request and answers only a Bot Framework Emulator on this machine. Set "
            "MicrosoftAppId and MicrosoftAppPassword before Teams can reach this server.",
            MESSAGES_PATH,
        )
