"""Random people pressing random buttons: the chain stays consistent and the trail tells its story.

A Hypothesis state machine (``ChainMachine`` of tests/helpers/stateful.py) writes drafts and lets
random users of a world (every role, two departments) take random workflow actions on random items
through ``transitions.perform``, with input that is sometimes wrong and a page that is sometimes
stale; a second rule has someone take an action the item page offers them, with proper input.
After every step:
- every item is in a state of the body's chain;
- the item's audit entries are exactly its creation plus one entry per accepted action, in order,
  each with the state before and after (and the after-state is what ``workflow`` says);
- a refused action changed nothing in the database, and an offered action is never refused.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.helpers.stateful import ChainMachine


def test_random_actions_keep_items_valid_and_the_trail_exact(app):
    run_state_machine_as_test(
        ChainMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
