import base64
import datetime as dt
import re
import zlib

from django.utils import timezone

from jiayuan.disclosure import services
from jiayuan.disclosure.masking import mask_personal
from jiayuan.disclosure.pdf import notice_lines, notice_text

from .conftest import ID_NUMBER, PHONE, data

ID_RE = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
PHONE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def board(web, code=None):
    return web.client("anonymous").get(f"/public/{code or web.places['community'].code}/")


def test_board_shows_only_published_and_unexpired(web, publish):
    publish(title="已发布的公开")
    publish(title="已过期的通知", on=timezone.localdate() - dt.timedelta(days=10),
            expires_on=timezone.localdate() - dt.timedelta(days=1))
    draft = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data(title="草稿标题"))
    approved = services.item_draft(actor=web.users["staff"], community=web.places["community"],
                                   data=data(title="待发布标题"))
    services.item_approve(actor=web.users["secretary"], item=approved)
    response = board(web)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已发布的公开" in html
    assert "草稿标题" not in html and "待发布标题" not in html
    # the expired notice is in the history only, not on a section
    current = html.split('id="history"')[0]
    assert "已过期的通知" not in current and "已过期的通知" in html
    base = f"/public/{web.places['community'].code}/items/"
    assert web.client("anonymous").get(f"{base}{draft.pk}/").status_code == 404
    assert web.client("anonymous").get(f"{base}{approved.pk}/notice.pdf").status_code == 404


def test_board_unknown_community_404(web):
    assert web.client("anonymous").get("/public/999999999999/").status_code == 404
    assert web.client("anonymous").get(f"/public/{web.places['street'].code}/").status_code == 404


def test_other_community_item_not_on_this_board(web, other_community):
    item = services.item_draft(actor=web.users["secretary2"], community=other_community, data=data(title="桂花公开"))
    services.item_approve(actor=web.users["street"], item=item)
    services.item_publish(actor=web.users["secretary2"], item=item)
    assert "桂花公开" not in board(web).content.decode()
    assert "桂花公开" in board(web, other_community.code).content.decode()
    code = web.places["community"].code
    assert web.client("anonymous").get(f"/public/{code}/items/{item.pk}/").status_code == 404


def test_correction_replaces_and_history_keeps_withdrawal(web, publish):
    old = publish(title="第四季度公开", body="支出88,300元")
    new = services.item_correct(actor=web.users["staff"], item=old, data={"body": "支出88,900元"},
                                change_note="更正支出金额")
    services.item_approve(actor=web.users["secretary"], item=new)
    services.item_publish(actor=web.users["staff"], item=new)
    gone = publish(title="误发的通知")
    services.item_withdraw(actor=web.users["staff"], item=gone, reason="稿件误发")
    html = board(web).content.decode()
    current = html.split('id="history"')[0]
    assert "88,900" in current and "88,300" not in current and "误发的通知" not in current
    history = html.split('id="history"')[1]
    assert f"history-{old.pk}" in history and "稿件误发" in history
    page = web.client("anonymous").get(f"/public/{web.places['community'].code}/items/{new.pk}/").content.decode()
    assert "更正支出金额" in page and "v1" in page and "v2" in page


