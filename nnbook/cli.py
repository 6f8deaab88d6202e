"""The ``nnbook`` command.

    nnbook execute [NOTEBOOK ...]    re-execute lessons and solutions, storing their outputs
"""

from __future__ import annotations

import argparse
import pathlib
import sys


def repo_root() -> pathlib.Path:
    """The course folder: the nearest folder above the current one holding ``course/``."""
    here = pathlib.Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "course").is_dir():
            return folder
    raise SystemExit("nnbook: run this inside the course folder (no course/ found here or above)")


def _execute(args: argparse.Namespace) -> int:
    from nnbook.notebooks import execute_all

    root = repo_root()
    paths = args.notebooks or sorted([*root.glob("course/*.ipynb"), *root.glob("solutions/*.ipynb")])
    if not paths:
        print("nnbook execute: no notebooks found", file=sys.stderr)
        return 1
    execute_all(paths, jobs=args.jobs, timeout=args.timeout)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nnbook`` command."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
