"""A real cluster, started as the README tells an instructor: a Dask scheduler, two Dask workers and a PostgreSQL
server, each its own OS process, and `dnn-grader autograde --dask ... --db-url ...` as a subprocess. One worker's
whole process group is killed in the middle of the class; every student must still be graded exactly once.

The commands are the README's own (its block with `dask scheduler`), with local values for its `<...>` parts and a
free port for 8786; the scheduler and the workers are also told to listen on 127.0.0.1 only and to serve no
dashboard, since anyone who can reach a scheduler can run code on its workers and this machine is shared.
"""

import contextlib
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import psutil  # with Dask's distributed
import pytest
from conftest import REPO, released_course

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.parallel import graded_students, groups_of
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence import postgres_server
from dnn_grader.evidence.scratch_course import scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import MISTAKES

needs_bwrap = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                 "apt-get install bubblewrap (.ci/run installs it)")

ASSIGNMENT = "step_by_step"
STUDENTS = 42  # 7 groups of 6 on two workers
WORKERS = 2
MISTAKE = next(v for v in MISTAKES if v.case_id == "linear_backward:no_mean_dW")
KINDS = ("correct", "blank", "mistake")
RUN_SECONDS = 3600  # the whole class, however busy the machine: a bound, not an expectation
START_SECONDS = 300  # the scheduler and a worker coming up
README_PORT = "8786"


def readme_cluster_block() -> list[str]:
    """The README's cluster commands (the bash block with `dask scheduler`), comments left out."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
    block = next(b for b in blocks if "dask scheduler" in b)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def local_command(line: str, values: dict[str, str]) -> list[str]:
    for placeholder, value in values.items():
        line = line.replace(placeholder, value)
    assert "<" not in line, f"a README placeholder the test does not fill: {line}"
    return shlex.split(line)


def make_class(course: Path) -> dict[str, str]:
    """correct, blank and a classic mistake in turn; returns student -> kind."""
    notebooks = {"correct": solved_notebook(course, ASSIGNMENT), "blank": solved_notebook(course, ASSIGNMENT, blank=True),
                 "mistake": solved_notebook(course, ASSIGNMENT, MISTAKE)}
    kinds = {}
    for index in range(STUDENTS):
        student = f"student{index:02d}"
        kinds[student] = KINDS[index % 3]
        submit(course, student, ASSIGNMENT, notebooks[kinds[student]])
    return kinds


class Processes:
    """The processes this test starts, each in a session of its own; every one of them, and every process seen
    below one of them, is killed on the way out (a killed worker's orphans included)."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder, self.env, self.started, self.seen = folder, env, [], {}

    def start(self, name: str, command: list[str], cwd: Path) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "w") as log:
            process = subprocess.Popen(command, cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.started.append(process)
        return process

    def tree(self, process: subprocess.Popen) -> list:
        """The process and everything below it now (psutil.Process objects, remembered for the way out)."""
        try:
            root = psutil.Process(process.pid)
            found = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        self.seen.update({p.pid: p for p in found})
        return found

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()[-4000:]

    def kill_all(self) -> None:
        for process in self.started:
            self.tree(process)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for found in self.seen.values():  # psutil checks that the pid is still that process
            with contextlib.suppress(psutil.NoSuchProcess):
                found.kill()
        for process in self.started:
            process.wait()


def alive(found) -> bool:
    try:
        return found.is_running() and found.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition, seconds: float, what: str, step: float = 0.5):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(step)
    return value


def group_of(nbgrader, everyone: list[str]) -> list[str] | None:
    """The students an `nbgrader autograde` process grades, from its command line."""
    for argument in nbgrader.cmdline():
        if argument.startswith("--student="):
            return [argument.split("=", 1)[1]]
        if argument.startswith("--CourseDirectory.student_id_exclude="):
            excluded = set(argument.split("=", 1)[1].split(","))
            return [s for s in everyone if s not in excluded]
    return None


