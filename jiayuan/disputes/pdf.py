"""The mediation agreement (调解协议书) as a Chinese PDF.

reportlab with its built-in CID font STSong-Light (architecture.md §2): no system font needed,
and the PDF viewer supplies the glyphs. The layout follows the usual paper form: title, number,
parties, mediators, the agreed terms, then the signatures with their dates.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def agreement_pdf(agreement) -> bytes:
    """The PDF bytes of one agreement (draft or signed; a draft says so in the title)."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK")
    small = ParagraphStyle("small", fontName=font, fontSize=10, leading=15, alignment=2)
    d = agreement.dispute
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title="人民调解协议书", author="家园 Jiayuan")
    heading = "人民调解协议书" if agreement.signed_at else "人民调解协议书(草稿)"
    story = [
        _p(heading, title),
        _p(f"编号:{d.number}", small),
        Spacer(1, 4 * mm),
        _p(f"纠纷名称:{d.title}", body),
        _p(f"当事人:{agreement.parties}", body),
        _p(f"调解员:{agreement.mediators or d.leader_name}", body),
        _p(f"调解地点:{d.place.name}", body),
        Spacer(1, 3 * mm),
        _p("纠纷简要情况:", body),
        _p(d.summary or "—", body),
        Spacer(1, 3 * mm),
        _p("经调解,当事人自愿达成如下协议:", body),
        _p(agreement.content, body),
        Spacer(1, 3 * mm),
        _p(f"协议达成日期:{agreement.agreed_on:%Y年%m月%d日}", body),
        _p("本协议书经各方当事人签字后生效,当事人应当按照约定履行。", body),
        Spacer(1, 8 * mm),
    ]
    rows = [[_p("当事人签名", body), _p("签名日期", body)]]
    for s in agreement.signatures or []:
        rows.append([_p(s["name"], body), _p(s["signed_on"], body)])
    if len(rows) == 1:
        rows += [[_p("", body), _p("", body)], [_p("", body), _p("", body)]]
    table = Table(rows, colWidths=[90 * mm, 60 * mm], rowHeights=[10 * mm] * len(rows))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(table)
    doc.build(story)
    return buf.getvalue()
