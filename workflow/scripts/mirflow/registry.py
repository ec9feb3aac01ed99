"""Named methods a config can choose (cut-offs, CIs, normalisation), one place each.

A registry maps a config value to the function that implements it and a one-line
description; the config schema's enums are tested to equal the registries' names
(tests/test_registries.py), so a method cannot be offered without being implemented
or implemented without being documented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class Method(Generic[F]):
    """One registered method: its config name, implementation and description."""

    name: str
    function: F
    description: str


class Registry(Mapping[str, Method[F]]):
    """Config name -> :class:`Method`; an unknown name is an error naming the known ones."""

    def __init__(self, setting: str) -> None:
        self.setting = setting
        self._methods: dict[str, Method[F]] = {}

    def register(self, name: str, description: str) -> Callable[[F], F]:
        """Decorator: register the function under ``name``."""

        def add(function: F) -> F:
            if name in self._methods:
                raise ValueError(f"{self.setting}: method {name!r} registered twice")
            self._methods[name] = Method(name, function, description)
            return function

        return add

    def __getitem__(self, name: str) -> Method[F]:
        try:
            return self._methods[name]
        except KeyError:
            raise ValueError(f"unknown {self.setting} {name!r}; known: {', '.join(self._methods)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._methods)

    def __len__(self) -> int:
        return len(self._methods)
