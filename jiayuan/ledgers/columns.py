"""The residents register template: Chinese headers first, English accepted (issue 3)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (field, Chinese header, English header), in the template's order.
COLUMNS = [
    ("name", "姓名", "name"),
    ("id_number", "公民身份号码", "id_number"),
    ("phone", "联系电话", "phone"),
    ("ethnicity", "民族", "ethnicity"),
    ("political_status", "政治面貌", "political_status"),
    ("relation_to_head", "与户主关系", "relation_to_head"),
    ("head_id_number", "户主公民身份号码", "head_id_number"),
    ("grid_code", "网格编码", "grid_code"),
    ("building", "楼栋", "building"),
    ("unit", "单元", "unit"),
    ("room", "房号", "room"),
    ("tags", "人员类别", "tags"),
    ("residence_type", "居住类型", "residence_type"),
]
FIELDS = [c[0] for c in COLUMNS]
ZH_HEADERS = [c[1] for c in COLUMNS]
EN_HEADERS = [c[2] for c in COLUMNS]
HEADER_TO_FIELD = {c[1]: c[0] for c in COLUMNS} | {c[2]: c[0] for c in COLUMNS}
REQUIRED = {"name", "id_number", "grid_code", "building", "unit", "room"}

# Column labels for error messages, in the user's language. In Chinese they are the template's
# headers exactly (the context keeps them apart from the same words elsewhere in the UI).
LABELS = {
    "name": pgettext_lazy("register column", "Name"),
    "id_number": pgettext_lazy("register column", "Identity number"),
    "phone": pgettext_lazy("register column", "Phone"),
    "ethnicity": pgettext_lazy("register column", "Ethnicity"),
    "political_status": pgettext_lazy("register column", "Political status"),
    "relation_to_head": pgettext_lazy("register column", "Relation to head"),
    "head_id_number": pgettext_lazy("register column", "Head's identity number"),
    "grid_code": pgettext_lazy("register column", "Grid code"),
    "building": pgettext_lazy("register column", "Building"),
    "unit": pgettext_lazy("register column", "Unit"),
    "room": pgettext_lazy("register column", "Room"),
    "tags": pgettext_lazy("register column", "Special groups"),
    "residence_type": pgettext_lazy("register column", "Residence type"),
    "file": _("File"),
}
