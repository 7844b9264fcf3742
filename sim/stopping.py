"""Stop signals: Ctrl-C (SIGINT, `KeyboardInterrupt`) and SIGTERM (`Terminated`).

Python raises a signal's exception wherever the main thread happens to be, and that may be
inside a library's callback: pydantic's serializer or matplotlib's drawing then hands it back
wrapped in an error of its own, an `Exception` (pydantic_core's `PydanticSerializationError:
Error calling function ...: Terminated`). An `except Exception` that skips a chart, or that
treats the error as bad input and abandons the finished cells, would then take the user's stop
for a failure. `stop_behind` finds the signal behind such an error, and every broad
`except Exception` on the command's path calls `reraise` first.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException like KeyboardInterrupt, so that no `except Exception`
    swallows it and every cleanup (staging folder, worker processes) runs on the way out."""


STOPS = (KeyboardInterrupt, Terminated)
_arrived: list[type[BaseException]] = []  # the stops signalled since `install`


def _on_signal(signum, frame):
    kind = KeyboardInterrupt if signum == signal.SIGINT else Terminated
    _arrived.append(kind)
    raise kind


def install() -> Callable[[], None]:
    """Catch SIGTERM (and Ctrl-C, unless someone else handles or ignores it) for the command
    line; returns what puts the old handlers back and forgets the stops signalled meanwhile.
    Outside the main thread signals cannot be handled, and nothing is changed."""
    _arrived.clear()
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _on_signal)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _on_signal)

    def restore() -> None:
        _arrived.clear()
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def stop_behind(err: BaseException) -> BaseException | None:
    """The stop `err` is, was raised from or was raised while handling; else, if a stop was
    signalled since `install`, a new one of that kind (a library may drop the chain); else None."""
    seen: set[int] = set()
    link: BaseException | None = err
    while link is not None and id(link) not in seen:
        if isinstance(link, STOPS):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return _arrived[0]() if _arrived else None


def check() -> None:
    """Raise the stop signalled since `install`, if any: a signal's exception raised inside a
    `__del__` or a callback whose errors are only printed is lost, and the run must not then
    put its results in place as if no one had asked it to stop."""
    if _arrived:
        raise _arrived[0]()


def reraise(err: BaseException) -> None:
    """In an `except Exception`: if a stop is behind `err`, raise it (from `err`) instead of
    handling `err` as the failure it looks like."""
    stop = stop_behind(err)
    if stop is not None and stop is not err:
        raise type(stop)() from err
