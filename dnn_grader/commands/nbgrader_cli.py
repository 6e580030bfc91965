"""Running nbgrader's commands from Python, in the same environment as this interpreter.

nbgrader itself runs tools by name (`alembic` when it opens a gradebook), so the
environment's bin/ folder goes first on PATH even when it is not activated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def environment(**extra: str) -> dict[str, str]:
    """os.environ with this environment's bin/ first on PATH, plus `extra`."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def command(*args: str) -> list[str]:
    """["/path/to/nbgrader", *args], from this environment when it has nbgrader."""
    executable = BIN / "nbgrader"
    return [str(executable) if executable.exists() else "nbgrader", *args]


def run(course_root: Path | str, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """`nbgrader *args` in the course root; output captured as text."""
    return subprocess.run(command(*args), cwd=course_root, capture_output=True, text=True,
                          env=environment(**extra_env))


def run_checked(course_root: Path | str, *args: str) -> subprocess.CompletedProcess:
    """`nbgrader *args` in the course root; a RuntimeError with the end of its output when it fails."""
    result = run(course_root, *args)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course_root}:\n"
                           f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result
