"""Archive members read into aligned memory, and tensors that share it."""

import io
import zipfile

import numpy as np
import pytest

from dashboard.core.aligned_arrays import ALIGNMENT, read_members, shared_tensor


def _archive(tmp_path, **arrays):
    path = tmp_path / "arrays.npz"
    np.savez_compressed(path, **arrays)
    return path


def test_members_come_back_equal_aligned_and_in_part(tmp_path):
    images = np.arange(5 * 7 * 3, dtype=np.uint8).reshape(5, 7, 3)
    labels = np.arange(5, dtype=np.int64)
    path = _archive(tmp_path, images=images, labels=labels)
    whole, first = read_members(path, ("images", "labels"))
    np.testing.assert_array_equal(whole, images)
    np.testing.assert_array_equal(first, labels)
    assert whole.ctypes.data % ALIGNMENT == 0
    (part,) = read_members(path, ("images",), count=2)
    np.testing.assert_array_equal(part, images[:2])


def test_a_truncated_member_is_refused_by_name(tmp_path):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.zeros((100, 10), np.float32))
    path = tmp_path / "cut.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", buffer.getvalue()[:-40])
    with pytest.raises(ValueError, match="x.npy: the archive ends before the array does"):
        read_members(path, ("x",))


def test_an_aligned_array_is_shared_and_stays_read_only(tmp_path):
    (images,) = read_members(_archive(tmp_path, x=np.ones((4, 16), np.uint8)), ("x",))
    images.setflags(write=False)
    tensor = shared_tensor(images)
    assert np.shares_memory(np.asarray(tensor), images)
    assert not images.flags.writeable


def test_an_unaligned_array_is_copied():
    raw = np.zeros(ALIGNMENT * 4 + 1, np.uint8)
    start = (-raw.ctypes.data % ALIGNMENT) + 1  # one byte past a boundary
    unaligned = raw[start : start + ALIGNMENT]
    tensor = shared_tensor(unaligned)
    assert not np.shares_memory(np.asarray(tensor), unaligned)
    np.testing.assert_array_equal(np.asarray(tensor), unaligned)
