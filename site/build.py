"""Build the course as a static website: ``make site`` (or ``python site/build.py``) writes ``build/site/``.

Steps, each a function below:

1. fetch MathJax, require.js and the ipywidgets HTML manager by package name with npm, into a cache folder
   (``build/site-npm/``, reused while the package list is unchanged). Where npm is missing or fails, the
   build goes on and says which assets load from a CDN instead;
2. stage a copy of every notebook of ``course/``, ``exercises/`` and ``solutions/`` (whatever is there: new
   notebooks appear by themselves) with test-only markers (``# NBVAL_IGNORE_OUTPUT``) removed, links that
   point outside the three folders rewritten, and a "run this notebook" box (Binder and ``make lab``) added
   under the title. The notebooks in the repo are not touched;
3. write the front page from ``site/index.md`` and the course map (``nnbook.tools.course_map.LESSONS``);
4. run Sphinx with myst-nb (``site/conf.py``): nothing is executed, the pages show the stored outputs.

It prints the time it took, the number of pages and the site's size.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import fcntl
except ImportError:
    fcntl = None

ROOT = pathlib.Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
FOLDERS = ("course", "exercises", "solutions")
DEFAULT_OUT = ROOT / "build" / "site"
DEFAULT_NPM_CACHE = ROOT / "build" / "site-npm"
SITE_CELL_TAG = "nnbook-site"     # the cells the build adds carry this tag
AXE_SCRIPT = DEFAULT_NPM_CACHE / "node_modules" / "axe-core" / "axe.min.js"

# What npm fetches: MathJax 3 (its package holds its fonts), require.js (the widget manager is an AMD
# module), the HTML widget manager whose major version matches ipywidgets 8 (controls 2.0, base 2.0), and
# axe-core, which the site does not serve: tests/system/test_a11y.py injects it to audit the pages (AXE_SCRIPT).
NPM_PACKAGES = ("mathjax@3", "requirejs@2.3", "@jupyter-widgets/html-manager@^1.0.0", "axe-core@4")


class Asset:
    """One JavaScript asset: where npm puts it, which of its files the site serves, and its entry file."""

    def __init__(self, key, label, package, entry, keep):
        self.key = key            # the name conf.py reads in _site.json
        self.label = label        # for messages
        self.package = package    # folder under node_modules/
        self.entry = entry        # the file a page loads, relative to the package folder
        self.keep = keep          # which files of the package to copy: a predicate on the relative path

    def files(self, node_modules: pathlib.Path) -> list[pathlib.Path]:
        folder = node_modules / self.package
        return sorted(p for p in folder.rglob("*") if p.is_file() and self.keep(p.relative_to(folder).as_posix()))


def _mathjax_file(path: str) -> bool:
    # es5/tex-chtml.js and everything it may load later (TeX extensions, fonts, menu, accessibility), but not
    # the other ready-made bundles (svg output, MathML input, node).
    if not path.startswith("es5/") or path.endswith(".map"):
        return False
    name = path[len("es5/"):]
    return "/" in name or name == "tex-chtml.js"


ASSETS = (
    Asset("mathjax", "MathJax (math)", "mathjax", "es5/tex-chtml.js", _mathjax_file),
    Asset("requirejs", "require.js (loads the widget manager)", "requirejs", "require.js",
          lambda path: path == "require.js"),
    Asset("html_manager", "the ipywidgets HTML manager (saved widgets)", "@jupyter-widgets/html-manager",
          "dist/embed-amd.js",
          lambda path: path == "dist/embed-amd.js" or re.fullmatch(r"dist/\w+\.(woff2?|ttf|eot|svg)", path)),
)


def log(message: str) -> None:
    print(f"nnbook site: {message}", flush=True)


# ----- 1. JavaScript assets ------------------------------------------------------------------------------------
def npm_install(cache: pathlib.Path, npm: str | None) -> str | None:
    """Install NPM_PACKAGES under ``cache/node_modules`` unless they are there already; None on success, else
    why not. One process at a time (a lock file in ``cache``): the site build and the axe audit of the tests
    may both ask at once."""
    if npm is not None:
        cache.mkdir(parents=True, exist_ok=True)
    if fcntl is None or not cache.is_dir():     # Windows has no flock; without npm nothing is written
        return _npm_install(cache, npm)
    with open(cache / ".nnbook-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _npm_install(cache, npm)


def _npm_install(cache: pathlib.Path, npm: str | None) -> str | None:
    stamp = cache / "nnbook-packages.json"
    node_modules = cache / "node_modules"
    if (stamp.exists() and json.loads(stamp.read_text()) == list(NPM_PACKAGES)
            and all((node_modules / a.package / a.entry).is_file() for a in ASSETS)):
        return None
    if npm is None:
        return "npm is not installed"
    cache.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--no-audit", "--no-fund", "--no-package-lock", "--no-save",
               "--ignore-scripts", "--prefix", str(cache), *NPM_PACKAGES]
    log(f"fetching {', '.join(NPM_PACKAGES)} with npm into {cache}")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"npm failed: {error}"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return f"npm failed (exit {done.returncode}): {' / '.join(lines[-3:])}"
    stamp.write_text(json.dumps(list(NPM_PACKAGES)))
    return None


def fetch_assets(cache: pathlib.Path, vendor: pathlib.Path, npm: str | None) -> dict[str, str | None]:
    """Copy each asset's files from the npm cache to ``vendor/vendor/<key>/`` (served as ``_static/vendor/``).

    Returns ``{key: entry path under _static/}`` for the local ones and ``{key: None}`` for those that will
    load from their CDN; says which."""
    problem = npm_install(cache, npm)
    assets: dict[str, str | None] = {}
    for asset in ASSETS:
        source = cache / "node_modules" / asset.package
        if problem is None and (source / asset.entry).is_file():
            for path in asset.files(cache / "node_modules"):
                target = vendor / "vendor" / asset.key / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            assets[asset.key] = f"vendor/{asset.key}/{asset.entry}"
        else:
            assets[asset.key] = None
    fallback = [a.label for a in ASSETS if assets[a.key] is None]
    if fallback:
        log(f"{problem or 'npm gave no copy'}: these load from a CDN, so their pages need the network: "
            + "; ".join(fallback))
    else:
        log("MathJax, require.js and the widget manager are served from the site: no network needed")
    return assets


# ----- 2. the notebooks ------------------------------------------------------------------------------------------
MARKER_LINE = re.compile(r"^[ \t]*#[ \t]*NBVAL_[A-Z_]+[ \t]*(\r?\n|$)", re.MULTILINE)
MARKDOWN_LINK = re.compile(r"(\]\()([^)\s]+)(\))|(href=\")([^\"]+)(\")")


def strip_markers(source: str) -> str:
    """The code without nbval's marker lines (``# NBVAL_IGNORE_OUTPUT`` and its kind): they mean nothing to
    a reader."""
    return MARKER_LINE.sub("", source)


def github_url(path: str) -> str:
    """The file on GitHub, in the repository Binder opens (site/conf.py)."""
    return f"https://github.com/{_conf()['binder_repository']}/blob/{_conf()['binder_ref']}/{path}"


def heading_anchor(fragment: str) -> str:
    """The site's anchor for a heading that JupyterLab calls ``fragment``.

    JupyterLab names a heading by its text with spaces made hyphens (``#One-prediction,-one-number``); the
    site (myst's GitHub-style slugs) lower-cases that and drops punctuation: ``#one-prediction-one-number``.
    A slug is its own slug, so links written either way work."""
    return re.sub(r"[^\w\- ]", "", fragment.lower().replace(" ", "-"))


def rewrite_link(target: str, folder: str, pages: set[str], warnings: list[str], where: str) -> str:
    """A link of a notebook in ``folder`` as the site needs it.

    Links between the staged notebooks stay as they are (myst-nb turns them into links to the pages), with
    JupyterLab's heading anchors turned into the site's; a link to one of the three folders goes to the front
    page's lesson map; a link to another file of the repo goes to that file on GitHub; a link to nothing is
    kept and reported."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return target
    path, _, fragment = target.partition("#")
    if not path:
        return f"#{heading_anchor(fragment)}"
    resolved = os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")
    if resolved in pages:
        return f"{path}#{heading_anchor(fragment)}" if fragment else path
    up = "../" * (folder.count("/") + 1)
    if resolved in (".", *FOLDERS):
        return f"{up}index.md#the-lessons"
    if (ROOT / resolved).exists() and not resolved.startswith(".."):
        return github_url(resolved) + (f"#{fragment}" if fragment else "")
    warnings.append(f"{where}: link to {target} leads nowhere")
    return target


def rewrite_links(text: str, folder: str, pages: set[str], warnings: list[str], where: str) -> str:
    def replace(match):
        if match.group(2) is not None:
            return match.group(1) + rewrite_link(match.group(2), folder, pages, warnings, where) + match.group(3)
        return match.group(4) + rewrite_link(match.group(5), folder, pages, warnings, where) + match.group(6)
    return MARKDOWN_LINK.sub(replace, text)


def binder_url(page: str) -> str:
    conf = _conf()
    return f"https://mybinder.org/v2/gh/{conf['binder_repository']}/{conf['binder_ref']}?labpath={page}"


def run_box(page: str, has_widgets: bool) -> str:
    """The "run this notebook" box every page gets under its title (MyST markdown): Binder, a hosted notebook
    such as Colab (with the first cell that fetches the course beside it, from nnbook.tools.start), or a clone."""
    sys.path.insert(0, str(ROOT))
    from nnbook.tools.start import first_cell

    conf = _conf()
    up = "../" * page.count("/")
    widgets = (" Its sliders and buttons are drawn as they were saved: they answer only in a running notebook."
               if has_widgets else "")
    colab = f"https://colab.research.google.com/github/{conf['binder_repository']}/blob/{conf['binder_ref']}/{page}"
    cell = first_cell(page.split("/")[0], requirement=f"nnbook @ git+https://github.com/{conf['binder_repository']}")
    return (
        "````{admonition} Run this notebook\n"
        ":class: tip nnbook-run\n\n"
        f"This page shows `{page}` with the outputs it stored.{widgets}\n\n"
        f"- **In your browser:** [open it on Binder]({binder_url(page)}) (nothing to install; the first start "
        "takes a few minutes).\n"
        f"- **On Colab or another hosted notebook:** [open it in Colab]({colab}), add a cell at the top with the "
        "lines below and run it first. It installs nnbook and copies the course beside the notebook, so "
        "exercise 06's `functions_from` and the report card find the other notebooks; where the course is "
        "already there it changes nothing.\n\n"
        + "".join(f"  {line}\n" for line in ["```python", *cell.splitlines(), "```"]) + "\n"
        "- **On your machine**, in a clone of the course: `make lab` sets everything up and opens JupyterLab "
        f"(then open `{page}`); `make test` runs every test.\n\n"
        f"[More ways to run the course]({up}index.md#run-the-course)\n"
        "````\n"
    )


def stage_notebook(source: pathlib.Path, target: pathlib.Path, pages: set[str], warnings: list[str]) -> None:
    """Copy one notebook for the site: markers stripped, links fixed, the run box under the title."""
    folder = source.parent.name
    page = f"{folder}/{source.name}"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            text = strip_markers(text)
            for output in cell.get("outputs", []):
                # The course's own machine-readable results (a check's outcome, for the report card) sit
                # beside a text/html and text/plain copy, which the page shows.
                data = output.get("data", {})
                if "text/html" in data or "text/plain" in data:
                    for mime in [m for m in data if m.startswith("application/vnd.nnbook.")]:
                        del data[mime]
        elif cell["cell_type"] == "markdown":
            text = rewrite_links(text, folder, pages, warnings, page)
        cell["source"] = text
    has_widgets = any("application/vnd.jupyter.widget-view+json" in output.get("data", {})
                      for cell in notebook["cells"] for output in cell.get("outputs", []))
    box = {"cell_type": "markdown", "metadata": {"tags": [SITE_CELL_TAG]}, "source": run_box(page, has_widgets)}
    if notebook.get("nbformat", 4) >= 4 and notebook.get("nbformat_minor", 0) >= 5:
        box["id"] = "nnbook-site-run"
    cells = notebook["cells"]
    first_is_title = bool(cells) and cells[0]["cell_type"] == "markdown" and cells[0]["source"].startswith("# ")
    cells.insert(1 if first_is_title else 0, box)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ----- 3. the front page -----------------------------------------------------------------------------------------
def readme_summaries() -> dict[str, str]:
    """``{"03": "SSE (0.6638 worked out), ..."}`` from README.md's lesson table ("what you learn")."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return {}
    rows = re.findall(r"^\|\s*(\d\d)\s*\|[^|\n]*\|\s*([^|\n]+?)\s*\|[^\n]*$", readme.read_text(), re.MULTILINE)
    return dict(rows)


def notebook_title_and_summary(path: pathlib.Path) -> tuple[str, str]:
    """The first heading of a notebook and the first paragraph after it."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = next(("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"), "")
    title = next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), path.stem)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markdown) if p.strip() and not p.startswith("#")]
    return title, " ".join(paragraphs[0].split()) if paragraphs else ""


