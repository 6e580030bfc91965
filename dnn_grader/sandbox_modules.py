"""The course modules a student's code may import inside the sandbox.

Assignment 1 asks students to write the functions that dnn_utils provides for
assignment 2, so its sandbox gets a dnn_utils cut down to the activations: a
student who imports the course's L_model_forward gets an ImportError in grading,
not the points. The cut is made from the one dnn_utils.py, never kept by hand.
"""

from __future__ import annotations

import ast
from pathlib import Path

SHARED_MODULES = ("testCases.py", "public_tests.py")
ASSIGNMENT_1_HELPERS = ("sigmoid", "relu", "sigmoid_backward", "relu_backward")


def sandbox_modules(course_root: str, assignment: str) -> dict[str, str]:
    """File name -> source of each module to place beside the student's code."""
    root = Path(course_root)
    modules = {name: (root / name).read_text() for name in SHARED_MODULES if (root / name).exists()}
    utils = (root / "dnn_utils.py").read_text()
    if assignment == "step_by_step":
        utils = keep_only(utils, ASSIGNMENT_1_HELPERS)
    modules["dnn_utils.py"] = utils
    return modules


def keep_only(source: str, function_names: tuple[str, ...]) -> str:
    """The module's docstring, imports, constants and the named functions only."""
    tree = ast.parse(source)
    kept = []
    for node in tree.body:
        keep = isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign))
        keep = keep or (isinstance(node, ast.FunctionDef) and node.name in function_names)
        keep = keep or (isinstance(node, ast.Expr) and node is tree.body[0])  # docstring
        if keep:
            kept.append(ast.get_source_segment(source, node, padded=True))
    return "\n\n".join(kept) + "\n"
