"""Training speed of Part 2: the course's helpers against the textbook, the matrix-product floor and PyTorch.

    python -m dnn_grader.evidence.benchmark_training [--iterations 300] [--rounds 5]

For the two-layer network (n_x, 7, 1) and the L-layer network (n_x, 20, 7, 5, 1)
on the course's pictures (or, without them, random pictures of the same size),
in float64, one run on this machine, the ways taking turns round after round
(the median round counts), milliseconds per training iteration:
- course helpers: the solution's two_layer_model / L_layer_model (of the assignment that grades them),
  with dnn_app_utils as students get it (the seeds' functions: every dA_prev computed, dA0 included),
  on X as load_data and the notebook make it (C order);
- textbook: the same models (whose helpers are the classic ones since they keep the seeds' contracts), on X in
  the layout the classic flatten of the pictures gives (Fortran order);
- floor: the two products no iteration can avoid, the first layer's W1·X and
  dZ1·Xᵀ, in the fastest arrangement NumPy offers here;
- PyTorch float64, when torch is installed (it is not a course dependency), and
  "floor, PyTorch": the same two products in PyTorch (its BLAS is Intel's MKL,
  NumPy's is OpenBLAS), which shows how much of PyTorch's lead is its BLAS.
Peak memory is the growth of the resident set during training, measured for each
way in a fresh process. Finally the course helpers' costs over the full
2,500 iterations are compared with the textbook's. Timing belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import dnn_utils
from dnn_grader import specs
from dnn_grader.engine.references import reference_namespace

COURSE_ROOT = Path(__file__).resolve().parents[2]
NETWORKS = {"two-layer": ("two_layer_model", (7, 1)), "L-layer": ("L_layer_model", (20, 7, 5, 1))}
LEARNING_RATE = 0.0075
FULL_RUN = 2500


# ---------------------------------------------------------------- the data


def training_data() -> tuple[np.ndarray, np.ndarray, str]:
    """X (n_x, m) and Y (1, m) as the application notebook builds them, and where they came from."""
    folder = dnn_utils.find_data_dir()
    if folder is not None:
        train_x_orig, train_y, *_ = dnn_utils.load_data(folder, verbose=False)
        source = f"the course's pictures in {folder}"
    else:
        rng = np.random.default_rng(0)
        train_x_orig = rng.integers(0, 256, size=(209, 64, 64, 3), dtype=np.uint8)
        train_y = (rng.random((1, 209)) < 0.35).astype(np.int64)
        source = "random pictures of the course's size (the course's data was not found: set DNN_DATASETS)"
    X = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255  # exactly as the notebook flattens
    return X, train_y, source


# ---------------------------------------------------------------- the ways


def models_assignment() -> str:
    """The assignment whose graded functions are the two models (discovered: the benchmark names no assignment)."""
    graded = {name for name, _ in NETWORKS.values()}
    return next(assignment for assignment in specs.known_assignments(COURSE_ROOT)
                if graded <= {spec.name for spec in specs.load(assignment, COURSE_ROOT)})


def models() -> dict:
    """The solution's models, with the course's helpers (dnn_app_utils, as the assignment's setup cell imports it)."""
    return reference_namespace(str(COURSE_ROOT), models_assignment())


def train(way: str, network: str, X, Y, iterations: int):
    """Run `iterations` iterations of one way; returns the costs the model kept (None for the floor)."""
    model_name, hidden = NETWORKS[network]
    dims = (X.shape[0], *hidden)
    if way in ("course helpers", "textbook"):
        model = models()[model_name]
        data = arranged(X, "Fortran order") if way == "textbook" else X  # the classic flatten's layout
        return model(data, Y, dims if model_name == "two_layer_model" else list(dims), LEARNING_RATE, iterations)[1]
    if way == "floor":
        return floor(X, hidden[0], iterations)
    if way == "floor, PyTorch":
        return torch_floor(X, hidden[0], iterations)
    return torch_train(X, Y, dims, iterations)


LAYOUTS = {"as load_data and the notebook make it": lambda X: X, "C order": np.ascontiguousarray,
           "Fortran order": np.asfortranarray}
FORWARD = {"np.dot(W1, X)": lambda W, X: np.dot(W, X), "np.dot(X.T, W1.T).T": lambda W, X: np.dot(X.T, W.T).T}
BACKWARD = {"np.dot(dZ1, X.T)": lambda dZ, X: np.dot(dZ, X.T), "np.dot(X, dZ1.T).T": lambda dZ, X: np.dot(X, dZ.T).T}


def floor_factors(X, n_1: int) -> tuple[np.ndarray, np.ndarray]:
    """Stand-ins for the first layer's W1 (n_1, n_x) and dZ1 (n_1, m), the same every time."""
    rng = np.random.default_rng(1)
    return rng.standard_normal((n_1, X.shape[0])), rng.standard_normal((n_1, X.shape[1]))


def floor(X, n_1: int, iterations: int, arrangement: tuple[str, str, str] | None = None) -> None:
    """The two unavoidable products, `iterations` times, in one arrangement (default: the fastest found)."""
    layout, forward, backward = arrangement or fastest_floor(X, n_1)
    (W, dZ), X = floor_factors(X, n_1), arranged(X, layout)
    for _ in range(iterations):
        FORWARD[forward](W, X)
        BACKWARD[backward](dZ, X)


_ARRANGED: dict = {}
_FASTEST: dict = {}


def arranged(X, layout: str):
    """X in one of the LAYOUTS, made once (so that the floor's timing holds the products only)."""
    if (id(X), layout) not in _ARRANGED:
        _ARRANGED[id(X), layout] = LAYOUTS[layout](X)
    return _ARRANGED[id(X), layout]


def fastest_floor(X, n_1: int) -> tuple[str, str, str]:
    """(layout of X, forward product, backward product): the fastest here, measured once per layer width."""
    if n_1 not in _FASTEST:
        W, dZ = floor_factors(X, n_1)
        best = {}
        for layout in LAYOUTS:
            data = arranged(X, layout)
            forward = min(FORWARD, key=lambda name, data=data: seconds(FORWARD[name], W, data))
            backward = min(BACKWARD, key=lambda name, data=data: seconds(BACKWARD[name], dZ, data))
            best[layout, forward, backward] = seconds(FORWARD[forward], W, data) + seconds(BACKWARD[backward], dZ, data)
        _FASTEST[n_1] = min(best, key=best.get)
    return _FASTEST[n_1]


def seconds(work, *args, repeats: int = 40) -> float:
    """Best of three timings of `repeats` calls of work(*args)."""
    work(*args)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeats):
            work(*args)
        timings.append(time.perf_counter() - started)
    return min(timings) / repeats


