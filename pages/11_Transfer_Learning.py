"""Lesson: transfer learning. Early blocks are general, the last ones specific to their task."""

import streamlit as st

from dashboard.core.live_rows import with_live_rows
from dashboard.core.shipped import load_card, load_experiment
from dashboard.core.url_state import Param
from dashboard.lessons.transfer import transfer, transfer_figures
from dashboard.ui import (
    cached_dataset,
    cached_shipped_model,
    gated_button,
    page_setup,
    restore_from_url,
    write_to_url,
)

page_setup("pages/11_Transfer_Learning.py")

PARAMS = (Param("transfer_task", "cifar", choices=tuple(transfer.TASKS)),)
restore_from_url(PARAMS)

cifar, digits = transfer.TASKS["cifar"], transfer.TASKS["digits"]
source_card = load_card(cifar.source_model)
classes = cached_dataset("cifar10").class_names

st.title("♻️ Transfer learning: which layers carry over")
st.markdown(
    "The hierarchy lesson measured a CNN's first layer detecting edges, which any photograph "
    "has, and its last layer sorting the classes it was trained on. If so, a network trained "
    "on one task should lend its early layers to another, and the lending should stop paying "
    "near the top. Here is the experiment of Yosinski et al. (2014), in small (how it was "
    "measured is below the chart)."
)
shipped = load_experiment("transfer_learning")
task_key = st.radio(
    "Transfer task",
    tuple(transfer.TASKS),
    format_func=lambda key: transfer.TASKS[key].name if key in transfer.TASKS else key,
    horizontal=True,
    key="transfer_task",
)
task = transfer.TASKS[task_key]
source = cached_shipped_model(task.source_model)
runs = transfer.settings(transfer.block_count(source))
live = gated_button(
    "retrain_transfer",
    f"Retrain the {len(runs)} target networks live (seed 0)",
    transfer.transfer_cost(source, task, len(runs)),
    lambda progress: transfer.run_transfer(
        source, task, cached_dataset(task.target_data), runs, seeds=(0,), progress=progress
    ),
    token=task_key,
)
done = live.value if live is not None and live.status == "done" else None
table = with_live_rows(shipped, done, ["task", "blocks", "mode", "seed"])
task_rows = table[table["task"] == task.name]
st.plotly_chart(transfer_figures.transfer_chart(task_rows, task.name), key="transfer_chart")
if done is not None:
    st.caption("Seed 0 is your live run; seeds 1 and 2 are the shipped runs.")
st.markdown("\n".join(f"- {line}" for line in transfer.transfer_sentences(task_rows)))

st.header("How it was measured")
st.markdown(
    f"- **Source:** a CNN of {transfer.block_count(cached_shipped_model(cifar.source_model))} "
    f"blocks (3×3 convolution, ReLU, pooling; {source_card['parameters']:,} parameters) trained "
    f"on {source_card['train_images']:,} CIFAR-10 images of **{', '.join(classes[:5])}**. "
    "It reaches "
    f"{source_card['test_accuracy']:.1%} on their test images (chance 20%).\n"
    f"- **Target:** the other five classes, **{', '.join(classes[5:])}**, with only "
    f"{cifar.per_class} labelled images each, trained {cifar.epochs} epochs.\n"
    "- **k blocks reused:** the target network copies the source's first k blocks, either "
    "**frozen** (kept as they are) or **fine-tuned** (trained further); the rest starts from "
    "random weights. k = 0 is training from scratch. Same images, epochs and optimizer, "
    f"{len(transfer.SEEDS)} seeds each."
)


st.header("Near and far tasks")
st.markdown(
    "The second task is farther from its source: the source network learned all ten "
    f"handwritten digits (60,000 images); the target is Fashion-MNIST's ten kinds of clothing, "
    f"{digits.per_class} images each. Choose it above to see its curve. Yosinski et al. found "
    "that transfer helps less as the tasks grow apart: compare the gain over scratch at the "
    "best k on both tasks. The two tasks also differ in datasets, depth, images and epochs, "
    "so the comparison fits their finding without being a controlled test of it."
)
st.markdown(
    "\n".join(f"- {transfer.gain_sentence(shipped, entry)}" for entry in transfer.TASKS.values())
)

write_to_url(PARAMS)
