"""Exercise notebooks generated from the solution notebooks: ``nnbook exercises build`` and ``check``.

``solutions/NN_slug.ipynb`` is the single source. Each solution sits between nbgrader's markers::

    def one_hot(labels, num_classes):
        \"\"\"...\"\"\"
        ### BEGIN SOLUTION
        encoded = np.zeros((len(labels), num_classes))
        ...
        ### END SOLUTION

and ``exercises/NN_slug.ipynb`` is the same notebook with each region replaced by a stub at the same
indentation, which the checks read as "not attempted yet"::

        # YOUR CODE HERE
        raise NotImplementedError("write one_hot here: one-hot rows for integer labels.")

Generated notebooks have no outputs, keep the solution's cell ids, and are byte-identical from one build
to the next. Cells tagged ``solution-only`` are left out.

Learners' work is never overwritten: each exercise notebook records, in its metadata, a hash of its cell
sources as generated. ``build`` replaces a notebook only when its sources still match that hash (running
it in JupyterLab adds outputs, which do not count); a notebook whose sources changed is refused unless
``force`` is given, and then the learner's version is kept beside it as ``NN_slug.nnbook-backup.ipynb``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import pathlib
import re

import nbformat

from nnbook.tools.notebooks import KERNELSPEC

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
#: Cells with this tag appear in the solutions only.
SOLUTION_ONLY = "solution-only"
#: Backups of learners' notebooks carry this in their name (``.gitignore`` ignores it; globs skip it).
BACKUP = ".nnbook-backup"
STUB = "# YOUR CODE HERE"
#: A course notebook's name, ``NN_slug.ipynb``: a learner's copies and untitled notebooks do not match it.
COURSE_NAME = re.compile(r"\d\d_[a-z0-9_]+\.ipynb")


class SolutionError(ValueError):
    """A solution notebook that cannot become an exercise: unreadable, or markers that do not pair up."""


def stub_source(source: str, where: str = "this cell") -> str:
    """``source`` with each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region replaced by a stub.

    The stub keeps the indentation of the ``BEGIN`` line and raises ``NotImplementedError`` with a message
    naming the function to write and the first line of its docstring.
    """
    lines = source.splitlines()
    functions = _functions(source)
    out, region_start = [], None
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if region_start is not None:
                raise SolutionError(f"{where}: {BEGIN} on line {number} inside the region opened on line "
                                    f"{region_start}")
            region_start = number
            indent = line[: len(line) - len(line.lstrip())]
            message = json.dumps(_task(functions, number), ensure_ascii=False)   # a valid Python literal
            out += [indent + STUB, indent + f"raise NotImplementedError({message})"]
        elif marker.startswith(END):
            if region_start is None:
                raise SolutionError(f"{where}: {END} on line {number} without a {BEGIN} before it")
            region_start = None
        elif region_start is None:
            out.append(line)
    if region_start is not None:
        raise SolutionError(f"{where}: the {BEGIN} on line {region_start} has no {END}")
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def _functions(source: str) -> list[ast.FunctionDef]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _task(functions: list[ast.FunctionDef], line: int) -> str:
    """What the stub asks for: the innermost function around ``line`` and its docstring's summary."""
    around = [f for f in functions if f.lineno <= line <= (f.end_lineno or f.lineno)]
    if not around:
        return "write your code here"
    function = max(around, key=lambda f: f.lineno)
    summary = (ast.get_docstring(function) or "").strip().split("\n\n")[0]
    summary = " ".join(summary.split())
    task = f"write {function.name} here"
    if summary:
        summary = summary[0].lower() + summary[1:] if summary[1:2].islower() else summary
        task += f": {summary}"
    return task


