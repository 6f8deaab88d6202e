"""``nnbook nbgrader DIR``: the exercises as an nbgrader course, for a class on JupyterHub.

Writes, at DIR, ``nbgrader_config.py`` and ``source/<NN_slug>/<NN_slug>.ipynb``: one assignment per solution
notebook, with nbgrader's cell metadata:

- each cell holding a solution region (nbgrader's own ``BEGIN SOLUTION`` / ``END SOLUTION`` markers) is a
  solution cell, which ``nbgrader generate_assignment`` turns into the stub;
- each check cell (``checks.sse(sse)``) is a locked, graded cell worth its checks' points (registered beside
  each check in ``CHECKS`` of its cases module, :func:`nnbook.tools.course_map.points`), stated in a comment at
  its top. Under nbgrader a check that does not pass raises (see
  :func:`nnbook.tools.grading.for_nbgrader`), so each check cell scores all or nothing and a notebook with one
  of two functions wrong gets half;
- cells tagged ``solution-only`` are left out; links to the lessons say where the lesson is, since nbgrader's
  release folder holds the assignment alone; links to the solutions are dropped;
- ``checks.functions_from("05_...ipynb", ...)`` (the capstone borrows the learner's earlier functions) is
  replaced by those functions' solved cells: an nbgrader assignment must stand alone. A check of a function
  given so (exercise 11's ``checks.train_digits(train_epoch)``) runs ungraded.

Nothing an instructor wrote is lost: a course folder that already has a gradebook is never overwritten, and a
file this command would replace is replaced only when it is still exactly what an earlier run wrote (their
hashes are kept in ``.nnbook-nbgrader.json``). Otherwise the folder is refused, or with ``--force`` each such
file is first kept beside itself as ``NAME.nnbook-backup``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import pathlib
import re

import nbformat

from nnbook.tools.course_map import points
from nnbook.tools.exercises import BEGIN, SOLUTION_ONLY, notebooks_in, write_atomic
from nnbook.tools.progress import checks_called

#: The gradebook nbgrader keeps in the course folder: its presence means grading has started.
GRADEBOOK = "gradebook.db"
#: What this command wrote into the course folder: each file's path and sha256.
MANIFEST = ".nnbook-nbgrader.json"

CONFIG = '''\
# nbgrader settings for the nnbook course, written by `nnbook nbgrader`.
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "nnbook"
c.CourseDirectory.root = "."
# The learner's stub, as in the course's own exercises/ notebooks.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
# A check cell that runs over this many seconds is stopped (the checks stop a learner's endless loop sooner).
c.ExecutePreprocessor.timeout = 120
'''


class CourseExists(Exception):
    """The target folder holds a gradebook (grading has started there), or files an instructor wrote."""


def _metadata(grade_id: str, *, solution: bool, grade: bool, locked: bool, points_worth: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points_worth
    return {"nbgrader": meta}


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+\.ipynb)(#[^)]*)?\)")


def _rewrite_links(text: str) -> str:
    """Markdown links to the course's notebooks, made to say where each is (nothing else is beside them)."""
    # A paragraph that points to the solved notebook is dropped: the solutions are not part of an assignment.
    text = "\n\n".join(paragraph for paragraph in text.split("\n\n") if "solutions/" not in paragraph)

    def replace(match):
        label, target = match.group(1), match.group(2)
        name = pathlib.PurePosixPath(target).name
        if "course/" in target:
            return f"{label} (the lesson `course/{name}` of the nnbook course)"
        return f"{label} (the assignment `{name.removesuffix('.ipynb')}`)"

    return _LINK.sub(replace, text)


def _functions_from_call(source: str) -> tuple[str, list[str]] | None:
    """``(notebook, [names])`` of a cell's ``functions_from("NN_x.ipynb", "f", ...)`` call, else ``None``."""
    call = next((node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                 and getattr(node.func, "attr", getattr(node.func, "id", "")) == "functions_from"), None)
    if call is None:
        return None
    notebook_name, *names = [argument.value for argument in call.args]
    return notebook_name, names


def _given_code(notebook_name: str, names: list[str], solutions: pathlib.Path) -> list[tuple[str, str]]:
    """``(name, solved code)`` of each function, preceded by those the borrowed notebook borrows in turn
    (exercise 11 takes exercise 06's train_epoch, which calls exercise 05's functions)."""
    solved = nbformat.read(solutions / notebook_name, as_version=4)
    given = []
    for cell in solved.cells:
        borrowed = _functions_from_call(cell.source) if cell.cell_type == "code" and "functions_from" in \
            cell.source else None
        if borrowed is not None:
            given += _given_code(*borrowed, solutions)
    for name in names:
        cell = next(cell for cell in solved.cells if cell.cell_type == "code"
                    and re.search(rf"^def {re.escape(name)}\(", cell.source, flags=re.MULTILINE))
        code = "\n".join(line for line in cell.source.splitlines() if "SOLUTION" not in line)
        given.append((name, f"# Given (from {notebook_name}): run this cell.\n{code}"))
    return given


