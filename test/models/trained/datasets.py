"""Data sets of the trained reference models, preprocessed as at training.

Both train_reference_models.py and the accuracy tests load their data here, so
the preprocessing cannot drift between training and testing.

Fashion-MNIST (fashion_mnist_cnn.onnx)
    The IDX files of Debian's `dataset-fashion-mnist` package
    (/usr/share/datasets/fashion-mnist, gzipped or not; the TAMP_FASHION_MNIST_DIR
    environment variable overrides the folder). 60,000 training and 10,000
    test images of 28x28 grey pixels. Inputs are float32 [N, 1, 28, 28] with
    pixel / 255 (0..1); labels are the ten classes 0..9.

scikit-learn's digits (digits_mlp.onnx)
    The 1,797 8x8 images of sklearn.datasets.load_digits, split with
    train_test_split(test_size=0.2, random_state=0, stratify=labels): 1,437
    training and 360 test images. Inputs are float32 [N, 64] with
    pixel / 16 (0..1), the 8x8 image read row by row; labels are the digits.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

FASHION_MNIST_DIR = Path(os.environ.get("TAMP_FASHION_MNIST_DIR",
                                        "/usr/share/datasets/fashion-mnist"))

DIGITS_TEST_FRACTION = 0.2
DIGITS_SPLIT_SEED = 0


class DatasetMissing(RuntimeError):
    """A data set is not installed."""


def _read_idx(stem: str) -> np.ndarray:
    """Reads the IDX file FASHION_MNIST_DIR/stem, gzipped or not."""
    for path, opener in ((FASHION_MNIST_DIR / f"{stem}.gz", gzip.open),
                         (FASHION_MNIST_DIR / stem, open)):
        if path.exists():
            with opener(path, "rb") as file:
                data = file.read()
            break
    else:
        raise DatasetMissing(
            f"Fashion-MNIST file '{stem}' (or '{stem}.gz') not found in "
            f"{FASHION_MNIST_DIR}: run scripts/setup.sh (it installs Debian's "
            f"dataset-fashion-mnist) or set TAMP_FASHION_MNIST_DIR")
    # Big-endian header: two zero bytes, the element type (0x08: uint8), the
    # rank, then one uint32 per dimension.
    if len(data) < 4 or data[0:2] != b"\0\0" or data[2] != 0x08:
        raise ValueError(f"{stem}: not a uint8 IDX file")
    rank = data[3]
    shape = tuple(int(d) for d in
                  np.frombuffer(data, dtype=">u4", count=rank, offset=4))
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{stem}: {values.size} values for shape {shape}")
    return values.reshape(shape)


def _fashion_mnist(prefix: str) -> tuple[np.ndarray, np.ndarray]:
    images = _read_idx(f"{prefix}-images-idx3-ubyte")
    labels = _read_idx(f"{prefix}-labels-idx1-ubyte")
    inputs = (images.astype(np.float32) / np.float32(255))[:, None, :, :]
    return inputs, labels.astype(np.int64)


def fashion_mnist_train() -> tuple[np.ndarray, np.ndarray]:
    """The 60,000 training images: float32 [N, 1, 28, 28] in 0..1, labels."""
    return _fashion_mnist("train")


def fashion_mnist_test() -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 test images: float32 [N, 1, 28, 28] in 0..1, labels."""
    return _fashion_mnist("t10k")


def _digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as err:
        raise DatasetMissing(
            "scikit-learn is not installed: run scripts/setup.sh") from err
    digits = load_digits()
    inputs = digits.data.astype(np.float32) / np.float32(16)
    labels = digits.target.astype(np.int64)
    return train_test_split(inputs, labels, test_size=DIGITS_TEST_FRACTION,
                            random_state=DIGITS_SPLIT_SEED, stratify=labels)


def digits_train() -> tuple[np.ndarray, np.ndarray]:
    """The 1,437 training digits: float32 [N, 64] in 0..1, labels."""
    train_inputs, _, train_labels, _ = _digits_split()
    return train_inputs, train_labels


def digits_test() -> tuple[np.ndarray, np.ndarray]:
    """The 360 test digits: float32 [N, 64] in 0..1, labels."""
    _, test_inputs, _, test_labels = _digits_split()
    return test_inputs, test_labels


# The held-out test split of each trained model, by model file name.
TEST_SPLITS = {
    "fashion_mnist_cnn.onnx": fashion_mnist_test,
    "digits_mlp.onnx": digits_test,
}