def torch_on_all_cores():
    """The torch module, set to use every core (as NumPy's BLAS does)."""
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    return torch


def torch_train(X, Y, dims, iterations: int):
    """The same network and initialization in PyTorch, float64, gradients by autograd (none for X)."""
    torch = torch_on_all_cores()
    solution = models()  # the setup cell imports dnn_app_utils' initializers into it
    parameters = (solution["initialize_parameters"](*dims) if len(dims) == 3
                  else solution["initialize_parameters_deep"](list(dims)))
    weights = [torch.tensor(parameters[f"{k}{l}"], requires_grad=True)
               for l in range(1, len(dims)) for k in ("W", "b")]
    x, y = torch.from_numpy(X), torch.from_numpy(np.asarray(Y, dtype=np.float64))
    costs = []
    for i in range(iterations):
        a = x
        for l in range(len(dims) - 1):
            z = weights[2 * l] @ a + weights[2 * l + 1]
            a = torch.sigmoid(z) if l == len(dims) - 2 else torch.relu(z)
        cost = -torch.mean(y * torch.log(a) + (1 - y) * torch.log(1 - a))
        for w in weights:
            w.grad = None
        cost.backward()
        with torch.no_grad():
            for w in weights:
                w -= LEARNING_RATE * w.grad
        if i % 100 == 0:
            costs.append(float(cost.detach()))
    return costs


