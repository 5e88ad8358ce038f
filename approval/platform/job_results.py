"""What one periodic job (``flask jobs run``) reports: what it did and what failed, and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class JobResult:
    name: str
    verb: str  # what "done" means, for the log
    done: list[int] = field(default_factory=list)  # item ids
    failed: list[tuple[int, str]] = field(default_factory=list)  # (item id, why)
    unit: str = "item"  # what the ids are
