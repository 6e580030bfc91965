"""The teaching figure of "Deep Neural Network for Image Classification: Application" (drawn by `make figures`).

- architectures.svg: the two networks trained on the pictures, with their layer sizes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from dnn_course.figures import arrow, box
from dnn_utils import COLOURS


def architectures() -> plt.Figure:
    """The two-layer (n_x, 7, 1) and the four-layer (n_x, 20, 7, 5, 1) networks of the application."""
    fig, ax = plt.subplots(figsize=(13.5, 3.0))
    colours = {"input": COLOURS["orange"], "relu": COLOURS["blue"], "sigmoid": COLOURS["vermillion"]}
    networks = [("two-layer network", [7]), ("four-layer network ($L = 4$)", [20, 7, 5])]
    for row, (title, hidden) in enumerate(networks):
        y = 1.6 - row * 1.5
        ax.text(-0.2, y + 0.95, title, fontsize=11, ha="left")
        layers = [("$X$: $n_x$ = 12288\n(64·64·3 values\nof a cat picture)", "input"),
                  *((f"LINEAR → RELU\n{n} units", "relu") for n in hidden),
                  ("LINEAR → SIGMOID\n1 unit", "sigmoid"), ("$\\hat{y}$ > 0.5:\ncat", "sigmoid")]
        x = 0.0
        for index, (text, kind) in enumerate(layers):
            box(ax, x, y, 1.95, 0.75, text, colours[kind], size=9)
            if index < len(layers) - 1:
                arrow(ax, (x + 1.97, y + 0.37), (x + 2.43, y + 0.37), COLOURS["blue"])
            x += 2.45
    ax.set(xlim=(-0.3, 14.3), ylim=(0.0, 2.7))
    ax.axis("off")
    ax.set_title("The two networks of this assignment, and the size of each layer", fontsize=12)
    return fig


FIGURES = {"architectures.svg": architectures}
