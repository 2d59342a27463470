"""The browser plumbing works: Chromium opens the live server and shows the health check."""

import pytest


@pytest.mark.e2e
def test_healthz_in_browser(page, live_server):
    response = page.goto(live_server.url + "/healthz")
    assert response is not None and response.status == 200
    assert '"status": "ok"' in page.locator("body").inner_text()
