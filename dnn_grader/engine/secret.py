"""The course's grading secret: hidden inputs that nobody can compute from the public repository.

The hidden cases' random inputs are drawn from a generator seeded by the secret, the
assignment, the function and the submission (the student and a digest of the code the
grader runs), so a table of answers computed beforehand from this repository is worth
nothing, a feedback's quoted inputs or answers are worth nothing to any other
submission (another student's, or the same student's next one), while a regrade of the
same submission with the same secret draws the same inputs and gives the same grades. The secret is a file of the instructor's course
folder, created on the first autograde, readable by its owner only, git-ignored and
never part of a release or a feedback (nbgrader's CourseDirectory.ignore skips dot
files). Keep it, like the solutions and the gradebook, private.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path

import numpy as np

FILE_NAME = ".grading_secret"


def course_secret(course_root: Path | str) -> bytes:
    """The secret of the course in `course_root`, created (atomically, mode 0600) if it does not exist yet."""
    path = Path(course_root) / FILE_NAME
    if not path.exists():
        draft = path.with_name(f"{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another grader made it first: keep theirs
            os.link(draft, path)
        draft.unlink()
    text = path.read_text().strip()
    if len(text) < 32:
        raise ValueError(f"{path} holds no usable secret: delete it and autograde again (every student, --force)")
    return text.encode()


def submission_key(student: str, cells: list[dict]) -> str:
    """What identifies one submission to the generator: the student and a digest of the cells the grader runs.

    cells: [{"id", "source"}] as the sandbox receives them. Two students, or two submissions
    of one student that differ in any cell, get different hidden cases.
    """
    digest = hashlib.sha256(json.dumps([[cell["id"], cell["source"]] for cell in cells]).encode()).hexdigest()
    return f"{student}/{digest}"


def generator(secret: bytes, assignment: str, function: str, submission: str = "") -> np.random.Generator:
    """The random generator of one function's hidden cases for one submission (see submission_key)."""
    digest = hashlib.blake2b(f"{assignment}/{function}/{submission}".encode(), key=secret[:64],
                             digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))