def _borrowed_cells(source: str, solutions: pathlib.Path) -> list[nbformat.NotebookNode] | None:
    """For a ``functions_from("NN_x.ipynb", "f", ...)`` cell: a note saying they are given, then the solved
    cells defining those functions (and the functions they use from yet another notebook), as cells of this
    assignment; ``None`` for any other cell."""
    borrowed = _functions_from_call(source)
    if borrowed is None:
        return None
    notebook_name, _ = borrowed
    given = _given_code(*borrowed, solutions)
    listed = ", ".join(f"`{name}`" for name, _ in given)
    # The lesson's text above asks the learner to save their own notebook first: not so in an assignment.
    cells = [nbformat.v4.new_markdown_cell(
        f"**In this assignment** {listed} are given, solved, in the cells below: run them. You do not need "
        f"your own {notebook_name} here (`checks.functions_from`, which the text above describes, is how the "
        f"course's own notebooks bring them in).")]
    cells += [nbformat.v4.new_code_cell(code) for _, code in given]
    return cells


def assignment(solution: nbformat.NotebookNode, stem: str, solutions: pathlib.Path) -> nbformat.NotebookNode:
    """The nbgrader source notebook made from one solution notebook."""
    notebook = copy.deepcopy(solution)
    cells, given = [], set()        # the cells, and the functions given solved so far
    for cell in notebook.cells:
        if SOLUTION_ONLY in cell.metadata.get("tags", []):
            continue
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "markdown":
            cell.source = _rewrite_links(cell.source)
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            borrowed = _borrowed_cells(cell.source, solutions) if "functions_from" in cell.source else None
            if borrowed is not None:
                cells += borrowed
                given.update(name for given_cell in borrowed
                             for name in re.findall(r"^def (\w+)\(", given_cell.source, flags=re.MULTILINE))
                continue
            called = checks_called(cell.source)
            checked = {argument for check, argument in re.findall(r"\.(\w+)\(\s*(\w+)\s*\)", cell.source)
                       if check in called}
            if called and checked <= given:
                # A check of a function this assignment gives solved (exercise 11's train_digits of exercise
                # 06's train_epoch) would hand out points for nothing: it runs, ungraded.
                cell.source = (f"# Not graded in this assignment: the function it checks is given above, solved."
                               f"\n{cell.source}")
            elif BEGIN in cell.source:
                names = re.findall(r"^def (\w+)\(", cell.source, flags=re.MULTILINE) or [f"cell-{len(cells)}"]
                cell.metadata.update(_metadata(f"{stem}-{names[0]}", solution=True, grade=False, locked=False))
            elif called:
                worth = sum(points(check) for check in called)
                cell.source = (f"# Graded: {worth} point{'s' if worth != 1 else ''}, given when every case of "
                               f"{', '.join(f'checks.{check}' for check in called)} passes.\n{cell.source}")
                cell.metadata.update(_metadata(f"{stem}-check-{'-'.join(called)}", solution=False, grade=True,
                                               locked=True, points_worth=worth))
        cells.append(cell)
    for number, cell in enumerate(cells):
        cell.id = cell.get("id") or f"nnbook-{number}"
    notebook.cells = cells
    notebook.metadata.pop("nnbook", None)
    return notebook


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_course(solutions: str | pathlib.Path, target: str | pathlib.Path, *,
                 force: bool = False, say=print) -> list[pathlib.Path]:
    """Write the nbgrader course at ``target``; return the assignment notebooks written.

    Refuses (``CourseExists``) when ``target`` has a gradebook, or holds a file this would replace that an
    earlier run did not write exactly so (an instructor's edit), unless ``force``: then the config and
    ``source/`` are rewritten after each such file is kept as ``NAME.nnbook-backup`` (said through ``say``),
    and the gradebook, submissions and feedback are never touched. Raises ``OSError`` when ``target`` cannot be
    written (a file, or read-only).
    """
    solutions, target = pathlib.Path(solutions), pathlib.Path(target)
    if (target / GRADEBOOK).exists() and not force:
        raise CourseExists(f"{target} already holds an nbgrader course with a gradebook ({target / GRADEBOOK}): "
                           f"it was not changed. Use --force to rewrite its config and source/ (grades are kept).")
    files = {}
    for path in notebooks_in(solutions):
        notebook = assignment(nbformat.read(path, as_version=4), path.stem, solutions)
        nbformat.validate(notebook)
        files[pathlib.Path("source", path.stem, path.name)] = nbformat.writes(notebook) + "\n"
    files[pathlib.Path("nbgrader_config.py")] = CONFIG
    try:
        recorded = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    theirs = [name for name in files if (target / name).is_file()
              and recorded.get(name.as_posix()) != _sha256((target / name).read_bytes())
              and (target / name).read_text(encoding="utf-8", errors="replace") != files[name]]
    if theirs and not force:
        raise CourseExists(f"{target} holds files that `nnbook nbgrader` did not write or that were edited since "
                           f"({', '.join(name.as_posix() for name in theirs[:3])}{' ...' if len(theirs) > 3 else ''})"
                           f": it was not changed. Use --force to rewrite them (each is kept as NAME.nnbook-backup).")
    written = []
    for name, text in files.items():
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        backup = None
        if name in theirs:
            backup = out.with_name(out.name + ".nnbook-backup")
            backup.unlink(missing_ok=True)
            say(f"kept your version of {out} in {backup}")
        write_atomic(out, text, backup=backup)
        recorded[name.as_posix()] = _sha256(text.encode("utf-8"))
        if out.suffix == ".ipynb":
            written.append(out)
    write_atomic(target / MANIFEST, json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    return written
