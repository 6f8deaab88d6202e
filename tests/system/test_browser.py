"""The course in a real browser, opened at the address `make lab` prints.

- every lesson opens with its saved widgets drawn as widgets (not as a line of repr text), one after another
  in one JupyterLab page;
- lesson 00 runs top to bottom and its live slider answers the keyboard;
- lesson 06's live training widget trains epoch by epoch when its buttons are clicked.

Drives Debian's chromium through Playwright (Playwright cannot download its own browsers here). On a machine
without chromium these tests are skipped and say so; `.ci/run` installs it, so CI always runs them.
"""

import re
import time

from lab_server import PANEL, wait_for_kernel
from notebook_helpers import ROOT, load

LESSONS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "course").glob("*.ipynb"))

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def saved_widget_views(path: str) -> int:
    nb = load(ROOT / path)
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in nb["cells"] for output in cell.get("outputs", []))


def run_all(page):
    """Run every cell, then check in the notebook's model that each one ran and none stored an error."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_for_kernel(page)
    cells = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(cell => cell.model.type === 'code')
        .map(cell => ({count: cell.model.executionCount,
                       errors: cell.model.outputs.toJSON().filter(o => o.output_type === 'error')
                                                       .map(o => o.ename + ': ' + o.evalue)}))""")
    assert cells, "no code cells"
    unrun = [i for i, cell in enumerate(cells) if not cell["count"]]
    assert not unrun, f"code cells not executed after Run All: {unrun}"
    errors = [error for cell in cells for error in cell["errors"]]
    assert not errors, errors


def assert_saved_widgets_drawn(page, path):
    expected = saved_widget_views(path)
    # Each saved widget view becomes one widget element at the top of its output; untrusted, JupyterLab
    # would pick the text/plain fallback (a line of repr) instead.
    rendered = page.locator(f"{PANEL} .jp-OutputArea-output > .jupyter-widgets")
    if expected:
        rendered.first.wait_for(timeout=20_000)
    assert rendered.count() == expected
    assert "Error displaying widget" not in page.locator(PANEL).inner_text()


# Lessons 00 and 06 are opened (and then run) by their own tests below; lessons without widgets have
# nothing to draw.
WITH_SAVED_WIDGETS = [p for p in LESSONS if saved_widget_views(p)
                      and p not in ("course/00_start_here.ipynb", "course/06_training_loop.ipynb")]


def test_every_lesson_opens_with_its_saved_widgets_drawn(open_lesson):
    # One JupyterLab page opens the lessons one after another, as a learner does from the file browser (a
    # page load per lesson would cost more than the check itself).
    first, *others = WITH_SAVED_WIDGETS
    page = open_lesson(first)
    problems = {}
    for path in WITH_SAVED_WIDGETS:
        if path != first:
            page.evaluate("async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }",
                          path)
            page.wait_for_function("(path) => { const w = window.jupyterapp.shell.currentWidget;"
                                   " return !!(w && w.context && w.context.path === path); }", arg=path,
                                   timeout=60_000)
            page.wait_for_selector(f"{PANEL} .jp-Notebook", timeout=60_000)
        try:
            assert_saved_widgets_drawn(page, path)
        except AssertionError as error:
            problems[path] = str(error)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.close()")
    assert not problems, problems
    assert len(WITH_SAVED_WIDGETS) >= 5          # the lessons with widgets, apart from 00 and 06


def test_lesson_00_runs_top_to_bottom_and_its_slider_is_live(open_lesson, tmp_path):
    page = open_lesson("course/00_start_here.ipynb")
    assert_saved_widgets_drawn(page, "course/00_start_here.ipynb")
    run_all(page)
    slider = page.locator(f"{PANEL} .widget-slider").first
    slider.scroll_into_view_if_needed()
    readout = slider.locator(".widget-readout")
    before = readout.inner_text()
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[readout.element_handle(), before],
                           timeout=10_000)
    page.screenshot(path=str(tmp_path / "lesson00.png"))


def test_lesson_06_live_training_trains_when_clicked(open_lesson, tmp_path):
    page = open_lesson("course/06_training_loop.ipynb")
    assert_saved_widgets_drawn(page, "course/06_training_loop.ipynb")
    run_all(page)
    one_epoch = page.locator(f"{PANEL} button:has-text('one epoch')").last
    one_epoch.scroll_into_view_if_needed()
    status = page.locator(f"{PANEL} .widget-html:has-text('epoch 0/')").last
    status.wait_for(timeout=20_000)
    one_epoch.click()
    page.wait_for_selector(f"{PANEL} .widget-html:has-text('epoch 1/')", timeout=30_000)
    text = page.locator(f"{PANEL} .widget-html:has-text('epoch 1/')").last.inner_text()
    assert re.search(r"epoch 1/\d+ - loss \d\.\d{4} - accuracy \d\.\d{4}", text), text
    page.locator(f"{PANEL} button:has-text('reset')").last.click()
    page.wait_for_selector(f"{PANEL} .widget-html:has-text('epoch 0/')", timeout=30_000)
    wait_for_kernel(page)           # the figure is redrawn after the status line
    page.screenshot(path=str(tmp_path / "lesson06.png"))


def kernel_print(page, code: str) -> str:
    """Run ``code`` in the open notebook's kernel, outside any cell, and return what it printed."""
    return page.evaluate("""async (code) => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = kernel.requestExecute({code, store_history: false});
        let out = '';
        future.onIOPub = (msg) => {
            if (msg.header.msg_type === 'stream' && msg.content.name === 'stdout') out += msg.content.text;
            if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
        };
        await future.done;
        return out;
    }""", code)


