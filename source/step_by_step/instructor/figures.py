"""The teaching figures of "Building your Deep Neural Network: Step by Step" (drawn by `make figures`).

- network_flow.svg: forward propagation through the L layers, what each layer
  keeps in its cache, and backward propagation with the gradients it returns;
- layer_shapes.svg: the shapes in Z = W A + b for one layer and m examples;
- layer_backward.svg: one layer's backward step, from dA[l] through the activation to dZ[l], then to
  dA[l-1], dW[l] and db[l], with what each part takes from the cache and the shapes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from dnn_course.figures import arrow, box
from dnn_utils import COLOURS


def network_flow() -> plt.Figure:
    """Forward (top row, left to right) and backward (bottom row, right to left) through an L-layer network."""
    fig, ax = plt.subplots(figsize=(12, 4.4))
    forward, backward, cache = COLOURS["blue"], COLOURS["vermillion"], COLOURS["green"]
    width, xs = 2.4, [1.5, 4.6, 7.7, 10.8]
    names = ["layer 1", "layer 2", None, "layer L"]
    last = xs[-1] + width + 0.9
    box(ax, -0.1, 2.6, 0.9, 0.8, "$X = A^{[0]}$", forward)
    box(ax, last, 2.6, 1.2, 0.8, "$A^{[L]}$\ncost $J$", forward)
    for name, x in zip(names, xs):
        if name is None:
            for y in (3.0, 0.6):
                ax.text(x + width / 2, y, "⋯", ha="center", va="center", fontsize=18)
            continue
        output = "SIGMOID" if name == "layer L" else "RELU"
        box(ax, x, 2.5, width, 1.0, f"{name}\nLINEAR → {output}", forward, size=9.5)
        box(ax, x, 0.1, width, 1.0, f"{name}, backward\n{output}' then LINEAR", backward, size=9.5)
        arrow(ax, (x + width / 2, 2.45), (x + width / 2, 1.15), cache, "cache", label_offset=(0.38, 0))
    forward_labels = ["$A^{[1]}$", "$A^{[2]}$", "$A^{[L-1]}$", "$A^{[L]}$"]
    for start, end, label in zip([0.8, *(x + width for x in xs)], [*xs, last], ["", *forward_labels]):
        arrow(ax, (start, 3.0), (end, 3.0), forward, label)
    arrow(ax, (last + 0.6, 2.55), (xs[-1] + width + 0.05, 0.75), backward, "$dA^{[L]}$", label_offset=(0.5, 0))
    backward_labels = ["$dA^{[1]}$", "$dA^{[2]}$", "$dA^{[L-1]}$"]
    arrow(ax, (xs[0] - 0.02, 0.6), (-0.05, 0.6), backward, "$dA^{[0]}$", label_offset=(0, 0.28))
    for x, label in zip(xs[1:], backward_labels):
        arrow(ax, (x - 0.02, 0.6), (x - 0.68, 0.6), backward, label, label_offset=(0, 0.28))
    for name, x in zip(names, xs):
        if name is not None:
            l = name.split()[1]
            ax.text(x + width / 2, -0.2, f"returns $dW^{{[{l}]}}$, $db^{{[{l}]}}$", ha="center", fontsize=9,
                    color=backward)
    ax.text(7.0, 4.05, "forward propagation: each layer computes $A^{[l]}$ from $A^{[l-1]}$ and keeps a cache",
            ha="center", fontsize=10.5, color=forward)
    ax.text(7.0, -0.75, "backward propagation: each layer turns $dA^{[l]}$ into $dA^{[l-1]}$, $dW^{[l]}$ and "
            "$db^{[l]}$, using its cache", ha="center", fontsize=10.5, color=backward)
    ax.set(xlim=(-0.3, last + 1.4), ylim=(-1.0, 4.3))
    ax.axis("off")
    ax.set_title("An L-layer network, forward and backward", fontsize=12)
    return fig


def layer_shapes() -> plt.Figure:
    """Z (n_l, m) = W (n_l, n_{l-1}) A (n_{l-1}, m) + b (n_l, 1), drawn to scale for n_l=3, n_{l-1}=5, m=7."""
    fig, ax = plt.subplots(figsize=(9, 2.9))
    n_l, n_prev, m = 3, 5, 7
    cell = 0.32
    parts = [("$W^{[l]}$", n_l, n_prev, COLOURS["blue"], "($n^{[l]}$, $n^{[l-1]}$)"),
             ("$A^{[l-1]}$", n_prev, m, COLOURS["orange"], "($n^{[l-1]}$, $m$)"),
             ("$b^{[l]}$", n_l, 1, COLOURS["green"], "($n^{[l]}$, 1)\nbroadcast over\nthe $m$ columns"),
             ("$Z^{[l]}$", n_l, m, COLOURS["vermillion"], "($n^{[l]}$, $m$)\none column\nper example")]
    symbols = ["·", "+", "=", ""]
    x = 0.0
    for (name, rows, columns, colour, shape), symbol in zip(parts, symbols):
        top = n_prev * cell
        for r in range(rows):
            for c in range(columns):
                ax.add_patch(Rectangle((x + c * cell, top - (r + 1) * cell), cell, cell, facecolor=colour,
                                       alpha=0.25, edgecolor=colour, linewidth=0.8))
        ax.text(x + columns * cell / 2, top + 0.22, name, ha="center", fontsize=13)
        ax.text(x + columns * cell / 2, top - rows * cell - 0.2, shape, ha="center", va="top", fontsize=9.5)
        x += columns * cell + 0.35
        if symbol:
            ax.text(x, top - n_l * cell / 2, symbol, ha="center", va="center", fontsize=20)
        x += 0.45
    ax.set(xlim=(-0.2, x - 0.6), ylim=(-0.75, n_prev * cell + 0.55))
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("One layer's linear step for m examples: $Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$", fontsize=12)
    return fig


def layer_backward() -> plt.Figure:
    """One layer's backward step: dA[l] -> ACTIVATION backward -> dZ[l] -> LINEAR backward -> dA[l-1], dW[l], db[l]."""
    fig, ax = plt.subplots(figsize=(12, 3.8))
    backward, cache, result = COLOURS["vermillion"], COLOURS["green"], COLOURS["blue"]
    box(ax, 0.0, 1.6, 1.5, 0.9, "$dA^{[l]}$\n($n^{[l]}$, $m$)", backward)
    box(ax, 2.2, 1.5, 3.3, 1.1, "ACTIVATION, backward\n$dZ^{[l]} = dA^{[l]} * g'(Z^{[l]})$\n"
        "sigmoid_backward / relu_backward", backward, size=9.5)
    box(ax, 6.2, 1.6, 1.5, 0.9, "$dZ^{[l]}$\n($n^{[l]}$, $m$)", backward)
    box(ax, 8.4, 1.5, 2.2, 1.1, "LINEAR, backward\nlinear_backward", backward, size=9.5)
    arrow(ax, (1.52, 2.05), (2.18, 2.05), backward)
    arrow(ax, (5.52, 2.05), (6.18, 2.05), backward)
    arrow(ax, (7.72, 2.05), (8.38, 2.05), backward)
    box(ax, 2.55, 3.3, 2.6, 0.6, "activation cache: $Z^{[l]}$", cache, size=9.5)
    box(ax, 7.85, 3.3, 3.3, 0.6, "linear cache: $A^{[l-1]}$, $W^{[l]}$, $b^{[l]}$", cache, size=9.5)
    arrow(ax, (3.85, 3.28), (3.85, 2.62), cache, "from the forward pass", label_offset=(-1.2, 0))
    arrow(ax, (9.5, 3.28), (9.5, 2.62), cache, "from the forward pass", label_offset=(-1.2, 0))
    outputs = [(3.3, "$dA^{[l-1]} = W^{[l]T} dZ^{[l]}$\n($n^{[l-1]}$, $m$): to layer $l-1$"),
               (1.9, "$dW^{[l]} = \\frac{1}{m} dZ^{[l]} A^{[l-1]T}$\n($n^{[l]}$, $n^{[l-1]}$), the shape of $W^{[l]}$"),
               (0.5, "$db^{[l]} = \\frac{1}{m} \\sum_i dZ^{[l](i)}$\n($n^{[l]}$, 1), the shape of $b^{[l]}$")]
    for y, text in outputs:
        box(ax, 11.5, y - 0.05, 3.5, 0.9, text, result, size=9.5)
        arrow(ax, (10.62, 2.05), (11.48, y + 0.4), result)
    ax.set(xlim=(-0.1, 15.1), ylim=(0.4, 4.2))
    ax.axis("off")
    ax.set_title("One layer's backward step: linear_activation_backward(dA, cache, activation)", fontsize=12)
    return fig


FIGURES = {"network_flow.svg": network_flow, "layer_shapes.svg": layer_shapes, "layer_backward.svg": layer_backward}
