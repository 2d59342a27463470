"""The dispute world: the web-test world (demo places, one user per role) and a helper that
registers a dispute through the services as the community secretary."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.disputes import services
from jiayuan.disputes.models import (
    Dispute,
    DisputeEvent,
    MediationAgreement,
    MediationSession,
    ScreeningRound,
)

TODAY = timezone.localdate()
EARLIER = TODAY - dt.timedelta(days=10)


def dispute_counts() -> dict[str, int]:
    """Rows that must not move when a write is refused."""
    return {
        "rounds": ScreeningRound.objects.count(), "disputes": Dispute.objects.count(),
        "events": DisputeEvent.objects.count(), "sessions": MediationSession.objects.count(),
        "agreements": MediationAgreement.objects.count(), "log": LogEntry.objects.count(),
    }


@pytest.fixture
def screening_round(web):
    return services.round_create(actor=web.users["secretary"], community=web.places["community"], title="第一轮排查",
                                 period_start=EARLIER, period_end=TODAY, participants="党员干部 12 人",
                                 households_covered=300)


@pytest.fixture
def dispute(web, screening_round):
    return services.dispute_register(
        actor=web.users["secretary"], place=web.grid_a, title="楼上漏水", kind="neighbourhood",
        intake_mode="screening", screening_round=screening_round, found_on=EARLIER, summary="卫生间漏水到楼下",
        parties=[{"name": "张三", "phone": "13812345678"}, {"name": "李四", "phone": ""}],
    )


def assign(web, d, actor="secretary"):
    return services.dispute_assign(actor=web.users[actor], dispute=d, leader_name="刘书记", team=["王调解员", "陈网格员"],
                                   plan="先查明漏水原因,再协商维修费用")


def mediating(web, d, actor="secretary"):
    assign(web, d, actor)
    return services.mediation_start(actor=web.users[actor], dispute=d)


def signed(web, d):
    mediating(web, d)
    services.agreement_save(actor=web.users["secretary"], dispute=d, parties="张三、李四", content="张三承担维修费用八百元。",
                            agreed_on=TODAY, mediators="王调解员")
    return services.agreement_sign(actor=web.users["secretary"], dispute=d,
                                   signatures=[{"name": "张三", "signed_on": TODAY}, {"name": "李四", "signed_on": TODAY}])
