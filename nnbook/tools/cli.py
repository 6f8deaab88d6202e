"""The ``nnbook`` command.

    nnbook execute [NOTEBOOK ...]    re-execute lessons and solutions, storing their outputs
    nnbook exercises build [--force] write exercises/ from solutions/ (never overwriting a learner's work)
    nnbook exercises check           fail when exercises/ is out of date with solutions/
    nnbook tables [--check]          write README.md's and lesson 00's lesson tables from the course map
    nnbook progress [NOTEBOOK ...]   the learner's report card: run each exercise notebook, list its checks
    nnbook nbgrader FOLDER           write the exercises as an nbgrader course at FOLDER
    nnbook start [FOLDER]            copy the course into FOLDER (default ./nnbook-course), open JupyterLab
    nnbook start --here              copy the course into this folder unless it is already here (hosted notebooks)
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys


def repo_root() -> pathlib.Path:
    """The course folder, found from the current folder up; a one-line exit when there is none."""
    from nnbook.tools.course_map import course_folder

    try:
        return course_folder()
    except FileNotFoundError as error:
        raise SystemExit(f"nnbook: {error}") from None


def _execute(args: argparse.Namespace) -> int:
    from nnbook.tools.notebooks import execute_all

    root = repo_root()
    paths = args.notebooks or sorted([*root.glob("course/*.ipynb"), *root.glob("solutions/*.ipynb")])
    if not paths:
        print("nnbook execute: no notebooks found", file=sys.stderr)
        return 1
    execute_all(paths, jobs=args.jobs, timeout=args.timeout)
    return 0


def _folders() -> tuple[pathlib.Path, pathlib.Path]:
    """solutions/ and exercises/ of the course, relative to the current folder when inside it."""
    root = repo_root()
    here = pathlib.Path.cwd().resolve()
    if here == root or root in here.parents:
        root = pathlib.Path(os.path.relpath(root, here))
    return root / "solutions", root / "exercises"


def _exercises_build(args: argparse.Namespace) -> int:
    from nnbook.tools import exercises

    return exercises.build(*_folders(), force=args.force)


def _exercises_check(args: argparse.Namespace) -> int:
    from nnbook.tools import exercises

    return exercises.check(*_folders())


def _progress(args: argparse.Namespace) -> int:
    from nnbook.tools import progress

    missing = [str(path) for path in args.notebooks if not path.is_file()]
    if missing:
        print(f"nnbook progress: no notebook at {', '.join(missing)}", file=sys.stderr)
        return 2
    exercises = None if args.notebooks else repo_root() / "exercises"
    if exercises is not None and not exercises.is_dir():
        print(f"nnbook progress: no exercise notebooks found: {exercises} does not exist; "
              f"`nnbook exercises build` writes it", file=sys.stderr)
        return 1
    card = progress.run(args.notebooks or None, exercises=exercises, cell_timeout=args.timeout,
                        say=lambda line: print(line, file=sys.stderr, flush=True))
    print(card.text())
    return 0


def _tables(args: argparse.Namespace) -> int:
    from nnbook.tools import lesson_tables

    root = repo_root()
    try:
        changed = lesson_tables.update(root, write=not args.check)
    except (OSError, ValueError) as error:
        print(f"nnbook tables: {error}", file=sys.stderr)
        return 1
    if args.check and changed:
        for path in changed:
            print(f"{path}: its lesson table differs from the course map: run `nnbook tables`", file=sys.stderr)
        return 1
    for path in changed:
        print(f"wrote {path}")
    return 0


def _nbgrader(args: argparse.Namespace) -> int:
    from nnbook.tools import nbgrader_course

    solutions, _ = _folders()
    if not solutions.is_dir():
        print(f"nnbook nbgrader: no solutions/ folder in the course folder ({solutions})", file=sys.stderr)
        return 1
    try:
        written = nbgrader_course.write_course(solutions, args.folder, force=args.force)
    except nbgrader_course.CourseExists as error:
        print(f"nnbook nbgrader: {error}", file=sys.stderr)
        return 1
    except OSError as error:   # a file where the folder should be, or a read-only place
        print(f"nnbook nbgrader: could not write the course into {args.folder}: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    print(f"nbgrader course ready in {args.folder}: cd there and run `nbgrader generate_assignment NN_slug` for "
          f"each assignment (see README.md, 'A class with nbgrader')")
    return 0


def _start(args: argparse.Namespace) -> int:
    from nnbook.tools import start

    if args.here:
        if args.folder is not None:
            print("nnbook start: --here copies into the current folder: give no FOLDER with it", file=sys.stderr)
            return 2
        return 0 if start.fetch_here(".", say=lambda line: print(line, flush=True)) is not None else 1
    return start.start(args.folder or start.DEFAULT_FOLDER, lab=not args.no_lab, port=args.port, force=args.force,
                       lab_args=args.lab_args, say=lambda line: print(line, flush=True))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``nnbook`` command, one sub-command per task."""
    parser = argparse.ArgumentParser(prog="nnbook", description="Tools for the nnbook course.")
    commands = parser.add_subparsers(dest="command", required=True)

    execute = commands.add_parser(
        "execute", help="re-execute notebooks in a fresh kernel and store their outputs deterministically")
    execute.add_argument("notebooks", nargs="*", type=pathlib.Path,
                         help="notebooks to execute (default: course/*.ipynb and solutions/*.ipynb)")
    execute.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    execute.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    execute.set_defaults(handler=_execute)

    exercises = commands.add_parser("exercises", help="generate exercises/ from solutions/, or check it")
    tasks = exercises.add_subparsers(dest="task", required=True)
    build = tasks.add_parser("build", help="write exercises/ from solutions/; a notebook its learner has "
                                           "changed is kept unless --force")
    build.add_argument("--force", action="store_true",
                       help="replace notebooks a learner has changed too, keeping a backup beside each")
    build.set_defaults(handler=_exercises_build)
    check = tasks.add_parser("check", help="exit 1 when exercises/ differs from what build would write")
    check.set_defaults(handler=_exercises_check)

    tables = commands.add_parser(
        "tables", help="write README.md's and lesson 00's lesson tables from nnbook/tools/course_map.py")
    tables.add_argument("--check", action="store_true", help="change nothing; exit 1 when a table is out of date")
    tables.set_defaults(handler=_tables)

    progress = commands.add_parser(
        "progress", help="run each exercise notebook headless (unchanged on disk) and report its checks")
    progress.add_argument("notebooks", nargs="*", type=pathlib.Path,
                          help="notebooks to run (default: the course's exercise notebooks in exercises/)")
    progress.add_argument("--timeout", type=int, default=20,
                          help="seconds a cell may run before it is stopped (default 20)")
    progress.set_defaults(handler=_progress)

    classroom = commands.add_parser(
        "nbgrader", help="write an nbgrader course (config and source/<NN_slug>/ per exercise notebook) at FOLDER")
    classroom.add_argument("folder", type=pathlib.Path, help="the nbgrader course folder to write")
    classroom.add_argument("--force", action="store_true",
                           help="rewrite the config and source/ of a course that has a gradebook (grades are kept)")
    classroom.set_defaults(handler=_nbgrader)

    opening = commands.add_parser(
        "start", allow_abbrev=False,
        help="copy the course (lessons, exercises, solutions) into FOLDER and open lesson 00 in JupyterLab",
        description="Copy the course into FOLDER, never replacing a notebook you changed, then open lesson 00 in "
                    "JupyterLab. Options it does not know (--no-browser, --ServerApp.ip=...) go to JupyterLab.")
    opening.add_argument("folder", nargs="?", default=None, type=pathlib.Path,
                         help="where the course goes (default ./nnbook-course; `.` in a clone of the course)")
    opening.add_argument("--no-lab", action="store_true", help="copy the course only; do not start JupyterLab")
    opening.add_argument("--here", action="store_true",
                         help="copy the course into the current folder unless a course folder is already here or "
                              "above, and start no JupyterLab (a hosted notebook: `!nnbook start --here`)")
    opening.add_argument("--port", type=int, default=8888, help="JupyterLab's port (default 8888)")
    opening.add_argument("--force", action="store_true",
                         help="replace notebooks you changed too, keeping your version beside each as a backup")
    opening.set_defaults(handler=_start, lab_args=[])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nnbook`` command."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command != "start":   # only `start` passes options on (to JupyterLab)
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if unknown:
        args.lab_args = [argument for argument in unknown if argument != "--"]
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
