"""Write the application's sample picture: one picture of the TRAINING set, enlarged, as a PNG file.

    python -m dnn_course.sample_picture [--index 7] [--out source/application/images/sample_cat.png]

Section 7 of the application classifies this file out of the box, so that students see the whole path
(a picture file, resized to num_px x num_px, then the prediction) before they try a picture of their own.
It is enlarged 4 times (nearest neighbour, 256 x 256) so that the notebook really resizes it. `make release`
runs this; without the course's data it says so and leaves the file that is there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

import dnn_utils

OUT = Path(__file__).resolve().parents[1] / "source" / "application" / "images" / "sample_cat.png"
INDEX = 7  # a cat of the training set, which both of the application's networks call a cat
SCALE = 4


def write_sample(train_x_orig: np.ndarray, index: int, out: Path) -> Path:
    """train_x_orig (m, num_px, num_px, 3) uint8 -> out, picture `index` enlarged SCALE times."""
    picture = Image.fromarray(np.asarray(train_x_orig[index], dtype=np.uint8))
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.resize((picture.width * SCALE, picture.height * SCALE), Image.NEAREST).save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=int, default=INDEX, help=f"training picture to write (default {INDEX})")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the PNG file (default {OUT})")
    args = parser.parse_args(argv)
    folder = dnn_utils.find_data_dir()
    if folder is None:
        print(f"The course's data was not found (set {dnn_utils.DATASETS_ENV_VAR}): {args.out} left as it is.")
        return
    train_x_orig, train_y, *_ = dnn_utils.load_data(folder, verbose=False)
    label = int(np.ravel(train_y)[args.index])
    print(f"wrote {write_sample(train_x_orig, args.index, args.out)}: training picture {args.index}, label {label}")


if __name__ == "__main__":
    main()
