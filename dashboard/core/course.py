"""The map of lessons: one registry that the sidebar, the home page and the tests read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One page of the dashboard, or one still being written (page is None)."""

    section: str
    title: str
    icon: str  # an emoji: Material icons need a font server, emoji work offline
    summary: str
    page: str | None  # path from the repository root, as st.page_link wants it

    @property
    def url_path(self) -> str:
        """Return the page's URL path: "" for the entry, "Digit_Network" for 1_Digit_Network.py."""
        if self.page is None or "/" not in self.page:
            return ""
        stem = self.page.rsplit("/", 1)[1].removesuffix(".py")
        return stem.split("_", 1)[1] if stem.split("_", 1)[0].isdigit() else stem


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "Start",
        "What is a hidden layer",
        "🧮",
        "z = W·x + b, one layer step by step, shapes and parameter counts.",
        "streamlit_app.py",
    ),
    Lesson(
        "Lessons",
        "Why hidden layers",
        "🌀",
        "Without one a network draws straight lines; with them it bends space.",
        "pages/1_Why_Hidden_Layers.py",
    ),
    Lesson(
        "Lessons",
        "How hidden layers learn",
        "🔁",
        "Backpropagation step by step with real numbers, and descent on a cost surface.",
        "pages/2_Backpropagation.py",
    ),
    Lesson(
        "Lessons",
        "The digit network",
        "🔢",
        "784-16-16-10 on MNIST: what its hidden neurons really respond to, and where it fails.",
        "pages/3_Digit_Network.py",
    ),
    Lesson(
        "Lessons",
        "Activation functions",
        "📈",
        "Sigmoid to GELU, vanishing gradients, dying ReLU and initialization.",
        "pages/4_Activation_Functions.py",
    ),
    Lesson(
        "Lessons",
        "Over- and underfitting",
        "🎯",
        "Train vs validation curves, capacity, regularization, memorizing random labels.",
        "pages/5_Overfitting.py",
    ),
    Lesson(
        "Lessons",
        "The layer hierarchy",
        "🧱",
        "A CNN's layers, from small local patterns to class-selective ones, each measured.",
        "pages/6_Layer_Hierarchy.py",
    ),
    Lesson(
        "Lessons",
        "What layers look for",
        "🔭",
        "Each channel's favourite input, a first layer learning live, the same on digits.",
        "pages/7_What_Layers_Look_For.py",
    ),
    Lesson(
        "Lessons",
        "Transfer learning",
        "♻️",
        "A trained CNN's first k blocks reused for new classes: where its features stop helping.",
        "pages/11_Transfer_Learning.py",
    ),
    Lesson(
        "Lessons",
        "Which pixels mattered",
        "🔍",
        "Gradient, SmoothGrad, integrated gradients, Grad-CAM, and a sanity check of each.",
        "pages/13_Which_Pixels_Mattered.py",
    ),
    Lesson(
        "Lessons",
        "Other architectures, smaller layers",
        "🧬",
        "Hidden states in an LSTM and an autoencoder; pruning and 8-bit weights.",
        "pages/8_Other_Architectures.py",
    ),
    Lesson(
        "Lessons",
        "Teachers and layer-wise training",
        "🎓",
        "A small network taught by a CNN's soft answers; pretraining one layer at a time.",
        "pages/12_Teachers_and_Pretraining.py",
    ),
    Lesson(
        "Teaching",
        "Your own model",
        "📦",
        "Upload a small .keras model and look inside its hidden layers.",
        "pages/9_Your_Model.py",
    ),
    Lesson(
        "Teaching",
        "Class mode",
        "👩‍🏫",
        "A room pools every student's run of one experiment into one live chart.",
        "pages/10_Class.py",
    ),
)


def available_lessons() -> list[Lesson]:
    """Return the lessons that have a page."""
    return [lesson for lesson in LESSONS if lesson.page is not None]


def lesson_by_page(page: str) -> Lesson:
    """Return the lesson whose page file is `page`."""
    for lesson in LESSONS:
        if lesson.page == page:
            return lesson
    raise ValueError(f"no lesson has page {page!r}")
