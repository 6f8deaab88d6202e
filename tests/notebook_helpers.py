"""Reading the course's notebooks as stored (their .ipynb JSON) and running their code here, for the tests.

A notebook argument is either a path to an .ipynb file or a notebook already read with :func:`load`.
Importable from every test folder: pyproject.toml's [tool.pytest.ini_options] puts tests/ on sys.path.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
from typing import Callable

ROOT = pathlib.Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
#: The marker nbval reads: the cell runs, but its output is not compared.
IGNORE = "NBVAL_IGNORE_OUTPUT"
#: The kinds of output that show text: a stream's text, a result's or a display's text/plain.
TEXT_OUTPUTS = ("stream", "execute_result", "display_data")


def load(path: str | pathlib.Path) -> dict:
    """The notebook's JSON."""
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def _read(notebook) -> dict:
    return notebook if isinstance(notebook, dict) else load(notebook)


def source(cell: dict) -> str:
    return "".join(cell["source"])


def cell_source(notebook, cell_id: str) -> str:
    """The source of the notebook's cell with that id."""
    return source(next(cell for cell in _read(notebook)["cells"] if cell["id"] == cell_id))


def code_cells(notebook) -> list[dict]:
    return [cell for cell in _read(notebook)["cells"] if cell["cell_type"] == "code"]


def markdown_text(notebook, sep: str = "\n") -> str:
    """The sources of the notebook's markdown cells, joined with ``sep``."""
    return sep.join(source(cell) for cell in _read(notebook)["cells"] if cell["cell_type"] == "markdown")


def output_text(output: dict) -> str:
    """A stream's text, or the text/plain of any other output ("" if it has none)."""
    if output["output_type"] == "stream":
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


def stored_text(notebook, *, skip: Callable[[str], bool] | None = None, kinds=TEXT_OUTPUTS, sep: str = "\n") -> str:
    """The text the notebook's code cells show as stored: :func:`output_text` of each output whose type is in
    ``kinds``, joined with ``sep``; cells whose source ``skip`` accepts are left out."""
    return sep.join(output_text(output) for cell in code_cells(notebook)
                    if skip is None or not skip(source(cell))
                    for output in cell.get("outputs", []) if output["output_type"] in kinds)


def compared_text(notebook) -> str:
    """Everything the notebook's code cells print, as stored, joined (cells marked NBVAL_IGNORE_OUTPUT left
    out; figures' reprs left out; the closing quiz left out, its text is tests/lessons/test_quiz_cells.py's):
    it compares with what :func:`run_code_cells` prints."""
    return stored_text(notebook, skip=lambda text: IGNORE in text or "quiz.show(" in text,
                       kinds=("stream", "execute_result"), sep="")


def clean_stored_text(path: pathlib.Path) -> str:
    """Every text output stored in a notebook (a lesson or a solution: streams and text/plain), joined; every
    code cell must have been executed, without an error or a line on stderr."""
    notebook = load(path)
    for cell in code_cells(notebook):
        assert cell["execution_count"] is not None, f"{path.name}: a code cell was stored unexecuted"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: a cell stored an error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), \
                f"{path.name}: a cell wrote to stderr: {output_text(output)}"
    return stored_text(notebook)


def solution_lines(path: pathlib.Path) -> list[str]:
    """The non-blank lines of code between a notebook's solution markers, stripped."""
    lines, inside = [], False
    for cell in code_cells(path):
        for line in source(cell).splitlines():
            if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
                inside = "BEGIN" in line
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def run_code_cells(path: pathlib.Path, skip=(IGNORE,)):
    """Execute the notebook's code cells here, in order (leaving out cells containing any of ``skip``).

    Returns the namespace; what the cells print, joined, leaving out the cells marked NBVAL_IGNORE_OUTPUT
    (so it compares with ``stored_text(path, skip=..., kinds=("stream", "execute_result"), sep="")``); and
    each cell's printout by its index among the code cells.
    """
    import matplotlib.pyplot as plt  # here, so that a test module chooses its backend before pyplot loads

    cells = code_cells(path)
    namespace = {"__name__": "lesson"}
    by_cell = {}
    for index, cell in enumerate(cells):
        text = source(cell)
        if any(marker in text for marker in skip):
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(text, f"{path.name}", "exec"), namespace)
        by_cell[index] = printed.getvalue()
    plt.close("all")
    compared = "".join(out for index, out in by_cell.items() if IGNORE not in source(cells[index]))
    return namespace, compared, by_cell


def source_model(seed: int = 1, output: str = "softmax", learning_rate: float = 0.0001):
    """The source article's model and settings (lesson 07; lessons 08-10 use its softmax form), compiled:
    Dense 16 relu (input 1) - Dense 32 relu - Dense 2, Adam, sparse categorical cross-entropy, accuracy."""
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    from nnbook.optimizers import Adam

    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation=output)], seed=seed)
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


# ------------------------------------------------------------------ checks the tests of several lessons make
# Each lesson's tests call these from tests/lessons/test_lesson_NN.py; tests/conftest.py has pytest rewrite
# their asserts, so that a failure shows the values compared.

