"""`--strict`: catch an orchestrator's side effects at run time, where durable_lint cannot see.

The linter reads code; it cannot follow a helper in another module or a library that does I/O
under the hood. The embedded host runs orchestrators in its own process, so it can watch them.
It wraps the user's orchestrator function with the SDK's own `Orchestrator.create` and watches
only while the user's code runs (the first call, then each `send`/`throw` into its generator),
only on that thread: an audit hook (PEP 578) sees I/O, a profile hook (`sys.setprofile`, per
thread) sees the clock and random numbers, and wrapped `os.environ` read methods see settings
(`strict_targets.py` says what, `strict_hooks.py` installs the process-wide parts). The SDK's
own replay work between those resumptions, activities, starters and the host run unwatched.

A finding names the orchestrator, instance, episode, whether it was replaying, what happened
and the innermost app line, with durable_lint's code. "warn" logs it once per (orchestrator,
code, line) and counts every occurrence in the instance's counters (`strict_findings`); "fail"
fails the instance at the first finding with that message, as a test suite wants.
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, field
from types import FrameType, GeneratorType
from typing import Any, Literal

from azure.durable_functions import Orchestrator

from devhost.work import strict_hooks as hooks
from devhost.work import strict_targets as t

log = logging.getLogger("devhost")
OnFinding = Literal["warn", "fail"]
_RANDOM_MODULES = frozenset({"random", "uuid", "secrets"})
_TELLING = "socket.connect"  # names a call better than the address lookup before it


class StrictModeViolation(RuntimeError):
    """Raised into orchestrator code at the first finding under "fail"."""


@dataclass
class _Finding:
    """One (code, file, line) of one episode, as a row of the counters' `strict_findings`."""

    code: str
    file: str
    line: int
    what: str  # the first occurrence's event
    occurrences: int = 0
    replaying: int = 0


def _lint_message() -> Callable[..., str]:
    """durable_lint's `message(code, name=...)`: both tools word a mistake alike.

    Imported only when --strict is on: durable-lint is devhost's optional `strict` extra.
    """
    try:
        from durable_lint.rules.codes import message
    except ImportError:
        raise ImportError(
            "devhost --strict words its findings with durable_lint's codes: install devhost's"
            ' `strict` extra (pip install "durable-devhost[strict]"), which brings durable-lint'
        ) from None
    return message


class StrictMode:
    """The `strict` engine setting: how findings are reported, and which were already logged."""

    def __init__(self, on_finding: OnFinding = "warn") -> None:
        if on_finding not in ("warn", "fail"):
            raise ValueError(f"--strict must be 'warn' or 'fail', not {on_finding!r}")
        self.on_finding = on_finding
        self.lint_message = _lint_message()
        self._warned: set[tuple[str, str, str, int]] = set()
        self._lock = threading.Lock()
        self._handles: dict[Callable[..., str], Callable[..., str] | None] = {}
        hooks.install()

    def watched(
        self,
        handle: Callable[[Any], str],
        *,
        orchestrator: str,
        instance_id: str,
        episode: int,
        counters: Any,
    ) -> Callable[[Any], str]:
        """A stand-in for the SDK's `handle` that watches the user's code for one episode.

        It raises StrictModeViolation after the SDK returns if "fail" found something: the
        host then fails the instance with that message, whatever the orchestrator caught.
        """
        sdk_handle = self._sdk_handle(handle)
        if sdk_handle is None:
            return handle
        watch = EpisodeWatch(self, orchestrator, instance_id, episode)

        def call(context: Any) -> str:
            hooks.enter(watch)
            try:
                result = sdk_handle(context)
            finally:
                hooks.leave()
                watch.count_into(counters)
            if watch.failure is not None:
                raise StrictModeViolation(watch.failure)
            return result

        return call

    def _sdk_handle(self, handle: Callable[[Any], str]) -> Callable[[Any], str] | None:
        """The SDK's handle, rebuilt by `Orchestrator.create` around the watched function.

        None (with one warning) for a handle the SDK did not make: it runs unwatched.
        """
        if handle in self._handles:
            return self._handles[handle]
        user_fn = getattr(handle, "orchestrator_function", None)
        sdk_handle = None
        if user_fn is None:
            log.warning("devhost --strict: %r is not the SDK's handle; it runs unwatched", handle)
        else:

            def orchestrator_function(context: Any) -> Any:
                watch = hooks.current()
                assert isinstance(watch, EpisodeWatch)
                watch.context = context
                _unwatch_sdk_methods(context)
                result = watch.run(user_fn, context)
                return watch.relay(result) if isinstance(result, GeneratorType) else result

            sdk_handle = Orchestrator.create(orchestrator_function)
            extra = {k: v for k, v in vars(handle).items() if k != "orchestrator_function"}
            vars(sdk_handle).update(extra)  # e.g. the decorator's _df_input_type
        self._handles[handle] = sdk_handle
        return sdk_handle

    def first_time(self, orchestrator: str, finding: _Finding) -> bool:
        key = (orchestrator, finding.code, finding.file, finding.line)
        with self._lock:
            if key in self._warned:
                return False
            self._warned.add(key)
            return True


