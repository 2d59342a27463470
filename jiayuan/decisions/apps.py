from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "jiayuan.decisions"
    label = "decisions"
    verbose_name = _("Democratic decisions (4+2 工作法)")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            CharterVersion,
            Comment,
            DecisionMatter,
            DecisionStage,
            ImplementationResult,
            Notice,
            Objection,
        )

        for model in (DecisionMatter, DecisionStage, Comment, Notice, Objection, ImplementationResult, CharterVersion):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])

        # the residents' side (resident meetings, their votes and dual-ballot voting, 002 L185)
        from .models import (
            AgendaItem,
            HouseholdBallot,
            RepresentativeHousehold,
            ResidentMeeting,
            ResidentRepresentative,
            ResidentVote,
        )

        for model in (ResidentRepresentative, RepresentativeHousehold, ResidentMeeting, AgendaItem, ResidentVote,
                      HouseholdBallot):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
