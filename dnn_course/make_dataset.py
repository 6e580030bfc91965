"""Build the course's two HDF5 files from two folders of pictures.

    python -m dnn_course.make_dataset --cats DIR --others DIR --out DIR [--size 64] [--test-fraction 0.2] [--seed 0]

Every picture (jpg, jpeg, png, bmp, gif) is converted to RGB, resized to size x size
and labelled 1 (cat) or 0 (other); the pictures are shuffled with the seed and split
into train_catvnoncat.h5 and test_catvnoncat.h5 in the layout dnn_utils.load_data reads.
Unreadable files are skipped with a warning.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from dnn_utils import write_h5_dataset

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif"}
CLASSES = [b"non-cat", b"cat"]


def read_pictures(folder: Path, size: int) -> list[np.ndarray]:
    """Every readable picture in folder as a (size, size, 3) uint8 array, in file-name order."""
    from PIL import Image, UnidentifiedImageError

    if not folder.is_dir():
        sys.exit(f"error: {folder} is not a folder of pictures")
    pictures = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in PICTURE_SUFFIXES):
        try:
            with Image.open(path) as picture:
                pictures.append(np.asarray(picture.convert("RGB").resize((size, size)), dtype=np.uint8))
        except (OSError, UnidentifiedImageError) as error:
            print(f"warning: skipped {path}: {error}", file=sys.stderr)
    if not pictures:
        sys.exit(f"error: no readable pictures in {folder}")
    print(f"Read {len(pictures)} pictures from {folder}", flush=True)
    return pictures


def split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int):
    """Shuffle with the seed; the first part is the test set. Returns train_x, train_y, test_x, test_y."""
    order = np.random.RandomState(seed).permutation(len(y))
    test_count = round(len(y) * test_fraction)
    if test_count < 1 or test_count >= len(y):
        sys.exit(f"error: {len(y)} pictures are too few for a test fraction of {test_fraction}")
    test, train = order[:test_count], order[test_count:]
    return x[train], y[train], x[test], y[test]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cats", type=Path, required=True, help="folder of pictures of cats (label 1)")
    parser.add_argument("--others", type=Path, required=True, help="folder of other pictures (label 0)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the two .h5 files to")
    parser.add_argument("--size", type=int, default=64, help="pictures are resized to size x size (default 64)")
    parser.add_argument("--test-fraction", type=float, default=0.2, help="share of pictures for testing (default 0.2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffle (default 0)")
    args = parser.parse_args(argv)
    cats, others = read_pictures(args.cats, args.size), read_pictures(args.others, args.size)
    x = np.stack(cats + others)
    y = np.array([1] * len(cats) + [0] * len(others))
    train_x, train_y, test_x, test_y = split(x, y, args.test_fraction, args.seed)
    write_h5_dataset(args.out, train_x, train_y, test_x, test_y, CLASSES)
    print(f"Wrote {len(train_y)} training and {len(test_y)} test pictures ({args.size}x{args.size}) to {args.out}")


if __name__ == "__main__":
    main()
