"""The README's layout table matches the folders: every path it names exists, and every layer of dnn_grader is named."""

import re

from conftest import REPO

from dnn_grader import specs


def layout_rows():
    """(path, description) of each row of the README's "## Layout" table."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ", 1) for line in section.splitlines() if line.startswith("| `")]
    return [(path.strip("| "), description) for path, description in rows]


def named_paths(cell):
    return re.findall(r"`([^`]+)`", cell)


def test_every_path_the_layout_table_names_exists():
    for path_cell, description in layout_rows():
        for path in named_paths(path_cell):
            for assignment in specs.known_assignments():
                assert (REPO / path.replace("<assignment>", assignment)).exists(), path
        folder = named_paths(path_cell)[0]
        if folder.startswith("dnn_grader/"):
            for module in named_paths(description):  # a module of that folder, or a top-level file it names
                if module.endswith(".py"):
                    assert (REPO / folder / module).exists() or (REPO / module).exists(), f"{folder}{module}"


def test_every_layer_of_the_grader_is_in_the_layout_table():
    named = {path.rstrip("/") for path_cell, _ in layout_rows() for path in named_paths(path_cell)}
    layers = {f"dnn_grader/{folder.name}" for folder in (REPO / "dnn_grader").iterdir()
              if (folder / "__init__.py").exists()}
    assert layers <= named, f"not in the README's layout table: {sorted(layers - named)}"
    # beside the layers, only the vocabulary they all share (dnn_grader/course.py: the assignments), named in the table
    loose = {str(path.relative_to(REPO)) for path in (REPO / "dnn_grader").glob("*.py")} - {"dnn_grader/__init__.py"}
    assert loose <= named and loose <= {"dnn_grader/course.py"}, f"a module outside the layers: {sorted(loose)}"
