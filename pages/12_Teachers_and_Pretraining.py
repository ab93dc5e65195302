"""Lesson: a small network taught by a big one (distillation), and layer-wise pretraining."""

import streamlit as st

from dashboard.core import image_figures
from dashboard.core.live_rows import with_live_rows
from dashboard.core.shipped import load_card, load_experiment
from dashboard.core.url_state import Param
from dashboard.lessons.distillation import distillation, distillation_figures, pretraining
from dashboard.ui import (
    cached_dataset,
    cached_shipped_model,
    cached_soft_target_examples,
    gated_button,
    page_setup,
    restore_from_url,
    write_to_url,
)

page_setup("pages/12_Teachers_and_Pretraining.py")

PARAMS = (Param("pretrain_activation", "sigmoid", choices=pretraining.ACTIVATIONS),)
restore_from_url(PARAMS)

TEACHER = "mnist_cnn_small"
LIVE_COUNTS = pretraining.LABEL_COUNTS[:2]  # the 10,000-label runs would triple the cost
LIVE_LABELS = " and ".join(f"{count:,}" for count in LIVE_COUNTS)
digits = cached_dataset("mnist")
small_size = distillation.TRAIN_IMAGES[0]

st.title("🎓 Teachers and layer-wise training")
st.markdown(
    "Two ways a hidden layer can learn from more than the labels: from a bigger network's "
    "answers, and from the images alone, one layer at a time."
)

st.header("Distillation: the 784-16-16-10 network taught by a CNN")
st.markdown(
    f"The teacher, the small digit CNN, scores {load_card(TEACHER)['test_accuracy']:.2%} on the "
    "10,000 test digits. The student is the digit lesson's 784-16-16-10 network. One copy "
    "learns from the hard labels, its twin (same seeds, digits and epochs) from the teacher's "
    f"probabilities softened at temperature T = {distillation.TEMPERATURE:g}."
)
live_distil = gated_button(
    "retrain_distillation",
    f"Retrain both students live on {small_size:,} digits (seed 0)",
    distillation.distillation_cost(small_size),
    lambda progress: distillation.run_distillation(
        cached_shipped_model(TEACHER), digits, sizes=(small_size,), seeds=(0,), progress=progress
    ),
)
done = live_distil.value if live_distil is not None and live_distil.status == "done" else None
distil_table = with_live_rows(load_experiment("distillation"), done, ["images", "seed", "targets"])
st.plotly_chart(distillation_figures.distillation_chart(distil_table), key="distillation_chart")
if done is not None:
    st.caption(f"Seed 0 on {small_size:,} digits is your live run; the rest are shipped runs.")
st.markdown("\n".join(f"- {line}" for line in distillation.distillation_sentences(distil_table)))

st.subheader("What a soft target says that a label does not")
images, soft, hard, titles = cached_soft_target_examples(TEACHER)
st.markdown(
    'A label says only "7". The teacher\'s probabilities also say which other digits a '
    "picture resembles, but at T = 1 the answer takes nearly all of them; softening with "
    f"T = {distillation.TEMPERATURE:g} lifts the small ones so the student can learn from "
    "them. Of the training digits the teacher answers right with at least 90%, these four "
    "(each of another digit) have its most probable second guesses; the bars show how much "
    "the answer takes at T = 1 and in the soft target."
)
st.plotly_chart(
    image_figures.image_grid(images, titles, columns=4, diverging=False, tile_pixels=110),
    key="soft_examples",
)
st.plotly_chart(distillation_figures.soft_target_chart(soft, hard, titles), key="soft_bars")

st.header("Layer-wise pretraining, as stacked autoencoders were trained")
st.markdown(
    "From 2006 to about 2010, deep fully connected networks were often started layer by layer "
    "without labels: deep belief networks as a stack of restricted Boltzmann machines (Hinton "
    "et al. 2006), others as a stack of autoencoders (Bengio et al. 2007). Here, the second: "
    f"each hidden layer of a 784-{'-'.join(map(str, pretraining.HIDDEN))}-10 network is first "
    f"trained as an autoencoder ({pretraining.PRETRAIN_EPOCHS} epochs on "
    f"{pretraining.UNLABELLED:,} digits, labels unused), the second on the first one's codes; "
    "then the whole network is fine-tuned on 300, 1,000 or 10,000 labelled digits. Its twin "
    "starts from random weights and trains end to end on the same labelled digits, "
    f"{pretraining.FINE_TUNE_EPOCHS} epochs each, {len(pretraining.SEEDS)} seeds. The units of "
    "2006 were sigmoids; today's are ReLUs."
)
activation = st.radio(
    "Hidden units", pretraining.ACTIVATIONS, horizontal=True, key="pretrain_activation"
)
live_pretrain = gated_button(
    "retrain_pretraining",
    f"Pretrain and train the {activation} network live (seed 0; {LIVE_LABELS} labels)",
    pretraining.pretraining_cost(LIVE_COUNTS),
    lambda progress: pretraining.run_pretraining(
        digits, activations=(activation,), seeds=(0,), label_counts=LIVE_COUNTS, progress=progress
    ),
    token=activation,
)
ran = live_pretrain.value if live_pretrain is not None and live_pretrain.status == "done" else None
keys = ["activation", "start", "labels", "seed"]
pretrain_table = with_live_rows(load_experiment("layerwise_pretraining"), ran, keys)
st.plotly_chart(distillation_figures.pretraining_chart(pretrain_table), key="pretraining_chart")
if ran is not None:
    st.caption(f"Seed 0 of the {activation} network is your live run; the rest are shipped.")
st.markdown(f"With **{activation}** hidden units:")
lines = pretraining.pretraining_sentences(pretrain_table, activation)
st.markdown("\n".join(f"- {line}" for line in lines))

write_to_url(PARAMS)
