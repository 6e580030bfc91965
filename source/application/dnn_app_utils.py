"""The network functions the application trains with: the course's versions of what you wrote in
"Building your Deep Neural Network: Step by Step", and `predict`.

They are the functions of the previous assignment, with the same signatures and return values, and one
difference, said in the notebook: `initialize_parameters_deep` scales the random weights by 1 / sqrt(n[l-1])
(and seeds 1), where the previous assignment multiplied them by 0.01 (and seeded 3). This is the scaling often
called Xavier or LeCun initialization (weights of variance 1 / n[l-1]): the signal keeps its size from layer to
layer, and the four-layer network learns. `initialize_parameters_deep_small` is the previous assignment's version.

Shapes follow the course: one column per example, e.g. X of shape (n_x, m).
"""

import matplotlib.pyplot as plt
import numpy as np

from dnn_utils import class_names, relu, relu_backward, sigmoid, sigmoid_backward

# ---------------------------------------------------------------- initialization


def initialize_parameters(n_x, n_h, n_y):
    """W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1): seed 1, weights randn * 0.01, zero biases."""
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims):
    """Wl (layer_dims[l], layer_dims[l-1]) and bl (layer_dims[l], 1): seed 1, randn / sqrt(layer_dims[l-1]).

    Each unit of layer l sums layer_dims[l-1] inputs; dividing by sqrt(layer_dims[l-1]) keeps that sum about
    as large as one input, so the activations neither shrink nor grow from layer to layer.
    """
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def initialize_parameters_deep_small(layer_dims):
    """The previous assignment's initialization, for comparison: seed 3, randn * 0.01; shapes as above."""
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


# ---------------------------------------------------------------- forward propagation


def linear_forward(A, W, b):
    """Z = W A + b: A (n_prev, m), W (n, n_prev), b (n, 1) -> Z (n, m), cache (A, W, b)."""
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """LINEAR then "sigmoid" or "relu": A_prev (n_prev, m) -> A (n, m), cache (linear_cache, activation_cache)."""
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
    """Cross-entropy -1/m sum(y log a + (1-y) log(1-a)): AL, Y (1, m) -> np.squeeze(cost), an array of shape ()."""
    m = Y.shape[1]
    cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    cost = np.squeeze(cost)  # turns [[17]] into 17
    return cost


# ---------------------------------------------------------------- backward propagation
# dZ and dA hold one column per example: dZ[:, i] is the derivative of example i's loss, m times dJ/dZ[:, i].
# The 1/m of the cost is applied once, in dW and db.


def linear_backward(dZ, cache):
    """dZ (n, m), cache (A_prev, W, b) -> dA_prev (n_prev, m), dW = dJ/dW (n, n_prev), db = dJ/db (n, 1)."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """ACTIVATION then LINEAR, backward: dA (n, m) -> dA_prev (n_prev, m), dW (n, n_prev), db (n, 1)."""
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', not {activation!r}")
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients of the whole network: for l = 1..L, grads["dA" + str(l-1)] (the shape of A[l-1], dA0 included),
    grads["dW" + str(l)] and grads["db" + str(l)] (the shapes of Wl and bl)."""
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
    """One step of gradient descent; returns new parameters (the shapes of params); the caller's arrays stay."""
    parameters = {}
    for l in range(1, len(params) // 2 + 1):
        for name in ("W" + str(l), "b" + str(l)):
            parameters[name] = params[name] - learning_rate * grads["d" + name]
    return parameters


# ---------------------------------------------------------------- predict


def predict(X, y, parameters):
    """Predict 0/1 for X (n_x, m) with threshold 0.5; print the accuracy against y (1, m); return p (1, m)."""
    AL, _ = L_model_forward(X, parameters)
    p = (AL > 0.5).astype(float)
    print("Accuracy: " + str(float(np.mean(p == y))))
    return p


def classify_own_image(image, parameters, classes, num_px):
    """Classify one picture and show it; returns 0 or 1.

    image: the path of a picture file (any size: it is resized to num_px x num_px), or a picture as an array
    (num_px, num_px, 3) of uint8, such as test_x_orig[index].
    """
    if isinstance(image, np.ndarray):
        picture = image
    else:
        from PIL import Image

        original = Image.open(image).convert("RGB")
        picture = np.asarray(original.resize((num_px, num_px)))
        print(f"{image}: {original.width} x {original.height} pixels, resized to {num_px} x {num_px}")
    x = picture.reshape(num_px * num_px * 3, 1) / 255
    AL, _ = L_model_forward(x, parameters)
    probability = float(np.squeeze(AL))
    prediction = int(probability > 0.5)
    _, ax = plt.subplots(figsize=(3, 3.3))
    ax.imshow(picture, interpolation="nearest")
    ax.axis("off")
    ax.set_title(f"the network says: {class_names(classes)[prediction]}\n(output {probability:.2f})")
    return prediction
