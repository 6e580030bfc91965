# One entry point for the course. `make demo` sets up and runs the main job; `make test` runs the tests.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# nbgrader runs tools such as `alembic` by name: the environment's bin/ comes first on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: setup demo clean test release catalogue lint benchmark figures

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@command -v bwrap >/dev/null || echo "NOTE: bubblewrap (bwrap) is not installed; autograding needs it (apt-get install bubblewrap)."
	touch $@

demo: setup
	$(PY) -m dnn_grader.evidence.demo

# Remove the demo's students (by the demo's own list of ids) and what the demo and the tests wrote; never another
# student's work, source/, release/, the gradebook file, the grading secret or .venv
# (dnn_grader/evidence/demo.py, clean).
clean:
	@if [ -x $(PY) ]; then $(PY) -m dnn_grader.evidence.demo --clean --course-root "$(CURDIR)"; else echo "No $(VENV): neither make demo nor make test has run here."; fi

test: setup
	$(PY) -m pytest -q

release: setup
	$(PY) -m dnn_course.materials
	for assignment in $$($(PY) -m dnn_grader.course); do $(VENV)/bin/nbgrader generate_assignment $$assignment --force || exit 1; done

catalogue: setup
	$(VENV)/bin/dnn-grader catalogue

lint: setup
	$(VENV)/bin/ruff check .

# Speed and throughput, measured in one run on this machine (not part of the tests): several minutes.
benchmark: setup
	$(VENV)/bin/dnn-grader benchmark training
	$(VENV)/bin/dnn-grader benchmark autograde
	$(VENV)/bin/dnn-grader benchmark class

# Redraw assignment 1's teaching figures, then `make release`.
figures: setup
	$(PY) -m dnn_course.figures
