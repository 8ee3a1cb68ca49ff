"""Articles whose bodies are hard on a page: what feeds really carry (a long URL as link text, a
long Latin word, a wide table, a wide image, a long code line, headings from `#` down), and a story
with nothing but a title. Added to a copy of a site by the browser and HTML-validation tests."""

from __future__ import annotations

from pathlib import Path

# Worst cases: no hyphen or slash after the host to break at.
URL = "https://www.example.org/news/" + ("a1B2c3D4e5" * 18)[:171]  # 200 characters
WORD = "Supercalifragilistic" * 5  # 100 letters
TABLE = "\n".join(["| " + " | ".join(f"第{i}欄" for i in range(1, 13)) + " |", "|" + "---|" * 12,
                   "| " + " | ".join(f"{i * 1234567}" for i in range(1, 13)) + " |"])
PRE = "x" * 100 + " = " + "y" * 97  # a 200-column line
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="120" viewBox="0 0 2000 120">'
            '<rect width="2000" height="120" fill="#a3161b"/></svg>\n')
IMAGE = "/images/awkward/wide.svg"

BODIES = {
    "long-url": f"報導見[{URL}]({URL})，以及裸網址 <{URL}>。",
    "long-word": f"英文長字 {WORD} 不該撐開頁面，行內程式碼 `{WORD}` 也不該。",
    "wide-table": f"各欄數字如下：\n\n{TABLE}\n",
    "wide-image": f"寬圖：\n\n![寬圖]({IMAGE})\n\n![寬圖]({IMAGE} \"寬圖說明\")",
    "long-pre": f"程式碼：\n\n```\n{PRE}\n```\n",
    "headings": "# 一級小標題\n\n正文。\n\n### 三級小標題\n\n正文。",
}
"""Article id -> body; each page is checked on its own, so a failure names what caused it."""
TITLE_ONLY = "title-only"
IDS = (*BODIES, TITLE_ONLY)

ARTICLE = """\
---
title: "{title}"
date: "2025-04-{day:02d}T10:00:00+08:00"
source: rfa
lang: zh-Hant
id: {id}
source_url: "{url}"
summary: "{summary}"
categories: [軍政]
tags: [長網址]
{image}---

{body}
"""


def add_awkward_articles(root: Path) -> dict[str, str]:
    """Write the articles (and the wide image) into the site at `root`: article id -> page path
    inside a variant (the demo permalink, dated in Asia/Taipei)."""
    (root / "static" / IMAGE.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / "static" / IMAGE.lstrip("/")).write_text(WIDE_SVG, encoding="utf-8")
    paths = {}
    for day, id in enumerate(IDS, start=1):
        body = BODIES.get(id, "")
        # The first title and summary are long Latin runs too: they show on the home and list pages.
        title = f"{WORD} 長標題" if day == 1 else f"難排版的內文：{id}"
        summary = f"摘要 {URL}" if day == 1 else ""
        image = f"image:\n  url: {IMAGE}\n  caption: 寬圖說明\n" if id == "wide-image" else ""
        text = ARTICLE.format(title=title, day=day, id=id, url=f"https://www.rfa.org/mandarin/{id}.html",
                              summary=summary, image=image, body=body)
        (root / "content" / "awkward").mkdir(parents=True, exist_ok=True)
        (root / "content" / "awkward" / f"{id}.md").write_text(text, encoding="utf-8")
        paths[id] = f"2025/04{day:02d}/{id}.html"
    return paths
