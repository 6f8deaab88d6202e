"""Reusing the learner's own functions from another exercise notebook: ``checks.functions_from``.

Lesson 06's capstone trains a network with the ``dense_forward``, ``dense_backward``, ... that the learner
wrote in exercise notebook 05. :func:`functions_from` reads that notebook as saved, runs only the cells that
import something or define a wanted function, in a namespace of their own, and hands the functions back.
"""

from __future__ import annotations

import ast
import json
import linecache
import os
import pathlib
import re

__all__ = ["functions_from"]


def functions_from(notebook, *names):
    """The functions ``names`` as defined in the exercise notebook ``notebook``, in the order asked.

    It reads the SAVED file: save the other notebook first (Ctrl+S in JupyterLab), or its last changes are
    not seen. ``notebook`` is a path relative to the current folder (in JupyterLab, the folder of the
    notebook you are in), or an absolute path. The notebook's import cells and the cells that define a
    wanted function (``def name(``) run in a fresh namespace, top to bottom; its other cells (try-it cells,
    check cells, plots) do not run. A function that still raises ``NotImplementedError`` comes back as it
    is, so a later check can say that it is not written yet.

    Returns one function for one name, else a tuple in the order of ``names``::

        dense_forward, dense_backward = checks.functions_from("05_backpropagation.ipynb",
                                                              "dense_forward", "dense_backward")

    Raises FileNotFoundError (no such notebook), ValueError (not a readable notebook), NameError (a name no
    cell defines), RuntimeError (a cell failed while defining) and TypeError (arguments of the wrong kind).
    """
    if not isinstance(notebook, (str, os.PathLike)):
        raise TypeError(f"notebook must be the notebook's file name as a string, such as "
                        f"'05_backpropagation.ipynb', got {type(notebook).__name__}")
    if not names:
        raise TypeError("functions_from needs at least one function name after the notebook, such as "
                        "functions_from('05_backpropagation.ipynb', 'dense_forward')")
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"names must be function names as strings, such as 'dense_forward', got {name!r}")
    path = _find(pathlib.Path(notebook))
    cells = _code_cells(path)
    defining = {name: [number for number, source in cells if _defines(source, name)] for name in names}
    missing = [name for name in names if not defining[name]]
    if missing:
        listed = ", ".join(missing)
        raise NameError(f"{listed} {'is' if len(missing) == 1 else 'are'} not defined in {path}: no cell there "
                        f"starts a line with 'def {missing[0]}('. Check the spelling, and save that notebook "
                        f"(Ctrl+S) after writing the function.")
    to_run = {number for numbers in defining.values() for number in numbers}
    namespace = {"__name__": path.stem}
    for number, source in cells:
        if number in to_run or _is_import_cell(source):
            _run_cell(path, number, source, namespace)
    functions = []
    for name in names:
        if not callable(namespace.get(name)):
            raise NameError(f"cell {defining[name][-1]} of {path} ran, but left no function named {name}")
        functions.append(namespace[name])
    return functions[0] if len(functions) == 1 else tuple(functions)


def _find(path: pathlib.Path) -> pathlib.Path:
    """The notebook's path, with ``.ipynb`` added when the name was given without it."""
    if not path.exists() and path.suffix != ".ipynb" and path.with_name(path.name + ".ipynb").exists():
        path = path.with_name(path.name + ".ipynb")
    if not path.is_file():
        where = path if path.is_absolute() else f"{path} (looked for in {pathlib.Path.cwd()})"
        raise FileNotFoundError(f"no notebook {where}. Give its file name as it is in the file browser, and "
                                f"save it first (Ctrl+S in JupyterLab): functions_from reads the saved file.")
    return path


def _code_cells(path: pathlib.Path) -> list[tuple[int, str]]:
    """(number, source) of each code cell, numbered from 1 among all the notebook's cells, as the
    notebook shows them from the top."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        found = [(number, _text(cell.get("source", ""))) for number, cell in enumerate(cells, 1)
                 if cell.get("cell_type") == "code"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path} is not a notebook that can be read ({type(error).__name__}: {error}). "
                         f"Open it in JupyterLab and save it again (Ctrl+S).") from None
    return found


def _text(source) -> str:
    if isinstance(source, list):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise TypeError(f"a cell's source is {type(source).__name__}")


def _defines(source: str, name: str) -> bool:
    """True when a line of the cell starts defining ``name`` at the top level: ``def name(``."""
    return re.search(rf"^def\s+{re.escape(name)}\s*\(", source, flags=re.MULTILINE) is not None


def _python(source: str) -> str:
    """The cell's code without IPython's ``%magic`` and ``!shell`` lines (they are not Python)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _statements(source: str) -> list[ast.stmt] | None:
    try:
        return ast.parse(_python(source)).body
    except (SyntaxError, ValueError):
        return None


def _is_import_cell(source: str) -> bool:
    """True for a cell that only imports (comments, blank lines and magics aside)."""
    statements = _statements(source)
    return bool(statements) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in statements)


def _run_cell(path: pathlib.Path, number: int, source: str, namespace: dict) -> None:
    """Run one cell in ``namespace``; its lines show in tracebacks under ``<notebook> cell <number>``."""
    filename = f"{path.name}, cell {number}"
    code_text = _python(source)
    linecache.cache[filename] = (len(code_text), None, code_text.splitlines(keepends=True), filename)
    try:
        code = compile(code_text, filename, "exec")
    except SyntaxError as error:
        raise RuntimeError(f"cell {number} of {path} (counting every cell from the top) does not run: "
                           f"SyntaxError on its line {error.lineno}: {error.msg}. Fix it there, run it, and save "
                           f"the notebook (Ctrl+S).") from None
    try:
        exec(code, namespace)
    except Exception as error:   # noqa: BLE001  the learner's cell: say which one failed and how
        first = next((line for line in source.splitlines() if line.strip()), "")
        raise RuntimeError(f"cell {number} of {path} (counting every cell from the top; it starts "
                           f"{first.strip()!r}) raised {type(error).__name__}: {error}. Fix it there, run it, "
                           f"and save the notebook (Ctrl+S).") from error
