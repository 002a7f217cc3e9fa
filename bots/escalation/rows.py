"""Database rows to the model's frozen objects and back (JSON in TEXT columns, epoch seconds)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from bots.escalation.database import Transaction
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.model import Case, Delivery, Draft, Origin, Report, Reporter, Status

REFERENCE_PREFIX = "PB-"
_REFERENCE = re.compile(r"^\s*(?:PB-?)?(\d{1,12})\s*$", re.IGNORECASE | re.ASCII)


def format_reference(number: int) -> str:
    return f"{REFERENCE_PREFIX}{number}"


def parse_reference(text: str) -> int | None:
    """1042 from "PB-1042", "pb-1042", "PB1042" or "1042"; None for anything else."""
    found = _REFERENCE.match(text or "")
    return int(found.group(1)) if found else None


def placeholders(start: int, count: int) -> str:
    """The placeholders "$2, $3, $4" for start=2, count=3."""
    return ", ".join(f"${i}" for i in range(start, start + count))


def origin_json(origin: Origin) -> str:
    return json.dumps(asdict(origin), ensure_ascii=False)


def origin_from_json(raw: str) -> Origin:
    data = json.loads(raw) if raw else {}
    known = {f.name for f in fields(Origin)}
    return Origin(**{k: str(v) for k, v in data.items() if k in known})


def reporter_json(reporter: Reporter | None) -> str:
    return json.dumps(asdict(reporter), ensure_ascii=False) if reporter else ""


def _reporter_from_json(raw: str) -> Reporter | None:
    if not raw:
        return None
    data = json.loads(raw)
    return Reporter(data["user_id"], data.get("display_name", ""), data.get("platform", ""))


def _frozen_fields(raw: str) -> Mapping[str, Mapping[str, str]]:
    data = json.loads(raw)
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in data.items()})


def _time(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def draft_from_row(row: Mapping[str, Any]) -> Draft:
    return Draft(
        entry_ids=tuple(json.loads(row["entry_ids"])),
        text=row["text"],
        fields=_frozen_fields(row["fields"]),
        origin=origin_from_json(row["origin"]),
        asked_by=_reporter_from_json(row["asked_by"]),
        diagnosis=CaseDiagnosis.loads(row.get("diagnosis")),
    )


async def load_cases(tx: Transaction, rows: list[dict[str, Any]]) -> list[Case]:
    if not rows:
        return []
    numbers = [r["number"] for r in rows]
    marks = placeholders(1, len(numbers))
    reports: dict[int, list[Report]] = {n: [] for n in numbers}
    for r in await tx.fetch(
        f"SELECT * FROM reports WHERE case_number IN ({marks}) ORDER BY id", *numbers
    ):
        reporter = Reporter(r["user_id"], r["display_name"], r["platform"])
        at = _time(r["reported_at"])
        assert at is not None
        reports[r["case_number"]].append(Report(reporter, origin_from_json(r["origin"]), at))
    deliveries: dict[int, list[Delivery]] = {n: [] for n in numbers}
    for d in await tx.fetch(
        f"SELECT * FROM deliveries WHERE case_number IN ({marks}) ORDER BY destination", *numbers
    ):
        deliveries[d["case_number"]].append(
            Delivery(
                destination=d["destination"],
                state=d["state"],
                attempts=d["attempts"],
                last_error=d["last_error"],
                delivered_at=_time(d["delivered_at"]),
                external_id=d["external_id"],
            )
        )
    cases = []
    for row in rows:
        number = row["number"]
        created, updated = _time(row["created_at"]), _time(row["updated_at"])
        assert created is not None and updated is not None
        cases.append(
            Case(
                reference=format_reference(number),
                entry_ids=tuple(json.loads(row["entry_ids"])),
                text=row["text"],
                fields=_frozen_fields(row["fields"]),
                origin=origin_from_json(row["origin"]),
                reporters=tuple(r.reporter for r in reports[number]),
                status=Status(row["status"]),
                created_at=created,
                updated_at=updated,
                deliveries=tuple(deliveries[number]),
                dedup_key=row["dedup_key"],
                reports=tuple(reports[number]),
                status_by=row["status_by"],
                diagnosis=CaseDiagnosis.loads(row.get("diagnosis")),
            )
        )
    return cases
