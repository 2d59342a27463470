"""The residents register template: Chinese headers first, English accepted (issue 3)."""

from django.utils.translation import gettext_lazy as _

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

# Column labels for error messages, in the user's language.
LABELS = {
    "name": _("Name"), "id_number": _("Identity number"), "phone": _("Phone"), "ethnicity": _("Ethnicity"),
    "political_status": _("Political status"), "relation_to_head": _("Relation to head"),
    "head_id_number": _("Head's identity number"), "grid_code": _("Grid code"), "building": _("Building"),
    "unit": _("Unit"), "room": _("Room"), "tags": _("Special groups"), "residence_type": _("Residence type"),
    "file": _("File"),
}