def test_pdf_and_text(web, publish):
    item = publish(title="关于临时停水的通知", body="12月20日停水。")
    base = f"/public/{web.places['community'].code}/items/{item.pk}/"
    pdf = web.client("anonymous").get(base + "notice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    txt = web.client("anonymous").get(base + "notice.txt")
    assert txt.status_code == 200 and txt["Content-Type"].startswith("text/plain")
    assert "关于临时停水的通知" in txt.content.decode() and "12月20日停水" in txt.content.decode()


def _unescape(raw: bytes) -> bytes:
    """A PDF literal string's bytes (backslash escapes resolved)."""
    out, i = bytearray(), 0
    simple = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        c = raw[i]
        if c == 92 and i + 1 < len(raw):  # backslash
            nxt = raw[i + 1]
            if 48 <= nxt <= 55:
                j = i + 1
                while j < len(raw) and j < i + 4 and 48 <= raw[j] <= 55:
                    j += 1
                out.append(int(raw[i + 1:j], 8) & 0xFF)
                i = j
                continue
            out.append(simple.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def _pdf_text(raw: bytes) -> str:
    """The text drawn by the PDF (content streams decoded; CID text is UTF-16BE)."""
    text = b""
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        chunk = m.group(1).strip()
        for decode in (zlib.decompress, lambda c: zlib.decompress(base64.a85decode(c.removesuffix(b"~>")))):
            try:
                text += decode(chunk) + b"\n"
                break
            except Exception:  # noqa: BLE001, S112 - not this encoding
                continue
    strings = [_unescape(s) for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)", text, re.S)]
    return "".join(s.decode("utf-16-be", "ignore") for s in strings)


def test_pdf_text_extractor_sees_the_text(web, publish):
    item = publish(title="关于临时停水的通知", body="电话号码123")
    raw = web.client("anonymous").get(f"/public/{web.places['community'].code}/items/{item.pk}/notice.pdf").content
    text = _pdf_text(raw)
    assert "临时停水" in text and "123" in text


def test_no_identity_or_phone_number_on_any_public_rendering(web, publish):
    """Over every public URL of the app (board with its band and history, item pages, PDF text,
    plain text, the feedback confirmation, the anonymous API): no full 18-digit identity number
    or 11-digit mobile typed into a title, body, publisher, change note, withdrawal reason, the
    departure audit's post, a resident's feedback or the case's result is rendered."""
    from django.core.cache import cache

    from jiayuan.cases import services as case_services

    cache.clear()
    body = f"低保对象:张建国,身份证号{ID_NUMBER},联系电话{PHONE},或拨打138-8520-0001、+8613885200002。"
    item = publish(title=f"低保公示 {PHONE}", body=body, publisher=f"礼仪社区 {PHONE}")
    fix = services.item_correct(actor=web.users["staff"], item=item, data={}, change_note=f"补充电话{PHONE}")
    services.item_approve(actor=web.users["secretary"], item=fix)
    services.item_publish(actor=web.users["staff"], item=fix)
    gone = publish(title="撤回", body=ID_NUMBER)
    services.item_withdraw(actor=web.users["staff"], item=gone, reason=f"含身份证号{ID_NUMBER}")
    audit = publish(kind="departure_audit", section="finance", title=f"离任审计{ID_NUMBER}",
                    cadre_post=f"原主任 {PHONE}", audit_from=dt.date(2022, 1, 1), audit_to=dt.date(2025, 12, 31))
    code = web.places["community"].code
    client = web.client("anonymous")
    # a resident's feedback carrying both numbers in its text, name and phone; resolved with both
    sent = client.post(f"/public/{code}/items/{fix.pk}/feedback/", {
        "text": f"我的身份证{ID_NUMBER},电话{PHONE}", "name": f"张{ID_NUMBER}", "phone": PHONE, "website": ""})
    assert sent.status_code == 302
    pages = [client.get(sent["Location"]).content.decode()]
    case = DisclosureItemLoader.case()
    for who, action, extra in (("staff", "accept", {}),
                               ("secretary", "assign", {"user": web.users["staff"], "target": "community"}),
                               ("staff", "start", {}),
                               ("staff", "resolve", {"comment": f"已回电{PHONE},核对身份证{ID_NUMBER}无误。"})):
        case = case_services.case_transition(actor=web.users[who], case=case, action=action, **extra)
    pages.append(client.get(f"/public/{code}/").content.decode())
    for pk in (item.pk, fix.pk, gone.pk, audit.pk):
        pages.append(client.get(f"/public/{code}/items/{pk}/").content.decode())
        pages.append(client.get(f"/public/{code}/items/{pk}/notice.txt").content.decode())
        pages.append(_pdf_text(client.get(f"/public/{code}/items/{pk}/notice.pdf").content))
        pages.append(str(notice_lines(DisclosureItemLoader.get(pk))))
    pages.append(client.get(f"/api/v1/disclosures/?community={code}").content.decode())
    for text in pages:
        digits = text.replace("-", "").replace(" ", "")
        assert ID_NUMBER not in digits and PHONE not in digits
        assert not ID_RE.search(digits), ID_RE.search(digits)
        assert not PHONE_RE.search(digits), PHONE_RE.search(digits)
    item_page = pages[2]
    assert "5203**********1118" in item_page and "138****5678" in item_page
    assert "张建国" in item_page  # the name itself is shown, as a minimum-income notice requires
    fix_page = pages[6]
    assert "已回电138****5678,核对身份证5203**********1118无误" in fix_page  # the result, masked
    assert "张5203" not in fix_page  # the reporter's name is never shown, not even masked


def test_mask_personal_leaves_other_numbers():
    assert mask_personal("收入86,000元,2026年12月20日,编号20260001") == "收入86,000元,2026年12月20日,编号20260001"
    assert mask_personal(f"号码{ID_NUMBER[:-1]}X") == "号码5203**********111X"
    assert mask_personal("电话 138 1234 5678") == "电话 138****5678"
    assert notice_text  # imported for the PDF/text channel


class DisclosureItemLoader:
    @staticmethod
    def get(pk):
        from jiayuan.disclosure.models import DisclosureItem

        return DisclosureItem.objects.get(pk=pk)

    @staticmethod
    def case():
        from jiayuan.disclosure.models import DisclosureFeedback

        return DisclosureFeedback.objects.select_related("case").get().case
