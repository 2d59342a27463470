"""Project-wide pytest fixtures: test database naming, static files, and the real browser.

End-to-end tests ask for ``page`` (a Playwright page on pytest-django's ``live_server``, with
``base_url`` set, so ``page.goto("/healthz")`` works). They run Debian's Chromium at
/usr/bin/chromium (``make browser`` installs it; we never run ``playwright install``) and are
skipped with a clear reason when it is missing. Tests that use ``page`` get the ``e2e`` marker
automatically, so ``pytest -m "not e2e"`` leaves them out.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_FIXTURES = {"page", "live_browser", "browser_context"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give server test databases a per-checkout suffix (``JIAYUAN_TEST_DB_SUFFIX``, set by ``make test``).

    Two checkouts testing against the same PostgreSQL at once (a fresh-clone check next to the
    working copy) would otherwise create and drop the same ``test_jiayuan`` under each other.
    SQLite's in-memory test database needs no suffix.
    """
    suffix = os.environ.get("JIAYUAN_TEST_DB_SUFFIX", "").strip()
    if not suffix:
        return
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("sqlite3"):
            continue
        test = db.setdefault("TEST", {})
        test["NAME"] = "{}_{}".format(test.get("NAME") or "test_" + db["NAME"], suffix)


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    """WhiteNoise warns on every request-handler start when STATIC_ROOT is missing (no collectstatic yet)."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first: use the non-manifest storage.

    The manifest storage of production raises "Missing staticfiles manifest entry" for every
    ``{% static %}`` until collectstatic has run; finders still serve the files to live_server.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def live_browser():
    """A headless Debian Chromium driven by Playwright; closed after the test."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: run `make browser` (as root) or `apt-get install chromium fonts-noto-cjk`"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; without this Django
    # refuses database access from the test ("You cannot call this from an async context").
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(live_browser, live_server):
    """A fresh browser profile (cookies, storage) pointed at the live server, in Chinese."""
    context = live_browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    """A Playwright page on the live server: ``page.goto("/")`` opens the home page."""
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so the public pages' per-address rate limits
    (counters in the cache) never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
