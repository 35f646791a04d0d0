"""Registered methods of each build step, chosen by name — never looked up with `eval`.

Every method is a small pure NumPy function. `register` records it under its step
and name together with its keyword parameters and their defaults, so a framework
file or a log entry can be validated ("unknown method", "unknown parameter") before
anything runs. Signatures by step:

- impute:    f(X (n, m), groups (n,), *, ...) -> X
- treat:     f(x (n,), *, ...) -> (x, info)
- normalise: f(X (n, m), direction (m,), bounds (m, 2), *, ...) -> X
- weight:    f(X (n, k), declared (k,), *, ...) -> w (k,)
- aggregate: f(X (..., n, k), W (..., k), *, ...) -> (..., n)

A method that cannot apply to its input raises `DomainError`, which the build turns
into a message naming the indicator or group.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STEPS = ("impute", "treat", "normalise", "weight", "aggregate")


class DomainError(ValueError):
    """A method's input is outside what it is defined for; `column` locates it if known."""

    def __init__(self, key: str, where: int | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.column = where
        self.params = params


@dataclass(frozen=True)
class Method:
    step: str
    name: str
    func: Callable[..., Any]
    params: dict[str, Any]
    citation: str

    def __call__(self, *args: Any, **params: Any) -> Any:
        return self.func(*args, **params)


_REGISTRY: dict[str, dict[str, Method]] = {step: {} for step in STEPS}


def register(step: str, name: str, citation: str = "") -> Callable[[Callable[..., Any]],
                                                                    Callable[..., Any]]:
    """Record `func` as method `name` of `step`; its keyword-only arguments are its parameters."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func)
        params = {p.name: p.default for p in signature.parameters.values()
                  if p.kind is inspect.Parameter.KEYWORD_ONLY}
        _REGISTRY[step][name] = Method(step, name, func, params, citation)
        return func

    return decorate


def get_method(step: str, name: str) -> Method | None:
    """The method `name` of `step`, or None (callers report the choices)."""
    return _REGISTRY.get(step, {}).get(name)


def method_names(step: str) -> tuple[str, ...]:
    return tuple(_REGISTRY.get(step, {}))


from zonescope.index.methods import (  # noqa: E402  (register first, then fill the registry)
    aggregate,
    impute,
    normalise,
    treat,
    weights,
)

__all__ = ["STEPS", "DomainError", "Method", "aggregate", "get_method", "impute", "method_names",
           "normalise", "register", "treat", "weights"]
