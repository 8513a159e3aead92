"""Loads Fashion-MNIST (IDX, gzipped) as the tutorial's read_data_sets does: 55 000 train,
5 000 validation, 10 000 test, images float32 in [0, 1]."""

import gzip

import numpy as np

DIRECTORY = "/usr/share/datasets/fashion-mnist"


def _read(name, offset):
    with gzip.open(f"{DIRECTORY}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


class DataSet:
    def __init__(self, images, labels, seed=0):
        self.images, self.labels = images, labels
        self.num_examples = len(labels)
        self._index = 0
        self._rng = np.random.RandomState(seed)

    def next_batch(self, batch_size):
        start = self._index
        self._index += batch_size
        if self._index > self.num_examples:
            perm = self._rng.permutation(self.num_examples)
            self.images, self.labels = self.images[perm], self.labels[perm]
            start, self._index = 0, batch_size
        return self.images[start:self._index], self.labels[start:self._index]


def read_data_sets(validation_size=5000):
    train_images = _read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    train_labels = _read("train-labels-idx1-ubyte.gz", 8).astype(np.int32)
    test_images = _read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    test_labels = _read("t10k-labels-idx1-ubyte.gz", 8).astype(np.int32)
    return (DataSet(train_images[validation_size:], train_labels[validation_size:]),
            DataSet(train_images[:validation_size], train_labels[:validation_size]),
            DataSet(test_images, test_labels))
