"""Reading the course's notebooks as stored (their .ipynb JSON) and running their code here, for the tests.

A notebook argument is either a path to an .ipynb file or a notebook already read with :func:`load`.
Importable from every test folder: pyproject.toml's [tool.pytest.ini_options] puts tests/ on sys.path.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
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


def stored_solution_text(path: pathlib.Path) -> str:
    """The text outputs of a solution notebook; every code cell executed, no error, nothing on stderr."""
    notebook = load(path)
    for cell in code_cells(notebook):
        assert cell["execution_count"] is not None, f"{path.name}: a code cell was stored unexecuted"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: a cell stored an error"
            assert output.get("name") != "stderr", f"{path.name}: a cell wrote to stderr"
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
