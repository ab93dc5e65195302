"""AppTest helpers: open a page as a visitor would, read what its charts plot."""

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


DIGIT_PAGE = "pages/3_Digit_Network.py"
CLASS_PAGE = "pages/10_Class.py"


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Open `page` as a visitor would, through a link carrying `query` if given."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    if page != "streamlit_app.py":
        app.run()
        app.switch_page(page)
    app.query_params.update(query or {})
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def plotly_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def plotted(values) -> np.ndarray:
    """Return plotted data, decoding Plotly's base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = [int(size) for size in str(values.get("shape", len(array))).split(",")]
        return array.reshape(shape)
    return np.asarray(values)


PLAYGROUND_PAGE = "pages/1_Why_Hidden_Layers.py"


FITTING_PAGE = "pages/5_Overfitting.py"


ACTIVATION_PAGE = "pages/4_Activation_Functions.py"


HIERARCHY_PAGE = "pages/6_Layer_Hierarchy.py"

FEATURES_PAGE = "pages/7_What_Layers_Look_For.py"


BACKPROP_PAGE = "pages/2_Backpropagation.py"


ARCHITECTURES_PAGE = "pages/8_Other_Architectures.py"


OWN_PAGE = "pages/9_Your_Model.py"


def answer_quiz(app: AppTest, key: str, choice: int = 0) -> AppTest:
    """Answer the predict-then-reveal question `key` with its `choice`-th option and reveal."""
    radio = app.radio(key=f"{key}_answer")
    radio.set_value(radio.options[choice]).run()
    app.button(key=f"{key}_reveal").click().run()
    return app


def answer_every_quiz(app: AppTest) -> AppTest:
    """Answer and reveal every predict-then-reveal question on the page, with its first option."""
    for key in [radio.key for radio in app.radio if str(radio.key).endswith("_answer")]:
        answer_quiz(app, key.removesuffix("_answer"))
    return app


def keys_of_charts(app: AppTest) -> set[str]:
    """Return the keys of the page's Plotly charts (the end of each element's id)."""
    return {chart.proto.id.rsplit("-", 1)[-1] for chart in app.get("plotly_chart")}


def hold_every_slot(seconds: float) -> None:
    """Other visitors' computations hold every server slot for `seconds` from now."""
    import threading
    import time

    from dashboard.ui import gate

    slots = gate.MAX_CONCURRENT_COMPUTATIONS
    all_held = threading.Barrier(slots + 1)

    def hold(visitor: int) -> None:
        with gate.SERVER_QUEUE.slot(f"other visitor {visitor}"):
            all_held.wait()
            time.sleep(seconds)

    for visitor in range(slots):
        threading.Thread(target=hold, args=(visitor,), daemon=True).start()
    all_held.wait()


def assert_every_slot_given_back() -> None:
    """Assert the server's queue ends empty, once the other visitors' threads have left."""
    import time

    from dashboard.ui import gate

    deadline = time.monotonic() + 5  # their threads may still be leaving their slots
    while gate.SERVER_QUEUE.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (gate.SERVER_QUEUE.running(), gate.SERVER_QUEUE.waiting()) == (0, 0)


def new_class_room(experiment: str = "width", assignment: str = "round robin") -> tuple[str, str]:
    """Open a room in the tests' class store (CLASS_STORE_URL); return its code and key."""
    import os

    import sqlalchemy as sa

    from dashboard.core import class_store

    engine = sa.create_engine(os.environ["CLASS_STORE_URL"])
    class_store.create_schema(engine)
    room = class_store.create_room(engine, experiment, assignment)
    engine.dispose()
    return room
