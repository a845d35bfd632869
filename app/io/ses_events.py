"""Amazon SES event notifications (SNS/SQS messages or Firehose exports): one JSON object per
line, each a Bounce, Complaint or Delivery for one or more recipients.

Each recipient becomes a row with the columns the rest of the importer already understands, so
classification, decisions and exports treat an SES export like any other bounce report.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from app.core.table import RowProblem, Table
from app.io.delimited import FileReadError

JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
HEADER = ["email", "enhanced_status", "diagnostic", "bounce_type", "date"]


def _rows(event: dict[str, Any]) -> list[list[str]]:
    kind = str(event.get("notificationType") or event.get("eventType") or "")
    if kind == "Bounce":
        bounce = event.get("bounce", {})
        label = "/".join(filter(None, (bounce.get("bounceType"), bounce.get("bounceSubType"))))
        return [
            [
                str(r.get("emailAddress", "")),
                str(r.get("status", "")),
                str(r.get("diagnosticCode", "")).removeprefix("smtp;").strip(),
                label,
                str(bounce.get("timestamp", "")),
            ]
            for r in bounce.get("bouncedRecipients", [])
        ]
    if kind == "Complaint":
        complaint = event.get("complaint", {})
        return [
            [
                str(r.get("emailAddress", "")),
                "",
                "",
                "complaint",
                str(complaint.get("timestamp", "")),
            ]
            for r in complaint.get("complainedRecipients", [])
        ]
    if kind == "Delivery":
        delivery = event.get("delivery", {})
        return [
            [str(address), "2.0.0", str(delivery.get("smtpResponse", "")), "delivered",
             str(delivery.get("timestamp", ""))]
            for address in delivery.get("recipients", [])
        ]  # fmt: skip
    return []


def ses_rows_in_text(text: str) -> list[list[str]]:
    """Rows (HEADER order) of an SES event e-mailed as an SNS notification, or []."""
    try:  # the first JSON value: SNS e-mails add an unsubscribe footer after it
        event, _ = json.JSONDecoder().raw_decode(text.strip())
    except ValueError:
        return []
    if isinstance(event, dict) and isinstance(event.get("Message"), str):
        with contextlib.suppress(ValueError):
            event = json.loads(event["Message"])
    return _rows(event) if isinstance(event, dict) else []


def read_ses_events(path: Path) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileReadError(f"{path.name}: cannot read the file ({exc})") from None
    stripped = text.strip()
    if not stripped:
        raise FileReadError(f"{path.name}: the file is empty")
    problems: list[RowProblem] = []
    if stripped.startswith("["):  # one JSON array of events
        try:
            events = json.loads(stripped)
        except ValueError as exc:
            raise FileReadError(f"{path.name}: not valid JSON ({exc})") from None
        lines = [(n, e) for n, e in enumerate(events, start=1)]
    else:
        lines = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                lines.append((number, json.loads(line)))
            except ValueError:
                problems.append(RowProblem(number, "is not a JSON event and was skipped"))
    rows: list[list[str]] = []
    for number, event in lines:
        if isinstance(event, dict) and isinstance(event.get("Message"), str):
            with contextlib.suppress(ValueError):  # an SNS envelope around the SES event
                event = json.loads(event["Message"])
        found = _rows(event) if isinstance(event, dict) else []
        if not found:
            problems.append(RowProblem(number, "is not an SES bounce, complaint or delivery"))
        rows.extend(found)
    if not rows:
        raise FileReadError(f"{path.name}: no SES bounce, complaint or delivery events found")
    table = Table.from_rows(list(HEADER), rows)
    table.problems = problems
    return table