def _unwatch_sdk_methods(context: Any) -> None:
    """Turn the profile hook off while the SDK's own context methods run.

    `context.call_activity(...)` and the like are the SDK's work, never reported, yet under the
    profile hook each one costs hundreds of hook calls (a fan-out of 1,000 tasks makes most of
    --strict's cost). Shadowing the methods on this one context object, which is new every
    episode, skips them; the audit hook still sees any I/O under them.
    """
    for name, member in vars(type(context)).items():
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(context, name, _unprofiled(getattr(context, name)))


def _unprofiled(method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        previous = sys.getprofile()
        sys.setprofile(None)
        try:
            return method(*args, **kwargs)
        finally:
            sys.setprofile(previous)

    return call


@dataclass
class EpisodeWatch:
    """What one episode's user code did; active only while that code runs."""

    mode: StrictMode
    orchestrator: str
    instance_id: str
    episode: int
    failure: str | None = None
    found: dict[tuple[str, str, int], _Finding] = field(default_factory=dict)
    context: Any = None  # the SDK's DurableOrchestrationContext: is_replaying, as it goes
    active: bool = False  # True only while the user's code runs
    _last: tuple[FrameType, FrameType | None, _Finding] | None = None  # occurrence in progress
    _pending: list[tuple[_Finding, str, bool]] = field(default_factory=list)  # to warn about
    _profile: Callable[[FrameType, str, Any], None] = field(init=False, repr=False)

    def run(self, fn: Callable[..., Any], arg: Any) -> Any:
        """Call user code with the watch on: the orchestrator function, or a resumption."""
        previous = sys.getprofile()
        self.active = True
        sys.setprofile(self._profile)
        try:
            return fn(arg)
        finally:
            sys.setprofile(previous)
            self.active = False
            self._last = None
            self._warn_pending()

    def relay(self, user: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
        """Pass the SDK's `send`/`throw` to the user's generator, watching each resumption."""
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                resume, arg = (user.send, value) if error is None else (user.throw, error)
                task = self.run(resume, arg)
            except StopIteration as stop:
                return stop.value
            try:
                value, error = (yield task), None
            except GeneratorExit:
                user.close()
                raise
            except BaseException as exc:  # the SDK throws a failed task's error in
                value, error = None, exc

    def __post_init__(self) -> None:
        # The profile hook runs on every call and return of the user's code: a closure over
        # locals, not a method reading globals, is a fifth cheaper (benchmarks/strict_overhead).
        def profile(
            frame: FrameType,
            event: str,
            arg: Any,
            calls: Any = t.C_CALLS,
            hit: Any = self._direct_use,
        ) -> None:
            if event == "c_call" and arg in calls:
                hit(frame, *calls[arg])

        self._profile = profile

    def env_read(self, frame: FrameType, key: Any) -> None:
        self._direct_use(frame, t.ENV_OR_FILE, f"os.environ[{key!r}]" if key else "os.environ")

    def _direct_use(self, frame: FrameType, code: str, name: str) -> None:
        """A clock/random/environment read counts when the app calls it (maybe via a wrapper)."""
        callee: FrameType | None = None
        caller: FrameType | None = frame
        while caller is not None and t.owner(caller.f_code.co_filename) is t.Owner.THROUGH:
            callee, caller = caller, caller.f_back
        if caller is None or t.owner(caller.f_code.co_filename) is not t.Owner.APP:
            return
        if callee is not None:
            module = callee.f_globals.get("__name__", "")
            if code != t.ENV_OR_FILE:
                name = f"{module}.{callee.f_code.co_name}"
            if module in _RANDOM_MODULES:
                code = t.RANDOM
        self._occurred(code, name, caller, callee)

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        """I/O counts wherever it happens under app code, unless the SDK or host did it."""
        code = t.AUDIT_EVENTS.get(event)
        if code is None:
            return
        callee: FrameType | None = None
        frame: FrameType | None = sys._getframe(2)  # above this method and the hook
        while frame is not None:
            who = t.owner(frame.f_code.co_filename)
            if who is t.Owner.APP:
                self._occurred(code, t.describe(event, args), frame, callee)
                return
            if who is t.Owner.HOST:
                return
            callee, frame = frame, frame.f_back

    def _occurred(self, code: str, what: str, app: FrameType, callee: FrameType | None) -> None:
        """Count one occurrence per call from an app line (a POST resolves, then connects)."""
        last = self._last
        if last is not None and callee is not None and last[0] is app and last[1] is callee:
            if what.startswith(_TELLING):
                self._retell(last[2], what)
            return
        file = _shown(app.f_code.co_filename)
        key = (code, file, app.f_lineno)
        finding = self.found.get(key)
        if finding is None:
            finding = self.found[key] = _Finding(code, file, app.f_lineno, what)
        finding.occurrences += 1
        self._last = (app, callee, finding)
        replaying = bool(getattr(self.context, "is_replaying", False))
        finding.replaying += replaying
        if self.mode.on_finding == "fail":
            text = self._message(finding, what, replaying)
            if self.failure is None:
                self.failure = text
                log.error("devhost --strict: %s", text)
            raise StrictModeViolation(text)
        if self.mode.first_time(self.orchestrator, finding):
            self._pending.append((finding, what, replaying))

    def _retell(self, finding: _Finding, what: str) -> None:
        """Name the occurrence in progress by its most telling event (connect, not lookup)."""
        if finding.occurrences == 1:
            finding.what = what
        self._pending = [(f, what if f is finding else w, r) for f, w, r in self._pending]

    def _warn_pending(self) -> None:
        """Log this resumption's first-time findings (once per orchestrator, code and line)."""
        for finding, what, replaying in self._pending:
            log.warning("devhost --strict: %s", self._message(finding, what, replaying))
        self._pending.clear()

    def _message(self, finding: _Finding, what: str, replaying: bool) -> str:
        text = self.mode.lint_message(finding.code, name=what)
        return (
            f"{text} (orchestrator '{self.orchestrator}', "
            f"instance {self.instance_id}, episode {self.episode}, "
            f"{'replaying' if replaying else 'not replaying'}, at {finding.file}:{finding.line})"
        )

    def count_into(self, counters: Any) -> None:
        """Add this episode's findings to the instance counters (one new list, assigned once)."""
        if not self.found:
            return
        rows = {(r["code"], r["file"], r["line"]): dict(r) for r in counters.strict_findings}
        for key, finding in self.found.items():
            row = rows.setdefault(key, {**asdict(finding), "occurrences": 0, "replaying": 0})
            row["occurrences"] += finding.occurrences
            row["replaying"] += finding.replaying
        counters.strict_findings = list(rows.values())


def _shown(filename: str) -> str:
    """A path relative to the working folder when it is inside it (as the linter prints)."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename
    return filename if relative.startswith("..") else relative
