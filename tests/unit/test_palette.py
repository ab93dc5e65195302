"""One colour system: every figure's colours come from `dashboard.core.palette`, maps centred on
0 carry a titled colour bar, and no two traces of a figure differ by colour alone."""

import ast
import json
import re
from pathlib import Path

import pytest

from dashboard.core import palette
from dashboard.core.course import available_lessons

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    *(ROOT / "dashboard").rglob("*.py"),
    *(ROOT / "pages").glob("*.py"),
    ROOT / "streamlit_app.py",
]
COLOUR = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|rgba?\(.*\)|red|green|blue|orange|black|white|gr[ae]y|purple|yellow)$"
)


def colour_literals(path: Path) -> list[str]:
    """Return the string constants in `path` that spell a colour."""
    tree = ast.parse(path.read_text())
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and COLOUR.match(node.value.strip())
    ]  # fmt: skip


def test_no_module_but_the_palette_spells_a_colour():
    found = {
        str(path.relative_to(ROOT)): colour_literals(path)
        for path in CODE
        if path.name != "palette.py" and colour_literals(path)
    }
    assert not found


def test_the_palette_checker_catches_a_colour(tmp_path):
    sample = tmp_path / "figure.py"
    sample.write_text(
        'line = {"color": "#1f77b4"}\nmarker = {"color": "white"}\nname = "blue team"\n'
    )
    assert colour_literals(sample) == ["#1f77b4", "white"]


def walk(value, key=""):
    """Yield (key, value) for every leaf of a Plotly spec."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from walk(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)
    else:
        yield key, value


def expanded(name: str) -> str:
    """Return a named Plotly colour scale as the stops a figure's spec carries."""
    import plotly.graph_objects as go

    return json.dumps([list(stop) for stop in go.Heatmap(colorscale=name).colorscale])


PALETTE_SCALES = {expanded(name) for name in palette.SCALES}


def off_palette(spec: dict) -> set[str]:
    """Return the colours and colour scales of a Plotly spec that the palette does not have."""
    wrong = set()
    for key, value in walk({"data": spec.get("data"), "layout": spec.get("layout")}):
        if isinstance(value, str) and key.endswith("color") and value.lower() not in palette.COLORS:
            wrong.add(value)
    for trace in spec.get("data", []):
        scale = trace.get("colorscale", trace.get("marker", {}).get("colorscale"))
        if isinstance(scale, str) and scale not in palette.SCALES:
            wrong.add(scale)
        if isinstance(scale, list) and json.dumps(scale) not in PALETTE_SCALES:
            wrong |= {stop[1] for stop in scale if stop[1].lower() not in palette.COLORS}
    return wrong


def look(trace: dict) -> tuple:
    """Return how a trace looks apart from its colour."""
    marker, line = trace.get("marker", {}), trace.get("line", {})
    return (
        trace.get("type"), trace.get("mode"), json.dumps(marker.get("symbol")),
        line.get("dash"), json.dumps(marker.get("pattern", {}).get("shape")),
        trace.get("xaxis"), trace.get("yaxis"),
    )  # fmt: skip


def colour_of(trace: dict) -> str:
    return json.dumps([trace.get("marker", {}).get("color"), trace.get("line", {}).get("color")])


def colour_alone(spec: dict) -> list[str]:
    """Return the names of legend entries told apart from another only by colour."""
    shown = [
        trace for trace in spec.get("data", [])
        if trace.get("name") and trace.get("showlegend", True)
        and trace.get("type") in ("scatter", "scattergl", "bar")
    ]  # fmt: skip
    clashes = []
    for index, trace in enumerate(shown):
        for other in shown[index + 1 :]:
            same_look = look(trace) == look(other) and trace["name"] != other["name"]
            if same_look and colour_of(trace) != colour_of(other):
                clashes.append(f"{trace['name']} / {other['name']}")
    return clashes


def unlabelled_diverging(spec: dict) -> list[str]:
    """Return problems of heatmaps on the diverging scale: not centred on 0, or no titled bar."""
    problems = []
    for trace in spec.get("data", []):
        scale = trace.get("colorscale")
        named = scale == palette.DIVERGING or json.dumps(scale) == expanded(palette.DIVERGING)
        if trace.get("type") != "heatmap" or not named:
            continue
        low, high, middle = trace.get("zmin"), trace.get("zmax"), trace.get("zmid")
        if middle != 0 and not (low is not None and high is not None and low == -high):
            problems.append("not centred on 0")
        title = trace.get("colorbar", {}).get("title", {}).get("text")
        if trace.get("showscale") is False or not title:
            problems.append("no titled colour bar")
    return problems


@pytest.fixture(scope="module")
def page_specs():
    from tests.app.conftest import open_page, plotly_specs

    return {lesson.page: plotly_specs(open_page(lesson.page)) for lesson in available_lessons()}


def test_every_figure_on_every_page_keeps_to_the_palette(page_specs):
    found = {
        page: sorted(set().union(*(off_palette(spec) for spec in specs)))
        for page, specs in page_specs.items()
    }
    assert not {page: wrong for page, wrong in found.items() if wrong}


def test_no_figure_tells_two_traces_apart_by_colour_alone(page_specs):
    found = {
        page: [c for spec in specs for c in colour_alone(spec)]
        for page, specs in page_specs.items()
    }
    assert not {page: clashes for page, clashes in found.items() if clashes}


def test_every_diverging_map_is_centred_on_0_with_a_titled_colour_bar(page_specs):
    found = {
        page: [p for spec in specs for p in unlabelled_diverging(spec)]
        for page, specs in page_specs.items()
    }
    assert not {page: problems for page, problems in found.items() if problems}


def test_the_checks_catch_a_figure_that_breaks_them():
    spec = {
        "data": [
            {"type": "scatter", "mode": "markers", "name": "a", "marker": {"color": "#123456"}},
            {"type": "scatter", "mode": "markers", "name": "b", "marker": {"color": palette.BLUE}},
            {"type": "heatmap", "colorscale": palette.DIVERGING, "zmin": 0, "zmax": 1},
        ],
        "layout": {},
    }
    assert off_palette(spec) == {"#123456"}
    assert off_palette({"data": [{"type": "heatmap", "colorscale": "Jet"}]}) == {"Jet"}
    assert colour_alone(spec) == ["a / b"]
    assert unlabelled_diverging(spec) == ["not centred on 0", "no titled colour bar"]
