"""Small widgets: predict-then-reveal, downloads, and a per-session result cache."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def predict_then_reveal(key: str, prediction, measure: Callable[[], tuple[float, str]]) -> bool:
    """Ask `prediction`'s question; once answered and revealed, judge it; return if revealed.

    `measure()` runs (or reads) the experiment and returns its value and how to show it.
    """
    with st.container(border=True):
        answer = st.radio(prediction.question, prediction.choices, index=None, key=f"{key}_answer")
        revealed_key = f"{key}_revealed"
        if st.button("Reveal the result", key=f"{key}_reveal", disabled=answer is None):
            st.session_state[revealed_key] = True
        if answer is None or not st.session_state.get(revealed_key):
            st.caption("Answer first: the result is revealed below once you have.")
            return False
        value, shown = measure()
        right, sentence = prediction.verdict(prediction.choices.index(answer), value, shown)
        (st.success if right else st.warning)(sentence)
        return True


def download_table(table, name: str, key: str, label: str = "Download the data (CSV)") -> None:
    """Offer a DataFrame as a CSV file named `name`, written only when clicked."""
    st.download_button(
        label,
        lambda: table.to_csv(index=False).encode(),
        f"{name}.csv",
        "text/csv",
        key=key,
        on_click="ignore",
    )


def download_model(model, name: str, key: str) -> None:
    """Offer a Keras model as a `.keras` file named `name`, saved only when clicked."""
    from dashboard.core.model_files import model_bytes

    st.download_button(
        "Download the trained model (.keras)",
        lambda: model_bytes(model),
        f"{name}.keras",
        "application/octet-stream",
        key=key,
        on_click="ignore",
    )


def session_cached(key: str, token: object, compute: Callable[[], object]) -> object:
    """Return compute()'s result, kept in this session's state until `token` changes."""
    stored = st.session_state.get(key)
    if stored is None or stored[0] != token:
        stored = (token, compute())
        st.session_state[key] = stored
    return stored[1]


def formula(latex: str, label: str, container=None) -> None:
    """Draw a display formula that scrolls sideways, by keyboard too, when it is too wide.

    KaTeX's own display box scrolls but cannot take focus; here a focusable box around it
    scrolls instead (the page frame's BASE_CSS lets the formula itself overflow into it).
    """
    target = container if container is not None else st
    target.markdown(
        f'<div class="formula-scroll" tabindex="0" role="group" aria-label="{label}">\n\n'
        f"$$\n{latex}\n$$\n\n</div>",
        unsafe_allow_html=True,
    )


def number_cells(container, values, labels: list[str], key: str, per_row: int = 1) -> list[float]:
    """Draw one compact number input per value, `per_row` to a row; return the values as typed.

    Inputs keep their values across reruns by key (`key` plus the cell's index), so a key
    that names the array's shape starts a new array from `values` when the shape changes.
    """
    typed = []
    with container.container(key=f"cells_{key}"):
        for start in range(0, len(values), per_row):
            row = st.columns(per_row) if per_row > 1 else [st]
            for offset, column in enumerate(row):
                index = start + offset
                typed.append(
                    column.number_input(
                        labels[index],
                        -1000.0,
                        1000.0,
                        float(values[index]),
                        0.01,
                        "%.2f",
                        key=f"{key}_{index}",
                    )
                )
    return typed


def training_downloads(job, name: str) -> None:
    """Offer a finished or stopped job's history as CSV and its model as `.keras`."""
    if not job.rows or job.busy:
        return
    columns = st.columns(2)
    with columns[0]:
        download_table(
            job.history, f"{name}_history", f"{name}_history_csv", "Download the curves (CSV)"
        )
    if job.model is not None and job.status != "failed":
        with columns[1]:
            download_model(job.model, name, f"{name}_model_file")
