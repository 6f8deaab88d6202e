"""The course installed like software: the wheel `make test` builds from the sdist, installed (not editable) in
`.venv-installed`, used from a folder outside the repository exactly as the README's pip route says.

One copy of the course, made by the installed `nnbook start --no-lab`, serves every test here: the solutions
pass every check on the report card, `exercises check` finds the exercises in step, `nnbook nbgrader` exports
the same classroom as the repository's solutions give, a lesson runs in a kernel, and `nnbook start` serves
lesson 00.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import tarfile
import zipfile

import nbformat
import pytest
from lab_server import free_port, http_get, wait_until_up

from nnbook.tools import course_map, nbgrader_course
from nnbook.tools.exercises import COURSE_NAME

REPO = pathlib.Path(__file__).resolve().parents[2]
INSTALLED = REPO / ".venv-installed" / "bin"
DIST = REPO / "build" / "dist"

pytestmark = pytest.mark.skipif(not (INSTALLED / "nnbook").exists(),
                                reason="the installed course .venv-installed is missing: `make test` builds it")


def tracked(*folders: str) -> set[str]:
    return set(subprocess.run(["git", "ls-files", *folders], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.split())


def installed(*command: str, cwd: pathlib.Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """A command of the installed environment, run in ``cwd`` with that environment first on the PATH."""
    env = dict(os.environ, PATH=f"{INSTALLED}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(INSTALLED / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def only(pattern: str) -> pathlib.Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {found}"
    return found[0]


def test_the_wheel_holds_every_file_of_the_package_and_every_course_notebook():
    names = {name for name in zipfile.ZipFile(only("*.whl")).namelist() if not name.split("/")[0].endswith(
        ".dist-info")}
    notebooks = {f"nnbook/notebooks/{path}" for path in tracked("course", "exercises", "solutions")
                 if COURSE_NAME.fullmatch(pathlib.PurePosixPath(path).name)}
    assert names == tracked("nnbook") | notebooks


def test_the_sdist_holds_every_file_of_the_repository():
    with tarfile.open(only("*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert tracked() <= names, sorted(tracked() - names)


def test_the_installed_nnbook_is_not_editable_and_is_this_working_tree(tmp_path):
    result = installed("python", "-c", "import nnbook; print(nnbook.__file__)", cwd=tmp_path)
    package = pathlib.Path(result.stdout.strip()).parent
    assert "site-packages" in package.parts and REPO / ".venv-installed" in package.parents
    for name in tracked("nnbook"):
        assert (package.parent / name).read_bytes() == (REPO / name).read_bytes(), \
            f"{name} differs from the working tree: the wheel is stale (make test rebuilds it)"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course copied by the installed `nnbook start --no-lab`, from a folder outside the repository."""
    home = tmp_path_factory.mktemp("learner")
    result = installed("nnbook", "start", "--no-lab", cwd=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks added" in result.stdout
    return home / "nnbook-course"


def test_start_copies_the_three_folders_outside_the_repository(course):
    for folder in ("course", "exercises", "solutions"):
        assert sorted(path.name for path in (course / folder).glob("*.ipynb")) == \
               sorted(pathlib.PurePosixPath(path).name for path in tracked(folder)
                      if COURSE_NAME.fullmatch(pathlib.PurePosixPath(path).name))


def test_every_check_passes_on_the_solutions_of_the_copy(course):
    # The fresh exercises' card (every check "not attempted") is tests/system/test_progress_kernel.py's.
    every = sum(len(lesson.checks) for lesson in course_map.LESSONS)
    solved = installed("nnbook", "progress", *sorted(str(p.relative_to(course)) for p in
                                                      (course / "solutions").glob("*.ipynb")), cwd=course)
    assert solved.returncode == 0, solved.stderr[-2000:]
    assert f"Total: {every} of {every} exercises passed ({every} passed)." in solved.stdout, solved.stdout


def test_exercises_check_finds_the_copied_exercises_in_step(course):
    result = installed("nnbook", "exercises", "check", cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr


def cells(notebook: pathlib.Path) -> list:
    return [(cell.cell_type, cell.source, cell.metadata.get("nbgrader")) for cell in nbformat.read(notebook, 4).cells]


def test_nbgrader_exports_the_copy_as_the_repository_exports_its_solutions(course, tmp_path):
    # Real nbgrader grades such an export in tests/system/test_nbgrader.py; here the installed command, run in
    # the learner's copy, must write the same classroom.
    exported = installed("nnbook", "nbgrader", "../class", cwd=course)
    assert exported.returncode == 0, exported.stderr
    classroom = course.parent / "class"
    nbgrader_course.write_course(REPO / "solutions", tmp_path / "class")
    ours = {p.relative_to(tmp_path / "class") for p in (tmp_path / "class").rglob("*") if p.is_file()}
    theirs = {p.relative_to(classroom) for p in classroom.rglob("*") if p.is_file()}
    assert theirs == ours and any(p.suffix == ".ipynb" for p in ours)
    for name in sorted(ours):
        if name.suffix == ".ipynb":
            assert cells(classroom / name) == cells(tmp_path / "class" / name), name
        elif name.name != nbgrader_course.MANIFEST:
            assert (classroom / name).read_bytes() == (tmp_path / "class" / name).read_bytes(), name


def test_a_lesson_runs_in_a_kernel_of_the_installed_course(course):
    lesson = "course/03_loss_functions.ipynb"
    result = installed("nnbook", "execute", lesson, cwd=course, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    text = "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                   for cell in nbformat.read(course / lesson, 4).cells for output in cell.get("outputs", []))
    assert "0.6638" in text


def test_start_serves_lesson_00_of_the_copy_on_localhost(course, tmp_path):
    port = free_port()
    env = dict(os.environ, PATH=f"{INSTALLED}{os.pathsep}{os.environ['PATH']}")
    process = subprocess.Popen(
        [str(INSTALLED / "nnbook"), "start", str(course), "--port", str(port), "--no-browser",
         "--ServerApp.ip=127.0.0.1", f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lab = wait_until_up(process, port)
        assert lab.lesson == "course/00_start_here.ipynb"
        status, body = http_get(f"{lab.base}/api/contents/{lab.lesson}?token={lab.token}")
        assert status == 200 and json.loads(body)["type"] == "notebook"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
