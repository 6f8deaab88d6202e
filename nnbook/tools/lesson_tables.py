"""``nnbook tables``: README.md's lesson table and lesson 00's, written from the course map.

Each table is the block of ``|`` lines under the heading ``## The lessons`` (in README.md, and in the markdown
cell of ``course/00_start_here.ipynb`` that starts with that heading). Only that block is rewritten; the text
around it is the authors'. ``nnbook tables --check`` changes nothing and fails when a table is out of date.
"""

from __future__ import annotations

import pathlib

import nbformat

from nnbook.tools import course_map
from nnbook.tools.exercises import write_atomic

HEADING = "## The lessons"


def readme_table() -> list[str]:
    """README.md's lesson table, one line per row: links into ``course/``, the checks by name."""
    rows = ["| # | lesson | what you learn | exercises |", "|---|---|---|---|"]
    for lesson in course_map.LESSONS:
        checks = ", ".join(f"`{name}`" for name in lesson.checks) or "-"
        rows.append(f"| {lesson.number} | [{lesson.title}]({course_map.notebook(lesson).as_posix()}) | "
                    f"{lesson.summary} | {checks} |")
    return rows


def start_here_table() -> list[str]:
    """Lesson 00's lesson table: links beside the lesson (it lives in ``course/``), one link per exercise."""
    rows = ["| # | lesson | what you learn | exercises |", "|---|---|---|---|"]
    for lesson in course_map.LESSONS:
        exercises = (f"[{lesson.number}](../{course_map.notebook(lesson, 'exercises').as_posix()})"
                     if lesson.checks else "-")
        rows.append(f"| {lesson.number} | [{lesson.number} · {lesson.title}]({lesson.stem}.ipynb) | "
                    f"{lesson.summary} | {exercises} |")
    return rows


def with_table(text: str, table: list[str], where: str) -> str:
    """``text`` with the ``|`` block under its ``## The lessons`` line replaced by ``table``.

    Raises ValueError naming ``where`` when the heading or the block under it is missing.
    """
    lines = text.split("\n")
    if HEADING not in lines:
        raise ValueError(f"{where} has no line '{HEADING}': the lesson table belongs under it")
    start = lines.index(HEADING) + 1
    while start < len(lines) and not lines[start].startswith("|"):
        if lines[start].startswith("#"):
            raise ValueError(f"{where} has no table (lines starting with '|') under '{HEADING}'")
        start += 1
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    if start == end:
        raise ValueError(f"{where} has no table (lines starting with '|') under '{HEADING}'")
    return "\n".join([*lines[:start], *table, *lines[end:]])


def _start_here_cell(notebook, where: str):
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(HEADING):
            return cell
    raise ValueError(f"{where} has no markdown cell starting with '{HEADING}'")


def update(root: str | pathlib.Path, *, write: bool = True) -> list[pathlib.Path]:
    """Bring both tables under the course folder ``root`` up to date with the course map.

    Returns the files that were (with ``write=False``: that would be) changed; ``[]`` when both are current.
    """
    root = pathlib.Path(root)
    stale = []
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = with_table(text, readme_table(), str(readme))
    if new != text:
        stale.append(readme)
        if write:
            write_atomic(readme, new)
    start_here = root / course_map.notebook(course_map.LESSONS[0])
    notebook = nbformat.reads(start_here.read_text(encoding="utf-8"), as_version=4)
    cell = _start_here_cell(notebook, str(start_here))
    text = cell.source
    new = with_table(text, start_here_table(), str(start_here))
    if new != text:
        stale.append(start_here)
        if write:
            cell["source"] = new
            write_atomic(start_here, nbformat.writes(notebook) + "\n")
    return stale
