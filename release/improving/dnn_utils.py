"""What the course gives you in both assignments: activations, the data, plots.

Sections:
- Activations: sigmoid and ReLU, forward and backward.
- Data: finding and loading the cat pictures (or a fallback data set), writing HDF5 files.
- Plots: class counts, example pictures, cost curves, mislabeled pictures.

The network functions the application trains with are in dnn_app_utils.py, which comes with the application.

Shapes follow the course: one column per example, e.g. X of shape (n_x, m).
"""

import os
from pathlib import Path

import h5py
import matplotlib.pyplot as plt
import numpy as np

# ---------------------------------------------------------------- activations


def sigmoid(Z):
    """A = 1 / (1 + exp(-Z)), any shape. Returns A and the cache Z."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """A = max(0, Z), any shape. Returns A and the cache Z."""
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, cache):
    """dZ = dA * s * (1 - s) with s = sigmoid(Z); dA and cache Z of the same shape."""
    s, _ = sigmoid(cache)
    return dA * s * (1 - s)


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, 0 elsewhere; dA and cache Z of the same shape."""
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0
    return dZ


# ---------------------------------------------------------------- data

DATASETS_ENV_VAR = "DNN_DATASETS"
CACHE_ENV_VAR = "DNN_CACHE_DIR"
TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"
FALLBACK_CLASSES = [b"other digit", b"zero"]
FALLBACK_TRAIN_SIZE = 300
FALLBACK_TEST_SIZE = 100


DATA_FOLDERS = ("datasets", "shared/datasets")  # looked for in the working folder, then in each folder above it


def find_data_dir(start=None):
    """The folder holding both course files, or None: the course's one rule for where its data lives.

    $DNN_DATASETS if set; else the nearest `datasets/` (or `shared/datasets/`, a copy shared by several
    clones) in `start` (default: the working folder) or a folder above it. A notebook in
    release/step_by_step/ therefore finds the course folder's datasets/.
    """
    if os.environ.get(DATASETS_ENV_VAR):
        folder = Path(os.environ[DATASETS_ENV_VAR])
        if not _has_data(folder):
            raise FileNotFoundError(f"{DATASETS_ENV_VAR} is set to {folder}, but {TRAIN_FILE} and {TEST_FILE} "
                                    f"are not both there: fix the path or unset {DATASETS_ENV_VAR}.")
        return folder
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        for name in DATA_FOLDERS:
            if _has_data(folder / name):
                return folder / name
    return None


def _has_data(folder):
    return (folder / TRAIN_FILE).is_file() and (folder / TEST_FILE).is_file()


def load_data(data_dir=None, verbose=True):
    """Load the pictures: (train_x_orig, train_y, test_x_orig, test_y, classes).

    train_x_orig: (m_train, num_px, num_px, 3) uint8; train_y: (1, m_train) of 0/1;
    the same for test; classes: array of class names as bytes, class 0 first.
    Without the course's data, a fallback data set built from scikit-learn's digits is used.
    """
    folder = Path(data_dir) if data_dir is not None else find_data_dir()
    fallback = folder is None
    if fallback:
        folder = Path(os.environ.get(CACHE_ENV_VAR, Path.home() / ".cache" / "dnn_step_by_step")) / "fallback_digits"
        if not _has_data(folder):
            make_fallback_dataset(folder)
    with h5py.File(folder / TRAIN_FILE, "r") as train:
        train_x, train_y = stored_by_column(train["train_set_x"][:]), train["train_set_y"][:]
    with h5py.File(folder / TEST_FILE, "r") as test:
        test_x, test_y, classes = stored_by_column(test["test_set_x"][:]), test["test_set_y"][:], test["list_classes"][:]
    if verbose:
        sizes = (f"{len(train_y)} training and {len(test_y)} test pictures "
                 f"of {train_x.shape[1]}x{train_x.shape[2]}x{train_x.shape[3]}")
        if fallback:
            print(f"The course's cat pictures were not found, so this is the FALLBACK data set (scikit-learn "
                  f"digits: is it a zero?), {sizes}, from {folder}. To use the cat pictures, put {TRAIN_FILE} "
                  f"and {TEST_FILE} in a folder named datasets/ or set {DATASETS_ENV_VAR} to the folder "
                  "that holds them.")
        else:
            print(f"Loaded the course's cat pictures from {folder}: {sizes}.")
    return train_x, train_y.reshape(1, -1), test_x, test_y.reshape(1, -1), classes


