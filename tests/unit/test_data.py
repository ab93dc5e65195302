import numpy as np
import pytest

from dashboard.core import data


def test_bundled_mnist_is_the_complete_official_split(mnist):
    assert mnist.x_train.shape == (60_000, 28, 28)
    assert mnist.x_test.shape == (10_000, 28, 28)
    assert mnist.x_train.dtype == np.uint8
    assert set(np.unique(mnist.y_test)) == set(range(10))
    # Label counts published with the official test set.
    assert np.bincount(mnist.y_test)[1] == 1135
    assert mnist.class_names == tuple(str(d) for d in range(10))


def test_subset_keeps_the_first_samples(mnist):
    small = mnist.subset(100, 50)
    assert small.x_train.shape[0] == 100 and small.x_test.shape[0] == 50
    np.testing.assert_array_equal(small.y_train, mnist.y_train[:100])
    with pytest.raises(ValueError, match="at least 1"):
        mnist.subset(0)


def test_keras_source_goes_through_keras_datasets(monkeypatch):
    import keras

    fake = (
        (np.zeros((3, 28, 28), np.uint8), np.array([[1], [2], [3]])),
        (np.zeros((2, 28, 28), np.uint8), np.array([4, 5])),
    )
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: fake)
    loaded = data.load_dataset("mnist", source="keras")
    assert loaded.y_train.tolist() == [1, 2, 3]  # (N, 1) labels are flattened
    assert loaded.x_test.shape == (2, 28, 28)


def test_unknown_dataset_or_source_is_refused():
    with pytest.raises(ValueError, match="unknown dataset"):
        data.load_dataset("imagenet")
    with pytest.raises(ValueError, match="source must be 'bundled', 'shared' or 'keras'"):
        data.load_dataset("mnist", source="internet")


def test_bundled_fashion_mnist_is_a_labelled_subset():
    fashion = data.load_dataset("fashion_mnist")
    assert fashion.x_train.shape == (10_000, 28, 28) and fashion.x_test.shape == (2_000, 28, 28)
    assert len(fashion.class_names) == 10 and fashion.class_names[9] == "Ankle boot"
    assert set(np.unique(fashion.y_train)) == set(range(10))


def test_bundled_cifar10_subset_is_colour_images():
    cifar = data.load_dataset("cifar10")
    assert cifar.x_train.shape == (5_000, 32, 32, 3) and cifar.x_test.shape == (1_000, 32, 32, 3)
    assert cifar.class_names[0] == "airplane" and set(np.unique(cifar.y_test)) == set(range(10))


def test_the_training_split_is_read_only_when_first_used(monkeypatch):
    reads = []
    real = data._load_arrays

    def counted(path, *keys, **options):
        reads.append(keys)
        return real(path, *keys, **options)

    monkeypatch.setattr(data, "_load_arrays", counted)
    fashion = data.load_dataset("fashion_mnist")
    assert reads == [("x_test", "y_test")]
    assert fashion.x_train.shape[0] == fashion.y_train.shape[0] == 10_000
    assert fashion.x_train is fashion.x_train  # read once, then kept
    assert reads == [("x_test", "y_test"), ("x_train", "y_train")]
    with pytest.raises(ValueError, match="read-only"):
        fashion.x_train[0, 0, 0] = 1


@pytest.mark.parametrize("name", ["mnist", "cifar10"])
def test_a_training_prefix_is_read_alone_and_equals_the_split_it_starts(name):
    fresh = data.load_dataset(name)
    x, y = fresh.training_prefix(300)
    assert not fresh.training_split_loaded
    assert x.shape[0] == y.shape[0] == 300 and y.dtype == np.int64
    assert not x.flags.writeable
    np.testing.assert_array_equal(x, fresh.x_train[:300])
    np.testing.assert_array_equal(y, fresh.y_train[:300])
    assert fresh.training_split_loaded
    again = fresh.training_prefix(10**9)  # from memory now, and never more than there is
    assert again[0].shape == fresh.x_train.shape


def test_training_tensors_are_made_once_and_the_arrays_become_their_views():
    fresh = data.load_dataset("cifar10")
    before = fresh.x_train.copy()
    x, y = fresh.training_tensors()
    assert fresh.training_tensors()[0] is x
    np.testing.assert_array_equal(x.numpy(), before)
    np.testing.assert_array_equal(y.numpy(), fresh.y_train)
    assert np.shares_memory(fresh.x_train, np.asarray(x))  # held once, not twice
    assert not fresh.x_train.flags.writeable
