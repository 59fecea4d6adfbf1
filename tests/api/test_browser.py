"""The widget and the console in headless Chromium (Debian's), against a real server.

Playwright drives /usr/bin/chromium (never a browser of its own); axe-core comes from the
axe-playwright-python package. UPDATE_SCREENSHOTS=1 also writes the screenshots to docs/.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.conftest import Keys, key_store
from tests.api.server import ROOT, ApiServer

pytestmark = pytest.mark.slow
expect.set_options(timeout=30_000)  # assertions on the page wait for it; a busy machine is slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUESTION = "What does good look like for leadership behaviours?"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def widget(page, selector: str):  # type: ignore[no-untyped-def]
    return page.locator(f"impact-assistant-widget {selector}")


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def save(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copy(shot, ROOT / "docs" / name)


def open_demo(page, server: ApiServer, key: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/demo#key={key}")
    widget(page, ".launcher").wait_for()
    assert "key=" not in page.url  # the key leaves the address bar at once


def test_the_widget_streams_a_cited_answer_whose_sources_open(
    page, api_server: ApiServer, api_keys: Keys, tmp_path: Path
) -> None:
    open_demo(page, api_server, api_keys.a_reader)
    widget(page, ".launcher").click()
    # Record the answer's length at every change, to see it arrive in pieces.
    page.evaluate(
        """() => {
        const root = document.querySelector('impact-assistant-widget').shadowRoot;
        window.__lengths = [];
        new MutationObserver(() => {
            const text = root.querySelector('.bot .text');
            if (text && !root.querySelector('.bot ol.sources')) window.__lengths.push(text.textContent.length);
        }).observe(root, {subtree: true, childList: true, characterData: true});
    }"""
    )
    widget(page, "textarea").fill(QUESTION)
    widget(page, "textarea").press("Enter")
    widget(page, "ol.sources").wait_for(timeout=60_000)
    lengths = page.evaluate("window.__lengths")
    partial = {n for n in lengths if n}
    assert len(partial) >= 2, f"the answer did not arrive in pieces: {lengths}"
    assert widget(page, ".bot").get_attribute("aria-busy") == "false"
    assert widget(page, ".bot .text .cite").count() >= 1
    sources = widget(page, "ol.sources details")
    assert sources.count() >= 1
    first_title = widget(page, "ol.sources summary").first.inner_text()
    assert first_title.startswith("[1] ")
    widget(page, ".bot .text .cite").first.click()  # the [n] marker opens its passage
    passage = widget(page, "ol.sources details[open] blockquote").first
    assert passage.is_visible() and len(passage.inner_text()) > 40
    expect(widget(page, "#status")).to_contain_text("Answer ready")
    save(page, tmp_path, "widget.png")


def test_the_widget_works_from_the_keyboard(page, api_server: ApiServer, api_keys: Keys) -> None:
    open_demo(page, api_server, api_keys.a_reader)
    for _ in range(40):  # Tab through the host page until the widget's button has focus
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement?.tagName === 'IMPACT-ASSISTANT-WIDGET' && "
            "document.activeElement.shadowRoot.activeElement?.className === 'launcher'"
        ):
            break
    else:
        pytest.fail("the widget's button cannot be reached with Tab")
    outline = widget(page, ".launcher").evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid"  # a visible focus indicator
    page.keyboard.press("Enter")
    assert widget(page, "#panel").is_visible()
    assert widget(page, "textarea").evaluate("t => t.getRootNode().activeElement === t")
    assert widget(page, ".launcher").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not widget(page, "#panel").is_visible()
    assert widget(page, ".launcher").evaluate("b => b.getRootNode().activeElement === b")
    assert widget(page, "textarea").get_attribute("id") == "q"
    assert widget(page, "label[for=q]").inner_text() == "Your question"


def test_the_widget_and_the_host_page_leave_each_other_alone(
    page, api_server: ApiServer, api_keys: Keys
) -> None:
    page.goto(f"{api_server.url}/demo")  # no key yet: no widget
    before = page.evaluate(
        "({globals: Object.keys(window).length, sheets: document.styleSheets.length,"
        " style: document.querySelectorAll('style').length})"
    )
    host_button = page.locator("button.host-button")
    host_style = host_button.evaluate(
        "b => getComputedStyle(b).textTransform + '|' + getComputedStyle(b).fontFamily"
    )
    page.evaluate(
        """key => { const s = document.createElement('script'); s.src = '/widget.js';
        s.dataset.key = key; document.body.appendChild(s); }""",
        api_keys.a_reader,
    )
    widget(page, ".launcher").wait_for()
    after = page.evaluate(
        "({globals: Object.keys(window).length, sheets: document.styleSheets.length,"
        " style: document.querySelectorAll('style').length})"
    )
    assert after == before  # no global variables, stylesheets or <style> added to the page
    assert (
        host_button.evaluate(
            "b => getComputedStyle(b).textTransform + '|' + getComputedStyle(b).fontFamily"
        )
        == host_style
    )
    widget(page, ".launcher").click()
    ask = widget(page, ".ask")
    assert ask.evaluate("b => getComputedStyle(b).textTransform") == "none"
    assert "Arial" in ask.evaluate("b => getComputedStyle(b).fontFamily")


def test_the_widget_explains_a_refused_key(page, api_server: ApiServer) -> None:
    open_demo(page, api_server, "imp.k0000000000000000.not-a-real-key-not-a-real-key")
    widget(page, ".launcher").click()
    widget(page, "textarea").fill(QUESTION)
    widget(page, ".ask").click()
    alert = widget(page, "[role=alert]")
    alert.wait_for()
    expect(alert).to_contain_text("not set up for this page")


def test_demo_page_with_the_widget_open_passes_axe(
    page, api_server: ApiServer, api_keys: Keys
) -> None:
    open_demo(page, api_server, api_keys.a_reader)
    widget(page, ".launcher").click()
    widget(page, "textarea").fill("What are the five components of NHS IMPACT?")
    widget(page, "textarea").press("Enter")
    widget(page, "ol.sources").wait_for(timeout=60_000)
    widget(page, "ol.sources summary").first.click()
    assert serious_violations(page) == []


def test_console_signs_in_navigates_and_passes_axe(
    page, api_server: ApiServer, api_keys: Keys, tmp_path: Path
) -> None:
    page.goto(f"{api_server.url}/console")
    page.get_by_role("textbox", name="API key").fill("imp.wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signin-error")).to_contain_text("did not work")
    assert serious_violations(page) == []
    page.get_by_role("textbox", name="API key").fill(api_keys.a_facilitator)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Organisation trust-a · facilitator key").wait_for()
    page.get_by_role("textbox", name="Question").fill("What is NHS IMPACT?")
    page.get_by_role("button", name="Ask").click()
    page.locator("#answer h2", has_text="Sources").wait_for(timeout=60_000)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Conversations").click()
    page.locator("#conv-list table").wait_for()
    page.locator("#conv-list button").first.click()
    page.locator("#conv-detail .msg").first.wait_for()
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Conversations")
    assert serious_violations(page) == []


def test_console_runs_a_short_session_to_a_downloaded_board_paper(
    page, api_server: ApiServer, api_keys: Keys, tmp_path: Path
) -> None:
    import docx

    page.goto(f"{api_server.url}/console#key={api_keys.a_facilitator}")
    page.get_by_role("link", name="Board sessions").click()
    expect(page.get_by_label("Framework")).to_have_value("nhs-impact")
    page.get_by_label("Board", exact=True).fill("Browserton Trust Board")
    page.get_by_label("Organisation").fill("Browserton NHS FT")
    page.get_by_label("Meeting date").fill("2026-06-04")
    page.get_by_label("Board members taking part (comma-separated)").fill(
        "Helen Ward, Tom Patel, Sarah Jones"
    )
    page.get_by_label("Sections (ids, comma-separated; blank for all)").fill("c1")
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#s-status")).to_have_text("Session started.")
    expect(page.locator("#s-title")).to_contain_text("Browserton Trust Board")
    expect(page.locator(".good")).to_contain_text("What good looks like")
    page.get_by_role("button", name="Find evidence").click()
    expect(page.locator("#s-question ol summary").first).to_be_visible()
    page.get_by_label("Add a note (actions are drafted from it)").fill(
        "Sarah Jones will run two listening events with patient partners by the end of April."
    )
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("#s-status")).to_contain_text("Note saved")
    expect(page.locator("#s-actions")).to_contain_text("listening events")
    page.get_by_role("button", name="Agree A1").click()
    expect(page.locator("#s-status")).to_contain_text("A1 agreed")
    page.locator("#s-questions button", has_text="c1.r").click()
    for member, level in (("Helen Ward", "2"), ("Tom Patel", "3"), ("Sarah Jones", "2")):
        page.get_by_label("Board member", exact=True).fill(member)
        page.get_by_label("Their rating").select_option(level)
        page.get_by_role("button", name="Record the rating").click()
        expect(page.locator("#s-status")).to_contain_text("Rating recorded")
        expect(page.locator("#s-question")).to_contain_text(member)
    expect(page.locator("#s-question")).to_contain_text("3 private ratings recorded")
    page.get_by_role("button", name="Show the spread").click()
    expect(page.get_by_label("Spread of ratings")).to_be_visible()
    page.get_by_label("Agreed rating").select_option("2")
    page.get_by_label("Why (the rationale the paper records)").fill(
        "Browserton's vision was not co-produced with patients"
    )
    page.get_by_label("Target rating").select_option("3")
    page.get_by_label("Target date").fill("2027-03-31")
    page.get_by_role("button", name="Agree the rating").click()
    expect(page.locator("#s-question")).to_contain_text("Agreed rating: 2")
    assert serious_violations(page) == []
    save(page, tmp_path, "console.png")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the board paper (DOCX)").click()
    paper = tmp_path / "paper.docx"
    info.value.save_as(paper)
    document = docx.Document(str(paper))
    text = "\n".join(p.text for p in document.paragraphs) + " ".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "Browserton Trust Board" in text
    assert "not co-produced with patients" in text
    assert "listening events" in text


@pytest.fixture
def intranet(tmp_path: Path, api_server: ApiServer) -> Iterator[str]:
    """Another origin: a plain static server holding a page that embeds the widget."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def write_intranet_page(site: Path, name: str, server_url: str, key: str) -> None:
    (site / name).write_text(
        '<!doctype html><html lang="en"><head><title>Trust intranet</title></head><body>'
        "<main><h1>Trust intranet</h1><p>News and links.</p></main>"
        f'<script src="{server_url}/widget.js" data-key="{key}" data-open="true"></script>'
        "</body></html>",
        encoding="utf-8",
    )


def test_the_widget_works_from_another_origin_only_with_a_key_for_it(
    page, api_server: ApiServer, intranet: str, tmp_path: Path
) -> None:
    store = key_store(api_server.data_dir)
    _, allowed = store.create("trust-a", "reader", origin=intranet)
    _, elsewhere = store.create("trust-a", "reader", origin="https://other.example")
    time.sleep(1.2)  # the servers re-read the keys' origins every second in the tests
    write_intranet_page(tmp_path / "site", "elsewhere.html", api_server.url, elsewhere)
    page.goto(f"{intranet}/elsewhere.html")
    widget(page, "textarea").fill("What is NHS IMPACT?")
    widget(page, "textarea").press("Enter")
    alert = widget(page, "[role=alert]")
    alert.wait_for()
    expect(alert).to_contain_text("only works on pages from https://other.example")
    write_intranet_page(tmp_path / "site", "allowed.html", api_server.url, allowed)
    page.goto(f"{intranet}/allowed.html")
    widget(page, "textarea").fill("What is NHS IMPACT?")
    widget(page, "textarea").press("Enter")
    widget(page, "ol.sources").wait_for(timeout=60_000)
    assert widget(page, "[role=alert]").count() == 0
