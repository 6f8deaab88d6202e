"""The website's figures carry their alt text (issue 21, item 1): every figure a course notebook stores is an
<img> on its page whose alt is the figure's alt text, as the notebook stores it, not empty and not a file name.

Builds the site as `make site` does (site/build.py into a temporary folder) and reads the pages' HTML; no
browser. The alt texts' numbers are checked against the library in tests/unit/test_figure_alt.py."""

from __future__ import annotations

import html.parser
import subprocess
import sys

import notebook_helpers
import pytest

ROOT = notebook_helpers.ROOT
LESSONS = sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb"))


class _Images(html.parser.HTMLParser):
    """The alt of each <img> inside a cell's output on a page (widgets' saved views are scripts, not <img>)."""

    def __init__(self):
        super().__init__()
        self.depth, self.alts = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            if self.depth or "cell_output" in (attrs.get("class") or "").split():
                self.depth += 1
        elif tag == "img" and self.depth:
            self.alts.append(attrs.get("alt"))

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1


def stored_alts(path) -> list[str]:
    return [output["metadata"]["image/png"]["alt"] for cell in notebook_helpers.code_cells(path)
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("myst_nb", reason="the site tools are a test dependency: make test installs them")
    out = tmp_path_factory.mktemp("site") / "site"
    done = subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_figure_of_the_lesson_page_has_the_notebooks_alt_text(site, path):
    page = site / "course" / f"{path.stem}.html"
    assert page.exists(), f"no page for {path.name} in the built site"
    parser = _Images()
    parser.feed(page.read_text(encoding="utf-8"))
    expected = stored_alts(path)
    assert parser.alts == expected, f"{page.name}: the <img alt>s differ from the figures' stored alt texts"
    for text in parser.alts:
        assert text and text.strip() and not text.lower().endswith((".png", ".jpg", ".svg"))
