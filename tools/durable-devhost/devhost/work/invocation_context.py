"""The `context` argument the Python worker passes to a function that declares one.

The worker fills a parameter named `context` that no binding takes with an `azure.functions.
Context` (Azure/azure-functions-python-worker `Registry.is_context_required`), in any kind of
function: HTTP functions and activities alike.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import azure.functions as func


class InvocationContext(func.Context):
    """The `context` argument the worker passes to functions that declare one."""

    _local = threading.local()

    def __init__(self, function_name: str, function_directory: str = "") -> None:
        self._invocation_id = str(uuid.uuid4())
        self._function_name = function_name
        self._function_directory = function_directory

    @property
    def invocation_id(self) -> str:
        return self._invocation_id

    @property
    def thread_local_storage(self) -> threading.local:
        return self._local

    @property
    def function_name(self) -> str:
        return self._function_name

    @property
    def function_directory(self) -> str:
        return self._function_directory

    @property
    def trace_context(self) -> Any:
        return None

    @property
    def retry_context(self) -> Any:
        return None
