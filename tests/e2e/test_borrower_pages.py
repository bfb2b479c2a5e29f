"""The borrower's pages in a real browser, in Chinese and English, at phone and desktop widths:
fill the assess form, check a message, compute a plan and download the letter as a PDF."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE

WORDS = {
    "zh": {
        "assess": "评估",
        "door": "上门的可能性",
        "check": "检查",
        "violation": "违规",
        "plan": "计算方案",
        "total": "还款总额",
        "pdf": "下载 PDF",
        "show": "显示信函",
        "title": "协商还款申请",
        "confirm": "我已阅读以上内容",
        "write": "写协商还款申请",
    },
    "en": {
        "assess": "Assess",
        "door": "Door visit in the next",
        "check": "Check",
        "violation": "Violation",
        "plan": "Compute the plan",
        "total": "Total payable",
        "pdf": "Download as PDF",
        "show": "Show the letter",
        "title": "Request to negotiate repayment",
        "confirm": "I have read this",
        "write": "Write the negotiation request",
    },
}
CASES = [
    (lang, name, size)
    for lang in ("zh", "en")
    for name, size in (("phone", PHONE), ("desktop", DESKTOP))
]


def _url(server: str, path: str, lang: str) -> str:
    return f"{server}{path}{'?lang=en' if lang == 'en' else ''}"


def _unlabelled(page: Any) -> list[str]:
    """Visible form controls without a label (by id)."""
    return list(
        page.eval_on_selector_all(
            "input:not([type=hidden]), select, textarea",
            "els => els.filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name)",
        )
    )


@pytest.mark.parametrize(("lang", "device", "size"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_borrower_journey(
    server: str,
    browser: Any,
    shots: Path,
    tmp_path: Path,
    lang: str,
    device: str,
    size: dict[str, int],
) -> None:
    w = WORDS[lang]
    context = browser.new_context(viewport=size, accept_downloads=True)
    page = context.new_page()
    tag = f"{lang}-{device}"

    # The assess form, by keyboard where a person would use it.
    page.goto(_url(server, "/assess", lang))
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    assert _unlabelled(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.select_option("#lender_type", "small_loan")
    page.fill("#days_past_due", "95")
    page.fill("#amount_overdue", "30000")
    page.select_option("#contact", "lost")
    page.fill("#prior_overdues", "2")
    page.get_by_role("button", name=w["assess"], exact=True).click()
    answer = page.locator("#answer")
    assert w["door"] in answer.inner_text()
    assert "%" in page.locator(".level .big").inner_text()
    page.screenshot(path=str(shots / f"assess-{tag}.png"), full_page=True)

    # The message checker marks what breaks the rules.
    page.goto(_url(server, "/check", lang))
    page.fill("#text", "明天上门，通知你单位和家人，不还就抓你")
    page.get_by_role("button", name=w["check"], exact=True).click()
    assert w["violation"] in page.locator("#answer h2").inner_text()
    assert "CN-BAN-4" in page.locator(".findings").inner_text()
    assert page.locator("mark").count() >= 2
    page.screenshot(path=str(shots / f"check-{tag}.png"), full_page=True)

    # A plan computed to the fen: the example of docs/borrower.md (12,000 at 12 % over 12
    # months, equal instalments) totals 12,794.23 by the textbook formula.
    page.goto(_url(server, "/plan", lang))
    page.fill("#principal", "12000")
    for field in ("#interest", "#penalty", "#fees"):
        page.fill(field, "0")
    page.fill("#annual_rate_pct", "12")
    page.fill("#term_months", "12")
    page.get_by_role("button", name=w["plan"], exact=True).click()
    assert page.locator("#total-payable").inner_text() == "12,794.23"
    assert page.locator("#answer tbody tr").count() == 12
    page.screenshot(path=str(shots / f"plan-{tag}.png"), full_page=True)

    # The letter, with a recent last payment: no time-bar warning, straight to the PDF.
    page.fill("#n-borrower", "张三")
    page.fill("#n-lender", "某某消费金融有限公司")
    page.fill("#n-account", "HT-2025-0001")
    page.fill("#hardship", "10 月失业")
    page.fill("#last_activity", (date.today() - timedelta(days=40)).isoformat())
    with page.expect_download() as caught:
        page.get_by_role("button", name=w["pdf"]).click()
    pdf = tmp_path / "letter.pdf"
    caught.value.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert caught.value.suggested_filename.startswith("duecourse-negotiation-")

    # Without a date the letter waits for the borrower to read the limitation warning.
    page.fill("#last_activity", "")
    page.get_by_role("button", name=w["show"]).click()
    assert page.locator(".warning").is_visible()
    page.screenshot(path=str(shots / f"confirm-{tag}.png"), full_page=True)
    page.get_by_label(w["confirm"]).check()
    page.get_by_role("button", name=w["write"]).click()
    letter = page.locator("article.letter").inner_text()
    assert "协商还款申请" in letter and "张三" in letter and "12,794.23" in letter
    assert w["title"] in letter
    page.screenshot(path=str(shots / f"letter-{tag}.png"), full_page=True)
    context.close()


def test_rights_and_complaint_pages(server: str, browser: Any, shots: Path) -> None:
    """The rights guide lists the channels; a complaint letter names the rules broken."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server}/rights")
    text = page.locator("main").inner_text()
    for number in ("12378", "12363", "110"):
        assert number in text
    page.screenshot(path=str(shots / "rights-zh-phone.png"), full_page=True)
    page.goto(f"{server}/letters")
    assert _unlabelled(page) == []
    page.fill("#c-borrower", "李四")
    page.fill("#at_1", "2026-11-20T22:40")
    page.select_option("#channel_1", "sms")
    page.fill("#text_1", "再不还钱就去你家，通知你全村")
    page.get_by_role("button", name="显示信函").click()
    letter = page.locator("article.letter").inner_text()
    assert "投诉书" in letter and "CN-TIME-01" in letter
    page.screenshot(path=str(shots / "complaint-zh-phone.png"), full_page=True)
    context.close()
