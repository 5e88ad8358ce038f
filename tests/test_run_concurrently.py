"""The race harness of tests/helpers/concurrency.py: the calls really overlap, results come back
in order, every exception is reported, and a call that never returns fails instead of hanging."""

import threading
import time

import pytest

from tests.helpers.concurrency import ConcurrentFailure, run_concurrently


def test_results_come_back_in_the_order_of_the_calls_whoever_finishes_first():
    def late_for_the_first(i):
        time.sleep((4 - i) * 0.02)
        return i * 10

    assert run_concurrently(5, late_for_the_first) == [0, 10, 20, 30, 40]
    assert run_concurrently(lambda: "a", lambda: "b") == ["a", "b"]


def test_the_calls_run_at_the_same_time():
    """Each call waits for all the others: this returns only if all three are running at once."""
    together = threading.Barrier(3, timeout=10)
    assert sorted(run_concurrently(3, lambda i: together.wait())) == [0, 1, 2]


def test_every_exception_is_reported_after_all_calls_ended():
    finished = []

    def call(i):
        if i in (1, 3):
            raise ValueError(f"call {i} failed")
        time.sleep(0.05)
        finished.append(i)
        return i

    with pytest.raises(ConcurrentFailure) as failure:
        run_concurrently(4, call)
    assert [(i, str(e)) for i, e in failure.value.errors] == [
        (1, "call 1 failed"),
        (3, "call 3 failed"),
    ]
    assert isinstance(failure.value.__cause__, ValueError)
    assert sorted(finished) == [0, 2]  # the others ran to the end first
    assert isinstance(failure.value, AssertionError)  # a failed test, not an error in it


def test_exceptions_can_be_returned_in_place_of_results():
    results = run_concurrently(lambda: 1, lambda: 1 / 0, return_exceptions=True)
    assert results[0] == 1 and isinstance(results[1], ZeroDivisionError)


def test_a_call_that_never_returns_fails_the_test_instead_of_hanging_it():
    released = threading.Event()
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"threads \[1\] of 2 still running after 0.2 s"):
        run_concurrently(lambda: None, released.wait, timeout=0.2)
    assert time.monotonic() - started < 5
    released.set()  # let the abandoned thread end


def test_nothing_to_run_is_a_mistake():
    with pytest.raises(TypeError):
        run_concurrently()
    with pytest.raises(TypeError):
        run_concurrently(2, "not callable")
    with pytest.raises(ValueError):
        run_concurrently(0, print)