def shown_sha256(image) -> str:
    """SHA-256 of the bytes the browser shows in an Image widget's <img> (its blob URL)."""
    return image.evaluate("""async (img) => {
        const bytes = await (await fetch(img.src)).arrayBuffer();
        const digest = await crypto.subtle.digest('SHA-256', bytes);
        return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
    }""")


# The kernel's side of lesson 03's SSE explorer: its first slider's value and the SHA-256 of its picture.
SSE_EXPLORER_STATE = """
import gc, hashlib
from nnbook.lessons._explorer import Explorer
box = [w for w in gc.get_objects() if isinstance(w, Explorer) and len(w.controls) == 3][-1]
print(f"{box.controls[0].value:.2f}", hashlib.sha256(bytes(box.image.value)).hexdigest())
"""


def test_lesson_03_explorer_follows_the_keyboard_to_its_last_value(open_lesson, tmp_path, capsys):
    """Key press on the SSE explorer's slider -> a new picture on screen: the time is printed (issue 10's goal:
    under 150 ms here), not asserted; what is asserted is that the picture changes and, after a burst of
    presses, shows the last value, the same bytes the kernel drew for it."""
    page = open_lesson("course/03_loss_functions.ipynb")
    run_all(page)
    cell = page.locator(f"{PANEL} .jp-CodeCell:has-text('widgets.sse_explorer(')").last
    slider = cell.locator(".widget-slider").first
    image = cell.locator("img.widget-image").first
    slider.scroll_into_view_if_needed()
    image.wait_for(timeout=20_000)
    handle = slider.locator(".noUi-handle").first
    # Time from the key's keydown to the new picture decoded and painted (the frame after it).
    page.evaluate("""(img) => {
        const probe = window.__nnbookProbe = {before: img.src};
        probe.done = new Promise((resolve) => {
            document.addEventListener('keydown', () => { probe.t0 = performance.now(); },
                                      {capture: true, once: true});
            const observer = new MutationObserver(() => {
                if (img.src === probe.before) return;
                observer.disconnect();
                const painted = () => requestAnimationFrame(() => resolve(performance.now() - probe.t0));
                img.decode().then(painted, painted);
            });
            observer.observe(img, {attributes: true, attributeFilter: ['src']});
        });
    }""", image.element_handle())
    handle.focus()
    page.keyboard.press("ArrowRight")
    milliseconds = page.evaluate("() => window.__nnbookProbe.done")
    with capsys.disabled():                    # shown in every run, not only when the test fails
        print(f"\nlesson 03 SSE explorer: key press to new picture on screen {milliseconds:.0f} ms")
    assert image.get_attribute("src") != page.evaluate("() => window.__nnbookProbe.before")

    for _ in range(6):                         # a burst: the kernel may skip values, never the last
        page.keyboard.press("ArrowRight")
    wait_for_kernel(page)
    expected = f"{0.37 + 0.07:.2f}"
    page.wait_for_function("([el, text]) => el.innerText.trim() === text",
                           arg=[slider.locator(".widget-readout").element_handle(), expected], timeout=10_000)

    def kernel_state():
        printed = kernel_print(page, SSE_EXPLORER_STATE)
        assert len(printed.split()) == 2, printed
        return printed.split()

    # The browser sends a dragged value only once the kernel has taken the one before, so the last value may
    # reach the kernel after the kernel first looks idle, and a late repeat of it redraws the picture: read
    # the kernel's state again until it holds the last value and the screen shows its picture. Under make test's
    # load (two workers beside the kernel) that round trip took over 15 s once: the wait is generous.
    deadline = time.monotonic() + 45
    value, sha = kernel_state()
    while (value != expected or shown_sha256(image) != sha) and time.monotonic() < deadline:
        time.sleep(0.2)
        value, sha = kernel_state()
    assert value == expected, "the kernel never received the slider's last value"
    page.wait_for_function("([pre, text]) => pre.innerText.includes(text)",
                           arg=[cell.locator(".widget-html pre").first.element_handle(), f"(1 - {expected})^2"],
                           timeout=10_000)
    assert shown_sha256(image) == sha, "the picture on screen is not the kernel's picture of the last value"
    page.screenshot(path=str(tmp_path / "lesson03.png"))


def test_lesson_11_digit_pad_answers_a_click_and_the_keyboard(open_lesson, tmp_path):
    """The draw-a-digit pad in JupyterLab: a click on a pixel, then Enter on another focused pixel, each give a
    new readout (the pad's logic is tests/unit/test_draw.py's; here the browser must deliver the presses, and
    JupyterLab must not take Enter for its own command)."""
    page = open_lesson("course/11_images.ipynb")
    run_all(page)
    cell = page.locator(f"{PANEL} .jp-CodeCell:has-text('draw.DigitPad(')").last
    pixels = cell.locator(".widget-gridbox button")
    pixels.first.wait_for(timeout=30_000)
    assert pixels.count() == 64
    readout = cell.locator(".widget-html").first
    readout.scroll_into_view_if_needed()
    before = readout.inner_text()
    assert "Test image 0" in before and "0 pixels changed" in before, before
    pixels.nth(3 * 8 + 4).click()                       # row 3, column 4, with the mouse
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[readout.element_handle(), before],
                           timeout=10_000)
    clicked = readout.inner_text()
    assert "1 pixel changed" in clicked, clicked
    pixels.nth(4 * 8 + 4).focus()                       # row 4, column 4, with the keyboard
    page.keyboard.press("Enter")
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[readout.element_handle(), clicked],
                           timeout=10_000)
    assert "2 pixels changed" in readout.inner_text(), readout.inner_text()
    assert "jp-mod-editMode" not in (cell.get_attribute("class") or "")   # Enter did not open the cell's editor
    page.screenshot(path=str(tmp_path / "lesson11-pad.png"))
