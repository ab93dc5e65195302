"""The bounded cache of traced functions."""

import threading

import pytest

from dashboard.core import trace_cache
from dashboard.core.trace_cache import TraceCache, without_graph_rewrites


@pytest.fixture
def forgotten(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(trace_cache, "_forget_kernels", lambda: calls.append(1))
    return calls


def test_a_key_is_made_once_while_it_stays(forgotten):
    cache = TraceCache(capacity=2)
    first = cache.get("a", object)
    assert cache.get("a", object) is first
    assert cache.made == 1 and not forgotten


def test_the_least_recently_used_is_dropped(forgotten):
    cache = TraceCache(capacity=2)
    cache.get("a", object)
    cache.get("b", object)
    cache.get("a", object)  # now "b" is the least recently used
    cache.get("c", object)
    assert "a" in cache and "c" in cache and "b" not in cache
    assert len(cache) == 2 and cache.made == 3
    cache.get("b", object)  # made again
    assert cache.made == 4 and "a" not in cache


def test_the_kernels_are_forgotten_on_every_drop_only(forgotten):
    cache = TraceCache(capacity=3)
    for key in range(3):
        cache.get(key, object)
    cache.get(0, object)  # a hit drops nothing
    assert not forgotten
    for key in range(3, 8):  # 5 drops
        cache.get(key, object)
    assert len(forgotten) == 5


def test_a_real_drop_leaves_the_kept_function_working():
    import tensorflow as tf

    cache = TraceCache(capacity=1)
    double = cache.get("double", lambda: tf.function(lambda x: 2 * x))
    assert float(double(tf.constant(2.0))) == 4.0
    cache.get("triple", lambda: tf.function(lambda x: 3 * x))  # drops "double", clears kernels
    triple = cache.get("triple", lambda: None)
    assert float(triple(tf.constant(2.0))) == 6.0
    assert float(double(tf.constant(2.0))) == 4.0  # still callable by who holds it


def test_capacity_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        TraceCache(capacity=0)


def _executed_ops(call) -> list[str]:
    """Return the op types TensorFlow ran for the function calls in `call()`, after rewrites."""
    from tensorflow.python.eager import context

    runtime = context.context()
    runtime.enable_run_metadata()
    try:
        call()
        metadata = runtime.export_run_metadata()
    finally:
        runtime.disable_run_metadata()
    graphs = metadata.function_graphs
    return [node.op for graph in graphs for node in graph.post_optimization_graph.node]


def _folding_candidate():
    import tensorflow as tf

    return tf.function(lambda x: x + tf.constant(2.0) * tf.constant(3.0))


def test_a_function_called_without_graph_rewrites_keeps_its_graph():
    import tensorflow as tf

    folded = _executed_ops(lambda: _folding_candidate()(tf.constant(1.0)))
    assert "Mul" not in folded  # Grappler folds 2 · 3 into one constant

    def plain_call():
        with without_graph_rewrites():
            _folding_candidate()(tf.constant(1.0))

    assert "Mul" in _executed_ops(plain_call)


def _rewrites_disabled() -> bool:
    from tensorflow.core.protobuf import config_pb2
    from tensorflow.python.eager import context

    serialized = context.context().function_call_options.config_proto_serialized
    return config_pb2.ConfigProto.FromString(
        serialized
    ).graph_options.rewrite_options.disable_meta_optimizer


def test_graph_rewrites_stay_on_for_other_threads_and_come_back_after_an_error():
    inside, seen_elsewhere = [], []
    with pytest.raises(RuntimeError, match="in the block"):
        with without_graph_rewrites():
            inside.append(_rewrites_disabled())
            other = threading.Thread(target=lambda: seen_elsewhere.append(_rewrites_disabled()))
            other.start()
            other.join()
            raise RuntimeError("in the block")
    assert inside == [True]
    assert seen_elsewhere == [False]
    assert not _rewrites_disabled()