def check_executed_once_cleanly(notebook) -> None:
    """Stored executed once, top to bottom (counts 1, 2, 3, ...), without an error or a line on stderr, and its
    compared cells (not marked NBVAL_IGNORE_OUTPUT) show no memory address and no np.float64(...) repr."""
    cells = code_cells(notebook)
    assert [cell["execution_count"] for cell in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", source(cell)
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output_text(output)
    compared = stored_text(notebook, skip=lambda text: text.startswith(f"# {IGNORE}"))
    assert not re.search(r"0x[0-9a-f]{6,}|np\.float64\(", compared)


def check_widget_cells(notebook) -> None:
    """The notebook has widget cells (an explorer or a slider); NBVAL_IGNORE_OUTPUT marks them and no other cell,
    and each is followed by a cell with a static output (no widget)."""
    cells = code_cells(notebook)
    widget_cells = [i for i, cell in enumerate(cells) if re.search(r"widgets\.\w+_(explorer|slider)\(", source(cell))]
    ignored = [i for i, cell in enumerate(cells) if source(cell).startswith(f"# {IGNORE}")]
    assert widget_cells, "every lesson 00-04 has an interactive part"
    assert ignored == widget_cells, "NBVAL_IGNORE_OUTPUT only on widget cells, and on every one"
    for i in widget_cells:
        after = cells[i + 1]
        assert after["outputs"] and not source(after).startswith(f"# {IGNORE}")
        assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {}) for o in after["outputs"])


def check_figures(notebook, figures: int) -> None:
    """The notebook stores ``figures`` PNG pictures, each from a cell that ends with plt.show()."""
    cells = code_cells(notebook)
    assert sum("image/png" in output.get("data", {}) for cell in cells for output in cell["outputs"]) == figures
    for cell in cells:
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            assert source(cell).rstrip().endswith("plt.show()")


def exercise_text(stem: str, function: str) -> str:
    """What the learner reads for one exercise of exercises/<stem>.ipynb: its statement (from its heading to the
    next) and its stub."""
    text, inside = [], False
    for cell in load(ROOT / "exercises" / f"{stem}.ipynb")["cells"]:
        body = source(cell)
        if cell["cell_type"] == "markdown" and body.startswith("## Exercise"):
            inside = f"`{function}`" in body.splitlines()[0]
        if inside and (cell["cell_type"] == "markdown" or body.startswith(f"def {function}(")):
            text.append(body)
    assert text, f"no exercise {function} in {stem}"
    return "\n".join(text)


def check_statement_teaches(stem: str, function: str, worked: str, answer_pieces: list[str]) -> None:
    """The exercise's statement and stub show its worked number and link to a lesson section, but none of the
    pieces of the answer (issue 8: the check's hints give the formula after a failed try)."""
    text = exercise_text(stem, function)
    assert worked in text
    assert re.search(r"\]\(\.\./course/\d\d_\w+\.ipynb#[^)\s]+\)", text), "no link to a lesson section"
    shown = [piece for piece in answer_pieces if piece in text]
    assert not shown, f"the statement of {function} shows the answer: {shown}"


def jupyterlab_anchor(heading: str) -> str:
    """The id JupyterLab gives a markdown heading: its text as shown, spaces turned into dashes."""
    shown = re.sub(r"[`*_]", "", heading.lstrip("#").strip())
    shown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", shown)
    return shown.replace(" ", "-")


def check_section_links(stem: str) -> None:
    """Every link of solutions/<stem>.ipynb to a lesson section names a heading of that lesson."""
    notebook = load(ROOT / "solutions" / f"{stem}.ipynb")
    links = re.findall(r"\]\(\.\./course/([\w.]+\.ipynb)#([^)\s]+)\)",
                       "\n".join(source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"))
    assert links
    for lesson, anchor in links:
        headings = [line for cell in load(COURSE / lesson)["cells"] if cell["cell_type"] == "markdown"
                    for line in source(cell).splitlines() if line.startswith("#")]
        assert anchor in {jupyterlab_anchor(heading) for heading in headings}, f"{lesson}#{anchor}"


def check_statements_hide_the_code(path: pathlib.Path, fragments: list[str]) -> None:
    """Derive, don't transcribe: no line of the solution notebook's answer, and none of ``fragments`` (its
    slicing or indexing), is in its markdown."""
    text = markdown_text(path)
    code = solution_lines(path)
    assert code
    for line in code:
        assert line not in text, line
    for fragment in fragments:
        assert fragment not in text, fragment


def check_statement_and_stub_give_no_formula(solution: pathlib.Path, task: str, giveaways: list[str]) -> None:
    """The task statement (cell ``task`` of the solution) and the exercise's stub docstring name none of
    ``giveaways`` (the formula's pieces), and the statement links to the lesson that derives it."""
    statement = cell_source(solution, task)
    exercise = load(ROOT / "exercises" / solution.name)
    stub = next(source(c) for c in exercise["cells"]
                if c["cell_type"] == "code" and "raise NotImplementedError" in source(c))
    for text in (statement, stub.split('"""')[1]):
        for formula in giveaways:
            assert formula not in text, formula
    assert f"(../course/{solution.name})" in statement                   # the derivation is one click away
