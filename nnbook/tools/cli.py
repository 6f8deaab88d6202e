"""The ``nnbook`` command.

    nnbook execute [NOTEBOOK ...]    re-execute lessons and solutions, storing their outputs
    nnbook exercises build [--force] write exercises/ from solutions/ (never overwriting a learner's work)
    nnbook exercises check           fail when exercises/ is out of date with solutions/
    nnbook progress [NOTEBOOK ...]   the learner's report card: run each exercise notebook, list its checks
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys


def repo_root() -> pathlib.Path:
    """The course folder: the nearest folder, from the current one up, holding ``course/`` or ``solutions/``."""
    here = pathlib.Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "course").is_dir() or (folder / "solutions").is_dir():
            return folder
    raise SystemExit("nnbook: run this inside the course folder (no course/ or solutions/ found here or above)")


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
    from nnbook.tools import exercises, progress

    paths = args.notebooks or exercises.notebooks_in(repo_root() / "exercises")
    if not paths:
        print("nnbook progress: no exercise notebooks found", file=sys.stderr)
        return 1
    runs = progress.run(paths, timeout=args.timeout, say=lambda line: print(line, file=sys.stderr, flush=True))
    print(progress.report(runs))
    return 0


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

    progress = commands.add_parser(
        "progress", help="run each exercise notebook headless (unchanged on disk) and report its checks")
    progress.add_argument("notebooks", nargs="*", type=pathlib.Path,
                          help="exercise notebooks (default: exercises/*.ipynb)")
    progress.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    progress.set_defaults(handler=_progress)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nnbook`` command."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
