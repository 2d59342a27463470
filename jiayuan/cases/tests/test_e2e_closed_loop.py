"""End to end in real Chromium (issue 6): a resident reports a broken stair light from a phone
without signing in and gets a tracking number and secret; the community staff accepts, assigns,
and a second staff member starts, replies and resolves it; the resident follows it with the
number and secret, sees only the public steps, and rates it; the case closes with every step in
its timeline."""

import io
import re

import pytest
from django.core.management import call_command

from jiayuan.cases.models import Case, CaseEvent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def png() -> bytes:
    """A small real photo, so the upload passes the content check (Pillow must open it)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 180, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jiayuan-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def act(page, action, comment=None, **selects):
    form = page.locator(f"#act-{action}")
    for name, value in selects.items():
        form.locator(f"select[name={name}]").select_option(value)
    if comment is not None:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_resident_report_to_rated_and_closed(page, demo, live_browser, live_server):
    # the resident, on a phone, not signed in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/report/")
    page.select_option("select[name=kind]", "appeal")
    page.select_option("select[name=category]", "facilities")
    page.locator("select[name=place] option", has_text="礼仪社区").first.wait_for(state="attached")
    value = page.locator("select[name=place] option", has_text="礼仪社区").first.get_attribute("value")
    page.select_option("select[name=place]", value)
    page.fill("input[name=title]", "平庄花园3栋楼道灯不亮")
    page.fill("textarea[name=description]", "3栋2单元4楼到6楼的楼道灯坏了一周，老人晚上上下楼不安全。")
    page.set_input_files("input[name=attachments]", files=[{"name": "light.png", "mimeType": "image/png",
                                                             "buffer": png()}])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/report/done/" in page.url, page.locator("main").inner_text()[:500]
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    case = Case.objects.get(tracking_no=tracking_no)
    assert case.status == "reported" and case.attachments.count() == 1

    # staff member one accepts and assigns; staff member two would be the handler, here the secretary
    def signed_in(username):
        context = live_browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(10_000)
        other = context.new_page()
        sign_in(other, username)
        return other

    staff = signed_in("staff")
    staff.goto(f"/cases/{case.pk}/")
    act(staff, "accept")
    act(staff, "assign", comment="请物业维修")
    sec = signed_in("secretary")
    sec.goto(f"/cases/{case.pk}/")
    act(sec, "start")
    act(sec, "reply", comment="已通知物业，两天内修好。")
    act(sec, "resolve", comment="物业已更换6盏楼道灯。")
    case.refresh_from_db()
    assert case.status == "resolved" and case.replied_on is not None

    # the resident follows the case with its number and secret and rates it
    page.goto("/report/track/")
    page.fill("input[name=tracking_no]", tracking_no)
    page.fill("input[name=secret]", secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert tracking_no in body and "物业已更换6盏楼道灯" in body
    page.locator("input[name=rating][value='5']").check(force=True)
    page.locator("input[name=satisfied][value='yes']").check(force=True)
    page.fill("input[name=secret]", secret)
    page.locator("form[action$='/rate/'] button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "visited" and case.rating == 5 and case.satisfied is True

    # the one who assigned may not close it; the secretary closes it
    staff.goto(f"/cases/{case.pk}/")
    assert staff.locator("#act-close").count() == 0
    sec.goto(f"/cases/{case.pk}/")
    act(sec, "close", comment="办结归档")
    case.refresh_from_db()
    assert case.status == "closed"
    kinds = list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True))
    assert kinds[:1] == ["reported"] and kinds[-1] == "closed"
    assert {"accepted", "assigned", "started", "replied", "resolved", "visited"} <= set(kinds)
