"""What the Slack listeners need from the rest of the bot, looked up when a request arrives.

The escalation service is created when the server starts (an aiohttp cleanup context), after
the Slack app is built, so listeners get it through a provider rather than at build time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bots.assistant import Assistant
from bots.metrics import Metrics
from bots.slack.settings import SlackSettings

if TYPE_CHECKING:
    from bots.escalation.service import EscalationService

CONTEXT_KEY = "passback"  # where listeners find the services in bolt's `context`


@dataclass(frozen=True, slots=True)
class SlackServices:
    assistant: Assistant
    escalation: EscalationService | None  # None until the server has started it
    settings: SlackSettings
    metrics: Metrics | None = None


ServicesProvider = Callable[[], SlackServices]