def running_groups(processes: Processes, worker: subprocess.Popen, everyone: list[str]) -> list[tuple]:
    """(nbgrader process, its group) for each nbgrader autograde running below a `dask worker` command."""
    found = []
    for child in processes.tree(worker):
        with contextlib.suppress(psutil.NoSuchProcess):
            if "autograde" in child.cmdline() and any("nbgrader" in part for part in child.cmdline()[:4]):
                group = group_of(child, everyone)
                if group:
                    found.append((child, group))
    return found


def gradebook_problems(db_url: str, kinds: dict[str, str]) -> list[str]:
    """Everything that is not one complete set of grades per student, read with SQL from the gradebook's tables."""
    import psycopg

    problems = []
    with psycopg.connect(db_url) as db:
        cells = db.execute("SELECT count(*) FROM grade_cells JOIN base_cell c ON c.id = grade_cells.id "
                           "JOIN notebook n ON n.id = c.notebook_id JOIN assignment a ON a.id = n.assignment_id "
                           "WHERE a.name = %s", (ASSIGNMENT,)).fetchone()[0]
        rows = db.execute("""
            SELECT s.student_id, count(DISTINCT s.id), count(DISTINCT n.id), count(g.id),
                   count(DISTINCT g.cell_id), count(g.auto_score)
            FROM submitted_assignment s
            JOIN assignment a ON a.id = s.assignment_id AND a.name = %s
            LEFT JOIN submitted_notebook n ON n.assignment_id = s.id
            LEFT JOIN grade g ON g.notebook_id = n.id
            GROUP BY s.student_id""", (ASSIGNMENT,)).fetchall()
    found = {student: counts for student, *counts in rows}
    for student in sorted(set(kinds) | set(found)):
        if student not in kinds:
            problems.append(f"{student}: in the gradebook, but submitted nothing")
        elif student not in found:
            problems.append(f"{student}: no submission in the gradebook (a lost grade)")
        elif found[student] != [1, 1, cells, cells, cells]:
            submissions, notebooks, grades, distinct, scored = found[student]
            problems.append(f"{student}: {submissions} submission(s), {notebooks} notebook(s), {grades} grades of "
                            f"{distinct} distinct cells, {scored} scored (expected 1, 1 and {cells} each)")
    return problems


def score_problems(course: Path, db_url: str, kinds: dict[str, str]) -> list[str]:
    """Each student's total, against the kind of submission: full marks, 0, or the same partial score for all."""
    totals = {}
    for student in kinds:
        scores = scores_of(course, ASSIGNMENT, student, db_url)
        totals[student] = (sum(s for s, _ in scores.values()), sum(t for _, t in scores.values()))
    top = max(t for _, t in totals.values())
    mistake_scores = {got for student, (got, _) in totals.items() if kinds[student] == "mistake"}
    problems = [f"{student} ({kinds[student]}): {got} of {t}" for student, (got, t) in totals.items()
                if t != top or {"correct": got != top, "blank": got != 0, "mistake": not 0 < got < top}[kinds[student]]]
    if len(mistake_scores) != 1:
        problems.append(f"the students with the same mistake got different scores: {sorted(mistake_scores)}")
    return problems


def autograded_problems(course: Path, kinds: dict[str, str]) -> list[str]:
    """Every student's autograded notebook exists and is a whole notebook (formgrader and feedback read it)."""
    import nbformat

    problems = []
    for student in kinds:
        found = sorted((course / "autograded" / student / ASSIGNMENT).glob("*.ipynb"))
        try:
            if len(found) != 1:
                raise ValueError(f"{len(found)} notebooks")
            nbformat.validate(nbformat.read(found[0], as_version=4))
        except (OSError, ValueError, nbformat.ValidationError) as error:
            problems.append(f"{student}: autograded notebook: {error!r}"[:300])
    return problems