def exercise_notebook(solution: nbformat.NotebookNode, source_name: str) -> nbformat.NotebookNode:
    """The exercise notebook for ``solution``: stubs instead of solutions, no outputs, same cell ids."""
    exercise = nbformat.v4.new_notebook()
    # The solution's language_info (as its kernel reported it), so JupyterLab has nothing to fill in.
    language_info = solution.metadata.get("language_info", {"name": "python", "pygments_lexer": "ipython3"})
    exercise.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(language_info)}
    for index, cell in enumerate(solution.cells):
        tags = [tag for tag in cell.metadata.get("tags", []) if tag != SOLUTION_ONLY]
        if SOLUTION_ONLY in cell.metadata.get("tags", []):
            continue
        source = _text(cell.source)
        cell_id = cell.get("id") or f"cell-{index}"
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(stub_source(source, f"{source_name}, cell {cell_id}"))
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)
        else:
            new = nbformat.v4.new_raw_cell(source)
        new.id = cell_id
        if tags:
            new.metadata["tags"] = tags
        exercise.cells.append(new)
    exercise.metadata["nnbook"] = {"generated_from": source_name, "content_hash": content_hash(exercise)}
    return exercise


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def content_hash(notebook: nbformat.NotebookNode) -> str:
    """A hash of what a learner writes in a notebook: the type and source of every cell, in order.

    Outputs, execution counts and metadata are left out, so running a notebook does not change it.
    """
    cells = [[cell.cell_type, _text(cell.source)] for cell in notebook.cells]
    return "sha256:" + hashlib.sha256(json.dumps(cells).encode("utf-8")).hexdigest()


def render(notebook: nbformat.NotebookNode) -> str:
    """The notebook as the text of an .ipynb file (nbformat's sorted, indented JSON and a final newline)."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def without_run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` without what running it adds: outputs, execution counts, cell timings."""
    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    return clean


def learner_changed(notebook: nbformat.NotebookNode) -> bool:
    """True when the cell sources differ from those recorded when the notebook was generated."""
    recorded = notebook.metadata.get("nnbook", {}).get("content_hash")
    return recorded != content_hash(notebook)


def notebooks_in(folder: pathlib.Path) -> list[pathlib.Path]:
    """The ``NN_slug.ipynb`` notebooks of ``folder``, sorted, without backups."""
    return sorted(path for path in pathlib.Path(folder).glob("*.ipynb") if BACKUP not in path.name)


def generate(solutions: pathlib.Path) -> dict[str, str]:
    """Every exercise notebook's file name and text, generated from the notebooks in ``solutions``."""
    generated = {}
    for path in notebooks_in(solutions):
        try:
            solution = nbformat.read(path, as_version=4)
        except Exception as error:   # noqa: BLE001  cut short, not UTF-8, a merge conflict: name the file
            raise SolutionError(f"{path} cannot be read as a notebook ({type(error).__name__}: {error}); repair "
                                f"it (git diff shows what changed) and run this again") from error
        generated[path.name] = render(exercise_notebook(solution, f"{path.parent.name}/{path.name}"))
    return generated


def backup_path(path: pathlib.Path) -> pathlib.Path:
    """A free name beside ``path`` for a learner's version: ``NN_slug.nnbook-backup.ipynb``, then ``-2``..."""
    for number in range(1, 10_000):
        suffix = BACKUP if number == 1 else f"{BACKUP}-{number}"
        candidate = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(f"too many backups of {path}")


def _solutions_or_none(solutions: pathlib.Path, say) -> dict[str, str] | None:
    """The generated exercises, or ``None`` after saying in one line why there are none."""
    solutions = pathlib.Path(solutions)
    if not solutions.is_dir() or not notebooks_in(solutions):
        say(f"error: no solution notebooks in {solutions}/: exercises are generated from solutions/NN_slug.ipynb "
            f"(run this in the course folder)")
        return None
    try:
        return generate(solutions)
    except SolutionError as error:
        say(f"error: {error}")
    except Exception as error:   # noqa: BLE001  an unreadable solution notebook
        say(f"error: a notebook in {solutions}/ cannot be read ({type(error).__name__}: {error})")
    return None


def build(solutions: pathlib.Path, exercises: pathlib.Path, *, force: bool = False, say=print) -> int:
    """Write ``exercises/`` from ``solutions/``; return 0, or 1 when a learner's notebook was kept as is or
    nothing could be written.

    For each notebook: created when missing; left alone when its sources already match (outputs from a
    run are kept, unless ``force``); replaced when the learner has not changed it; otherwise refused, or
    with ``force`` replaced after a backup.
    """
    generated = _solutions_or_none(solutions, say)
    if generated is None:
        return 1
    try:
        return _write(generated, pathlib.Path(exercises), force, say)
    except OSError as error:   # a read-only folder, a full disk: nothing of the learner's is lost
        say(f"error: cannot write in {exercises}/ ({error.strerror or type(error).__name__}: "
            f"{error.filename or exercises}); nothing was replaced. Make the folder writable and run it again.")
        return 1