def stored_by_column(pictures):
    """The same pictures (m, num_px, num_px, 3), stored so that `pictures.reshape(m, -1).T` is a C-ordered array.

    The notebooks flatten the pictures to X of shape (num_px * num_px * 3, m); stored this way, X comes out with
    each row contiguous in memory, the layout in which NumPy's matrix products W·X and dZ·Xᵀ run fastest.
    """
    m = pictures.shape[0]
    columns = np.ascontiguousarray(pictures.reshape(m, -1).T)
    return columns.T.reshape(pictures.shape)


def write_h5_dataset(directory, train_x, train_y, test_x, test_y, classes):
    """Write train_catvnoncat.h5 and test_catvnoncat.h5 in the course's layout.

    train_x, test_x: (m, num_px, num_px, 3) uint8 pictures; train_y, test_y: m labels 0 or 1
    (shape (m,) or (1, m)); classes: two class names (class 0 first), str or bytes.
    """
    train_y, test_y = np.asarray(train_y).reshape(-1), np.asarray(test_y).reshape(-1)
    for name, x, y in (("train", train_x, train_y), ("test", test_x, test_y)):
        x = np.asarray(x)
        if x.ndim != 4 or x.shape[3] != 3 or x.shape[1] != x.shape[2]:
            raise ValueError(f"{name}_x must have shape (m, num_px, num_px, 3); got {x.shape}.")
        if x.dtype != np.uint8:
            raise ValueError(f"{name}_x must hold uint8 pixels (0-255); got {x.dtype}: convert with .astype(np.uint8).")
        if len(y) != len(x):
            raise ValueError(f"{name}_y has {len(y)} labels for {len(x)} pictures.")
        if not np.isin(y, (0, 1)).all():
            raise ValueError(f"{name}_y must hold only 0 and 1.")
    if len(classes) != 2:
        raise ValueError(f"classes must name the two classes (class 0 first); got {len(classes)} names.")
    names = np.array([c.encode() if isinstance(c, str) else bytes(c) for c in classes])
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with h5py.File(directory / TRAIN_FILE, "w") as train:
        train["train_set_x"] = np.asarray(train_x, dtype=np.uint8)
        train["train_set_y"] = train_y.astype(np.int64)
        train["list_classes"] = names
    with h5py.File(directory / TEST_FILE, "w") as test:
        test["test_set_x"] = np.asarray(test_x, dtype=np.uint8)
        test["test_set_y"] = test_y.astype(np.int64)
        test["list_classes"] = names


