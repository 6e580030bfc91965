"""A submitted notebook over IntakeExporter.max_notebook_mb is refused before it is read; the grader's memory stays
under the README's 1 GB for a notebook just under the limit and for one far over it."""

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO
from test_intake import GRADER_NOTE, convert, folder_contents, handout, tiny_course

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import autograded_text, copy_course, fingerprint, scores_of
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook, submit
from dnn_grader.hooks.intake import DEFAULT_MAX_NOTEBOOK_MB

ASSIGNMENT = "step_by_step"
GRADER_MEMORY_BOUND = 1024**3  # the README's promise for any submission
MB = 2**20


def test_a_notebook_over_the_limit_is_refused_unread_and_kept(tmp_path):
    submission = tiny_course(tmp_path)
    path = submission / "hw.ipynb"
    with open(path, "wb") as file:  # sparse: the test stays light
        file.truncate(int(DEFAULT_MAX_NOTEBOOK_MB * MB) + 1)
    before = os.stat(path)
    [graded] = convert([str(path)])
    note = graded.cells[0].source
    assert note.startswith(GRADER_NOTE) and f"limit of {DEFAULT_MAX_NOTEBOOK_MB:g} MB" in note
    assert f"it is {DEFAULT_MAX_NOTEBOOK_MB:.1f} MB" in note
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_atime_ns) == (before.st_size, before.st_mtime_ns,
                                                                    before.st_atime_ns)  # not even read


def test_a_symbolic_link_or_a_fifo_is_not_followed_nor_waited_on(tmp_path):
    submission = tiny_course(tmp_path)
    nbformat.write(handout("return 1"), tmp_path / "elsewhere.ipynb")
    (submission / "hw.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    before = folder_contents(submission)
    [graded] = convert([str(submission / "hw.ipynb")])
    assert "symbolic link" in graded.cells[0].source and "return 1" not in graded.cells[1].source
    assert folder_contents(submission) == before
    (submission / "hw.ipynb").unlink()
    os.mkfifo(submission / "hw.ipynb")  # nobody writes: a reader that waited would wait for ever
    [graded] = convert([str(submission / "hw.ipynb")])
    assert "not a regular file" in graded.cells[0].source


def notebook_of_size(course, path, size):
    """Write at `path` the solved notebook plus a markdown cell that brings the file to `size` bytes, 1 MB at a time.

    The cell holds one emoji among ASCII text: Python then keeps the whole text at 4 bytes a character, the worst
    case for the grader's memory."""
    notebook = solved_notebook(course, ASSIGNMENT)
    notebook.cells.append(nbformat.v4.new_markdown_cell("@@FILL@@"))
    head, tail = (part.encode() for part in json.dumps(notebook).split("@@FILL@@"))
    filler = size - len(head) - len(tail) - len("😀".encode())
    with open(path, "wb") as file:
        file.write(head + "😀".encode())
        file.writelines(b"x" * min(MB, filler - start) for start in range(0, filler, MB))
        file.write(tail)
    assert path.stat().st_size == size


def autograde_peak_rss(course, student):
    """Autograde one student with nbgrader in a fresh process; returns that process's peak resident memory (bytes)."""
    report = ("import atexit, resource, sys; atexit.register(lambda: sys.stderr.write("
              "'PEAK_RSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)); "
              "from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; main()")
    result = subprocess.run([sys.executable, "-c", report, "autograde", ASSIGNMENT, f"--student={student}", "--force"],
                            cwd=course, capture_output=True, text=True, env=nbgrader_cli.environment())
    assert result.returncode == 0, result.stderr[-3000:]
    return int(re.search(r"PEAK_RSS_KB (\d+)", result.stderr).group(1)) * 1024


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed")
def test_the_grader_stays_under_1_GB_for_a_notebook_just_under_the_limit_and_one_far_over_it(tmp_path):
    course = copy_course(REPO, tmp_path / "course")
    assert nbgrader_cli.run(course, "generate_assignment", ASSIGNMENT).returncode == 0
    name = release_notebook_path(course, ASSIGNMENT).name
    notebook_of_size(course, submit(course, "s1-just-under", ASSIGNMENT, b"", name), int(DEFAULT_MAX_NOTEBOOK_MB * MB) - 1024)
    notebook_of_size(course, submit(course, "s2-far-over", ASSIGNMENT, b"", name), 300 * MB)
    submit(course, "s0-honest", ASSIGNMENT, solved_notebook(course, ASSIGNMENT))
    submitted = fingerprint(course / "submitted")

    peaks = {student: autograde_peak_rss(course, student) for student in ("s0-honest", "s1-just-under", "s2-far-over")}
    print(f"peak resident memory of nbgrader autograde: {peaks}")
    assert all(peak < GRADER_MEMORY_BOUND for peak in peaks.values()), peaks
    assert fingerprint(course / "submitted") == submitted

    scores = scores_of(course, ASSIGNMENT, "s1-just-under")
    assert all(score == top for score, top in scores.values()) and GRADER_NOTE not in autograded_text(
        course, ASSIGNMENT, "s1-just-under")
    scores = scores_of(course, ASSIGNMENT, "s2-far-over")
    text = autograded_text(course, ASSIGNMENT, "s2-far-over")
    assert scores and sum(score for score, _ in scores.values()) == 0
    assert "it is 300.0 MB, over the grader's limit" in text
