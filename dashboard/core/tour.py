"""The instructor's guided tour: an ordered walk through the lessons, each step a page in a
named state (its controls, as link parameters) with presenter notes.

A step is opened by a link: the page's own parameters plus `tour=N`, so a step survives
reruns, can be bookmarked, and opens the same on a cold server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOUR_KEY = "tour"  # the link parameter holding the step number, 1-based


@dataclass(frozen=True)
class TourStep:
    """One stop: the page, its controls' state, and what the presenter says, asks, shows."""

    page: str
    title: str
    say: str
    ask: str
    point_at: str
    state: dict[str, str] = field(default_factory=dict)  # link parameters of the page


TOUR: tuple[TourStep, ...] = (
    TourStep(
        "streamlit_app.py",
        "A hidden layer is z = W·x + b, then f",
        "Every hidden neuron computes a weighted sum of the layer below plus a bias, then bends "
        "it with an activation function.",
        "With 784 inputs and 16 neurons, how many numbers does the first hidden layer learn?",
        "The parameter counter under 'Counting parameters': 784×16 + 16 = 12,560.",
        {"inputs": "3", "neurons": "2", "function": "sigmoid"},
    ),
    TourStep(
        "pages/1_Why_Hidden_Layers.py",
        "Without a hidden layer, only straight lines",
        "A network with no hidden layer draws one straight boundary; one hidden layer bends it.",
        "Which network can separate the inner circle from the outer ring?",
        "The side-by-side boundaries: no hidden layer against one hidden layer.",
        {"data": "circles", "layers": "4, 2", "activation": "tanh"},
    ),
    TourStep(
        "pages/2_Backpropagation.py",
        "Backpropagation with real numbers",
        "Step through the chain rule: the output's error is sent back, weighted, to each "
        "hidden unit.",
        "Which weights get the largest gradients, and why?",
        "The thick red edges into the output, and the TensorFlow check.",
        {"bp_step": "7"},
    ),
    TourStep(
        "pages/3_Digit_Network.py",
        "The digit network's hidden neurons",
        "This is the classic 784-16-16-10 network at about 96%. The story says its first layer "
        "learns strokes; look at what it really learned.",
        "Do these first-layer weights look like pen strokes?",
        "The first-layer weight images beside the hoped-for strokes, and the smoothness figure.",
        {"digit_model": "ReLU (shipped)", "source": "a test digit", "digit_index": "0"},
    ),
    TourStep(
        "pages/3_Digit_Network.py",
        "Confident nonsense",
        "The network has no 'not a digit' answer: its softmax always sums to one.",
        "What will it answer for pure noise, and how sure will it be?",
        "The confidence on uniform noise, then the histogram over 1,000 noise images.",
        {"digit_model": "ReLU (shipped)", "probe": "uniform noise"},
    ),
    TourStep(
        "pages/4_Activation_Functions.py",
        "Vanishing gradients",
        "Backpropagation multiplies one factor per layer; sigmoid's derivative is at most 1/4.",
        "How much smaller is the first layer's gradient than the last's at depth 12?",
        "The gradient bars at initialization and the ratio read-back under them.",
        {"deep_depth": "12", "deep_activation": "sigmoid"},
    ),
    TourStep(
        "pages/5_Overfitting.py",
        "Memorizing random labels",
        "Enough hidden units memorize anything, even labels drawn at random.",
        "With 100% random labels, what test accuracy will it reach?",
        "The prediction question, then the random-label curves.",
        {"corruption": "1"},
    ),
    TourStep(
        "pages/6_Layer_Hierarchy.py",
        "Edges → textures → parts → objects? Measured",
        "Each layer of a CNN sees a wider patch. The story says edges, textures, parts, "
        "objects; here each stage has its own test, run on the trained CNN and on untrained "
        "copies of it.",
        "If you shuffle an image in blocks, which layers stop responding to it?",
        "The 'Parts' panel: only the deepest layers lose much of their response when their "
        "best images are shuffled in blocks; their untrained copies hardly do.",
        {"cifar_index": "3"},
    ),
    TourStep(
        "pages/11_Transfer_Learning.py",
        "Early blocks carry over; frozen, the last one does not",
        "A CNN trained on five CIFAR classes lends its first blocks, frozen, to the other five, "
        "each with only 100 images; the same network trained from scratch is the control.",
        "Which is better: reusing all four blocks, or only the first two?",
        "The frozen line: above the grey scratch band with 1 to 3 blocks, back inside it with "
        "all 4.",
        {"transfer_task": "cifar"},
    ),
    TourStep(
        "pages/13_Which_Pixels_Mattered.py",
        "Does the explanation explain the model?",
        "Four attribution maps of the same answer; then the network's weights are replaced by "
        "noise, layer by layer, and each map is compared with its trained self.",
        "Which map should change most when the weights become noise, and which does?",
        "The randomization chart: Grad-CAM falls to about 0; integrated gradients stay highest.",
        {"attr_network": "cifar", "attr_image": "0"},
    ),
    TourStep(
        "pages/8_Other_Architectures.py",
        "A hidden state across time",
        "An LSTM carries its hidden state from step to step and learns to count ones; a unit "
        "follows the count, though so does one in an untrained LSTM.",
        "What happens on a sequence three times longer than those it trained on?",
        "The count curve flattening on 60 bits, and the unit that tracks the count.",
        {"seq_length": "60"},
    ),
    TourStep(
        "pages/12_Teachers_and_Pretraining.py",
        "A small network taught by a big one",
        "The 784-16-16-10 network learns from the CNN's softened answers instead of the labels: "
        "a 4 that looks a bit like a 9 says so in its soft target.",
        "Same network, same digits, same epochs: can the teacher's answers beat the labels?",
        "The 5,000-digit panel: every seed's soft-target run above every hard-label run.",
        {"pretrain_activation": "sigmoid"},
    ),
)


def step_link_state(index: int) -> dict[str, str]:
    """Return the link parameters that open tour step `index` (0-based)."""
    step = TOUR[index]
    return {**step.state, TOUR_KEY: str(index + 1)}


def parse_step(raw: str | None) -> tuple[int | None, str | None]:
    """Return the 0-based step of a `tour` link value, and a note when it had to be changed."""
    if raw is None:
        return None, None
    try:
        number = int(raw)
    except ValueError:
        return 0, f"Link parameter tour={raw[:40]!r} is not a step number; starting the tour."
    clamped = min(max(number, 1), len(TOUR))
    if clamped != number:
        return clamped - 1, (
            f"Link parameter tour={number} is outside 1–{len(TOUR)}; using {clamped}."
        )
    return number - 1, None
