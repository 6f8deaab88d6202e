"""The course as a website: `make site` (site/build.py) and every page of it in a real browser.

The site is built once, into a temporary folder, with the same code `make site` runs, then served on
localhost and opened page by page in Debian's chromium (Playwright), with every request that would leave
localhost refused. Each page must show its stored figures as images, its math typeset (no raw TeX left), its
saved widgets drawn, and have no dead local link and no console error. Lesson 03's SSE explorer is checked
slider by slider against the widget state stored in the notebook.

Without chromium the browser tests are skipped and say so (`.ci/run` installs it). Where npm could not fetch
MathJax and the widget manager, the build falls back to CDNs: the offline browser checks are skipped then,
and say why.
"""

import functools
import html
import html.parser
import importlib.util
import re
import urllib.parse

import pytest
from notebook_helpers import ROOT

FOLDERS = ("course", "exercises", "solutions")
NOTEBOOKS = sorted(f"{folder}/{p.name}" for folder in FOLDERS for p in (ROOT / folder).glob("[0-9]*.ipynb")
                   if ".nnbook-backup" not in p.name)
PAGES = ["index.html"] + [nb.replace(".ipynb", ".html") for nb in NOTEBOOKS]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load_build_module():
    """site/build.py as a module (the folder is not a package, and `site` is a standard-library name)."""
    spec = importlib.util.spec_from_file_location("nnbook_site_build", ROOT / "site" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text_of(path) -> str:
    """A built page's text: tags dropped, runs of white space made one space (``make lab`` is two spans)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", path.read_text())).split())


def stored(notebook: dict, mime: str) -> int:
    """How many outputs of the notebook (as loaded) carry ``mime``."""
    return sum(mime in output.get("data", {}) for cell in notebook["cells"] for output in cell.get("outputs", []))


# ----- the build, without a browser -----------------------------------------------------------------------------
def test_without_npm_the_build_goes_on_and_says_which_assets_use_a_cdn(tmp_path, capsys):
    build = load_build_module()
    assets = build.fetch_assets(tmp_path / "empty-cache", tmp_path / "vendor", npm=None)
    assert assets == {"mathjax": None, "requirejs": None, "html_manager": None}
    said = capsys.readouterr().out
    assert "npm is not installed" in said and "CDN" in said
    for asset in build.ASSETS:
        assert asset.label in said


def test_test_only_markers_are_stripped_and_the_code_kept():
    build = load_build_module()
    code = "# NBVAL_IGNORE_OUTPUT\nwidgets.sse_explorer((0.37, 0.50, 0.13))\n  # NBVAL_SKIP  \nx = 1  # NBVAL_not_alone"
    assert build.strip_markers(code) == "widgets.sse_explorer((0.37, 0.50, 0.13))\nx = 1  # NBVAL_not_alone"


def test_links_leaving_the_three_folders_are_rewritten_and_page_links_kept():
    build = load_build_module()
    pages = {"course/03_loss_functions.ipynb", "exercises/03_loss_functions.ipynb"}
    warnings = []

    def rewrite(target):
        return build.rewrite_link(target, "course", pages, warnings, "course/03_loss_functions.ipynb")

    assert rewrite("../exercises/03_loss_functions.ipynb") == "../exercises/03_loss_functions.ipynb"
    assert rewrite("../exercises/") == "../index.md#the-lessons"
    assert rewrite("https://example.org/x") == "https://example.org/x"
    assert rewrite("#summary") == "#summary"
    # JupyterLab's heading anchors become the site's (GitHub-style slugs); a slug stays as it is.
    assert rewrite("../exercises/03_loss_functions.ipynb#One-prediction,-one-number") == \
        "../exercises/03_loss_functions.ipynb#one-prediction-one-number"
    assert rewrite("#A-batch:-the-mean-squared-error") == "#a-batch-the-mean-squared-error"
    assert rewrite("../README.md").startswith("https://github.com/") and rewrite("../README.md").endswith("README.md")
    assert not warnings
    assert rewrite("../exercises/99_missing.ipynb") == "../exercises/99_missing.ipynb"
    assert warnings == ["course/03_loss_functions.ipynb: link to ../exercises/99_missing.ipynb leads nowhere"]


# ----- the built site --------------------------------------------------------------------------------------------
def test_every_notebook_has_a_page_and_the_build_executes_nothing(site):
    assert site["pages"] == NOTEBOOKS
    missing = [page for page in PAGES if not (site["out"] / page).is_file()]
    assert not missing
    assert "pages in" in site["log"] and "MB" in site["log"]
    assert "leads nowhere" not in site["log"]
    # nb_execution_mode "off": a page shows output under exactly the cells that stored some (the browser test
    # counts the figures). Run, the exercise notebooks (stored without outputs) would show NotImplementedError.
    for notebook in NOTEBOOKS:
        page = (site["out"] / notebook.replace(".ipynb", ".html")).read_text()
        with_outputs = sum(bool(cell.get("outputs")) for cell in site["notebooks"][notebook]["cells"])
        assert page.count('class="cell_output') == with_outputs, notebook
        # Test-only markers are gone from the code shown.
        assert "# NBVAL_" not in html.unescape(re.sub(r"<[^>]+>", "", page)), notebook


def test_every_page_says_how_to_run_it(site):
    for notebook in NOTEBOOKS:
        page = site["out"] / notebook.replace(".ipynb", ".html")
        assert 'href="https://mybinder.org/v2/gh/' in page.read_text(), notebook
        assert f"?labpath={notebook}" in page.read_text(), notebook
        assert "make lab" in text_of(page) and "make test" in text_of(page), notebook
    front = site["out"] / "index.html"
    assert 'href="https://mybinder.org/v2/gh/' in front.read_text()
    for words in ("make lab", "make test", "nnbook nbgrader", "nbgrader autograde"):
        assert words in text_of(front)


def test_the_front_page_maps_every_lesson_with_its_checks(site):
    from nnbook.tools.course_map import LESSONS

    front = (site["out"] / "index.html").read_text()
    text = text_of(site["out"] / "index.html")
    for lesson in LESSONS:
        if f"course/{lesson.stem}.ipynb" not in NOTEBOOKS:
            continue
        assert f'href="course/{lesson.stem}.html"' in front, lesson.stem
        assert f"{lesson.number} {lesson.title}" in text, lesson.title
        for check in lesson.checks:
            assert check in text, check
        if f"exercises/{lesson.stem}.ipynb" in NOTEBOOKS:
            assert f'href="exercises/{lesson.stem}.html"' in front
            assert f'href="solutions/{lesson.stem}.html"' in front


# ----- in a real browser -----------------------------------------------------------------------------------------
class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


@functools.lru_cache(maxsize=None)
def ids_of(path: str) -> frozenset:
    parser = _Ids()
    parser.feed(open(path, encoding="utf-8").read())
    return frozenset(parser.ids)


class Visit:
    """One page opened offline: what it asked the network for and what it logged."""

    def __init__(self, browser, base, path, color_scheme="light"):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
        self.outside, self.errors, self.failed = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"{m.text} ({m.location})"))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

        def route(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()
        self.page.route("**/*", route)
        self.page.goto(base + path, wait_until="load")
        self.wait_until_drawn()

    def wait_until_drawn(self):
        # MathJax 3 typesets after load; the widget manager draws each saved view into a .widget-subarea.
        self.page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)",
                                    timeout=20_000)
        self.page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
        self.page.wait_for_function(
            f"""() => document.querySelectorAll('script[type="{WIDGET_VIEW}"]').length
                      <= document.querySelectorAll('.widget-subarea > .jupyter-widgets').length""",
            timeout=20_000)
        self.page.evaluate("() => Promise.all(Array.from(document.images).map(img => img.decode().catch(() => 0)))")


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_offline_with_figures_math_widgets_and_live_links(browser, served, offline_site, path):
    visit = Visit(browser, served, path)
    page = visit.page
    try:
        # Figures: every image of the page is loaded and drawn (a stored PNG, or a widget's picture).
        images = page.evaluate("""() => Array.from(document.querySelectorAll('article img'))
            .map(img => ({src: img.src.slice(0, 60), ok: img.complete && img.naturalWidth > 0}))""")
        assert all(image["ok"] for image in images), [image["src"] for image in images if not image["ok"]]
        notebook = path.replace(".html", ".ipynb")
        if notebook in NOTEBOOKS:
            output_images = page.locator("article .cell_output img:not(.widget-subarea img)").count()
            assert output_images == stored(offline_site["notebooks"][notebook], "image/png")
        # Math: every formula typeset, no raw TeX left in the text (code blocks aside).
        math = page.evaluate("""() => Array.from(document.querySelectorAll('article .math'))
            .map(el => !!el.querySelector('mjx-container') && !el.querySelector('mjx-merror'))""")
        assert all(math), f"{math.count(False)} of {len(math)} formulas not typeset"
        text = page.evaluate("""() => { const article = document.querySelector('article').cloneNode(true);
            article.querySelectorAll('pre, code, script, mjx-assistive-mml').forEach(el => el.remove());
            return article.innerText; }""")
        for raw in ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\sum"):
            assert raw not in text, f"raw TeX {raw!r} on the page"
        # Saved widgets: each stored view drawn, none broken.
        if notebook in NOTEBOOKS:
            views = stored(offline_site["notebooks"][notebook], WIDGET_VIEW)
            drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.widget-subarea > .jupyter-widgets'))
                .map(el => el.getBoundingClientRect().height > 10)""")
            assert len(drawn) == views and all(drawn), (views, drawn)
        assert "Error displaying widget" not in page.inner_text("body")
        # Links: every local link leads to a page of the site, and its #anchor exists there.
        dead = []
        for href in page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            if not href.startswith(served):
                continue
            url = urllib.parse.urlsplit(href)
            target = offline_site["out"] / urllib.parse.unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(href)
            elif url.fragment and target.suffix == ".html" and url.fragment not in ids_of(str(target)):
                dead.append(href)
        assert not dead, f"dead links: {dead}"
        # Nothing left localhost, nothing failed, nothing complained.
        assert not visit.outside, f"requests to the network: {visit.outside}"
        assert not visit.failed, visit.failed
        assert not visit.errors, visit.errors
    finally:
        page.close()