def torch_floor(X, n_1: int, iterations: int) -> None:
    """The two unavoidable products, W1·X and dZ1·Xᵀ, `iterations` times, in PyTorch float64."""
    torch = torch_on_all_cores()
    W, dZ, x = (torch.from_numpy(array) for array in (*floor_factors(X, n_1), X))
    for _ in range(iterations):
        W @ x
        dZ @ x.T


def available_ways() -> list[str]:
    ways = ["course helpers", "textbook", "floor"]
    try:
        import torch  # noqa: F401

        ways += ["PyTorch float64", "floor, PyTorch"]
    except ImportError:
        pass
    return ways


# ---------------------------------------------------------------- measuring


def ms_per_iteration(network: str, ways: list[str], X, Y, iterations: int, rounds: int) -> dict[str, float]:
    """Median over rounds of each way's milliseconds per iteration; the ways take turns within a round."""
    for way in ways:  # warm up: imports, BLAS threads, the first large allocations
        train(way, network, X, Y, 3)
    times: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(rounds):
        for way in ways:
            started = time.perf_counter()
            train(way, network, X, Y, iterations)
            times[way].append(1000 * (time.perf_counter() - started) / iterations)
    return {way: statistics.median(values) for way, values in times.items()}


def peak_memory_mb(way: str, network: str, iterations: int) -> float:
    """Growth of the resident set (MB) while one way trains, in a fresh Python process."""
    code = (f"import json, sys; sys.path.insert(0, {str(COURSE_ROOT)!r})\n"
            "from dnn_grader.evidence.benchmark_training import training_data, train, resident_mb\n"
            "X, Y, _ = training_data()\n"
            f"train({way!r}, {network!r}, X, Y, 2)\n"
            "before = resident_mb('VmRSS')\n"
            f"train({way!r}, {network!r}, X, Y, {iterations})\n"
            "print(json.dumps(resident_mb('VmHWM') - before))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def resident_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} is not in /proc/self/status")


def same_trajectory(network: str, X, Y) -> float:
    """Largest relative difference between the course helpers' and the textbook's costs over the full run."""
    course = np.array(train("course helpers", network, X, Y, FULL_RUN), dtype=float)
    textbook = np.array(train("textbook", network, X, Y, FULL_RUN), dtype=float)
    return float(np.max(np.abs(course - textbook) / np.abs(textbook)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=300, help="iterations per way and round (default 300)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median counts (default 5)")
    args = parser.parse_args(argv)
    X, Y, source = training_data()
    ways = available_ways()
    print(f"Data: {source}: X {X.shape}, float64. NumPy {np.__version__}, {os.cpu_count()} cores.")
    if "PyTorch float64" not in ways:
        print("PyTorch is not installed: `pip install torch==2.13.0` to compare with it.")
    for network, (_, hidden) in NETWORKS.items():
        print(f"\n{network} network {(X.shape[0], *hidden)}: {args.rounds} rounds of {args.iterations} iterations",
              flush=True)
        times = ms_per_iteration(network, ways, X, Y, args.iterations, args.rounds)
        memory = {way: peak_memory_mb(way, network, 20) for way in ways}
        print(f"  {'way':<16}{'ms/iteration':>13}{'x floor':>9}{'x PyTorch':>11}{'peak MB':>9}")
        for way in ways:
            torch_ratio = f"{times[way] / times['PyTorch float64']:11.2f}" if "PyTorch float64" in times else ""
            print(f"  {way:<16}{times[way]:13.2f}{times[way] / times['floor']:9.2f}{torch_ratio:>11}"
                  f"{memory[way]:9.1f}")
        layout, forward, backward = fastest_floor(X, hidden[0])
        print(f"  (floor: {forward} and {backward}, X in {layout})")
        difference = same_trajectory(network, X, Y)
        print(f"  costs every 100 iterations over {FULL_RUN}: course helpers vs textbook, largest relative "
              f"difference {difference:.1e} ({'within' if difference <= 1e-10 else 'OUTSIDE'} 1e-10)", flush=True)
    print("\nDone: course helpers, textbook, floor" + (" and PyTorch" if len(ways) > 3 else "") + " measured.")


if __name__ == "__main__":
    main()
