"""The student's side of the wall: the only code of the grader that runs inside the sandbox.

`harness.py` is the program the sandbox starts, `wire.py` the plain-data format both
sides speak. Both use only the standard library and NumPy, and both are mounted
read-only into the sandbox. Nothing here is trusted by the grader: the student's
code runs in the same process and may replace any of it, so the grader checks
every message it receives (dnn_grader.engine.channel, dnn_grader.engine.sandbox).
"""
