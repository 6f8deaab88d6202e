"""Sphinx settings of the course's website: `make site` (site/build.py) builds it into build/site/.

site/build.py stages the notebooks (course/, exercises/, solutions/) and the front page into a folder of its
own and runs Sphinx on it with this file. Nothing is executed: myst-nb shows the outputs stored in the
notebooks. Where the JavaScript comes from (local copies fetched with npm, or a CDN) is decided by build.py and
handed over in the staged folder's ``_site.json``; see :func:`use_assets`.
"""

import json
import os
import pathlib

# ----- settings a fork changes ----------------------------------------------------------------------------------
# The GitHub repository Binder opens ("user/repository") and the branch or tag. Every page links to
# https://mybinder.org/v2/gh/<binder_repository>/<binder_ref>?labpath=<the page's notebook>.
# NNBOOK_BINDER_REPOSITORY overrides it without editing this file. Keep it in step with README.md's badge.
binder_repository = os.environ.get("NNBOOK_BINDER_REPOSITORY", "nnbook/nnbook")
binder_ref = os.environ.get("NNBOOK_BINDER_REF", "HEAD")

# ----- Sphinx ----------------------------------------------------------------------------------------------------
project = "nnbook"
author = "the nnbook authors"
copyright = "the nnbook authors"
html_title = "nnbook: how a neural network learns"

extensions = ["myst_nb", "sphinx.ext.mathjax"]
exclude_patterns = ["_vendor", "_site.json", "**/.ipynb_checkpoints"]
master_doc = "index"

# The build never runs a notebook: what a page shows is what the notebook stored (nbval keeps it honest).
nb_execution_mode = "off"
nb_merge_streams = True
# `$x$` and `$$...$$` as the notebooks write them; heading anchors so links like index.md#the-lessons and
# lesson.ipynb#one-heading resolve.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 6

html_theme = "furo"
html_static_path = ["_static"]
html_css_files = ["nnbook-site.css"]
# Before MathJax and the widget manager on every page: lets the widget manager (written for MathJax 2) typeset
# with MathJax 3.
html_js_files = [("nnbook-mathjax-shim.js", {"priority": 200}),
                 # keyboard access to wide code and output blocks, names for saved sliders and Play buttons
                 ("nnbook-a11y.js", {"defer": "defer"})]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
# Furo's own assets are all local; no web fonts, no analytics.
html_theme_options = {"navigation_with_keys": True}

# MathJax 3 (its npm package carries its fonts; MathJax 4 would fetch them from a CDN).
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"
REQUIREJS_CDN = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"
HTML_MANAGER_CDN = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1/dist/embed-amd.js"
WIDGETS_CDN = "https://cdn.jsdelivr.net/npm/"

mathjax_path = MATHJAX_CDN
mathjax3_config = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}
nb_ipywidgets_js = {
    REQUIREJS_CDN: {},
    HTML_MANAGER_CDN: {"data-jupyter-widgets-cdn": WIDGETS_CDN, "crossorigin": "anonymous"},
}


def use_assets(app, config):
    """Point MathJax, require.js and the widget manager at what build.py fetched (``_site.json``).

    ``assets`` maps each of ``mathjax``, ``requirejs``, ``html_manager`` to a path under ``_static/`` (a local
    copy, served by the site) or to nothing (the CDN default above stays)."""
    settings_file = pathlib.Path(app.srcdir) / "_site.json"
    if not settings_file.exists():
        return
    assets = json.loads(settings_file.read_text())["assets"]
    if assets.get("mathjax"):
        config.mathjax_path = assets["mathjax"]
    requirejs = assets.get("requirejs") or REQUIREJS_CDN
    manager = assets.get("html_manager") or HTML_MANAGER_CDN
    # Every widget the course stores is a core widget (base, controls, output), which embed-amd.js carries;
    # the CDN attribute would only matter for third-party widgets, and the course has none.
    manager_attributes = {"data-jupyter-widgets-cdn": WIDGETS_CDN}
    if not assets.get("html_manager"):
        manager_attributes["crossorigin"] = "anonymous"
    config.nb_ipywidgets_js = {requirejs: {}, manager: manager_attributes}
    if assets.get("html_manager"):
        # The widget manager's icon fonts sit beside embed-amd.js. Each module it defines (@jupyter-widgets/base,
        # .../controls, .../html-manager/dist/libembed-amd, ...) looks for them beside its own require.js
        # address, by default under the page's folder: map those addresses into dist/ (a `require` object set
        # before require.js loads is its configuration).
        folder = assets["html_manager"].rsplit("/", 1)[0]
        app.add_js_file(None, priority=200, body=(
            "(function () { var dist = new URL(document.documentElement.dataset.content_root"
            f" + '_static/{folder}', document.baseURI).href;"
            " window.require = {paths: {'@jupyter-widgets': dist, '@jupyter-widgets/html-manager/dist': dist}};"
            " window.__jupyter_widgets_assets_path__ = dist + '/'; })();"))
    vendor = pathlib.Path(app.srcdir) / "_vendor"
    if vendor.is_dir():
        config.html_static_path = [*config.html_static_path, str(vendor)]


def caption_levels(app, pagename, templatename, context, doctree):
    """Give the side bar's section captions ("Lessons", "Exercises", ...) the heading level they lack.

    Sphinx writes a toctree caption as ``<p class="caption" role="heading">`` with no ``aria-level``, which ARIA
    requires of a heading (axe: aria-required-attr); furo shows them in the side bar. Level 2: each names a
    group of pages under the site's title. Runs after furo has built its navigation tree (priority 600)."""
    tree = context.get("furo_navigation_tree")
    if isinstance(tree, str):
        context["furo_navigation_tree"] = tree.replace('class="caption" role="heading">',
                                                       'class="caption" role="heading" aria-level="2">')


def setup(app):
    app.connect("config-inited", use_assets, priority=400)
    app.connect("html-page-context", caption_levels, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
