"""Code tables of the Party module: lower-case English codes stored, labels translated.

Names follow ``glossary.md`` §3 (``party_branch``, ``general_party_branch``, ``mobile_member`` …).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    """Forms of Party organization named in the seeds (003 L291, 003 L293, 004 L70, 002 L107)."""

    PARTY_COMMITTEE = "party_committee", _("Party committee (党委)")
    GENERAL_PARTY_BRANCH = "general_party_branch", _("General Party branch (党总支)")
    PARTY_BRANCH = "party_branch", _("Party branch (党支部)")
    PARTY_GROUP = "party_group", _("Party group (党小组)")
    JOINT_PARTY_COMMITTEE = "joint_party_committee", _("Joint Party committee (联合党委)")
    GRAND_PARTY_COMMITTEE = "grand_party_committee", _("Grand Party committee (大党委)")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary Party branch (临时党支部)")
    MOBILE_MEMBER_BRANCH = "mobile_member_branch", _("Mobile-member branch (流动党员支部)")


# Types that hold members' organizational relationships (a Party group does not: a member is
# in a branch and, where groups exist, also in one group).
MEMBER_HOLDING_TYPES = frozenset(t for t in OrgType.values if t != OrgType.PARTY_GROUP)
# Types that count as "a branch" for 一社区一支部 (002 L37, 001 L25).
BRANCH_LIKE_TYPES = frozenset(
    {
        OrgType.PARTY_COMMITTEE,
        OrgType.GENERAL_PARTY_BRANCH,
        OrgType.PARTY_BRANCH,
        OrgType.JOINT_PARTY_COMMITTEE,
        OrgType.GRAND_PARTY_COMMITTEE,
        OrgType.TEMPORARY_BRANCH,
        OrgType.MOBILE_MEMBER_BRANCH,
    }
)


class HostKind(models.TextChoices):
    """Where the organization is set up (组建形式: 002 L101, 002 L259, 003 L293)."""

    COMMUNITY = "community", _("Community")
    STATIONED_UNIT = "stationed_unit", _("Stationed unit (驻区单位)")
    TWO_NEW_ORG = "two_new_org", _("'Two new' organization (两新组织)")
    ENTERPRISE = "enterprise", _("Enterprise")
    COMPOUND = "compound", _("Compound or building")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class MemberCategory(models.TextChoices):
    """Categories a member may carry (several at once); issue 5 "Members"."""

    IN_SERVICE = "in_service", _("In service (在职)")
    RETIRED = "retired", _("Retired (离退休)")
    LAID_OFF = "laid_off", _("Laid off (下岗)")
    MOBILE = "mobile", _("Mobile (流动)")
    WITHOUT_POST = "without_post", _("Without post (无职)")
    IN_HARDSHIP = "in_hardship", _("In hardship (困难)")
    OLD_MEMBER = "old_member", _("Old member (老党员)")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur (致富能手)")


class ManagementMode(models.TextChoices):
    DIRECT = "direct", _("Direct (直管)")
    ENTRUSTED = "entrusted", _("Entrusted (代管)")
    ASSISTED = "assisted", _("Assisted (协管)")


class LeftReason(models.TextChoices):
    DIED = "died", _("Died")
    EXPELLED = "expelled", _("Expelled")
    WITHDREW = "withdrew", _("Withdrew or removed")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the system")


class OfficerPost(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    FULL_TIME_DEPUTY_SECRETARY = "full_time_deputy_secretary", _("Full-time deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    ORGANIZER = "organizer", _("Organization officer (组织委员)")
    PROPAGANDA = "propaganda", _("Propaganda officer (宣传委员)")
    DISCIPLINE = "discipline", _("Discipline officer (纪检委员)")
    GROUP_LEADER = "group_leader", _("Party group leader")


class TransferKind(models.TextChoices):
    IN = "in", _("In from outside")
    OUT = "out", _("Out to outside")
    INTERNAL = "internal", _("Between organizations here")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    MESSAGE = "message", _("Message (WeChat, SMS)")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class ContactKind(models.TextChoices):
    """What a mobile member's log line records (002 L107, 002 L197)."""

    CONTACT = "contact", _("Contact from the origin organization")
    INFLOW_ACTIVITY = "inflow_activity", _("Activity reported by the host organization")
    REVIEW = "review", _("Review (点评)")


class PocketLeadStatus(models.TextChoices):
    FOUND = "found", _("Found")
    CONTACTED = "contacted", _("Contacted")
    RECEIVED = "received", _("Relationship received")
    CLOSED = "closed", _("Closed")


class RecruitmentStage(models.TextChoices):
    """发展党员 stages in order (003 L303 names activist and development candidate; the later
    steps follow the national procedure)."""

    APPLICANT = "applicant", _("Applicant (入党申请人)")
    ACTIVIST = "activist", _("Activist (入党积极分子)")
    DEVELOPMENT_CANDIDATE = "development_candidate", _("Development candidate (发展对象)")
    PROBATIONARY = "probationary", _("Probationary member (预备党员)")
    FULL = "full", _("Full member (正式党员)")


RECRUITMENT_ORDER = [s.value for s in RecruitmentStage]


class PostStage(models.TextChoices):
    """设岗定责 steps in order (002 L97)."""

    DESIGNED = "designed", _("Designed (科学设岗)")
    CLAIMED = "claimed", _("Claimed (自愿认岗)")
    CONFIRMED = "confirmed", _("Confirmed (组织定岗)")
    ANNOUNCED = "announced", _("Announced (公示明岗)")
    ASSESSED = "assessed", _("Assessed (考核评岗)")


POST_ORDER = [s.value for s in PostStage]


class PostAssessment(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Not competent")
