"""The case world: the web-test world (demo places, one user per role) and helpers that build
cases through the services only."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry

from jiayuan.cases import services
from jiayuan.cases.models import Case, CaseAttachment, CaseEvent, IdempotencyKey
from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401


def counts() -> dict[str, int]:
    """Rows that must not move when a call is refused."""
    return {
        "cases": Case.objects.count(), "events": CaseEvent.objects.count(),
        "attachments": CaseAttachment.objects.count(), "keys": IdempotencyKey.objects.count(),
        "log": LogEntry.objects.count(),
    }


def report(web, actor="staff", *, place=None, kind="appeal", category="environment", channel="walk_in", **extra):
    return services.case_report(
        actor=web.users[actor] if isinstance(actor, str) else actor, kind=kind, category=category,
        title=extra.pop("title", "楼道灯不亮"), description=extra.pop("description", "3栋2单元楼道灯坏了一周"),
        place=place or web.grid_a, channel=channel, **extra,
    )


def act(web, case, action, actor="staff", **data):
    return services.case_transition(actor=web.users[actor] if isinstance(actor, str) else actor, case=case,
                                    action=action, **data)


def walk(web, case, to: str, actor="staff"):
    """Move a case through the loop up to state ``to`` (assigned by ``secretary``, handled by
    ``staff`` as the assignee)."""
    steps = [
        ("accepted", "accept", {}),
        ("assigned", "assign", {"user": web.users["staff"], "target": "community"}),
        ("in_progress", "start", {}),
        ("resolved", "resolve", {"comment": "已修好"}),
        ("visited", "visit", {"rating": 5, "satisfied": True}),
        ("closed", "close", {}),
    ]
    for state, action, data in steps:
        who = "secretary" if action == "assign" else actor
        case = act(web, case, action, who, **data)
        if state == to:
            break
    return case


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
