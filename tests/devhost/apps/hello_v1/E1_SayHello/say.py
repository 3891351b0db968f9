"""A non-default scriptFile and entryPoint; a relative import of shared code, as the samples do."""

from ..shared.greeting import greet


def say_hello(name: str) -> str:
    return greet(name)
