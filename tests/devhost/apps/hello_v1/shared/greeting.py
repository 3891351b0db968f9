"""Shared code: activities may read app settings (orchestrators must not)."""

import os


def greet(name: str) -> str:
    return f"{os.environ.get('GREETING', 'Hi')} {name}!"
