"""The application's material made from the course's data: its sample picture, one picture of the TRAINING set,
enlarged, as images/sample_cat.png (`make release` runs `make`, through `python -m dnn_course.materials`).

Section 7 of the application classifies this file out of the box, so that students see the whole path
(a picture file, resized to num_px x num_px, then the prediction) before they try a picture of their own.
It is enlarged 4 times (nearest neighbour, 256 x 256) so that the notebook really resizes it. Without the course's
data it says so and leaves the file that is there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

import dnn_utils

INDEX = 7  # a cat of the training set, which both of the application's networks call a cat
SCALE = 4


def write_sample(train_x_orig: np.ndarray, index: int, out: Path) -> Path:
    """train_x_orig (m, num_px, num_px, 3) uint8 -> out, picture `index` enlarged SCALE times."""
    picture = Image.fromarray(np.asarray(train_x_orig[index], dtype=np.uint8))
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.resize((picture.width * SCALE, picture.height * SCALE), Image.NEAREST).save(out, optimize=True)
    return out


def make(folder: Path) -> None:
    """Write folder/images/sample_cat.png from the training picture INDEX (folder: source/application)."""
    data = dnn_utils.find_data_dir()
    out = folder / "images" / "sample_cat.png"
    if data is None:
        print(f"The course's data was not found (set {dnn_utils.DATASETS_ENV_VAR}): {out} left as it is.")
        return
    train_x_orig, train_y, *_ = dnn_utils.load_data(data, verbose=False)
    label = int(np.ravel(train_y)[INDEX])
    print(f"wrote {write_sample(train_x_orig, INDEX, out)}: training picture {INDEX}, label {label}")