def broken_copy(db_url: str) -> str:
    """A copy of the gradebook in which student00 lost every grade, student01 has a grade without a score (a
    half-written grading) and student02 a second submission (the unique constraint dropped); returns its URL."""
    import psycopg

    server = db_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{db_url.rsplit("/", 1)[1]}_broken" TEMPLATE "{db_url.rsplit("/", 1)[1]}"')
    broken = f"{db_url}_broken"
    of_student = ("SELECT g.id FROM grade g JOIN submitted_notebook n ON n.id = g.notebook_id "
                  "JOIN submitted_assignment s ON s.id = n.assignment_id WHERE s.student_id = %s")
    with psycopg.connect(broken) as db:
        db.execute(f"DELETE FROM grade WHERE id IN ({of_student})", ("student00",))
        db.execute(f"UPDATE grade SET auto_score = NULL WHERE id = ({of_student} LIMIT 1)", ("student01",))
        db.execute("ALTER TABLE submitted_assignment DROP CONSTRAINT submitted_assignment_assignment_id_student_id_key")
        db.execute("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp) "
                   "SELECT md5(id), assignment_id, student_id, timestamp FROM submitted_assignment "
                   "WHERE student_id = 'student02'")
    return broken


@pytest.fixture
def processes(tmp_path):
    env = nbgrader_cli.environment(PYTHONUNBUFFERED="1")
    started = Processes(tmp_path, env)
    try:
        yield started
    finally:
        started.kill_all()


@needs_bwrap
def test_a_killed_worker_costs_no_grade_and_grades_no_student_twice(tmp_path, postgres_url, processes, capsys):
    pytest.importorskip("dask.distributed")
    course = released_course(tmp_path, ASSIGNMENT)
    db_url = postgres_server.create_database(postgres_url.rsplit("/", 1)[0], "cluster")
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={db_url}")
    kinds = make_class(course)
    everyone = sorted(kinds)

    port = str(postgres_server.free_port())
    values = {"<scheduler>": "127.0.0.1", README_PORT: port, "<cores>": "1",
              "postgresql://<user>@<dbhost>/<database>": db_url}
    scheduler_line, worker_line, autograde_line = readme_cluster_block()
    local_only = ["--host", "127.0.0.1", "--no-dashboard"]
    processes.start("scheduler", local_command(scheduler_line, values) + local_only, tmp_path)
    workers = [processes.start(f"worker{n}", local_command(worker_line, values) + local_only, tmp_path)
               for n in range(WORKERS)]

    from dask.distributed import Client

    with Client(f"tcp://127.0.0.1:{port}", timeout=START_SECONDS) as client:
        client.wait_for_workers(WORKERS, timeout=START_SECONDS)

    grader = processes.start("autograde", local_command(autograde_line, values), course)
    groups = groups_of(everyone, WORKERS)
    killed = None
    deadline = time.monotonic() + RUN_SECONDS
    while grader.poll() is None and killed is None:
        assert time.monotonic() < deadline, "the class was not graded in time:\n" + processes.log("autograde")
        time.sleep(0.5)
        graded = graded_students(db_url, ASSIGNMENT, everyone)
        if not any(set(g) <= graded for g in groups) or all(set(g) <= graded for g in groups):
            continue  # not one group done yet, or all of them
        for number, worker in enumerate(workers):
            for nbgrader, group in running_groups(processes, worker, everyone):
                if not 0 < len(graded & set(group)) < len(group):
                    continue
                # Stop it, look again (a grade may have been written meanwhile), then kill the worker's process
                # group. Its nbgrader, in a session of its own, stays stopped: only the signal it must get when its
                # worker dies can end it, so an nbgrader that would outlive its worker cannot pass by finishing
                # its group quickly (without that signal it does finish it, beside the re-run).
                with contextlib.suppress(psutil.NoSuchProcess):
                    nbgrader.suspend()
                written = graded_students(db_url, ASSIGNMENT, everyone)
                if 0 < len(written & set(group)) < len(group) and alive(nbgrader):
                    doomed = processes.tree(worker)
                    os.killpg(worker.pid, signal.SIGKILL)
                    killed = {"worker": number, "group": group, "graded": len(written),
                              "written": len(written & set(group)), "doomed": doomed}
                    break
                with contextlib.suppress(psutil.NoSuchProcess):
                    nbgrader.resume()
            if killed:
                break
    assert killed is not None, "no worker was killed in the middle of a group:\n" + processes.log("autograde")

    # The killed worker's processes all die, its nbgrader too (in a session of its own, it is no member of the
    # worker's process group): none of them goes on grading beside the re-run of its group.
    wait_until(lambda: not any(alive(p) for p in killed["doomed"]), 120, "the killed worker's processes ending")
    try:
        grader.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise AssertionError("the class was not graded in time:\n" + processes.log("autograde")) from None
    output = processes.log("autograde")
    summary = [line for line in output.splitlines() if line.startswith(("Graded ", "Dask lost "))]
    figures = [(f"A Dask cluster on this machine: {WORKERS} `dask worker` processes (--nworkers 1 --nthreads 1), "
               f"a PostgreSQL server, {STUDENTS} submissions of {ASSIGNMENT}."),
               (f"Killed worker {killed['worker']} (SIGKILL to its process group) with {killed['graded']} of "
               f"{STUDENTS} students graded, {killed['written']} of its group of {len(killed['group'])} written."),
               *summary]
    with capsys.disabled():
        print("\n" + "\n".join(figures))

    assert grader.returncode == 0, output
    assert summary[0].startswith(f"Graded {STUDENTS} of {STUDENTS} students of {ASSIGNMENT} in "), output
    assert summary[0].endswith(f"{WORKERS} workers); 0 failed."), output
    # Dask started the killed worker's group again on the other worker, and nothing else twice.
    assert summary[1:] == [(f"Dask lost a worker and graded 1 group(s) again elsewhere ({len(killed['group'])} "
                           f"students): {' '.join(killed['group'])}.")], output
    assert gradebook_problems(db_url, kinds) == []
    assert score_problems(course, db_url, kinds) == []
    assert autograded_problems(course, kinds) == []

    # The checks can fail: a copy of this gradebook with a lost grade, a half-written one and a second submission.
    broken = broken_copy(db_url)
    problems = gradebook_problems(broken, kinds)
    assert [p.split(":")[0] for p in problems] == ["student00", "student01", "student02"], problems


