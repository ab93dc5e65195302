"""A safe parser for one-variable formulas such as "sin(3*x) + abs(x)/2".

Only numbers, x, pi, e, + - * / ** and a short list of numpy functions are allowed; anything
else (names, attributes, calls of other things) is refused with a message. Nothing is passed
to `eval`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

MAX_LENGTH = 200

FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "sign": np.sign,
    "step": lambda x: np.heaviside(x, 0.5),
}
CONSTANTS = {"pi": np.pi, "e": np.e}
OPERATORS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}


def parse_formula(text: str) -> Callable[[np.ndarray], np.ndarray]:
    """Return f(x) for `text`; raise ValueError saying what is not allowed."""
    text = text.strip()
    if not text:
        raise ValueError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"the formula is not valid: {error.msg}") from error
    _check(tree.body)
    return lambda x: _evaluate(tree.body, np.asarray(x, dtype=float))


def evaluate_formula(text: str, x: np.ndarray) -> np.ndarray:
    """Return the formula's finite values at x; raise ValueError if any is not finite."""
    with np.errstate(all="ignore"):
        values = np.broadcast_to(parse_formula(text)(x), np.shape(x)).astype(float)
    if not np.isfinite(values).all():
        raise ValueError("the formula is not finite everywhere on the plotted range")
    return values


def _check(node: ast.AST) -> None:
    allowed = ", ".join(FUNCTIONS)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return
    if isinstance(node, ast.Name):
        if node.id != "x" and node.id not in CONSTANTS:
            raise ValueError(f"unknown name {node.id!r}: use x, pi, e")
        return
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        _check(node.left)
        _check(node.right)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ValueError(f"only these functions are allowed: {allowed}")
        if len(node.args) != 1 or node.keywords:
            raise ValueError(f"{node.func.id}() takes exactly one argument")
        _check(node.args[0])
        return
    raise ValueError(f"{type(node).__name__} is not allowed; use numbers, x and {allowed}")


def _evaluate(node: ast.AST, x: np.ndarray) -> np.ndarray:
    if isinstance(node, ast.Constant):
        return np.full_like(x, float(node.value))
    if isinstance(node, ast.Name):
        return x if node.id == "x" else np.full_like(x, CONSTANTS[node.id])
    if isinstance(node, ast.BinOp):
        return OPERATORS[type(node.op)](_evaluate(node.left, x), _evaluate(node.right, x))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, x)
        return -value if isinstance(node.op, ast.USub) else value
    return FUNCTIONS[node.func.id](_evaluate(node.args[0], x))
