"""Lesson: attribution maps, and the sanity check that tells which ones explain the model."""

import numpy as np
import streamlit as st

from dashboard.core import image_figures
from dashboard.core.live_rows import with_live_rows
from dashboard.core.url_state import Param
from dashboard.lessons.attribution import attribution_figures, sanity
from dashboard.lessons.attribution.attribution import METHODS, weighted_layers
from dashboard.ui import (
    cached_dataset,
    cached_shipped_arrays,
    cached_shipped_model,
    gated_button,
    page_setup,
    restore_from_url,
    write_to_url,
)

page_setup("pages/13_Which_Pixels_Mattered.py")

PARAMS = (
    Param("attr_network", "cifar", choices=tuple(sanity.NETWORKS)),
    Param("attr_image", 0, minimum=0, maximum=sanity.SHOWN_IMAGES - 1),
)
restore_from_url(PARAMS)
NAMES = {"cifar": "CIFAR-10 CNN", "digits": "digit CNN"}

st.title("🔍 Which pixels mattered, and whether to believe it")
st.markdown(
    "An attribution map colours each pixel by how strongly it moves the network's score for "
    "its answer (either way; Grad-CAM keeps only the regions that raise it). Four methods on "
    "the same image: brighter means more important, each map scaled from its own smallest to "
    "its largest value."
)
columns = st.columns(2)
network = columns[0].radio(
    "Network",
    tuple(sanity.NETWORKS),
    format_func=lambda key: NAMES.get(key, key),
    horizontal=True,
    key="attr_network",
)
index = columns[1].slider("Image", 0, sanity.SHOWN_IMAGES - 1, key="attr_image")
model_name, dataset_name = sanity.NETWORKS[network]
shipped = {
    key.split("/", 1)[1]: value
    for key, value in cached_shipped_arrays("attribution_sanity").items()
    if key.startswith(f"{network}/")
}
classes = cached_dataset(dataset_name).class_names
image, label = shipped["images"][index], classes[int(shipped["classes"][index])]

picture = (
    image_figures.rgb_grid(image[np.newaxis].astype(np.uint8), [label], columns=1, tile_pixels=150)
    if image.ndim == 3
    else image_figures.image_grid(image[np.newaxis], [label], 1, diverging=False, tile_pixels=150)
)
columns = st.columns([1, 2])
columns[0].plotly_chart(picture, key="attr_image_figure")
maps = np.concatenate([shipped["trained"][index], shipped["random"][index]])
titles = [*METHODS, *["random weights"] * len(METHODS)]
columns[1].plotly_chart(
    image_figures.image_grid(
        attribution_figures.normalized(maps), titles, 4, diverging=False, tile_pixels=140
    ),
    key="attr_maps",
)
st.caption(
    f"Top row: the trained {NAMES[network]} explaining its answer '{label}'. Bottom row: the same "
    "methods once every weighted layer's weights are redrawn at random (seed 0)."
)

st.header("The sanity check: randomize the weights, top layer first")
st.markdown(
    "If a map explains the model, it must change when the model's weights become noise. "
    "Adebayo et al. (2018) redraw the weights one layer at a time from the output down and "
    f"measure how much each map still ranks the pixels as before, over the first "
    f"{sanity.SHOWN_IMAGES} test images the network gets right and {len(sanity.SEEDS)} "
    "randomization seeds."
)
model = cached_shipped_model(model_name)
images, labels = shipped["images"], shipped["classes"]
live = gated_button(
    "rerun_sanity",
    f"Rerun the randomization on the {NAMES[network]} live (seed 0)",
    sanity.sanity_cost(model, len(images)),
    lambda progress: sanity.cascade(model, images, labels, 0, progress)[0],
    token=network,
)
done = live.value if live is not None and live.status == "done" else None
table = with_live_rows(
    sanity.sanity_table(shipped), done, ["randomized", "image", "method", "seed"]
)
layers = weighted_layers(model)
st.plotly_chart(attribution_figures.randomization_chart(table, layers), key="sanity_chart")
if done is not None:
    st.caption("Seed 0 is your live run; seeds 1 and 2 are shipped.")
lines = sanity.sanity_sentences(table, NAMES[network], sanity.black_share(images))
st.markdown("\n".join(f"- {line}" for line in lines))

write_to_url(PARAMS)