FIGURE_LINES = [  # what the cluster test prints, then the command's summary
    (r"A Dask cluster on this machine: (?P<workers>\d+) `dask worker` processes \(--nworkers 1 --nthreads 1\), "
    r"a PostgreSQL server, (?P<students>\d+) submissions of step_by_step\."),
    (r"Killed worker \d (?:\(SIGKILL to its process group\) )?with (?P<graded>\d+) of (?P=students) students graded, "
    r"(?P<written>\d+) of its group of (?P<group>\d+) written\."),
    (r"Graded (?P=students) of (?P=students) students of step_by_step in (?P<seconds>[\d.]+) s "
    r"\((?P<rate>[\d.]+) per minute, (?P=workers) workers\); 0 failed\."),
    r"Dask lost a worker and graded 1 group\(s\) again elsewhere \((?P=group) students\): (?P<rerun>[\w ]+)\.",
]


def test_the_readme_cluster_figures_are_the_tests_output():
    """The README's cluster figures have the cluster test's own lines and add up (pasted from a run, not retyped)."""
    section = (REPO / "README.md").read_text().split("\n### Grading a large course\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"it printed[^`]*```\n(.*?)```", section, re.DOTALL)
    assert block, "the README's large-course section quotes no run of tests/test_cluster.py"
    found = re.fullmatch("\n".join(FIGURE_LINES) + "\n", block.group(1))
    assert found, f"not the cluster test's output:\n{block.group(1)}"
    figure = found.groupdict()
    assert int(figure["students"]) >= 40 and int(figure["workers"]) == WORKERS
    assert 0 < int(figure["written"]) < int(figure["group"]) <= int(figure["graded"]) < int(figure["students"])
    assert len(figure["rerun"].split()) == int(figure["group"])
    assert abs(60 * int(figure["students"]) / float(figure["seconds"]) - float(figure["rate"])) < 0.1  # rounding
