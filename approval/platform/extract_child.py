"""The child process of platform/extraction.py: ``python -m approval.platform.extract_child
<file> <extension> <out> <cpu seconds> <memory bytes>``.

It sets its own hard limits before it imports a parser, reads the file, writes the segments (or
the reason it could not) as JSON to ``<out>``, and prints a summary without the text."""

from __future__ import annotations

import json
import resource
import sys


def main(argv: list[str]) -> None:
    path, extension, out, cpu_seconds, memory_bytes = argv
    cpu, memory = int(cpu_seconds), int(memory_bytes)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from pathlib import Path

    from approval.core.screening.extract import Unreadable, extract

    try:
        found = extract(Path(path), extension)
        payload = {"segments": [[s.location, s.text] for s in found]}
    except Unreadable as exc:
        payload = {"reason": exc.reason}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    summary = {
        "reason": payload.get("reason"),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_memory_kb": usage.ru_maxrss,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({**payload, **summary}, handle, ensure_ascii=False)
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1:])
