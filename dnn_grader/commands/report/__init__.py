"""The class report: where a class went wrong, read from the gradebook and from what the autograder recorded.

    dnn-grader report ASSIGNMENT [--out DIR] [--db-url URL] [--course-root DIR] [--formgrader-url URL]

Points come from nbgrader's gradebook (so a score changed by hand in formgrader counts); the recognised
classic mistake and whether a function was left unwritten come from the autograded notebooks, where the
autograder keeps them in each graded test cell's metadata (key "dnn_grader"). Nothing is re-run.
Writes DIR/index.html (open it in a browser), its figures beside it, and DIR/class_report.csv with one row
per student and graded function.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.report.page import write_report
from dnn_grader.commands.report.read import configured_gradebook, course_config, read_class, versions_sentence

DEFAULT_FORMGRADER = "http://localhost:8888"  # where `jupyter lab` serves formgrader when its port is free


def formgrader_location(course_root: Path) -> tuple[str, str]:
    """(URL, where it comes from) of the formgrader the report's links open.

    A running Jupyter server whose root holds the course folder (formgrader is at its URL); else
    c.ClassReport.formgrader_url in nbgrader_config.py; else DEFAULT_FORMGRADER.
    """
    from jupyter_server.serverapp import list_running_servers

    try:
        servers = list(list_running_servers())
    except Exception as error:  # an unreadable runtime folder: fall back on the configuration
        print(f"(could not list the running Jupyter servers: {error})", file=sys.stderr)
        servers = []
    for server in servers:
        root = Path(server.get("root_dir", "")).resolve()
        if server.get("url") and (course_root == root or root in course_root.parents):
            return server["url"].rstrip("/"), f"a Jupyter server running on this machine in {root.name or root}"
    configured = course_config(course_root).get("ClassReport", {}).get("formgrader_url")
    if isinstance(configured, str):
        return configured.rstrip("/"), "c.ClassReport.formgrader_url in nbgrader_config.py"
    return DEFAULT_FORMGRADER, "the default, where `jupyter lab` serves it when port 8888 is free"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--out", type=Path, help="folder for index.html (default: reports/ASSIGNMENT)")
    parser.add_argument("--course-root", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: as nbgrader_config.py sets it)")
    parser.add_argument("--formgrader-url",
                        help="where Jupyter serves formgrader, for links to submissions (default: a Jupyter server "
                             "running in the course folder, else c.ClassReport.formgrader_url in nbgrader_config.py, "
                             f"else {DEFAULT_FORMGRADER}; on a hub e.g. https://hub.example.org/user/NAME; '' for none)")
    parser.add_argument("--lost-share", type=float, default=0.5,
                        help="list a student who lost at least this share of the points (default: %(default)s)")
    parser.add_argument("--unwritten", type=int, default=3,
                        help="list a student who left at least this many functions unwritten (default: %(default)s)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    course_root = args.course_root.resolve()
    db_url, course_id = configured_gradebook(course_root)
    db_url = args.db_url or db_url
    known = nbgrader_cli.known_assignments(course_root, db_url)
    if args.assignment not in known:
        print(nbgrader_cli.unknown_assignment(args.assignment, known), file=sys.stderr)
        return 2
    print(f"Reading the gradebook and the autograded notebooks of {args.assignment} ...", flush=True)
    result = read_class(course_root, args.assignment, db_url, course_id)
    if not result.students:
        print(f"No submission of {args.assignment} is graded yet: run `nbgrader autograde {args.assignment}` first.")
        return 1
    print(f"Writing the report for {len(result.students)} students ...", flush=True)
    formgrader_url, source = ((args.formgrader_url, "--formgrader-url") if args.formgrader_url is not None
                              else formgrader_location(course_root))
    page = write_report(result, args.out or course_root / "reports" / args.assignment, formgrader_url,
                        args.lost_share, args.unwritten, source)
    summaries = result.summaries()
    recognised = sum(sum(s.mistakes.values()) for s in summaries)
    unexplained = sum(len(s.unexplained) for s in summaries)
    versions = versions_sentence(result.grader_versions())
    print(f"Class report of {args.assignment}: {len(result.students)} students, {recognised} recognised mistakes, "
          f"{unexplained} failures no catalogued mistake explains; {versions + '; ' if versions else ''}{page} "
          f"({time.monotonic() - started:.1f} s).")
    return 0

