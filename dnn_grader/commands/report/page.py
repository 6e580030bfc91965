"""The class report's page, from the values read.py reads: two figures (matplotlib, written beside the page as
SVG), plain HTML tables, and the CSV with one row per student and graded function."""

from __future__ import annotations

import csv
import datetime
import html
import re
import statistics
from pathlib import Path
from urllib.parse import quote

from matplotlib.figure import Figure
from sqlalchemy.engine import make_url

from dnn_grader.commands.report.read import (
    FULL,
    NONE,
    OUTCOMES,
    PARTIAL,
    UNWRITTEN,
    ClassReport,
    FunctionSummary,
    StudentResult,
    versions_sentence,
)

CSV_NAME = "class_report.csv"
COLOURS = {FULL: "#2e7d32", PARTIAL: "#f0a30a", NONE: "#c62828", UNWRITTEN: "#9e9e9e"}
PLAIN_ID = re.compile(r"[\w.@+-]+")  # a student id formgrader's student page can show safely
SCORE_FIGURE, FUNCTIONS_FIGURE = "score_distribution.svg", "function_outcomes.svg"
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0;
       background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { margin: 0 0 4px; font-size: 1.7em; } h2 { margin-top: 2em; border-bottom: 2px solid #e3e5e8; padding-bottom: 4px; }
h3 { margin: 1.4em 0 0.4em; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
     font-size: 1.05em; }
.sub { color: #666; margin: 0 0 20px; } .note { color: #555; font-size: 0.93em; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { flex: 1 1 110px; border: 1px solid #e3e5e8; border-radius: 8px; padding: 10px 14px; background: #fafbfc; }
.card b { display: block; font-size: 1.6em; } .card span { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 0.94em; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e8eaed; vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.unexplained td { background: #fff8e1; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
table.mistakes { table-layout: fixed; } table.mistakes col.what { width: 26%; } table.mistakes col.count { width: 9%; }
img.figure { width: 100%; max-width: 1000px; display: block; margin: 8px auto; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
a { color: #1565c0; }
"""


def write_csv(result: ClassReport, path: Path) -> None:
    """One row per student and graded function, for the instructor's own analysis."""
    names = {student.student: student.name for student in result.students}
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "assignment", "function", "points", "max_points", "outcome",
                         "mistake", "mistake_hint", "late_penalty", "score_after_late_penalty"])
        for student in result.students:
            for row in student.functions:  # the penalty is the submission's, not the function's: repeated per row
                writer.writerow([row.student, names[row.student], result.assignment, row.function, f"{row.points:g}",
                                 f"{row.max_points:g}", row.outcome, row.mistake or "",
                                 result.hints.get(row.mistake, "") if row.mistake else "", f"{student.late_penalty:g}",
                                 f"{student.final_score:g}"])


def write_report(result: ClassReport, out: Path, formgrader_url: str = "", lost_share: float = 0.5,
                 unwritten: int = 3, formgrader_source: str = "--formgrader-url") -> Path:
    """Write out/index.html, its figures and out/class_report.csv; returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    write_csv(result, out / CSV_NAME)
    helped = [(student, needs_help(student, lost_share, unwritten)) for student in result.students]
    helped = sorted(((s, why) for s, why in helped if why), key=lambda item: (-item[0].lost, item[0].student))
    page = out / "index.html"
    page.write_text(render_page(result, out, helped, formgrader_url.rstrip("/"), CSV_NAME, lost_share, unwritten,
                                formgrader_source))
    return page


def needs_help(student: StudentResult, lost_share: float, unwritten: int) -> list[str]:
    """Why this student may need help (empty: no reason): most points lost, or several functions unwritten."""
    reasons = []
    if student.max_score and student.lost >= lost_share * student.max_score:
        reasons.append(f"lost {student.lost:g} of {student.max_score:g} points")
    if len(student.unwritten) >= unwritten:
        reasons.append(f"{len(student.unwritten)} functions unwritten")
    return reasons


def render_page(result: ClassReport, out: Path, helped: list[tuple[StudentResult, list[str]]], formgrader_url: str,
                csv_name: str, lost_share: float, unwritten: int, formgrader_source: str = "--formgrader-url") -> str:
    """The whole page, as HTML text; draws the figures into `out`."""
    summaries = result.summaries()
    draw_scores(result, out / SCORE_FIGURE)
    draw_outcomes(summaries, out / FUNCTIONS_FIGURE)
    links = Links(formgrader_url, result.assignment)
    parts = [
        f"<h1>Class report: {esc(result.assignment)}</h1>",
        (f'<p class="sub">{len(result.students)} graded submissions, {max_score(result):g} points; '
        f"from the gradebook {esc(gradebook_name(result.db_url))}, {datetime.datetime.now():%Y-%m-%d %H:%M}.</p>"),
        cards(result, helped),
        "<h2>Score distribution</h2>",
        late_note(result),
        f'<img class="figure" id="score-figure" src="{SCORE_FIGURE}" alt="Histogram of the students\' scores">',
        "<h2>Graded functions</h2>",
        f'<img class="figure" id="functions-figure" src="{FUNCTIONS_FIGURE}" alt="Outcomes per graded function">',
        functions_table(summaries),
        "<h2>Classic mistakes</h2>",
        ('<p class="note">What the grader recognised in the failed functions, with how many students made each '
        "mistake, and the failures no catalogued mistake explains: those are worth reading by hand.</p>"),
        mistakes_section(summaries, links, result.hints),
        "<h2>Students who may need help</h2>",
        (f'<p class="note">Students who lost at least {lost_share:.0%} of the functions\' points or left at least '
         f"{unwritten} functions unwritten, most points lost first.</p>"),
        links_note(formgrader_url, formgrader_source),
        help_table(helped, links),
        not_submitted(result),
        "<h2>Data</h2>",
        (f'<p><a id="csv-link" href="{csv_name}">{csv_name}</a>: one row per student and graded function (points, '
        "maximum, outcome, recognised mistake, the submission's late penalty and score after it).</p>"),
        unrecorded_note(result),
        versions_note(result),
    ]
    body = "\n".join(part for part in parts if part)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Class report: '
            f"{esc(result.assignment)}</title>\n<style>{STYLE}</style></head>\n<body><main>\n{body}\n</main></body></html>\n")


class Links:
    """URLs into formgrader (nbgrader 0.9): a student's notebooks, and one submitted notebook."""

    def __init__(self, base: str, assignment: str):
        self.base, self.assignment = base, assignment

    def student(self, student: str, text: str) -> str:
        """A link to the student's page; none for an id that is not plain (nbgrader 0.9 prints it there raw)."""
        if not self.base or not PLAIN_ID.fullmatch(student):
            return esc(text)
        return f'<a href="{self.base}/formgrader/manage_students/{quote(student)}/{quote(self.assignment)}">{esc(text)}</a>'

    def submissions(self, student: StudentResult) -> str:
        if not self.base:
            return ""
        return " ".join(f'<a href="{self.base}/formgrader/submissions/{quote(notebook_id)}/">open in formgrader</a>'
                        for notebook_id in student.submission_ids)


# ---------------------------------------------------------------- figures


def draw_scores(result: ClassReport, path: Path) -> None:
    score_figure(result).savefig(path)


def score_figure(result: ClassReport) -> Figure:
    """The histogram of the scores after the late penalty (nbgrader export's), the mean in a legend above it."""
    scores = [student.final_score for student in result.students]
    top = max_score(result)
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    axes = figure.subplots()
    bins = [step for step in range(int(top) + 2)] if top <= 60 else 30
    axes.hist(scores, bins=bins, color="#1565c0", edgecolor="white", align="left" if top <= 60 else "mid")
    mean = statistics.fmean(scores)
    axes.axvline(mean, color="#333", linestyle="--", linewidth=1, label=f"mean {mean:.1f}")
    # above the axes, where no bar reaches (a label inside the axes sat on the tallest bars)
    axes.legend(loc="lower right", bbox_to_anchor=(1, 1.0), frameon=False, fontsize=9)
    axes.set_xlim(-0.8, top + 0.8)
    late = " after the late penalty" if result.late else ""
    axes.set_xlabel(f"points{late} (of {top:g})")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def draw_outcomes(summaries: list[FunctionSummary], path: Path) -> None:
    figure = Figure(figsize=(10, 0.42 * len(summaries) + 1.3), layout="constrained")
    axes = figure.subplots()
    names = [summary.function for summary in summaries][::-1]
    left = [0] * len(names)
    for outcome in OUTCOMES:
        counts = [summary.outcomes[outcome] for summary in summaries][::-1]
        bars = axes.barh(names, counts, left=left, color=COLOURS[outcome], label=outcome, height=0.7)
        axes.bar_label(bars, labels=[str(n) if n else "" for n in counts], label_type="center", color="white",
                       fontsize=9, fontweight="bold")
        left = [a + b for a, b in zip(left, counts)]
    axes.set_xlabel("students")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="y", labelsize=10)
    for label in axes.get_yticklabels():
        label.set_fontfamily("monospace")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=9)
    figure.savefig(path)


# ---------------------------------------------------------------- tables


def cards(result: ClassReport, helped: list) -> str:
    scores = [student.final_score for student in result.students]
    full = sum(student.lost == 0 for student in result.students)
    late = " after late penalty" if result.late else ""
    values = [(len(result.students), "graded submissions"),
              (f"{statistics.fmean(scores):.1f}", f"mean score{late} (of {max_score(result):g})"),
              (f"{statistics.median(scores):g}", f"median score{late}"), (full, "with full marks"),
              (len(helped), "may need help"), (len(result.not_submitted), "in the roster, not submitted")]
    if result.late:
        values.insert(3, (len(result.late), "late (penalty applied)"))
    return '<div class="cards">' + "".join(f'<div class="card"><b>{value}</b><span>{esc(label)}</span></div>'
                                           for value, label in values) + "</div>"


def functions_table(summaries: list[FunctionSummary]) -> str:
    head = ("<tr><th>function</th><th class='n'>points</th>" + "".join(
        f"<th class='n'><span class='dot' style='background:{COLOURS[o]}'></span>{o}</th>" for o in OUTCOMES)
        + "<th class='n'>recognised mistakes</th><th class='n'>unexplained failures</th></tr>")
    rows = [f"<tr><td><code>{esc(s.function)}</code></td><td class='n'>{s.max_points:g}</td>"
            + "".join(f"<td class='n'>{s.outcomes[o]}</td>" for o in OUTCOMES)
            + f"<td class='n'>{sum(s.mistakes.values())}</td><td class='n'>{len(s.unexplained)}</td></tr>"
            for s in summaries]
    return f'<table id="functions-table">{head}{"".join(rows)}</table>'


def mistakes_section(summaries: list[FunctionSummary], links: Links, hints: dict[str, str]) -> str:
    sections = []
    for summary in summaries:
        if not summary.mistakes and not summary.unexplained:
            continue
        rows = [f"<tr><td><code>{esc(case_id.split(':', 1)[1])}</code></td><td class='n'>{count}</td>"
                f"<td>{esc(hints.get(case_id, ''))}</td></tr>" for case_id, count in summary.mistakes.most_common()]
        if summary.unexplained:
            who = ", ".join(links.student(student, student) for student in summary.unexplained)
            rows.append(f"<tr class='unexplained'><td>not explained by the catalogue</td>"
                        f"<td class='n'>{len(summary.unexplained)}</td><td>read by hand: {who}</td></tr>")
        sections.append(f"<h3>{esc(summary.function)}</h3><table class='mistakes' data-function='{esc(summary.function)}'>"
                        "<colgroup><col class='what'><col class='count'><col></colgroup><tr><th>mistake</th><th class='n'>students</th><th>what the feedback says</th></tr>"
                        f"{''.join(rows)}</table>")
    return "\n".join(sections) or "<p>No function failed: nothing to explain.</p>"


def help_table(helped: list[tuple[StudentResult, list[str]]], links: Links) -> str:
    if not helped:
        return "<p>Nobody.</p>"
    rows = [f"<tr><td>{links.student(s.student, s.student)}</td><td>{esc(s.name)}</td>"
            f"<td class='n'>{s.score:g} / {s.max_score:g}</td><td class='n'>{s.lost:g}</td>"
            f"<td class='n'>{s.final_score:g}</td>"
            f"<td>{esc(unwritten_text(s))}</td><td>{esc('; '.join(why))}</td>"
            f"<td>{links.submissions(s)}</td></tr>" for s, why in helped]
    return ('<table id="help-table"><tr><th>student</th><th>name</th><th class="n">functions\' points</th>'
            '<th class="n">lost</th><th class="n">score after late penalty</th>'
            f"<th>unwritten</th><th>why</th><th></th></tr>{''.join(rows)}</table>")


def late_note(result: ClassReport) -> str:
    """Which scores carry a late penalty, and how it is counted."""
    if not result.late:
        return ('<p class="note">Scores are the gradebook\'s; no submission carries a late penalty.</p>')
    who = ", ".join(f"{s.student} ({s.score:g} − {s.late_penalty:g} = {s.final_score:g})" for s in result.late)
    return (f'<p class="note" id="late-note">Scores in the figure and the cards are after the late penalty, as '
            "<code>nbgrader export</code> gives them (the functions' points less the submission's "
            f"<code>late_submission_penalty</code> in the gradebook, never below 0). Late ({len(result.late)}): "
            f"{esc(who)}. The points per function, below, are before the penalty.</p>")


def links_note(formgrader_url: str, source: str) -> str:
    """Where the links into formgrader point, and how to point them elsewhere."""
    change = ("run <code>dnn-grader report</code> again with <code>--formgrader-url URL</code>, or set "
              "<code>c.ClassReport.formgrader_url</code> in <code>nbgrader_config.py</code>")
    if not formgrader_url:
        return f'<p class="note" id="links-note">No links into formgrader (--formgrader-url \'\'); to add them, {change}.</p>'
    return (f'<p class="note" id="links-note">Links open formgrader at <code>{esc(formgrader_url)}</code> '
            f"({esc(source)}), which must be running there; to point them elsewhere, {change}.</p>")


def unwritten_text(student: StudentResult) -> str:
    if student.unwritten and len(student.unwritten) == len(student.functions):
        return f"all {len(student.functions)}: nothing written"
    return ", ".join(student.unwritten) or "–"


def not_submitted(result: ClassReport) -> str:
    if not result.not_submitted:
        return ""
    return (f'<p class="note">In the roster without a submission ({len(result.not_submitted)}): '
            f"{esc(', '.join(result.not_submitted))}.</p>")


def unrecorded_note(result: ClassReport) -> str:
    if not result.unrecorded:
        return ""
    return (f'<p class="note">{result.unrecorded} graded functions have no record of the grader\'s findings '
            "(autograded before the grader kept them, or the autograded notebook is missing): their points count, "
            "their mistakes are unknown. Autograde again with --force to record them.</p>")


def versions_note(result: ClassReport) -> str:
    """Which grader versions graded the class, when more than one (or an unknown one) did."""
    sentence = versions_sentence(result.grader_versions())
    if not sentence:
        return ""
    return (f'<p class="note" id="grader-versions">The class holds {esc(sentence)}. <code>dnn-grader regrade '
            f'{esc(result.assignment)}</code> shows what the current grader would change.</p>')


def max_score(result: ClassReport) -> float:
    return max((student.max_score for student in result.students), default=0.0)


def gradebook_name(db_url: str) -> str:
    """The gradebook as an instructor names it: the SQLite file's name, or the database and its host."""
    try:
        url = make_url(db_url)
    except Exception:
        return "(gradebook)"
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "").name or "(in memory)"
    return f"{url.database} on {url.host or 'localhost'} ({url.get_backend_name()})"


def esc(text) -> str:
    return html.escape(str(text))
