"""The bundled training digits (media/mnist) as PyTorch tensors, for the PyTorch comparison scripts."""
import gzip, os, struct

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank :]), dtype=torch.uint8).reshape(dims)


def training_digits():
    """Images as float rows in [0, 1], and their labels."""
    images = read_idx(os.path.join(ROOT, "media", "mnist", "train-images-idx3-ubyte.gz")).reshape(-1, 784).float() / 255
    labels = read_idx(os.path.join(ROOT, "media", "mnist", "train-labels-idx1-ubyte.gz")).long()
    return images, labels
