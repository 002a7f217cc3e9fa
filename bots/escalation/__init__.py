"""One-click escalation to support: cases stored once, delivered once, and followed up.

The service is `bots.escalation.service.EscalationService`; its vocabulary is in `model`.
This package's import stays light (`bots.config` imports its settings for every CLI command):
import `service` where it is used.
"""

from bots.escalation.model import (
    Case,
    CaseNotFound,
    Delivery,
    Draft,
    EscalationError,
    Origin,
    Outcome,
    Report,
    Reporter,
    Status,
    StatusConflict,
)

__all__ = [
    "Case",
    "CaseNotFound",
    "Delivery",
    "Draft",
    "EscalationError",
    "Origin",
    "Outcome",
    "Report",
    "Reporter",
    "Status",
    "StatusConflict",
]
