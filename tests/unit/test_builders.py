import keras
import numpy as np
import pytest

from models.builders import build_mlp, build_small_cnn, compile_classifier


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_mlp_layers_are_named_and_shaped_like_the_classic_network():
    model = build_mlp(hidden_units=(16, 16), activation="sigmoid")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.name for layer in dense] == ["hidden_1", "hidden_2", "output"]
    assert [layer.units for layer in dense] == [16, 16, 10]
    assert model.input_shape == (None, 28, 28)


def test_mlp_forward_pass_equals_numpy_on_raw_pixels():
    model = build_mlp(hidden_units=(5, 4), activation="sigmoid", seed=3)
    pixels = np.random.default_rng(0).integers(0, 256, (6, 28, 28)).astype(np.float32)

    x = (pixels / 255.0).reshape(6, -1)
    for name in ("hidden_1", "hidden_2"):
        kernel, bias = model.get_layer(name).get_weights()
        x = _sigmoid(x @ kernel + bias)
    kernel, bias = model.get_layer("output").get_weights()
    logits = x @ kernel + bias
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)

    np.testing.assert_allclose(np.asarray(model(pixels)), expected, rtol=1e-4, atol=1e-6)


def test_same_seed_gives_same_weights_and_other_seed_does_not():
    first, second, other = build_mlp(seed=1), build_mlp(seed=1), build_mlp(seed=2)
    np.testing.assert_array_equal(
        first.get_layer("hidden_1").get_weights()[0], second.get_layer("hidden_1").get_weights()[0]
    )
    assert not np.allclose(
        first.get_layer("hidden_1").get_weights()[0], other.get_layer("hidden_1").get_weights()[0]
    )


def test_small_cnn_takes_grayscale_digits_and_names_its_stages():
    model = build_small_cnn(filters=(4, 8))
    names = [layer.name for layer in model.layers]
    assert names[names.index("conv_1") + 1] == "max_pool_1"
    assert model.get_layer("conv_1").get_weights()[0].shape == (5, 5, 1, 4)
    probabilities = np.asarray(model(np.zeros((2, 28, 28), np.float32)))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_builders_refuse_bad_arguments():
    with pytest.raises(ValueError, match="at least 1 unit"):
        build_mlp(hidden_units=(16, 0))
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        compile_classifier(build_mlp(), learning_rate=0.0)


def test_saved_model_round_trips_with_its_preprocessing(tmp_path):
    model = build_mlp(hidden_units=(8,))
    pixels = np.random.default_rng(0).integers(0, 256, (3, 28, 28)).astype(np.float32)
    path = tmp_path / "mlp.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded(pixels)), np.asarray(model(pixels)), rtol=1e-6)


def test_dropout_goes_after_the_chosen_hidden_layers_only():
    model = build_mlp(hidden_units=(8, 8, 8), dropout=0.5, dropout_layers=(1, 3))
    names = [layer.name for layer in model.layers]
    assert "dropout_1" in names and "dropout_3" in names and "dropout_2" not in names
    assert names.index("dropout_1") == names.index("hidden_1") + 1
    everywhere = build_mlp(hidden_units=(8, 8), dropout=0.2)
    assert [
        layer.rate for layer in everywhere.layers if isinstance(layer, keras.layers.Dropout)
    ] == [0.2, 0.2]
    with pytest.raises(ValueError, match="dropout"):
        build_mlp(dropout=1.0)
