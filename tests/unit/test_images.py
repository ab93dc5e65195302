import io

import numpy as np
import pytest
from PIL import Image

from dashboard.core.images import MAX_UPLOAD_BYTES, decode_image, to_mnist_digit


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_dark_digit_on_white_paper_becomes_a_centred_mnist_digit():
    page = np.full((200, 300), 255, np.uint8)
    page[20:120, 30:60] = 0  # a thick vertical stroke near the top-left corner
    digit = to_mnist_digit(decode_image(_png(page)))

    assert digit.shape == (28, 28) and digit.dtype == np.uint8
    assert digit[0].max() == 0 and digit[:, 0].max() == 0  # background is black
    rows, columns = np.nonzero(digit)
    assert rows.max() - rows.min() + 1 <= 20  # fits the 20×20 box, like MNIST
    mass = digit / digit.sum()
    centre = ((mass.sum(axis=1) * np.arange(28)).sum(), (mass.sum(axis=0) * np.arange(28)).sum())
    np.testing.assert_allclose(centre, (14, 14), atol=1.0)


def test_colour_pictures_are_converted_to_grayscale():
    picture = np.zeros((50, 50, 3), np.uint8)
    picture[10:40, 20:30] = (255, 200, 0)
    assert to_mnist_digit(decode_image(_png(picture))).max() > 100


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not an image", "not an image"),
        (b"\x89PNG\r\n\x1a\n broken", "not an image"),
        (b"0" * (MAX_UPLOAD_BYTES + 1), "limit"),
    ],
)
def test_bad_uploads_get_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        decode_image(data)


def test_a_blank_picture_is_refused():
    with pytest.raises(ValueError, match="blank"):
        to_mnist_digit(decode_image(_png(np.full((30, 30), 255, np.uint8))))
