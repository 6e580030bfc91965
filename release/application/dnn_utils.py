"""What the course gives you: activations, the data, plots, and (for the application) the
functions you write in "Building your Deep Neural Network: Step by Step".

Sections:
- Activations: sigmoid and ReLU, forward and backward.
- Data: finding and loading the cat pictures (or a fallback data set), writing HDF5 files.
- Plots: class counts, example pictures, cost curves, mislabeled pictures, your own picture.
- Part 2 helpers: the step-by-step functions, with the application's initialization.
- Predict.

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
    s = 1 / (1 + np.exp(-cache))
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
        what = ("the FALLBACK data set (scikit-learn digits: is it a zero?), because the course's cat pictures "
                f"were not found; put {TRAIN_FILE} and {TEST_FILE} in a datasets/ folder or set {DATASETS_ENV_VAR}"
                if fallback else "the course's cat pictures")
        print(f"Loaded {what} from {folder}: {len(train_y)} training and {len(test_y)} test pictures "
              f"of {train_x.shape[1]}x{train_x.shape[2]}x{train_x.shape[3]}.")
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


def show_examples(x_orig, y, classes, count=12, columns=6):
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
    fig.suptitle("Examples and their labels")
    return fig


def labels_of(y):
    """Labels of shape (m,) or (1, m) as a flat array of ints."""
    return np.ravel(y).astype(int)


def balanced_indices(labels, class_count, count):
    """`count` indices in increasing order: the first count // class_count of each class, topped up in order."""
    chosen = {int(i) for k in range(class_count) for i in np.flatnonzero(labels == k)[: count // class_count]}
    rest = [i for i in range(len(labels)) if i not in chosen]
    return sorted(chosen.union(rest[: count - len(chosen)]))


def plot_costs(costs, learning_rate):
    """The cost every hundred iterations, as returned by the models."""
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(np.arange(len(costs)) * 100, np.squeeze(np.array(costs, dtype=float)), color=COLOURS["blue"],
            marker="o", markersize=3, label="training cost")
    ax.set(title=f"Cost during training (learning rate = {learning_rate})", xlabel="iteration",
           ylabel="cross-entropy cost")
    ax.legend()
    return fig


def print_mislabeled_images(classes, X, y, p, count=10):
    """The first `count` pictures whose prediction p differs from the label y.

    X: flattened pictures (num_px * num_px * 3, m), scaled to [0, 1]; y, p: (1, m).
    """
    names = class_names(classes)
    num_px = int(np.sqrt(X.shape[0] / 3) + 0.5)
    wrong = np.flatnonzero(np.squeeze(p) != np.squeeze(y))[:count]
    if len(wrong) == 0:
        print("No mislabeled pictures.")
        return None
    fig, axes = plt.subplots(1, len(wrong), figsize=(2.2 * len(wrong), 2.8), squeeze=False)
    for ax, index in zip(axes[0], wrong):
        ax.imshow(X[:, index].reshape(num_px, num_px, 3), interpolation="nearest")
        ax.axis("off")
        ax.set_title(f"predicted: {names[int(p[0, index])]}\nlabel: {names[int(y[0, index])]}", fontsize=9)
    fig.suptitle("Mislabeled pictures")
    fig.tight_layout()
    return fig


def classify_own_image(path, parameters, classes, num_px):
    """Resize your picture to num_px x num_px, predict its class with the network, show it; returns 0 or 1."""
    from PIL import Image

    picture = Image.open(path).convert("RGB").resize((num_px, num_px))
    x = np.asarray(picture, dtype=float).reshape(num_px * num_px * 3, 1) / 255
    AL, _ = L_model_forward(x, parameters)
    prediction = int(np.squeeze(AL) > 0.5)
    _, ax = plt.subplots(figsize=(3, 3))
    ax.imshow(picture)
    ax.axis("off")
    ax.set_title(f"the network says: {class_names(classes)[prediction]}")
    return prediction


# ---------------------------------------------------------------- Part 2 helpers


def initialize_parameters(n_x, n_h, n_y):
    """W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1): seed 1, weights randn * 0.01, zero biases."""
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims):
    """Wl (layer_dims[l], layer_dims[l-1]) and bl (layer_dims[l], 1): seed 1, randn / sqrt(layer_dims[l-1])."""
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b: A (n_prev, m), W (n, n_prev), b (n, 1) -> Z (n, m), cache (A, W, b)."""
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """LINEAR then "sigmoid" or "relu": -> A (n, m), cache (linear_cache, activation_cache)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    else:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', not {activation!r}")
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID: X (n_x, m) -> AL (1, m), list of L caches."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy -1/m sum(y log a + (1-y) log(1-a)): AL, Y (1, m) -> a number of shape ()."""
    m = Y.shape[1]
    cost = -1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return np.squeeze(cost)


def linear_backward(dZ, cache):
    """dZ (n, m), cache (A_prev, W, b) -> dA_prev (n_prev, m), dW (n, n_prev), db (n, 1).

    dA_prev comes as a DeferredProduct: an array computed the first time it is used (see below).
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = np.dot(1 / m * dZ, A_prev.T)  # scaling the small dZ rather than the large dW: less to write
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = DeferredProduct(W, dZ)
    return dA_prev, dW, db


class DeferredProduct(np.lib.mixins.NDArrayOperatorsMixin):
    """The array W.T · dZ, computed the first time it is used, and only then.

    Why: in the first layer, dA_prev is dA0, the gradient with respect to the pictures X. Nobody uses it, yet
    computing it (a (n_x, m) array: 12288 x 209 for the cats) costs as much as the rest of a training iteration.
    Use it like any NumPy array (arithmetic, np functions, .shape, printing, np.asarray): it then becomes one.
    """

    def __init__(self, W, dZ):
        self._factors = (W, dZ)
        self._value = None

    @property
    def value(self):
        """The product as a NumPy array (computed once)."""
        if self._value is None:
            W, dZ = self._factors
            self._value = np.dot(W.T, dZ)
        return self._value

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype) if copy is not True else np.array(self.value, dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(_value_of(x) for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(_value_of(x) for x in kwargs["out"])
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __getattr__(self, name):  # .shape, .T, .dtype, .sum(), ...
        return getattr(self.value, name)

    def __getitem__(self, key):
        return self.value[key]

    def __setitem__(self, key, item):
        self.value[key] = item

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        return iter(self.value)

    def __repr__(self):
        return repr(self.value)

    def __str__(self):
        return str(self.value)


def _value_of(x):
    return x.value if isinstance(x, DeferredProduct) else x


def linear_activation_backward(dA, cache, activation):
    """ACTIVATION then LINEAR, backward: dA (n, m) -> dA_prev (n_prev, m), dW, db."""
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', not {activation!r}")
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients of the whole network: grads["dA" + str(l-1)], grads["dW" + str(l)], grads["db" + str(l)]."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA_prev, dW, db
    return grads


def update_parameters(params, grads, learning_rate):
    """One step of gradient descent; returns new parameters and leaves the caller's arrays unchanged."""
    parameters = {}
    for l in range(1, len(params) // 2 + 1):
        for name in ("W" + str(l), "b" + str(l)):
            step = learning_rate * grads["d" + name]
            # params[name] - step, written into `step`: one new array rather than two (W1 can be large).
            parameters[name] = np.subtract(params[name], step, out=step)
    return parameters


# ---------------------------------------------------------------- predict


def predict(X, y, parameters):
    """Predict 0/1 for X (n_x, m) with threshold 0.5; print the accuracy against y (1, m); return p (1, m)."""
    AL, _ = L_model_forward(X, parameters)
    p = (AL > 0.5).astype(float)
    print("Accuracy: " + str(float(np.mean(p == y))))
    return p
