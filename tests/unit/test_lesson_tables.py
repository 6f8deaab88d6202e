"""``nnbook tables``: README.md's and lesson 00's lesson tables are written from the course map."""

from __future__ import annotations

import pathlib
import shutil

import nbformat
import pytest

from nnbook.tools import cli, course_map, lesson_tables

ROOT = pathlib.Path(__file__).resolve().parents[2]


def copy_of_the_tables(tmp_path) -> pathlib.Path:
    """A course folder holding only README.md and lesson 00, copied from the repo."""
    (tmp_path / "course").mkdir()
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copy(ROOT / "course" / "00_start_here.ipynb", tmp_path / "course" / "00_start_here.ipynb")
    return tmp_path


def test_the_repos_tables_are_what_the_map_writes(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli.main(["tables", "--check"]) == 0, capsys.readouterr().err
    assert lesson_tables.update(ROOT, write=False) == []


def test_every_lesson_has_one_row_with_its_summary_and_checks():
    readme, start_here = lesson_tables.readme_table(), lesson_tables.start_here_table()
    assert len(readme) == len(start_here) == len(course_map.LESSONS) + 2     # header, separator, one row each
    for lesson, readme_row, start_row in zip(course_map.LESSONS, readme[2:], start_here[2:]):
        assert readme_row.startswith(f"| {lesson.number} | [{lesson.title}](course/{lesson.stem}.ipynb) |")
        assert start_row.startswith(f"| {lesson.number} | [{lesson.number} · {lesson.title}]({lesson.stem}.ipynb) |")
        assert f"| {lesson.summary} |" in readme_row and f"| {lesson.summary} |" in start_row
        assert readme_row.endswith(" | " + (", ".join(f"`{name}`" for name in lesson.checks) or "-") + " |")


def test_a_stale_row_is_rewritten_and_the_text_around_the_tables_is_kept(tmp_path, monkeypatch, capsys):
    folder = copy_of_the_tables(tmp_path)
    readme = folder / "README.md"
    readme.write_text(readme.read_text().replace("`sse`, `mse`", "`sse`"))
    notebook = folder / "course" / "00_start_here.ipynb"
    start_here = nbformat.read(notebook, as_version=4)
    table_cell = next(cell for cell in start_here.cells if cell.source.startswith(lesson_tables.HEADING))
    table_cell.source = table_cell.source.replace("| 03 |", "| 3 |") + "\n| 12 | [a lesson](12_x.ipynb) | x | - |"
    nbformat.write(start_here, notebook)
    monkeypatch.chdir(folder)

    assert cli.main(["tables", "--check"]) == 1
    err = capsys.readouterr().err
    assert "README.md: its lesson table differs" in err and "00_start_here.ipynb: its lesson table differs" in err
    assert "`sse`, `mse`" not in readme.read_text()            # --check changed nothing

    assert cli.main(["tables"]) == 0
    assert readme.read_text() == (ROOT / "README.md").read_text()
    rewritten = nbformat.read(notebook, as_version=4)
    original = nbformat.read(ROOT / "course" / "00_start_here.ipynb", as_version=4)
    assert [cell.source for cell in rewritten.cells] == [cell.source for cell in original.cells]
    assert cli.main(["tables", "--check"]) == 0


def test_a_file_without_the_lessons_heading_is_named(tmp_path, monkeypatch, capsys):
    folder = copy_of_the_tables(tmp_path)
    (folder / "README.md").write_text("# nnbook\n\nno table here\n")
    monkeypatch.chdir(folder)
    assert cli.main(["tables"]) == 1
    assert "README.md has no line '## The lessons'" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["## The lessons\n\ntext only\n", "## The lessons\n\n## Next\n| a |\n"])
def test_a_heading_without_a_table_under_it_is_a_value_error(text):
    with pytest.raises(ValueError, match="has no table"):
        lesson_tables.with_table(text, ["| x |"], "README.md")
