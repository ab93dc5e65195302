import keras
import numpy as np
import pytest

from dashboard.lessons.backpropagation import backprop, backprop_figures
from dashboard.lessons.other_architectures import architecture_figures, autoencoder, sequences
from models.shipped import load_card, model_path


def test_counting_data_counts_the_ones_so_far():
    bits, counts = sequences.counting_data(3, 7, seed=2)
    assert bits.shape == counts.shape == (3, 7, 1)
    assert set(np.unique(bits)) <= {0.0, 1.0}
    np.testing.assert_array_equal(counts[:, -1, 0], bits.sum(axis=(1, 2)))


@pytest.mark.parametrize(
    "text, message",
    [("", "at least one bit"), ("01a", "only 0 and 1"), ("1" * 61, "at most 60 bits")],
)
def test_typed_bits_are_checked(text, message):
    with pytest.raises(ValueError, match=message):
        sequences.parse_bits(text)
    assert sequences.parse_bits("1, 0 1")[:, 0].tolist() == [1.0, 0.0, 1.0]


def test_the_shipped_lstm_counts_and_one_unit_tracks_the_count():
    model = keras.models.load_model(model_path("counting_lstm"))
    bits, counts = sequences.counting_data(200, 20, seed=7)
    assert sequences.exact_count_rate(model, bits, counts) > 0.95
    states = sequences.hidden_states(model, bits)
    assert states.shape == (200, 20, model.get_layer("lstm").units)
    assert np.abs(sequences.count_correlations(states, counts)).max() > 0.9
    longer = sequences.counting_data(200, 60, seed=8)
    assert sequences.exact_count_rate(model, *longer) < 0.9  # tanh state saturates
    assert load_card("counting_lstm")["exact_count_rate"] > 0.95


def test_count_correlation_finds_a_unit_that_is_the_count():
    counts = np.arange(10, dtype=float).reshape(1, 10)
    states = np.stack([np.sin(counts), 0.1 * counts - 3], axis=-1)
    correlations = sequences.count_correlations(states, counts)
    assert correlations[1] == pytest.approx(1.0) and abs(correlations[0]) < 0.5


def test_the_shipped_autoencoder_reconstructs_and_its_codes_separate_digits(mnist):
    model = keras.models.load_model(model_path("mnist_autoencoder"))
    images = mnist.x_test[:500]
    codes = autoencoder.encode(model, images)
    encoder = model.get_layer("encoder")
    np.testing.assert_allclose(codes, encoder(images.astype(np.float32)), atol=1e-5)
    assert codes.shape == (500, 2)
    reconstructed = autoencoder.decode(model, codes)
    assert reconstructed.shape == (500, 28, 28)
    error = np.mean((reconstructed - images / 255.0) ** 2)
    mean_image_error = np.mean((images.mean(axis=0) / 255.0 - images / 255.0) ** 2)
    assert error < 0.7 * mean_image_error
    train_codes = autoencoder.encode(model, mnist.x_train[:3000])
    accuracy = autoencoder.nearest_neighbour_accuracy(
        train_codes, mnist.y_train[:3000], codes, mnist.y_test[:500]
    )
    assert accuracy > 0.5  # chance is 0.1; the labels were never used in training


def test_nearest_neighbours_vote_by_distance():
    train = np.array([[0.0, 0], [0.1, 0], [0.2, 0], [5, 5], [5.1, 5], [5.2, 5]])
    labels = np.array([1, 1, 1, 7, 7, 7])
    accuracy = autoencoder.nearest_neighbour_accuracy(
        train, labels, np.array([[0.05, 0.0], [5.0, 5.1]]), np.array([1, 7]), k=3
    )
    assert accuracy == 1.0


def test_code_grid_spans_the_codes_with_rows_top_down():
    codes = np.random.default_rng(0).normal(size=(1000, 2)) * [1, 3]
    grid = autoencoder.code_grid(codes, steps=5)
    assert grid.shape == (5, 5, 2)
    assert grid[0, 0, 1] > grid[-1, 0, 1] and grid[0, 0, 0] < grid[0, -1, 0]
    assert grid[..., 1].max() > 2 * grid[..., 0].max()


def test_hidden_state_figure_has_bits_states_and_both_counts():
    bits = np.array([1.0, 0, 1, 1])
    states = np.random.default_rng(0).uniform(-1, 1, (4, 3))
    figure = architecture_figures.hidden_state_over_time(bits, states, np.cumsum(bits), bits)
    assert [trace.type for trace in figure.data] == ["bar", "heatmap", "scatter", "scatter"]
    np.testing.assert_array_equal(np.asarray(figure.data[1].z), states.T)


def test_network_figure_shows_weights_forward_and_gradients_backward():
    net, (x, y) = backprop.default_network(), backprop.DEFAULT_EXAMPLE
    forward = backprop_figures.network_values(net, x, y, 0)
    backward = backprop_figures.network_values(net, x, y, backprop_figures.BACKWARD_FROM_STEP)
    texts = [note.text for note in forward.layout.annotations]
    assert "w = 0.15" in texts and any(text.startswith("ŷ = ") for text in texts)
    gradient = backprop.backward(net, x, y)["dL_dw2"][0, 0]
    assert f"∂L/∂w = {gradient:.4g}" in [note.text for note in backward.layout.annotations]
    widths = [trace.line.width for trace in backward.data[:6]]
    assert max(widths[4:]) > max(widths[:4])  # the output weights' gradients are larger here