def lesson_map(pages: set[str]) -> str:
    """The front page's table: every lesson, what it teaches, its exercises (check names) and solutions."""
    sys.path.insert(0, str(ROOT))
    from nnbook.tools.course_map import LESSONS

    summaries = readme_summaries()
    rows = ["| # | lesson | what you learn | exercises | solutions |", "|---|---|---|---|---|"]
    known = set()
    for lesson in LESSONS:
        stem = lesson.stem
        known.add(stem)
        lesson_page = f"course/{stem}.ipynb"
        if lesson_page not in pages:
            continue
        title, first = notebook_title_and_summary(ROOT / lesson_page)
        summary = summaries.get(lesson.number) or first
        checks = ", ".join(f"`{name}`" for name in lesson.checks)
        exercise = (f"[{checks or 'exercises'}](exercises/{stem}.ipynb)"
                    if f"exercises/{stem}.ipynb" in pages else (checks or "-"))
        solution = f"[solved](solutions/{stem}.ipynb)" if f"solutions/{stem}.ipynb" in pages else "-"
        rows.append(f"| {lesson.number} | [{lesson.title}]({lesson_page}) | {summary} | {exercise} | {solution} |")
    # A notebook the course map does not name yet still gets its row.
    for page in sorted(p for p in pages if p.startswith("course/")):
        stem = page[len("course/"):-len(".ipynb")]
        if stem not in known:
            title, first = notebook_title_and_summary(ROOT / page)
            exercise = f"[exercises](exercises/{stem}.ipynb)" if f"exercises/{stem}.ipynb" in pages else "-"
            solution = f"[solved](solutions/{stem}.ipynb)" if f"solutions/{stem}.ipynb" in pages else "-"
            rows.append(f"| {stem[:2]} | [{title}]({page}) | {first} | {exercise} | {solution} |")
    return "\n".join(rows)


