"""Building the course's HDF5 files from folders of pictures, and loading them back."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO
from PIL import Image

import dnn_utils


def make_pictures(folder, count, colour):
    folder.mkdir(parents=True)
    for index in range(count):
        Image.new("RGB", (30 + index, 20), colour).save(folder / f"picture{index}.png")


def build(*args):
    return subprocess.run([sys.executable, "-m", "dnn_course.make_dataset", *map(str, args)],
                          cwd=REPO, capture_output=True, text=True)


def test_folders_of_pictures_become_the_course_layout(tmp_path):
    make_pictures(tmp_path / "cats", 6, (200, 120, 40))
    make_pictures(tmp_path / "others", 4, (20, 60, 200))
    (tmp_path / "cats" / "broken.jpg").write_bytes(b"not a picture")
    result = build("--cats", tmp_path / "cats", "--others", tmp_path / "others", "--out", tmp_path / "data",
                   "--size", "16", "--test-fraction", "0.3")
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stderr and "broken.jpg" in result.stderr
    assert "Wrote 7 training and 3 test pictures (16x16)" in result.stdout
    train_x, train_y, test_x, test_y, classes = dnn_utils.load_data(tmp_path / "data", verbose=False)
    assert train_x.shape == (7, 16, 16, 3) and train_x.dtype == np.uint8
    assert train_y.shape == (1, 7) and test_y.shape == (1, 3)
    assert list(classes) == [b"non-cat", b"cat"]
    assert int(train_y.sum() + test_y.sum()) == 6  # every cat labelled 1
    cats = np.concatenate([train_x[train_y[0] == 1], test_x[test_y[0] == 1]])
    assert np.all(cats[..., 0] == 200)  # the pictures are the cats', in RGB


@pytest.mark.parametrize("problem, message", [("missing", "is not a folder"), ("empty", "no readable pictures"),
                                              ("too_few", "too few")])
def test_bad_folders_get_a_clear_message(tmp_path, problem, message):
    make_pictures(tmp_path / "cats", 1, (1, 2, 3))
    others = tmp_path / "others"
    if problem == "empty":
        others.mkdir()
    elif problem == "too_few":
        make_pictures(others, 1, (3, 2, 1))
    result = build("--cats", tmp_path / "cats", "--others", others, "--out", tmp_path / "data",
                   "--test-fraction", "0.01")
    assert result.returncode != 0 and message in result.stderr


def test_write_h5_dataset_refuses_bad_input_with_what_to_fix(tmp_path):
    pictures = np.zeros((2, 4, 4, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="uint8"):
        dnn_utils.write_h5_dataset(tmp_path, pictures.astype(float), [0, 1], pictures, [0, 1], ["a", "b"])
    with pytest.raises(ValueError, match="only 0 and 1"):
        dnn_utils.write_h5_dataset(tmp_path, pictures, [0, 2], pictures, [0, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"\(m, num_px, num_px, 3\)"):
        dnn_utils.write_h5_dataset(tmp_path, pictures[..., 0], [0, 1], pictures, [0, 1], ["a", "b"])


def test_without_course_data_the_fallback_is_loaded_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DNN_DATASETS", raising=False)
    monkeypatch.setenv("DNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    train_x, train_y, _, test_y, classes = dnn_utils.load_data()
    assert "FALLBACK" in capsys.readouterr().out
    assert train_x.shape == (300, 8, 8, 3) and train_x.dtype == np.uint8 and test_y.shape == (1, 100)
    assert set(np.unique(train_y)) == {0, 1} and list(classes) == [b"other digit", b"zero"]


def test_a_wrong_dnn_datasets_says_what_to_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("DNN_DATASETS", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="DNN_DATASETS"):
        dnn_utils.load_data()


def test_the_course_data_loads_with_its_shapes(cat_data, capsys):
    train_x, train_y, test_x, test_y, classes = dnn_utils.load_data(cat_data)
    assert "cat pictures" in capsys.readouterr().out
    assert train_x.shape == (209, 64, 64, 3) and test_x.shape == (50, 64, 64, 3)
    assert train_y.shape == (1, 209) and test_y.shape == (1, 50) and list(classes) == [b"non-cat", b"cat"]