def _write(generated: dict[str, str], exercises: pathlib.Path, force: bool, say) -> int:
    exercises.mkdir(parents=True, exist_ok=True)
    status = 0
    for name, text in generated.items():
        status |= place(exercises / name, text, force=force, say=say)
    return status


def place(path: pathlib.Path, text: str, *, force: bool = False, say=print,
          forced_by: str = "nnbook exercises build --force") -> int:
    """Put the notebook ``text`` at ``path`` without losing a learner's work; return 0, or 1 when it was kept.

    Created when missing; left alone when only outputs from a run differ (unless ``force``); replaced when the
    learner has not changed its cell sources since it was written (its ``nnbook.content_hash``); otherwise
    refused, or with ``force`` replaced after moving the learner's version to a backup beside it. The new
    file is written to a temporary name first, so a failed write leaves the old one in place. ``forced_by``
    is the command the refusal suggests.
    """
    if not path.exists():
        write_atomic(path, text)
        say(f"created   {path}")
        return 0
    old_bytes = path.read_bytes()
    if old_bytes == text.encode("utf-8"):
        say(f"unchanged {path}")
        return 0
    try:
        old = nbformat.reads(old_bytes.decode("utf-8"), as_version=4)
    except Exception:   # not a readable notebook (cut short, not UTF-8): treat it as the learner's
        old = None
    only_outputs = old is not None and render(without_run(old)) == render(without_run(nbformat.reads(text, 4)))
    if only_outputs and not force:
        say(f"unchanged {path} (only outputs from a run differ; kept)")
        return 0
    if old is not None and not only_outputs and not learner_changed(old):
        write_atomic(path, text)
        say(f"updated   {path}")
        return 0
    if not force:
        say(f"kept      {path}: you have changed it, so it was not replaced. To replace it with the new "
            f"version anyway, run `{forced_by}` (your version is then kept beside it as a backup).")
        return 1
    backup = backup_path(path)
    write_atomic(path, text, backup=backup)
    say(f"replaced  {path} (your version is in {backup})")
    return 0


def write_atomic(path: pathlib.Path, text: str, *, backup: pathlib.Path | None = None) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, so a full disk leaves ``path`` as it was;
    with ``backup``, the old file is moved there just before the new one takes its place."""
    temporary = path.with_name(f".{path.name}.nnbook-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        if backup is not None:
            path.rename(backup)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def check(solutions: pathlib.Path, exercises: pathlib.Path, *, say=print) -> int:
    """Return 0 when ``exercises/`` holds exactly what ``build`` would write from ``solutions/``, else 1,
    saying in one line per notebook what differs and what to do.

    A learner's own notebooks there (``Untitled.ipynb``, a ``-Copy1`` duplicate) are noted, not failures.
    """
    exercises = pathlib.Path(exercises)
    generated = _solutions_or_none(solutions, say)
    if generated is None:
        return 1
    problems = []
    for name, text in generated.items():
        path = exercises / name
        if not path.exists():
            problems.append(f"{path} is missing: `nnbook exercises build` writes it")
            continue
        if path.read_bytes() == text.encode("utf-8"):   # bytes: a file cut inside a character is not UTF-8
            continue
        try:
            old = nbformat.read(path, as_version=4)
        except Exception as error:   # noqa: BLE001  a truncated save, a merge conflict
            problems.append(f"{path} cannot be read as a notebook ({type(error).__name__}): "
                            f"`nnbook exercises build --force` replaces it, keeping it beside as a backup")
            continue
        if render(without_run(old)) == text:
            problems.append(f"{path} has outputs from a run (exercises are committed clean): "
                            f"`nnbook exercises build --force` rewrites it, keeping a backup")
        elif learner_changed(old):
            problems.append(f"{path} was edited by hand (exercises are generated from solutions/): "
                            f"`nnbook exercises build --force` regenerates it, keeping the edited one as a backup")
        else:
            problems.append(f"{path} is out of date with solutions/{name}: `nnbook exercises build` updates it")
    for path in notebooks_in(exercises):
        if path.name in generated:
            continue
        if COURSE_NAME.fullmatch(path.name):
            problems.append(f"{path} has no solution notebook in solutions/: delete it if that exercise was "
                            f"removed, or add solutions/{path.name}")
        else:
            say(f"note: {path} is not generated from solutions/ (left alone)")
    for problem in problems:
        say(problem)
    if problems:
        return 1
    say(f"exercises/ is up to date with solutions/ ({len(generated)} notebooks)")
    return 0
