"""The home page's network diagram: a static SVG with every drawn node and edge, and words."""

import re
import xml.etree.ElementTree as ElementTree

from dashboard.core import palette
from dashboard.core.network_svg import MAX_DRAWN_NODES, network_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_every_drawn_node_and_every_edge_between_neighbouring_layers_is_there():
    root = _parse(network_svg([784, 16, 10]))
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == MAX_DRAWN_NODES + MAX_DRAWN_NODES + 10  # 784 and 16 are capped
    moves = re.findall(r"M[\d.]+ [\d.]+L", root.find(f"{SVG}path").get("d"))
    assert len(moves) == MAX_DRAWN_NODES * MAX_DRAWN_NODES + MAX_DRAWN_NODES * 10
    columns = sorted({float(circle.get("cx")) for circle in circles})
    assert len(columns) == 3


def test_the_diagram_names_each_layer_its_size_and_skipped_nodes():
    root = _parse(network_svg([3, 4, 2], ["input x", "hidden layer", "output"]))
    words = [text.text for text in root.findall(f"{SVG}text")]
    assert words == ["input x", "3 neurons", "hidden layer", "4 neurons", "output", "2 neurons"]
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.endswith("input x 3, hidden layer 4, output 2")
    big = [text.text for text in _parse(network_svg([784, 16, 16, 10])).findall(f"{SVG}text")]
    assert big.count("⋮") == 3 and "784 neurons" in big  # 784 and both 16s are capped at 12


def test_colours_come_from_the_palette_and_names_are_escaped():
    svg = network_svg([2, 2], ["<in>", "out & more"])
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))
    assert colours and colours <= palette.COLORS
    words = [text.text for text in _parse(svg).findall(f"{SVG}text")]
    assert words[0] == "<in>" and words[2] == "out & more"  # parsed back from &lt; and &amp;
