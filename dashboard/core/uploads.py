"""Uploaded bytes measured before they are trusted: archive members and `.npy` arrays.

A size written in a header is a claim, not a fact: a 2 KB zip can declare a 1 GiB member and
a 100-byte `.npy` a terabyte array. Each reader here checks the declared size against a limit
first, then reads at most that much.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

MAX_ARCHIVE_MEMBERS = 16
MAX_COMPRESSION_RATIO = 500  # deflate tops out near 1,000:1 on a bomb; pruned weights stay lower
SMALL_MEMBER_BYTES = 64 * 1024  # below this a high ratio is harmless
MAX_ARRAY_VALUES = 1_000_000


def check_archive(archive: zipfile.ZipFile, member_limits: dict[str, int]) -> None:
    """Raise ValueError unless every member is named in the limits, within it, and no bomb."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ValueError(f"the archive holds {len(members)} files; a model has only a few")
    for member in members:
        limit = member_limits.get(member.filename)
        if limit is None:
            raise ValueError(f"the archive holds {member.filename!r}, which does not belong there")
        if member.file_size > limit:
            raise ValueError(
                f"{member.filename} unpacks to {member.file_size / 2**20:.1f} MB; the limit is "
                f"{limit / 2**20:.1f} MB"
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > SMALL_MEMBER_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ValueError(
                f"{member.filename} is compressed {ratio:,.0f} to 1, as only a decompression "
                "bomb is"
            )


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Return member `name`, reading at most `limit` bytes whatever its header says."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{name} is larger than its header says (over {limit / 2**20:.1f} MB)")
    return data


def read_npy(payload: bytes, max_values: int = MAX_ARRAY_VALUES) -> np.ndarray:
    """Return the numeric array in `.npy` bytes; its header is checked before any data is read."""
    stream = io.BytesIO(payload)
    header_readers = {
        (1, 0): np.lib.format.read_array_header_1_0,
        (2, 0): np.lib.format.read_array_header_2_0,
    }
    try:
        reader = header_readers[np.lib.format.read_magic(stream)]
        shape, fortran_order, dtype = reader(stream)
    except (KeyError, ValueError, SyntaxError, TypeError) as error:
        raise ValueError("the file is not a .npy array") from error
    if dtype.kind not in "biuf":
        raise ValueError(f"the array holds {dtype} values; only numbers are accepted")
    values = int(np.prod(shape, dtype=np.float64)) if shape else 1
    if values > max_values:
        raise ValueError(
            f"the array's header declares shape {shape} ({values:,} values); the limit is "
            f"{max_values:,}"
        )
    if len(payload) - stream.tell() < values * dtype.itemsize:
        raise ValueError(f"the file is shorter than the {shape} array its header declares")
    array = np.frombuffer(payload, dtype, count=values, offset=stream.tell())
    return array.reshape(shape, order="F" if fortran_order else "C").copy()