def test_lesson_03_shows_the_sse_explorer_with_its_sliders_and_picture(browser, served, offline_site,
                                                                       tmp_path):
    notebook = "course/03_loss_functions.ipynb"
    state = offline_site["notebooks"][notebook]["metadata"]["widgets"][WIDGET_STATE]["state"]
    sliders = [model["state"] for model in state.values() if model["model_name"] == "FloatSliderModel"]
    assert len(sliders) == 3                       # P(Cat), P(Dog), P(Other)
    visit = Visit(browser, served, notebook.replace(".ipynb", ".html"))
    page = visit.page
    try:
        explorer = page.locator(".widget-subarea").first
        explorer.scroll_into_view_if_needed()
        labels = explorer.locator(".widget-slider .widget-label").all_inner_texts()
        readouts = explorer.locator(".widget-slider .widget-readout").all_inner_texts()
        assert labels == [s["description"] for s in sliders]
        assert readouts == [format(s["value"], s["readout_format"]) for s in sliders]
        assert explorer.locator(".noUi-handle").count() == 3
        picture = explorer.locator("img")
        assert picture.count() == 1
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0 && img.width > 100")
        html_text = next(model["state"]["value"] for model in state.values() if model["model_name"] == "HTMLModel")
        first_line = html_text.split("<pre>")[-1].splitlines()[0]       # "(1 - 0.37)^2 = 0.3969"
        assert first_line in explorer.inner_text()
        page.screenshot(path=str(tmp_path / "lesson_03.png"))
        assert not visit.outside and not visit.errors
    finally:
        page.close()
