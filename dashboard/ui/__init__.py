"""The only Streamlit code outside the entry and `pages/`: what every lesson page draws with.

page_frame (config, navigation, presentation), link_state (controls in the URL), tour_panel,
loaders (cached shared datasets and models), gate (budget, slot, progress, Stop for every
computation), live_training and following (shared runs), digit_run_views, widgets, canvas.
"""

from dashboard.ui.canvas import digit_canvas
from dashboard.ui.digit_run_views import (
    prepare_shared_run,
    probe_view,
    run_model_key,
    view_of_test_digit,
)
from dashboard.ui.following import end_redraw_turn
from dashboard.ui.gate import GatedRun, gated_button
from dashboard.ui.link_state import restore_from_url, write_to_url
from dashboard.ui.live_training import (
    TrainingJob,
    let_a_starting_leader_go_first,
    rerun_unless_redrawn,
    run_training_job,
    training_controls,
)
from dashboard.ui.loaders import (
    cached_counter_evidence,
    cached_dataset,
    cached_digit_report,
    cached_digit_story,
    cached_edge_test,
    cached_first_layer_evidence,
    cached_layer_evidence,
    cached_shipped_arrays,
    cached_shipped_model,
    cached_soft_target_examples,
    cached_training_tensors,
    live_digit_report,
    shared_view,
)
from dashboard.ui.page_frame import page_setup, warm_up_tensorflow
from dashboard.ui.widgets import (
    download_table,
    formula,
    number_cells,
    predict_then_reveal,
    session_cached,
    training_downloads,
)

__all__ = [
    "GatedRun",
    "TrainingJob",
    "cached_dataset",
    "cached_counter_evidence",
    "cached_digit_report",
    "cached_digit_story",
    "cached_edge_test",
    "cached_first_layer_evidence",
    "cached_layer_evidence",
    "cached_shipped_arrays",
    "cached_shipped_model",
    "cached_soft_target_examples",
    "cached_training_tensors",
    "let_a_starting_leader_go_first",
    "live_digit_report",
    "digit_canvas",
    "end_redraw_turn",
    "download_table",
    "formula",
    "number_cells",
    "gated_button",
    "page_setup",
    "predict_then_reveal",
    "prepare_shared_run",
    "probe_view",
    "rerun_unless_redrawn",
    "restore_from_url",
    "run_model_key",
    "run_training_job",
    "session_cached",
    "shared_view",
    "training_controls",
    "training_downloads",
    "view_of_test_digit",
    "warm_up_tensorflow",
    "write_to_url",
]
