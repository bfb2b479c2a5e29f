"""The screenshots of docs/borrower.md, taken with the browser tests' set-up:
``.venv/bin/python -m tests.e2e.doc_screenshots`` (writes ``docs/img/*.png``).

The assess page is shown with the engine's answer (``duecourse.service.assess``) for a
small-loan borrower 95 days overdue on 30,000 yuan, contact lost, two earlier overdues.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, DESKTOP, FLAGS, PHONE, ROOT, free_port

OUT = ROOT / "docs" / "img"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "tests.e2e.server_app:create",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            shoot(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(browser: object, base: str) -> None:
    desk = browser.new_page(viewport=DESKTOP)  # type: ignore[attr-defined]
    phone = browser.new_page(viewport=PHONE)  # type: ignore[attr-defined]
    desk.goto(f"{base}/")
    desk.screenshot(path=str(OUT / "home-zh-desktop.png"))
    phone.goto(f"{base}/assess")
    phone.select_option("#lender_type", "small_loan")
    phone.fill("#days_past_due", "95")
    phone.fill("#amount_overdue", "30000")
    phone.select_option("#contact", "lost")
    phone.fill("#prior_overdues", "2")
    phone.get_by_role("button", name="评估", exact=True).click()
    phone.wait_for_selector("#answer", timeout=60_000)
    phone.screenshot(path=str(OUT / "assess-zh-phone.png"), full_page=True)
    phone.goto(f"{base}/check")
    phone.fill("#text", "【某某金融】你已严重逾期，明天上门，通知你单位和家人，不还就抓你")
    phone.get_by_role("button", name="检查", exact=True).click()
    phone.locator("#answer").scroll_into_view_if_needed()
    phone.screenshot(path=str(OUT / "check-zh-phone.png"), full_page=True)
    desk.goto(f"{base}/plan?lang=en")
    desk.fill("#principal", "12000")
    for field in ("#interest", "#penalty", "#fees"):
        desk.fill(field, "0")
    desk.get_by_role("button", name="Compute the plan").click()
    desk.screenshot(path=str(OUT / "plan-en-desktop.png"), full_page=True)
    desk.goto(f"{base}/plan")
    desk.get_by_role("button", name="计算方案", exact=True).click()
    desk.fill("#n-borrower", "张三")
    desk.fill("#n-lender", "某某消费金融有限公司")
    desk.fill("#n-account", "HT-2025-0001")
    desk.fill("#hardship", "10 月失业，收入中断")
    desk.get_by_role("button", name="显示信函").click()
    desk.screenshot(path=str(OUT / "confirm-zh-desktop.png"))
    desk.get_by_label("我已阅读以上内容").check()
    desk.get_by_role("button", name="写协商还款申请").click()
    desk.screenshot(path=str(OUT / "letter-zh-desktop.png"), full_page=True)
    phone.goto(f"{base}/rights")
    phone.screenshot(path=str(OUT / "rights-zh-phone.png"))
    phone.goto(f"{base}/letters")
    phone.fill("#c-borrower", "李四")
    phone.fill("#at_1", "2026-11-20T22:40")
    phone.fill("#number_1", "17000000000")
    phone.fill("#text_1", "再不还钱就去你家，通知你全村")
    phone.fill("#at_2", "2026-11-22T14:00")
    phone.select_option("#channel_2", "visit")
    phone.fill("#identity_2", "自称某催收公司两人")
    phone.fill("#text_2", "在门口要求还款，出示了工作证")
    phone.get_by_role("button", name="显示信函").click()
    phone.screenshot(path=str(OUT / "complaint-zh-phone.png"), full_page=True)


if __name__ == "__main__":
    main()
