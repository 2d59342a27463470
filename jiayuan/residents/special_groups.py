"""The catalogue of special groups (特殊人群) with their sensitivity and seed source.

Loaded by a data migration; an administrator can add more in the admin. Sensitivity decides who
sees the tag (accounts/choices.py ROLE_MAX_SENSITIVITY).
"""

NORMAL, SENSITIVE, RESTRICTED = 1, 2, 3

SPECIAL_GROUPS = [
    # code, 中文, English, sensitivity, source
    ("solitary_elder", "独居老人", "Elder living alone", NORMAL, "003 L311"),
    ("empty_nest_elder", "空巢老人", "Empty-nest elder", NORMAL, "003 L245"),
    ("entitled_group", "优抚对象", "Entitled group (veterans and families)", NORMAL, ""),
    ("floating_resident", "流动人口", "Floating population", NORMAL, "003 L457"),
    ("left_behind_child", "留守儿童", "Left-behind child", SENSITIVE, "003 L311"),
    ("disabled_person", "残疾人", "Person with disability", SENSITIVE, "003 L311"),
    ("subsistence_allowance", "低保", "Minimum living allowance", SENSITIVE, "002 L67"),
    ("five_guarantee", "五保", "Five-guarantee support", SENSITIVE, ""),
    ("needy_household", "困难家庭", "Household in hardship", SENSITIVE, "003 L263"),
    ("laid_off_person", "失业人员", "Unemployed person", SENSITIVE, "002 L99"),
    ("at_risk_youth", "重点青少年", "At-risk youth", SENSITIVE, "002 L149"),
    ("released_prisoner", "刑释解教人员", "Released prisoner", RESTRICTED, "002 L149"),
    ("community_correction", "社区矫正对象", "Under community correction", RESTRICTED, ""),
    ("drug_user", "吸毒人员", "Drug user in rehabilitation", RESTRICTED, "002 L151"),
    ("at_risk_mental_patient", "严重精神障碍患者", "Person with severe mental disorder", RESTRICTED, "002 L149"),
]


def ensure_special_groups(model=None) -> None:
    """Create or refresh the catalogue rows (used by the data migration and the demo loader)."""
    if model is None:
        from .models import SpecialGroup as model
    for code, zh, en, level, source in SPECIAL_GROUPS:
        model.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sensitivity": level, "source": source}
        )
