"""`nnbook start`: the course copied out of the package into a folder, never over a learner's changes."""

from __future__ import annotations

import json
import pathlib
import re

import nbformat
import pytest
from nbformat.sign import NotebookNotary

from nnbook.tools import cli, start
from nnbook.tools.exercises import COURSE_NAME

ROOT = pathlib.Path(__file__).resolve().parents[2]


def numbered(folder: pathlib.Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.ipynb") if COURSE_NAME.fullmatch(path.name))


@pytest.fixture
def copied(tmp_path, monkeypatch):
    """The course copied into tmp_path/course-copy, trusted in a private notary database."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    lines = []
    assert start.start(tmp_path / "course-copy", lab=False, say=lines.append) == 0
    return tmp_path / "course-copy", lines


def test_the_source_is_this_checkout_in_an_editable_install():
    assert start.course_source() == ROOT


def test_every_numbered_notebook_of_the_three_folders_is_copied(copied):
    target, lines = copied
    for folder in start.FOLDERS:
        assert numbered(target / folder) == numbered(ROOT / folder), folder
    total = sum(len(numbered(ROOT / folder)) for folder in start.FOLDERS)
    assert f"{total} notebooks added, 0 updated, 0 already there" in lines[-2]


def test_the_copies_keep_the_cells_and_outputs_and_record_their_hash(copied):
    target, _ = copied
    for folder in start.FOLDERS:
        for name in numbered(ROOT / folder):
            original = nbformat.read(ROOT / folder / name, 4)
            copy = nbformat.read(target / folder / name, 4)
            assert [(c.cell_type, c.source, c.get("outputs")) for c in copy.cells] == \
                   [(c.cell_type, c.source, c.get("outputs")) for c in original.cells]
            assert "content_hash" in copy.metadata["nnbook"]


def test_the_lessons_links_to_exercises_and_solutions_resolve_in_the_copy(copied):
    target, _ = copied
    links = 0
    for path in (target / "course").glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for link in re.findall(r"\]\((\.\./(?:exercises|solutions)/[^)#\s]+\.ipynb)", cell.source):
                assert (path.parent / link).resolve().is_file(), f"{path.name}: {link}"
                links += 1
    assert links >= 10


def test_the_copied_notebooks_are_trusted(copied):
    target, _ = copied
    notary = NotebookNotary()
    for folder in start.FOLDERS:
        for name in numbered(target / folder):
            assert notary.check_signature(nbformat.read(target / folder / name, 4)), f"{folder}/{name}"


def test_a_second_run_changes_nothing_and_keeps_run_outputs(copied):
    target, _ = copied
    exercise = target / "exercises" / "03_loss_functions.ipynb"
    notebook = nbformat.read(exercise, 4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    code[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nbformat.write(notebook, exercise)
    ran = exercise.read_bytes()
    lines = []
    assert start.start(target, lab=False, say=lines.append) == 0
    assert exercise.read_bytes() == ran
    assert re.search(r"0 notebooks added, 0 updated, \d+ already there$", lines[-2])


def test_a_lesson_the_learner_changed_is_kept_and_force_keeps_a_backup(copied):
    target, _ = copied
    lesson = target / "course" / "03_loss_functions.ipynb"
    notebook = nbformat.read(lesson, 4)
    notebook.cells[0].source += "\n\nMy own note."
    nbformat.write(notebook, lesson)
    mine = lesson.read_bytes()

    lines = []
    assert start.start(target, lab=False, say=lines.append) == 0
    assert lesson.read_bytes() == mine
    kept = [line for line in lines if line.startswith("kept")]
    assert len(kept) == 1 and f"nnbook start {target} --force" in kept[0]
    assert "1 you changed were kept" in lines[-2]

    lines = []
    assert start.start(target, lab=False, force=True, say=lines.append) == 0
    backup = lesson.with_name("03_loss_functions.nnbook-backup.ipynb")
    assert backup.read_bytes() == mine
    assert lesson.read_bytes() != mine and "My own note." not in lesson.read_text()
    assert any(line.startswith("replaced") and str(backup) in line for line in lines)


def test_a_deleted_notebook_comes_back_and_the_learners_own_files_stay(copied):
    target, _ = copied
    (target / "exercises" / "02_labels_and_one_hot.ipynb").unlink()
    (target / "exercises" / "Untitled.ipynb").write_text("my scratch")
    lines = []
    start.start(target, lab=False, say=lines.append)
    assert (target / "exercises" / "02_labels_and_one_hot.ipynb").is_file()
    assert (target / "exercises" / "Untitled.ipynb").read_text() == "my scratch"
    assert "1 notebooks added" in lines[-2]


def test_a_file_in_the_folders_place_is_a_one_line_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    lines = []
    assert start.start(target, lab=False, say=lines.append) == 1
    assert lines == [f"nnbook start: {target} is a file, not a folder: give a folder for the course "
                     f"(default ./nnbook-course)"]


def test_an_unwritable_folder_is_a_one_line_error(tmp_path):
    target = tmp_path / "inside-a-file"
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "course"
    lines = []
    assert start.start(target, lab=False, say=lines.append) == 1
    assert len(lines) == 1 and lines[0].startswith(f"nnbook start: could not write the course into {target}")


def test_the_lab_settings_are_merged_into_the_prefixs_overrides(tmp_path):
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    assert start.install_lab_settings(tmp_path) == path
    merged = json.loads(path.read_text())
    ours = json.loads(start.LAB_SETTINGS.read_text())
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    for plugin, values in ours.items():
        assert merged[plugin].items() >= values.items()


def test_the_lab_command_is_offline_rooted_at_the_folder_and_keeps_its_port(tmp_path):
    command = start.lab_command(tmp_path, port=8123, token="abc", extra=["--no-browser"])
    assert command[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command and "--port=8123" in command
    assert "--port-retries=0" in command and "--IdentityProvider.token=abc" in command
    assert set(start.OFFLINE) <= set(command) and command[-1] == "--no-browser"
    assert start.lesson_address(8123, "abc") == \
        "http://localhost:8123/lab/tree/course/00_start_here.ipynb?token=abc"


def test_only_start_passes_unknown_options_on(capsys):
    args, unknown = cli.build_parser().parse_known_args(["start", "d", "--no-lab", "--", "--ServerApp.ip=x"])
    assert args.folder == pathlib.Path("d") and args.no_lab and unknown[-1] == "--ServerApp.ip=x"
    with pytest.raises(SystemExit):
        cli.main(["progress", "--ServerApp.ip=x"])
    assert "unrecognized arguments: --ServerApp.ip=x" in capsys.readouterr().err


# ----- without JupyterLab, and the hosted route (a notebook opened alone, as on Colab) ---------------------------
def test_start_without_jupyterlab_copies_the_course_and_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setattr(start, "has_lab", lambda: False)
    lines = []
    assert start.start(tmp_path / "copy", say=lines.append) == 1
    assert numbered(tmp_path / "copy" / "exercises") == numbered(ROOT / "exercises")
    assert 'the course is copied, but JupyterLab is not installed' in lines[-1]
    assert '`pip install "nnbook[lab]"` adds it' in lines[-1] and "nnbook start" in lines[-1]


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A folder that holds nothing of the course, as the current folder (Colab's /content)."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    folder = tmp_path / "content"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_here_copies_the_course_beside_the_notebook_and_moves_into_its_folder(bare):
    lines = []
    assert start.here("exercises", say=lines.append) == bare.resolve()
    for folder in start.FOLDERS:
        assert numbered(bare / folder) == numbered(ROOT / folder), folder
    assert pathlib.Path.cwd() == (bare / "exercises").resolve()
    moved = (bare / "exercises").resolve()
    assert lines[-1] == f"nnbook: this notebook now works in {moved}, as it would in JupyterLab"
    assert NotebookNotary().check_signature(nbformat.read(bare / "course" / "03_loss_functions.ipynb", 4))


def test_here_a_second_time_copies_nothing_and_stays_in_the_folder(bare):
    start.here("exercises", say=lambda line: None)
    exercise = bare / "exercises" / "05_backpropagation.ipynb"
    exercise.write_text(exercise.read_text().replace("# YOUR CODE HERE", "# mine", 1))
    mine = exercise.read_bytes()
    lines = []
    assert start.here("exercises", say=lines.append) == bare.resolve()
    assert lines == [f"nnbook: the course is already here, in {bare.resolve()}: nothing to copy"]
    assert pathlib.Path.cwd() == (bare / "exercises").resolve() and exercise.read_bytes() == mine


def test_here_in_a_clone_changes_nothing(monkeypatch):
    # JupyterLab runs a notebook of course/ in course/: the first cell must not copy the course into it.
    monkeypatch.chdir(ROOT / "course")
    lines = []
    assert start.here("course", say=lines.append) == ROOT
    assert lines == [f"nnbook: the course is already here, in {ROOT}: nothing to copy"]
    assert pathlib.Path.cwd() == ROOT / "course" and not (ROOT / "course" / "course").exists()


def test_here_into_another_folder_copies_there_and_moves_the_kernel_there(bare, tmp_path):
    drive = tmp_path / "drive" / "nnbook"          # Colab: a folder of the learner's Google Drive
    start.here("course", into=drive, say=lambda line: None)
    assert numbered(drive / "course") == numbered(ROOT / "course") and not (bare / "course").exists()
    assert pathlib.Path.cwd() == (drive / "course").resolve()


def test_here_refuses_a_folder_that_is_not_the_courses(bare):
    with pytest.raises(ValueError, match=r"folder must be one of 'course', 'exercises', 'solutions'.*got 'lessons'"):
        start.here("lessons")
    with pytest.raises(TypeError, match="into must be a folder's path, got int"):
        start.here("course", into=3)
    assert list(bare.iterdir()) == []


def test_here_says_when_the_course_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.chdir(tmp_path)
    lines = []
    with pytest.raises(OSError, match="the course could not be copied into"):
        start.here("course", into=tmp_path / "file" / "nnbook", say=lines.append)
    assert lines[0].startswith(f"nnbook: could not copy the course into {tmp_path / 'file' / 'nnbook'}")


def test_the_first_cell_is_ipython_guards_the_install_and_is_the_readmes(bare):
    from IPython.core.inputtransformer2 import TransformerManager

    cell = start.first_cell("exercises")
    python = TransformerManager().transform_cell(cell)
    compile(python, "first cell", "exec")
    assert "get_ipython().run_line_magic('pip', 'install --quiet \"nnbook @ git+https://github.com/nnbook/nnbook\"')" \
        in python
    assert python.index("except ImportError:") < python.index("run_line_magic") < python.index('here("exercises")')
    assert f"```python\n{cell}\n```" in (ROOT / "README.md").read_text()
    with pytest.raises(ValueError, match="got 'lesson'"):
        start.first_cell("lesson")


def test_start_here_copies_into_the_current_folder_once(bare, capsys):
    assert cli.main(["start", "--here"]) == 0
    assert numbered(bare / "solutions") == numbered(ROOT / "solutions")
    assert "notebooks added" in capsys.readouterr().out
    assert cli.main(["start", "--here"]) == 0
    assert "the course is already here" in capsys.readouterr().out
    assert cli.main(["start", "elsewhere", "--here"]) == 2
    assert "give no FOLDER with it" in capsys.readouterr().err and not (bare / "elsewhere").exists()


def test_start_with_no_folder_copies_into_the_default_folder(bare, capsys):
    assert cli.main(["start", "--no-lab"]) == 0
    assert numbered(bare / start.DEFAULT_FOLDER / "course") == numbered(ROOT / "course")
    assert f"Open it with `nnbook start {start.DEFAULT_FOLDER}`." in capsys.readouterr().out
