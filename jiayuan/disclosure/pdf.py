"""An item as a printable A4 notice in Chinese (告示), and as plain text for broadcast (广播稿).

reportlab with its CID font STSong-Light, as the mediation agreement (``disputes/pdf.py``).
Both channels build on :func:`notice_lines`, which masks identity and phone numbers
(:mod:`.masking`), so the PDF and the text carry exactly what the public board shows.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from jiayuan.disputes.pdf import _font

from .choices import Kind, Status
from .masking import mask_personal

SECTION_ZH = {"party_affairs": "党务公开", "government": "政务公开", "affairs": "事务公开", "finance": "财务公开",
              "service": "服务公开"}


def notice_lines(item) -> dict:
    """The notice's parts, masked: title, heading, body, signature, date, notes, and for a
    departure audit the cadre's post and the audit period."""
    notes = []
    if item.supersedes_id:
        notes.append(f"更正说明(第{item.version}版):{mask_personal(item.change_note)}")
    if item.status == Status.WITHDRAWN:
        notes.append(f"本公开已于{item.withdrawn_on:%Y年%m月%d日}撤回,原因:{mask_personal(item.withdrawn_reason)}")
    date = f"{item.published_on:%Y年%m月%d日}" if item.published_on else ""
    expiry = f"公开期限至{item.expires_on:%Y年%m月%d日}" if item.expires_on else ""
    audit = ""
    if item.kind == Kind.DEPARTURE_AUDIT and item.audit_from and item.audit_to:
        audit = (f"被审计干部职务:{mask_personal(item.cadre_post)};"
                 f"审计期间:{item.audit_from:%Y年%m月%d日}至{item.audit_to:%Y年%m月%d日}")
    return {
        "audit": audit,
        "heading": SECTION_ZH.get(item.section, "公开"),
        "title": mask_personal(item.title),
        "body": mask_personal(item.body),
        "publisher": mask_personal(item.publisher),
        "date": date,
        "expiry": expiry,
        "notes": notes,
    }


def notice_text(item) -> str:
    """Plain text for the loudspeaker or a message group."""
    n = notice_lines(item)
    parts = [f"【{n['heading']}】{n['title']}", ""]
    if n["audit"]:
        parts += [n["audit"], ""]
    parts += [n["body"], ""]
    parts += n["notes"]
    parts += [n["publisher"], n["date"]]
    if n["expiry"]:
        parts.append(n["expiry"])
    return "\n".join(p for p in parts if p is not None).strip() + "\n"


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def notice_pdf(item) -> bytes:
    """The A4 PDF bytes of one posted item."""
    font = _font()
    n = notice_lines(item)
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=20, alignment=1)
    title = ParagraphStyle("title", fontName=font, fontSize=20, leading=28, alignment=1, spaceAfter=6 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, wordWrap="CJK", firstLineIndent=24)
    right = ParagraphStyle("right", fontName=font, fontSize=12, leading=20, alignment=2)
    note = ParagraphStyle("note", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=20 * mm, title=n["title"], author=n["publisher"])
    story = [_p(n["heading"], head), _p(n["title"], title)]
    if n["audit"]:
        story.append(_p(n["audit"], note))
    story += [_p(para, body) for para in n["body"].split("\n") if para.strip()]
    story.append(Spacer(1, 6 * mm))
    story += [_p(x, note) for x in n["notes"]]
    story += [Spacer(1, 10 * mm), _p(n["publisher"], right), _p(n["date"], right)]
    if n["expiry"]:
        story.append(_p(n["expiry"], right))
    doc.build(story)
    return buf.getvalue()
