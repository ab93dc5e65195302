"""The digit lesson's views of one network, computed once per server where they can be.

A view is shared when every visitor's network has the same weights (`model_key`: a shipped
model, a whole shared run; see `loaders.shared_view`). A shared run's leader prepares its
views before the run's followers are woken, so that 30 redrawing pages find them ready.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from dashboard.ui.loaders import cached_dataset, live_digit_report, shared_view

if TYPE_CHECKING:  # the lesson's modules import Keras: not on the home page's path
    from dashboard.lessons.digit_network.digit_views import DigitView


def view_of_test_digit(model, model_key: Hashable | None, index: int) -> DigitView:
    """Return test digit `index` seen through `model`, with every layer's activations."""
    from dashboard.lessons.digit_network import digit_views

    dataset = cached_dataset("mnist")
    return shared_view(
        model_key,
        ("inside", "test", index),
        lambda: digit_views.inside_view(model, dataset.x_test[index], dataset.class_names),
    )


def probe_view(model, model_key: Hashable | None, probe: str, report) -> DigitView:
    """Return `model`'s answer to `probe`; uniform noise is the report's typical one."""
    from dashboard.lessons.digit_network import digit_views, digits

    dataset = cached_dataset("mnist")
    image = digits.probe_image(probe)
    if probe == "uniform noise":  # the typical noise image, not a lucky one
        image = digits.typical_noise_image(report.noise_confidence)
    return shared_view(
        model_key,
        ("answer", probe),
        lambda: digit_views.answer_view(model, image, dataset.class_names),
    )


def run_model_key(job) -> tuple | None:
    """Return the key of a job's weights if every holder has them (a whole shared run)."""
    return None if job.run_key is None else ("run", job.run_key, len(job.rows))


def prepare_shared_run(job, test_digit: int | None, probe: str) -> None:
    """Compute what a page holding shared run `job` draws from it: the report, the view of
    test digit `test_digit` (None: the page shows a drawing or an upload) and of `probe`."""
    report = live_digit_report(job)
    if test_digit is not None:
        view_of_test_digit(job.model, run_model_key(job), test_digit)
    probe_view(job.model, run_model_key(job), probe, report)
