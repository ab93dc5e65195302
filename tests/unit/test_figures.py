import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import figures, image_figures
from dashboard.lessons.digit_network import digit_figures


def test_network_diagram_has_one_node_trace_per_layer_and_caps_big_layers():
    figure = figures.network_diagram([784, 16, 10])
    nodes = [trace for trace in figure.data if trace.mode == "markers"]
    assert [trace.name for trace in nodes] == ["input (784)", "hidden 1 (16)", "output (10)"]
    assert len(nodes[0].y) == figures.MAX_DRAWN_NODES
    assert len(nodes[2].y) == 10
    assert list(figure.layout.xaxis.ticktext) == ["input", "hidden 1", "output"]
    edges = figure.data[0]
    x, y = np.asarray(edges.x).reshape(-1, 3), np.asarray(edges.y).reshape(-1, 3)
    drawn = [len(trace.y) for trace in nodes]
    assert len(x) == drawn[0] * drawn[1] + drawn[1] * drawn[2]  # every drawn node to the next
    assert np.isnan(x[:, 2]).all() and np.isnan(y[:, 2]).all()  # a gap after each edge
    assert ((x[:, 1] - x[:, 0]) == 1).all()  # each joins a layer to the next one


def test_history_curves_plot_train_and_test_per_metric():
    history = pd.DataFrame(
        {
            "epoch": [1, 2],
            "loss": [1.0, 0.5],
            "accuracy": [0.6, 0.8],
            "val_loss": [1.1, 0.7],
            "val_accuracy": [0.55, 0.75],
        }
    )
    figure = figures.history_curves(history)
    assert [(trace.name, tuple(trace.y)) for trace in figure.data] == [
        ("train", (1.0, 0.5)),
        ("test", (1.1, 0.7)),
        ("train", (0.6, 0.8)),
        ("test", (0.55, 0.75)),
    ]
    assert [annotation.text for annotation in figure.layout.annotations] == ["Loss", "Accuracy"]
    assert figure.layout.xaxis.title.text == "epoch"


def test_image_grid_tiles_every_image_once_on_a_symmetric_scale():
    images = np.stack([np.full((3, 3), -2.0), np.full((3, 3), 1.0), np.arange(9.0).reshape(3, 3)])
    figure = image_figures.image_grid(images, ["a", "b", "c"], columns=2)

    (heatmap,) = figure.data
    mosaic = np.asarray(heatmap.z, dtype=float)
    assert mosaic.shape == (2 * 4 - 1, 2 * 4 - 1)  # two rows, two columns, 1-pixel gaps
    np.testing.assert_array_equal(mosaic[0:3, 0:3], images[0])
    np.testing.assert_array_equal(mosaic[0:3, 4:7], images[1])
    np.testing.assert_array_equal(mosaic[4:7, 0:3], images[2])
    assert np.isnan(mosaic[3]).all() and np.isnan(mosaic[4:7, 4:7]).all()
    assert (heatmap.zmin, heatmap.zmax) == (-8.0, 8.0)
    assert [annotation.text for annotation in figure.layout.annotations] == ["a", "b", "c"]


def test_image_grid_sends_keras_weights_exactly_in_half_the_bytes_of_float64():
    weights = np.random.default_rng(0).normal(size=(16, 28, 28)).astype(np.float32)
    figure = image_figures.image_grid(weights, [str(i) for i in range(16)])

    mosaic = figure.data[0].z
    assert mosaic.dtype == np.float32
    np.testing.assert_array_equal(np.sort(mosaic[~np.isnan(mosaic)]), np.sort(weights.ravel()))
    as_float64 = go.Figure(figure).update_traces(z=mosaic.astype(np.float64))
    assert len(figure.to_json()) < 0.6 * len(as_float64.to_json())


def test_layer_activations_draw_one_panel_per_layer():
    figure = image_figures.layer_activations({"hidden_1": np.arange(16.0), "output": np.ones(10)})
    assert [len(trace.y) for trace in figure.data] == [16, 10]


def test_probability_bars_highlight_the_prediction():
    figure = image_figures.probability_bars(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"])
    colours = list(figure.data[0].marker.color)
    assert colours[1] != colours[0] == colours[2]


def test_confidence_histograms_overlay_noise_and_digits():
    figure = digit_figures.confidence_histograms(np.array([0.9, 0.95]), np.array([0.99]))
    assert [trace.name for trace in figure.data] == ["real test digits", "uniform noise"]
    assert figure.layout.barmode == "overlay"


def test_confusion_heatmap_shows_the_counts():
    counts = np.array([[5, 1], [0, 4]])
    figure = digit_figures.confusion_heatmap(counts, ["0", "1"])
    np.testing.assert_array_equal(figure.data[0].z, counts)
    assert figure.layout.xaxis.title.text == "predicted"
