"""Turning an uploaded picture into a 28×28 MNIST-style digit, with clear errors for bad input."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 2048 * 2048  # about 16 MB once decoded as RGBA
DRAFT_SIDE = 1024


def decode_image(data: bytes) -> Image.Image:
    """Return the picture in `data`; raise ValueError saying why it cannot be used."""
    if not data:
        raise ValueError("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB"
        )
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        if image.format == "JPEG":  # decode a large photo at 1/2, 1/4 or 1/8 scale instead
            image.draft("RGB", (DRAFT_SIDE, DRAFT_SIDE))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(
                f"the picture is {image.width:,}×{image.height:,} pixels; the limit is "
                f"{MAX_PIXELS / 1e6:.1f} megapixels: shrink it first"
            )
        image.load()
    except Image.DecompressionBombError as error:
        raise ValueError("the picture declares far too many pixels to be decoded") from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError("the file is not an image that can be read (try PNG or JPEG)") from error
    return image


def to_mnist_digit(image: Image.Image) -> np.ndarray:
    """Return a (28, 28) uint8 digit: light ink on black, fit in 20×20, centred by mass."""
    gray = np.asarray(image.convert("L"), dtype=np.float64)
    if np.median(gray) > 127:  # dark ink on a light page: MNIST is the other way round
        gray = 255.0 - gray
    gray = np.clip(gray - np.median(gray), 0, None)
    if gray.max() <= 0:
        raise ValueError("the picture is blank: there is no digit to read")
    rows, columns = np.nonzero(gray > 0.1 * gray.max())
    cropped = gray[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    scale = 20.0 / max(cropped.shape)
    size = (max(1, round(cropped.shape[1] * scale)), max(1, round(cropped.shape[0] * scale)))
    resized = np.asarray(
        Image.fromarray(cropped / cropped.max() * 255.0).resize(size, Image.Resampling.LANCZOS),
        dtype=np.float64,
    ).clip(0, 255)
    return _centre_by_mass(resized)


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """Paste `digit` into a 28×28 canvas so that its centre of mass is the canvas centre."""
    canvas = np.zeros((28, 28))
    total = digit.sum()
    mass_row = (digit.sum(axis=1) * np.arange(digit.shape[0])).sum() / total
    mass_column = (digit.sum(axis=0) * np.arange(digit.shape[1])).sum() / total
    top = int(round(14 - mass_row))
    left = int(round(14 - mass_column))
    top = min(max(top, 0), 28 - digit.shape[0])
    left = min(max(left, 0), 28 - digit.shape[1])
    canvas[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    return canvas.round().astype(np.uint8)
