"""Who may read and run the 4+2 decisions: staff roles over the community read; the community
secretary and staff, the street, the district and administrators write (the same writers as
organizational life, ``party.permissions.MEETING_WRITER_ROLES``: the stages are meetings)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.party.permissions import may_read_party, may_write_meetings


def may_read(user, territory_code: str) -> bool:
    return may_read_party(user, territory_code)


def may_write(user, territory_code: str) -> bool:
    return may_write_meetings(user, territory_code)


def require_write(actor, territory_code: str) -> None:
    if not may_write(actor, territory_code):
        raise PermissionDenied(_("You may not run democratic decisions here."))
