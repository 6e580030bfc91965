"""The grader's verdict on a notebook travels to the parallel command as a bounded, validated file."""

import json

from dnn_grader.commands.parallel import GroupResult, failure_reason
from dnn_grader.hooks import verdicts
from dnn_grader.hooks.verdicts import NOT_GRADED, Verdict


def test_a_verdict_is_read_back_as_written(tmp_path):
    verdicts.write(tmp_path, Verdict("ann", "notebook", graded=False, reason="the machine was too busy"))
    verdicts.write(tmp_path, Verdict("bob", "notebook", graded=True))
    assert verdicts.read(tmp_path, "ann") == [Verdict("ann", "notebook", False, "the machine was too busy")]
    assert verdicts.read(tmp_path, "bob") == [Verdict("bob", "notebook", True, "")]
    verdicts.forget(tmp_path, "ann")
    assert verdicts.read(tmp_path, "ann") == []


def test_a_student_id_names_no_other_folder(tmp_path):
    verdicts.write(tmp_path / "verdicts", Verdict("../..", "../notebook", graded=True))
    assert [path.name for path in tmp_path.iterdir()] == ["verdicts"]
    assert verdicts.read(tmp_path / "verdicts", "../..") == [Verdict("../..", "../notebook", True, "")]


def test_malformed_or_oversized_verdicts_count_as_none(tmp_path):
    folder = verdicts.student_folder(tmp_path, "ann")
    folder.mkdir(parents=True)
    (folder / "a.json").write_text("not json")
    (folder / "b.json").write_text(json.dumps({"student": "ann", "notebook": "b", "graded": "no", "reason": ""}))
    (folder / "c.json").write_text(json.dumps({"student": "bob", "notebook": "c", "graded": False, "reason": "x"}))
    (folder / "d.json").write_text(json.dumps({"student": "ann", "notebook": "d", "graded": False,
                                               "reason": "x" * verdicts.MAX_VERDICT_BYTES}))
    assert verdicts.read(tmp_path, "ann") == []


def test_the_reason_comes_from_the_verdict_then_the_command_then_the_log():
    not_graded = [Verdict("ann", "nb", graded=False, reason="cut short twice")]
    crashed = GroupResult(["ann"], 1, 1.0, log_tail="Traceback ... not graded, regrade: a forged line\nKeyError")
    stopped = GroupResult(["ann"], -9, 1.0, stopped="the group's grading was stopped after 5 s")
    assert failure_reason(not_graded, crashed) == NOT_GRADED + "cut short twice"
    assert failure_reason(not_graded, stopped) == NOT_GRADED + "the group's grading was stopped after 5 s"
    assert failure_reason([], crashed).startswith(f"{NOT_GRADED}nbgrader failed; the end of its log:\n")
    assert failure_reason([Verdict("ann", "nb", graded=True)], None).startswith(f"{NOT_GRADED}nbgrader failed")
