"""Code tables for people and households.

National standards give the codes: ethnicity GB/T 3304, political status GB/T 4762, relation to
the household head GB/T 4761, education GB/T 4658 (top levels). Codes are stored; names are
shown in the user's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.i18n import bilingual

_ETHNICITIES = [
    ("01", "汉族", "Han"), ("02", "蒙古族", "Mongol"), ("03", "回族", "Hui"), ("04", "藏族", "Tibetan"),
    ("05", "维吾尔族", "Uyghur"), ("06", "苗族", "Miao"), ("07", "彝族", "Yi"), ("08", "壮族", "Zhuang"),
    ("09", "布依族", "Bouyei"), ("10", "朝鲜族", "Korean"), ("11", "满族", "Manchu"), ("12", "侗族", "Dong"),
    ("13", "瑶族", "Yao"), ("14", "白族", "Bai"), ("15", "土家族", "Tujia"), ("16", "哈尼族", "Hani"),
    ("17", "哈萨克族", "Kazakh"), ("18", "傣族", "Dai"), ("19", "黎族", "Li"), ("20", "傈僳族", "Lisu"),
    ("21", "佤族", "Va"), ("22", "畲族", "She"), ("23", "高山族", "Gaoshan"), ("24", "拉祜族", "Lahu"),
    ("25", "水族", "Shui"), ("26", "东乡族", "Dongxiang"), ("27", "纳西族", "Naxi"), ("28", "景颇族", "Jingpo"),
    ("29", "柯尔克孜族", "Kyrgyz"), ("30", "土族", "Tu"), ("31", "达斡尔族", "Daur"), ("32", "仫佬族", "Mulao"),
    ("33", "羌族", "Qiang"), ("34", "布朗族", "Blang"), ("35", "撒拉族", "Salar"), ("36", "毛南族", "Maonan"),
    ("37", "仡佬族", "Gelao"), ("38", "锡伯族", "Xibe"), ("39", "阿昌族", "Achang"), ("40", "普米族", "Pumi"),
    ("41", "塔吉克族", "Tajik"), ("42", "怒族", "Nu"), ("43", "乌孜别克族", "Uzbek"), ("44", "俄罗斯族", "Russian"),
    ("45", "鄂温克族", "Evenki"), ("46", "德昂族", "De'ang"), ("47", "保安族", "Bonan"), ("48", "裕固族", "Yugur"),
    ("49", "京族", "Gin"), ("50", "塔塔尔族", "Tatar"), ("51", "独龙族", "Derung"), ("52", "鄂伦春族", "Oroqen"),
    ("53", "赫哲族", "Hezhen"), ("54", "门巴族", "Monpa"), ("55", "珞巴族", "Lhoba"), ("56", "基诺族", "Jino"),
    ("97", "其他", "Other"), ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
]
ETHNICITY_CHOICES = [(code, bilingual(zh, en)) for code, zh, en in _ETHNICITIES]
ETHNICITY_BY_NAME = {zh: code for code, zh, _en in _ETHNICITIES} | {zh[:-1]: code for code, zh, _en in _ETHNICITIES if zh.endswith("族")}

_POLITICAL = [
    ("01", "中共党员", "CPC member"), ("02", "中共预备党员", "CPC probationary member"),
    ("03", "共青团员", "CYL member"), ("04", "民革党员", "RCCK member"), ("05", "民盟盟员", "CDL member"),
    ("06", "民建会员", "CNDCA member"), ("07", "民进会员", "CAPD member"), ("08", "农工党党员", "CPWDP member"),
    ("09", "致公党党员", "CZGP member"), ("10", "九三学社社员", "Jiusan Society member"),
    ("11", "台盟盟员", "TDSGL member"), ("12", "无党派人士", "Non-partisan"), ("13", "群众", "The masses (no affiliation)"),
]
POLITICAL_STATUS_CHOICES = [(code, bilingual(zh, en)) for code, zh, en in _POLITICAL]
POLITICAL_STATUS_BY_NAME = {zh: code for code, zh, _en in _POLITICAL}

_RELATIONS = [
    ("02", "户主", "Head of household"), ("10", "配偶", "Spouse"), ("20", "子", "Son"), ("30", "女", "Daughter"),
    ("40", "孙子女", "Grandchild"), ("50", "父母", "Parent"), ("60", "祖父母", "Grandparent"),
    ("70", "兄弟姐妹", "Sibling"), ("80", "其他亲属", "Other relative"), ("99", "非亲属", "Not related"),
]
RELATION_CHOICES = [(code, bilingual(zh, en)) for code, zh, en in _RELATIONS]
RELATION_BY_NAME = {zh: code for code, zh, _en in _RELATIONS}
RELATION_HEAD = "02"

_EDUCATION = [
    ("10", "研究生", "Postgraduate"), ("20", "大学本科", "Bachelor's degree"), ("30", "大学专科", "Junior college"),
    ("40", "中等专科", "Secondary vocational"), ("60", "普通高中", "Senior high school"), ("70", "初中", "Junior high school"),
    ("80", "小学", "Primary school"), ("90", "其他", "Other / none"),
]
EDUCATION_CHOICES = [(code, bilingual(zh, en)) for code, zh, en in _EDUCATION]


class Sex(models.TextChoices):
    MALE = "male", bilingual("男", "Male")
    FEMALE = "female", bilingual("女", "Female")


class ResidenceType(models.TextChoices):
    """户籍 / 常住 / 流动人口 / 租住 (issue 2)."""

    REGISTERED = "registered", bilingual("户籍人口", "Registered resident")
    PERMANENT = "permanent", bilingual("常住人口", "Permanent resident")
    FLOATING = "floating", bilingual("流动人口", "Floating population")
    RENTING = "renting", bilingual("租住", "Tenant")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", bilingual("在业", "Employed")
    SELF_EMPLOYED = "self_employed", bilingual("个体经营", "Self-employed")
    UNEMPLOYED = "unemployed", bilingual("失业", "Unemployed")
    RETIRED = "retired", bilingual("退休", "Retired")
    STUDENT = "student", bilingual("在校学生", "Student")
    PRESCHOOL = "preschool", bilingual("学龄前", "Pre-school child")
    OTHER = "other", bilingual("其他", "Other")


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class HardshipStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not yet asked")
    NONE = "none", _("No hardship")
    HARDSHIP = "hardship", _("In hardship")


class MoveKind(models.TextChoices):
    """Kinds of moves kept as history (动态管理): nothing about where someone lived is overwritten."""

    MOVE_IN = "move_in", _("Moved in")
    MOVE_OUT = "move_out", _("Moved out")
    TRANSFER = "transfer", _("Moved within the area")
    DECEASED = "deceased", _("Deceased")