def make_fallback_dataset(directory):
    """A small real picture data set: scikit-learn's 8x8 handwritten digits, "is it a zero?"."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    pixels = np.round(digits.images * (255 / 16)).astype(np.uint8)  # 0..16 grey levels to 0..255
    pictures = np.repeat(pixels[..., np.newaxis], 3, axis=3)  # grey to RGB
    labels = (digits.target == 0).astype(np.int64)
    order = np.random.RandomState(0).permutation(len(labels))
    train = order[:FALLBACK_TRAIN_SIZE]
    test = order[FALLBACK_TRAIN_SIZE:FALLBACK_TRAIN_SIZE + FALLBACK_TEST_SIZE]
    write_h5_dataset(directory, pictures[train], labels[train], pictures[test], labels[test], FALLBACK_CLASSES)


# ---------------------------------------------------------------- plots

# Okabe-Ito colours: told apart by people with any common colour-vision deficiency.
COLOURS = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00"}


def class_names(classes):
    return [c.decode() if isinstance(c, bytes) else str(c) for c in classes]


def plot_class_counts(train_y, test_y, classes):
    """Bar chart of how many pictures of each class are in the training and test sets."""
    names = class_names(classes)
    positions = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(6, 4))
    for offset, (label, y, colour) in enumerate((("training set", train_y, "blue"), ("test set", test_y, "orange"))):
        counts = [int(np.sum(y == k)) for k in range(len(names))]
        bars = ax.bar(positions + (offset - 0.5) * 0.4, counts, width=0.4, label=label, color=COLOURS[colour])
        ax.bar_label(bars)
    ax.set_xticks(positions, names)
    ax.set(title="Pictures per class", xlabel="class", ylabel="number of pictures")
    ax.legend()
    return fig


def show_examples(x_orig, y, classes, count=12, columns=6, title="Examples and their labels"):
    """A grid of `count` pictures of x_orig (m, num_px, num_px, 3), titled with their index and label.

    Each class gets an equal share of the grid (its first pictures), so that a rare class shows too.
    """
    names, labels = class_names(classes), labels_of(y)
    chosen = balanced_indices(labels, len(names), min(count, len(x_orig)))
    rows = int(np.ceil(len(chosen) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2 * columns, 2.4 * rows), layout="constrained", squeeze=False)
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, index in zip(np.ravel(axes), chosen):
        ax.imshow(x_orig[index], interpolation="nearest")
        ax.set_title(f"{index}: {names[labels[index]]}")
    fig.suptitle(title)
    return fig


def labels_of(y):
    """Labels of shape (m,) or (1, m) as a flat array of ints."""
    return np.ravel(y).astype(int)


def balanced_indices(labels, class_count, count):
    """`count` indices in increasing order: the first count // class_count of each class, topped up in order."""
    chosen = {int(i) for k in range(class_count) for i in np.flatnonzero(labels == k)[: count // class_count]}
    rest = [i for i in range(len(labels)) if i not in chosen]
    return sorted(chosen.union(rest[: count - len(chosen)]))


def plot_costs(costs, learning_rate, last=None):
    """The cost every hundred iterations, as returned by the models; `last` = (iteration, cost) adds the end point,
    e.g. (2500, the cost of the trained parameters), so that the curve reaches the end of the training."""
    return plot_cost_curves({"training cost": costs}, learning_rate, None if last is None else {"training cost": last})


def plot_cost_curves(curves, learning_rate, last=None):
    """Several cost curves on one plot: curves maps a label to the costs every hundred iterations (iteration 0
    first); last, if given, maps a label to (iteration, cost), the curve's end point after the last update."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for (label, costs), colour, marker in zip(curves.items(), ("blue", "orange", "green"), ("o", "s", "^")):
        iterations = list(np.arange(len(costs)) * 100)
        values = list(np.ravel(np.array(costs, dtype=float)))
        if last is not None and label in last:
            iterations.append(last[label][0])
            values.append(float(np.squeeze(last[label][1])))
        ax.plot(iterations, values, color=COLOURS[colour], marker=marker, markersize=4, label=label)
    ax.set(title=f"Cost during training (learning rate = {learning_rate})", xlabel="iteration",
           ylabel="cross-entropy cost")
    ax.legend()
    return fig


def print_mislabeled_images(classes, X, y, p, count=10, columns=5):
    """A grid (`columns` wide) of the first `count` pictures whose prediction p differs from the label y.

    X: flattened pictures (num_px * num_px * 3, m), scaled to [0, 1]; y, p: (1, m).
    """
    names = class_names(classes)
    num_px = int(np.sqrt(X.shape[0] / 3) + 0.5)
    all_wrong = np.flatnonzero(np.squeeze(p) != np.squeeze(y))
    wrong = all_wrong[:count]
    if len(wrong) == 0:
        print("No mislabeled pictures.")
        return None
    columns = min(columns, len(wrong))
    rows = int(np.ceil(len(wrong) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2.2 * columns, 2.6 * rows + 0.4), layout="constrained",
                             squeeze=False)
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, index in zip(np.ravel(axes), wrong):
        ax.imshow(X[:, index].reshape(num_px, num_px, 3), interpolation="nearest")
        ax.set_title(f"{index}: predicted {names[int(p[0, index])]}\nlabel: {names[int(y[0, index])]}", fontsize=9)
    fig.suptitle(f"Mislabeled pictures: the first {len(wrong)} of {len(all_wrong)}")
    return fig
