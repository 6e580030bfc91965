"""Draw every assignment's teaching figures into source/<assignment>/images/ (nbgrader copies them to release/).

    python -m dnn_course.figures [--source DIR] [ASSIGNMENT ...]

An assignment's figures are drawn by its own source/<assignment>/instructor/figures.py (FIGURES: file name ->
a function returning the figure), with the shared pieces here (box, arrow). Colours are the Okabe-Ito palette of dnn_utils (told apart with any common
colour-vision deficiency); every arrow also has a label, so colour is never the
only cue. Rerun after editing a figure and commit the SVG files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Rectangle

from dnn_grader import course

SOURCE = Path(__file__).resolve().parents[1] / "source"
SVG_OPTIONS = {"format": "svg", "metadata": {"Date": None}, "bbox_inches": "tight"}  # no date: reproducible files
plt.rcParams["svg.hashsalt"] = "dnn-step-by-step"  # stable ids inside the SVG files


def box(ax, x, y, width, height, text, colour, size=10):
    ax.add_patch(Rectangle((x, y), width, height, facecolor=colour, alpha=0.18, edgecolor=colour, linewidth=1.5))
    ax.text(x + width / 2, y + height / 2, text, ha="center", va="center", fontsize=size)


def arrow(ax, start, end, colour, label="", label_offset=(0, 0.18), style="-|>"):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14, color=colour, linewidth=1.6))
    if label:
        ax.text((start[0] + end[0]) / 2 + label_offset[0], (start[1] + end[1]) / 2 + label_offset[1], label,
                ha="center", va="center", fontsize=9, color=colour)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"the course's source/ folder (default {SOURCE})")
    parser.add_argument("assignments", nargs="*", help="the assignments to draw (default: every one)")
    args = parser.parse_args(argv)
    drawn = 0
    for assignment in course.assignments(args.source.parent):
        figures = assignment.instructor_module("figures")
        if figures is None or (args.assignments and assignment.name not in args.assignments):
            continue
        out = assignment.folder / "images"
        out.mkdir(parents=True, exist_ok=True)
        for name, draw in figures.FIGURES.items():
            figure = draw()
            figure.savefig(out / name, **SVG_OPTIONS)
            plt.close(figure)
            print(f"wrote {out / name}")
            drawn += 1
    print(f"Drew {drawn} figures.")


if __name__ == "__main__":
    main()
