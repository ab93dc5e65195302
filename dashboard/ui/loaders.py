"""Cached loaders: datasets, shipped models and reports shared read-only by every session."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st


@st.cache_resource(show_spinner="Loading the dataset…")
def cached_dataset(name: str):
    """Return bundled dataset `name`, shared read-only by every session."""
    from dashboard.core.data import load_dataset

    return load_dataset(name)  # read-only arrays; the training split loads on first use


def cached_training_tensors(name: str):
    """Return the training images and labels of `name` as TensorFlow tensors, made once.

    Live training then reads them without copying the dataset for every run and session.
    """
    return cached_dataset(name).training_tensors()


@st.cache_resource(show_spinner="Loading the trained model…")
def cached_shipped_model(name: str):
    """Return shipped model `name`, shared by every session: never train or change it."""
    import keras

    from models.shipped import model_path

    return keras.models.load_model(model_path(name))


@st.cache_resource(show_spinner="Analysing the trained model…")
def cached_digit_report(model_name: str):
    """Return the digit lesson's report on shipped model `model_name`, shared by all sessions."""
    from dashboard.core.activations import predict_probabilities
    from dashboard.lessons.digit_network.digit_report import build_report

    model, dataset = cached_shipped_model(model_name), cached_dataset("mnist")
    return build_report(model, dataset, predict_probabilities(model, dataset.x_test))


def live_digit_report(job):
    """Return the digit lesson's report on a session's live-trained model (`job.model`).

    A whole shared run (`job.run_key`: settings, seed) has the same weights bit for bit in
    every session holding it, so its report is computed once per server; any other model's
    is kept in its session until it trains further.
    """
    from dashboard.ui.widgets import session_cached

    if job.run_key is not None:
        return _cached_shared_run_report((job.run_key, len(job.rows)), job.model)
    key = (id(job), len(job.rows))
    return session_cached("digit_live_report", key, lambda: _digit_report(job.model))


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_shared_run_report(run_key: tuple, _model):
    return _digit_report(_model)


def _digit_report(model):
    from dashboard.core.activations import predict_probabilities
    from dashboard.lessons.digit_network.digit_report import build_report

    dataset = cached_dataset("mnist")
    return build_report(model, dataset, predict_probabilities(model, dataset.x_test))


@st.cache_resource(show_spinner=False)
def cached_digit_story(cnn_name: str):
    """Return the digit lesson's model-independent figures, with shipped CNN `cnn_name`."""
    from dashboard.lessons.digit_network.digit_report import build_story

    return build_story(cached_shipped_model(cnn_name))


@st.cache_resource(show_spinner=False)
def cached_shipped_arrays(name: str) -> dict:
    """Return precomputed arrays `name` from models/results, shared read-only."""
    from dashboard.core.shipped import load_arrays

    return load_arrays(name)


@st.cache_resource(show_spinner="Measuring the layers…")
def cached_layer_evidence(model_name: str, dataset_name: str, features_name: str):
    """Return a shipped CNN's per-layer evidence and its first layer's edge test."""
    from dashboard.core import conv_layers
    from dashboard.lessons.layer_hierarchy import hierarchy_evidence

    model, dataset = cached_shipped_model(model_name), cached_dataset(dataset_name)
    names = conv_layers.feature_layers(model)
    shipped = cached_shipped_arrays(features_name)
    top = {name: shipped[f"{name}/top_images"] for name in names}
    fields = conv_layers.receptive_fields(model)
    evidence = hierarchy_evidence.layer_evidence(top, fields, dataset.y_test, dataset.class_names)
    return evidence, cached_edge_test(model_name, names[0])


@st.cache_resource(show_spinner=False)
def cached_edge_test(model_name: str, layer: str):
    """Return the edge test of a shipped model's layer, run once per server."""
    from dashboard.lessons.layer_hierarchy import hierarchy_evidence

    return hierarchy_evidence.edge_test(cached_shipped_model(model_name), layer)


@st.cache_resource(show_spinner="Measuring the LSTM against untrained ones…")
def cached_counter_evidence(model_name: str, length: int):
    """Return whether shipped LSTM `model_name` counts beyond an untrained one, measured once."""
    from dashboard.lessons.other_architectures.counter_test import counter_evidence

    return counter_evidence(cached_shipped_model(model_name), length)


@st.cache_resource(show_spinner="Measuring the first layer against untrained copies…")
def cached_first_layer_evidence(model_name: str, relu_name: str):
    """Return a shipped CNN's first layer against untrained copies of it, measured once."""
    from dashboard.lessons.layer_hierarchy.first_layer import first_layer_evidence

    return first_layer_evidence(cached_shipped_model(model_name), relu_name)


@st.cache_resource(show_spinner=False)
def cached_soft_target_examples(teacher_name: str):
    """Return the distillation lesson's example digits and their soft targets (shared)."""
    from dashboard.lessons.distillation.distillation import TRAIN_IMAGES, soft_target_examples

    x, y = cached_dataset("mnist").training_prefix(TRAIN_IMAGES[0])
    return soft_target_examples(cached_shipped_model(teacher_name), x, y)


def shared_view(model_key: Hashable | None, image_key: Hashable | None, compute: Callable):
    """Return `compute()`, computed once per server for a known network and image.

    `model_key` names weights that are the same for every visitor (a shipped model, a whole
    shared run), `image_key` the input; with either None (a drawing, a model that only this
    session has) the view is computed afresh. A shared view is a dataclass whose figures are
    frozen, since every visitor draws them.
    """
    if model_key is None or image_key is None:
        return compute()
    return _shared_view(model_key, image_key, compute)


@st.cache_resource(show_spinner=False, max_entries=64)
def _shared_view(model_key: Hashable, image_key: Hashable, _compute: Callable):
    from dashboard.core.frozen_figures import freeze_fields

    return freeze_fields(_compute())
