import numpy as np
import pytest

from dashboard.core.toy_data import (
    EXTENT,
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    TOY_DATASETS,
    read_csv_points,
    split,
)


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_generators_share_one_signature_and_balance_the_classes(name):
    x, y = TOY_DATASETS[name](200, 0.1, 3)
    assert x.shape == (200, 2) and y.shape == (200,)
    assert np.bincount(y).tolist() == [100, 100]
    assert np.abs(x).max() < EXTENT * 1.3
    np.testing.assert_array_equal(TOY_DATASETS[name](200, 0.1, 3)[0], x)  # seeded
    assert not np.allclose(TOY_DATASETS[name](200, 0.1, 4)[0], x)


def test_circles_put_class_one_inside():
    x, y = TOY_DATASETS["circles"](400, 0.0, 0)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius[y == 1].max() < radius[y == 0].min()


def test_xor_labels_follow_the_quadrant_signs():
    x, y = TOY_DATASETS["xor"](400, 0.0, 0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))


def test_noise_blurs_the_points():
    clean, _ = TOY_DATASETS["circles"](300, 0.0, 1)
    noisy, _ = TOY_DATASETS["circles"](300, 0.5, 1)
    assert np.abs(noisy - clean).mean() > 0.2


def test_split_keeps_every_sample_once():
    x = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    x_train, y_train, x_test, y_test = split(x, y, 0.3, seed=0)
    assert len(y_train) == 7 and len(y_test) == 3
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    np.testing.assert_array_equal(x_train[:, 0], y_train * 2.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        split(x, y, 1.0, seed=0)


def csv_text(*rows: str, padding: int = 20) -> bytes:
    """Return a CSV with `rows` first, then `padding` ordinary points of both labels."""
    filler = [f"{i % 7},{i % 5},{i % 2}" for i in range(padding)]
    return ("x1,x2,label\n" + "\n".join([*rows, *filler]) + "\n").encode()


def test_csv_points_are_read_and_scaled_into_the_square():
    x, y = read_csv_points(csv_text("0,0,0", "100,200,1", "-100,-200,1"))
    assert y.tolist()[:3] == [0, 1, 1] and len(y) == 23
    assert np.isclose(np.abs(x).max(), 0.9 * EXTENT)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"a,b\n1,2\n", "columns x1, x2, label"),
        (csv_text("1,oops,0"), "must be a number"),
        (csv_text("1,2,3"), "0 or 1"),
        (b"x1,x2,label\n" + b"1,2,1\n" * 30, "at least 5 points of each label"),
        (csv_text("1,inf,0"), "finite numbers between"),
        (csv_text("1e308,1,0"), "finite numbers between"),
        (b"x1,x2,label\n1,2,0\n2,2,1\n", "at least 20 are needed"),
        (csv_text(padding=MAX_CSV_ROWS + 1), f"over {MAX_CSV_ROWS:,} rows"),
        (b"x1,x2,label\n" + b"1" * (MAX_CSV_BYTES + 1), "the limit is 512 KB"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
    ],
)
def test_bad_csv_files_get_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        read_csv_points(data)
