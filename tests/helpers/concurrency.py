"""The one harness for races: run several callables in threads released at the same instant."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

DEFAULT_TIMEOUT = 120.0  # seconds; generous, since a loaded CI machine is slow, not deadlocked


class ConcurrentFailure(AssertionError):
    """Some threads raised: ``errors`` holds (index, exception) for each, in thread order. The first
    exception is also the ``__cause__``, so pytest shows its traceback."""

    def __init__(self, errors: list[tuple[int, BaseException]]):
        self.errors = errors
        listed = "; ".join(f"thread {i}: {type(e).__name__}: {e}" for i, e in errors)
        super().__init__(f"{len(errors)} of the concurrent calls raised: {listed}")


def run_concurrently(
    *work: Any, timeout: float = DEFAULT_TIMEOUT, return_exceptions: bool = False
) -> list:
    """Call each callable in a thread of its own, all at once; return their results in order.

    Two ways to say what runs::

        run_concurrently(press_approve, press_return)   # each callable, called with no argument
        run_concurrently(20, press)                     # press(0) … press(19)

    Every thread is started first and waits at a barrier, so the calls begin together (rather
    than one after another as the threads happen to start); do anything that must not be part of
    the race (loading a form, signing in) before calling this.

    Results come back as a list in the order of the callables, whichever thread finished first.
    If any call raised, a ``ConcurrentFailure`` (an AssertionError) names every thread that did,
    after all threads have ended; with ``return_exceptions=True`` the exception takes that call's
    place in the list instead, for a test that expects some calls to fail.

    ``timeout`` (seconds) bounds the whole run: a thread still waiting at the barrier or still
    running after it (a deadlock, a request that never returns) fails the test with an
    AssertionError naming the threads instead of hanging the suite. Such a thread is a daemon,
    so it cannot keep the test process alive either.
    """
    callables = _callables(work)
    count = len(callables)
    barrier = threading.Barrier(count, timeout=timeout)
    results: list = [None] * count
    errors: list[BaseException | None] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = callables[i]()
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            errors[i] = exc

    threads = [
        threading.Thread(target=run, args=(i,), name=f"concurrent-{i}", daemon=True)
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    hung = [i for i, thread in enumerate(threads) if thread.is_alive()]
    if hung:
        raise AssertionError(
            f"threads {hung} of {count} still running after {timeout:g} s (a deadlock?)"
        )
    failed = [(i, exc) for i, exc in enumerate(errors) if exc is not None]
    if return_exceptions:
        return [exc if exc is not None else result for result, exc in zip(results, errors)]
    if failed:
        raise ConcurrentFailure(failed) from failed[0][1]
    return results


def _callables(work: tuple) -> list[Callable[[], Any]]:
    if work and isinstance(work[0], int) and not isinstance(work[0], bool):
        if len(work) != 2 or not callable(work[1]):
            raise TypeError("run_concurrently(n, fn): a count and one callable taking the index")
        count, fn = work
        if count < 1:
            raise ValueError("run_concurrently(n, fn) needs n >= 1")
        return [lambda i=i: fn(i) for i in range(count)]
    if not work or not all(callable(w) for w in work):
        raise TypeError("run_concurrently(*callables) or run_concurrently(n, fn)")
    return list(work)