def front_page(pages: set[str]) -> str:
    template = (SITE / "index.md").read_text(encoding="utf-8")
    return (template.replace("{{ lesson_map }}", lesson_map(pages))
            .replace("{{ binder_url }}", binder_url("course/00_start_here.ipynb")))


# ----- 4. Sphinx -------------------------------------------------------------------------------------------------
_CONF: dict | None = None


def _conf() -> dict:
    """The settings in site/conf.py (read once; the file has no side effects)."""
    global _CONF
    if _CONF is None:
        import runpy
        _CONF = runpy.run_path(str(SITE / "conf.py"))
    return _CONF


def size_of(folder: pathlib.Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(out: pathlib.Path = DEFAULT_OUT, npm_cache: pathlib.Path = DEFAULT_NPM_CACHE,
          npm: str | None = None) -> dict:
    """Build the site into ``out`` (emptied first). Returns what it did: pages, assets, warnings, seconds."""
    from sphinx.cmd.build import build_main

    started = time.monotonic()
    sources = sorted(p for folder in FOLDERS for p in (ROOT / folder).glob("[0-9]*.ipynb")
                     if ".nnbook-backup" not in p.name)
    pages = {f"{p.parent.name}/{p.name}" for p in sources}
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nnbook-site-") as work:
        staging = pathlib.Path(work) / "source"
        for source in sources:
            stage_notebook(source, staging / source.parent.name / source.name, pages, warnings)
        (staging / "index.md").write_text(front_page(pages), encoding="utf-8")
        assets = fetch_assets(npm_cache, staging / "_vendor", npm)
        (staging / "_site.json").write_text(json.dumps({"assets": assets}))
        if out.exists():
            shutil.rmtree(out)
        log_file = pathlib.Path(work) / "sphinx-warnings.txt"
        status = build_main(["-b", "html", "-q", "-c", str(SITE), "-d", str(pathlib.Path(work) / "doctrees"),
                             "-w", str(log_file), str(staging), str(out)])
        sphinx_warnings = [line for line in log_file.read_text().splitlines() if line.strip()]
    if status != 0:
        raise SystemExit(f"nnbook site: Sphinx failed (exit {status})")
    report = {"pages": sorted(pages), "assets": {k: ("local" if v else "cdn") for k, v in assets.items()},
              "warnings": warnings, "sphinx_warnings": sphinx_warnings, "seconds": round(time.monotonic() - started, 1),
              "bytes": size_of(out)}
    (out / "_static" / "nnbook-site.json").write_text(json.dumps(report, indent=1) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="the site's folder (emptied first)")
    parser.add_argument("--npm-cache", type=pathlib.Path, default=DEFAULT_NPM_CACHE,
                        help="where npm installs MathJax, require.js and the widget manager (kept between builds)")
    parser.add_argument("--npm", default=os.environ.get("NNBOOK_NPM") or shutil.which("npm"),
                        help="the npm command (default: npm on the PATH; without it the assets load from CDNs)")
    args = parser.parse_args(argv)
    npm = args.npm if args.npm and shutil.which(args.npm) else None
    report = build(args.out.resolve(), args.npm_cache.resolve(), npm)
    for warning in report["warnings"]:
        log(f"warning: {warning}")
    if report["sphinx_warnings"]:      # Sphinx printed them above
        log(f"{len(report['sphinx_warnings'])} Sphinx warnings")
    index = args.out / "index.html"
    log(f"{len(report['pages']) + 1} pages in {report['seconds']} s, {report['bytes'] / 1e6:.1f} MB: "
        f"open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
