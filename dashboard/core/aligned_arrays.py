"""Arrays TensorFlow can read in place: `.npz` members unpacked into 64-byte-aligned memory.

TensorFlow copies a NumPy array it is given, unless the array comes through DLPack with
memory aligned as TensorFlow's own (64 bytes). The dataset's training images are then held
once, as an array and a tensor over the same bytes, instead of twice (MNIST: 47 MB each).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

ALIGNMENT = 64  # bytes: the alignment TensorFlow needs to share a buffer instead of copying
CHUNK = 1 << 20  # bytes decompressed at a time: a larger read would build a temporary copy


def aligned_empty(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Return an uninitialized C-ordered array whose data starts on a 64-byte boundary."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(size + ALIGNMENT, np.uint8)
    start = -raw.ctypes.data % ALIGNMENT
    return raw[start : start + size].view(dtype).reshape(shape)


def read_members(path: Path, keys: tuple[str, ...], count: int | None = None) -> tuple:
    """Return the arrays `keys` of `.npz` archive `path` in aligned memory, or only their
    first `count` rows; each member is decompressed as a stream, with no second copy."""
    with zipfile.ZipFile(path) as archive:
        return tuple(_read_member(archive, f"{key}.npy", count) for key in keys)


def _read_member(archive: zipfile.ZipFile, member: str, count: int | None) -> np.ndarray:
    with archive.open(member) as stream:
        version = np.lib.format.read_magic(stream)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran_order, dtype = read_header(stream)
        if fortran_order or dtype.hasobject:
            raise ValueError(f"{member}: only C-ordered plain arrays are read here")
        rows = shape[0] if count is None else min(count, shape[0])
        array = aligned_empty((rows, *shape[1:]), dtype)
        _fill(stream, memoryview(array.reshape(-1).view(np.uint8)), member)
        return array


def _fill(stream, buffer: memoryview, member: str) -> None:
    filled = 0
    while filled < len(buffer):
        read = stream.readinto(buffer[filled : filled + CHUNK])
        if not read:
            raise ValueError(f"{member}: the archive ends before the array does")
        filled += read


def shared_tensor(array: np.ndarray):
    """Return a TensorFlow tensor over `array`'s own memory when it is aligned, else a copy.

    The tensor keeps the array alive. TensorFlow never writes into an input tensor, so a
    read-only array stays unchanged.
    """
    import tensorflow as tf

    if array.ctypes.data % ALIGNMENT or not array.flags.c_contiguous:
        return tf.convert_to_tensor(array)
    was_writeable = array.flags.writeable
    try:
        array.setflags(write=True)  # DLPack's legacy capsule cannot say "read-only"
    except ValueError:  # memory this array does not own: copy it
        return tf.convert_to_tensor(array)
    try:
        capsule = array.__dlpack__()
    finally:
        array.setflags(write=was_writeable)
    return tf.experimental.dlpack.from_dlpack(capsule)
