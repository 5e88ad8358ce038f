"""The child process of platform/extraction.py: ``python -m approval.platform.extract_child
<file> <extension> <out> <cpu seconds> <memory bytes> [mask]``.

It sets its own hard limits before it imports a parser, reads the file, writes the segments (or
the reason it could not) as JSON to ``<out>``, and prints a summary without the text. With
``mask`` it writes a masked copy of the file to ``<out>`` instead (core/screening/mask_file.py;
nothing when there is nothing to mask), and its summary says how many findings it masked. With
``html`` it writes a .docx's 正文 as sanitized HTML (core/docx_html.py) to ``<out>``, as JSON
(``{"html": …}`` or the reason)."""

from __future__ import annotations

import json
import resource
import sys

OUTPUT_BYTES = 64 * 1024 * 1024  # the largest file the child may write (its JSON result)


def main(argv: list[str]) -> None:
    path, extension, out, cpu_seconds, memory_bytes, *mode = argv
    cpu, memory, masking = int(cpu_seconds), int(memory_bytes), mode == ["mask"]
    html = mode == ["html"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dump of personal data
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_BYTES, OUTPUT_BYTES))
    from pathlib import Path

    from approval.core.screening.extract import Unreadable, extract

    try:
        if html:
            payload = _docx_html(Path(path))
        elif masking:
            from approval.core.screening.mask_file import mask

            payload = {"count": mask(Path(path), extension, Path(out)).count}
        else:
            found = extract(Path(path), extension)
            payload = {"segments": [[s.location, s.text] for s in found]}
    except Unreadable as exc:
        payload = {"reason": exc.reason}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    summary = {
        "reason": payload.get("reason"),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_memory_kb": _peak_rss_kb(),
    }
    if payload.get("limit"):
        summary["limit"] = payload["limit"]
    if masking:
        summary["count"] = payload.get("count", 0)
    else:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump({**payload, **summary}, handle, ensure_ascii=False)
    print(json.dumps(summary))


def _docx_html(path) -> dict:
    from approval.core.docx_html import NotConverted, convert

    try:
        return {"html": convert(path)}
    except NotConverted as exc:
        return {"reason": exc.reason}
    except MemoryError:
        from approval.core.screening.extract import OVER_MEMORY

        return {"reason": OVER_MEMORY, "limit": "memory"}


def _peak_rss_kb() -> int | None:
    """This program's own peak resident memory (VmHWM; getrusage's ru_maxrss would include the
    parent's, from before the exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


if __name__ == "__main__":
    main(sys.argv[1:])
