"""Take the README screenshots from a running demo (``make demo``).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Signs in as the demo Party committee office and saves PNGs under docs/img/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
PAGES = [
    ("screenshot-tree.png", "/party/", {"width": 1366, "height": 860}),
    ("screenshot-composition.png", "/party/composition/", {"width": 1366, "height": 860}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo_office")
    parser.add_argument("--password", default="Hongfan@2026")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        for name, path, viewport in PAGES:
            page = browser.new_page(viewport=viewport)
            page.goto(args.base + "/accounts/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / name))
            print("saved", OUT / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
