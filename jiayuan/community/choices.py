"""Code tables of the community registers: lower-case English codes, translated labels
(glossary.md names them: ``member_resident_service_center``, ``operating_fund`` ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceRoom(models.TextChoices):
    """Function rooms of the member–resident service centre. The first four are required by
    003 L309 「配备便民服务、党群活动、电化教育、文化娱乐等功能室及设施」; the demo community adds
    the three of 004 L28 「设置警务、群众说事、法律政策咨询等功能室」."""

    CONVENIENCE_SERVICES = "convenience_services", _("Convenience services")
    MEMBER_RESIDENT_ACTIVITIES = "member_resident_activities", _("Member–resident activities")
    AUDIO_VISUAL_EDUCATION = "audio_visual_education", _("Audio-visual education")
    CULTURE_RECREATION = "culture_recreation", _("Culture and recreation")
    POLICE = "police", _("Community police office")
    RESIDENTS_TALK = "residents_talk", _("Residents' talk room")
    LEGAL_CONSULTATION = "legal_consultation", _("Legal and policy consultation")


# The rooms 003 L309 names; the rulebook counts the missing ones (community.service_center).
REQUIRED_ROOMS = (
    ServiceRoom.CONVENIENCE_SERVICES,
    ServiceRoom.MEMBER_RESIDENT_ACTIVITIES,
    ServiceRoom.AUDIO_VISUAL_EDUCATION,
    ServiceRoom.CULTURE_RECREATION,
)


class Fund(models.TextChoices):
    """The community's funds of 003 L335 (and 002 L27 for the member activity fund)."""

    OPERATING_FUND = "operating_fund", _("Community operating fund")
    MEMBER_ACTIVITY_FUND = "member_activity_fund", _("Member activity fund")
    LIVELIHOOD_FUND = "livelihood_fund", _("Livelihood project fund")


class Committee(models.TextChoices):
    """The two committees (两委, 003 L297)."""

    COMMUNITY_PARTY_ORG = "community_party_org", _("Community Party organization committee")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    FULL_TIME_DEPUTY_SECRETARY = "full_time_deputy_secretary", _("Full-time deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    MEMBER = "member", _("Member")


POSTS_OF_COMMITTEE = {
    Committee.COMMUNITY_PARTY_ORG: (
        Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.FULL_TIME_DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER,
    ),
    Committee.RESIDENTS_COMMITTEE: (Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER),
}
# Posts one person at a time holds on a committee (the head of each committee).
SINGLE_HOLDER_POSTS = (Post.SECRETARY, Post.DIRECTOR)

# Education codes (GB/T 4658, residents.choices) that count as a university graduate (大学生,
# 003 L297): junior college (大学专科) or higher.
GRADUATE_EDUCATION = ("10", "20", "30")


# Chinese names as they appear in the registers' spreadsheets (the files are Chinese whatever the
# page language, like the residents register): used to write the .xlsx and to read the roster.
ZH_FUND = {Fund.OPERATING_FUND: "社区工作运行经费", Fund.MEMBER_ACTIVITY_FUND: "党员活动经费",
           Fund.LIVELIHOOD_FUND: "惠民项目资金"}
ZH_COMMITTEE = {Committee.COMMUNITY_PARTY_ORG: "社区党组织", Committee.RESIDENTS_COMMITTEE: "居委会"}
ZH_POST = {
    Post.SECRETARY: "书记", Post.DEPUTY_SECRETARY: "副书记", Post.FULL_TIME_DEPUTY_SECRETARY: "专职副书记",
    Post.COMMITTEE_MEMBER: "委员", Post.DIRECTOR: "主任", Post.DEPUTY_DIRECTOR: "副主任", Post.MEMBER: "委员",
}
ZH_ROOM = {
    ServiceRoom.CONVENIENCE_SERVICES: "便民服务", ServiceRoom.MEMBER_RESIDENT_ACTIVITIES: "党群活动",
    ServiceRoom.AUDIO_VISUAL_EDUCATION: "电化教育", ServiceRoom.CULTURE_RECREATION: "文化娱乐",
    ServiceRoom.POLICE: "警务", ServiceRoom.RESIDENTS_TALK: "群众说事", ServiceRoom.LEGAL_CONSULTATION: "法律政策咨询",
}
assert set(ZH_FUND) == set(Fund) and set(ZH_POST) == set(Post) and set(ZH_ROOM) == set(ServiceRoom)
