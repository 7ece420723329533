"""Safe arithmetic over metric ids: parsed with `ast`, evaluated per cell with None propagation."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class ExpressionError(ValueError):
    pass


def parse_expression(text: str) -> ast.expr:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot read expression {text!r}: {exc.msg}") from exc
    _check(tree.body, text)
    return tree.body


def _check(node: ast.expr, text: str) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check(node.left, text)
        _check(node.right, text)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, text)
    elif not (_is_number(node) or isinstance(node, ast.Name)):
        raise ExpressionError(
            f"expression {text!r} may only use metric ids, numbers, + - * / and parentheses"
            f" (found {ast.unparse(node)!r})"
        )


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def referenced_metrics(node: ast.expr) -> list[str]:
    return sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)})


def evaluate(node: ast.expr, values: Mapping[str, float | None]) -> float | None:
    """None when any referenced value is missing or a division by zero happens."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = evaluate(node.operand, values)
        return None if inner is None else -inner
    assert isinstance(node, ast.BinOp)
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Div) and right == 0:
        return None
    return _BINARY[type(node.op)](left, right)
