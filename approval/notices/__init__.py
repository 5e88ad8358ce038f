"""公示 (issue 24; docs/public-notices.md): the 公示期 of a published item on the portal, the
objections (异议) staff log against it, and the take-down of its personal data once the 公示期
and the retention after it have passed.

- ``takedown``: what the public version becomes (masked texts, masked or withdrawn attachments),
  worked out with no transaction open (attachments are masked in the extraction's child);
- ``operations``: log an objection, record its handling, and apply a take-down (one item, in the
  job's transaction);
- ``queries``: the 公示 due for a take-down, an item's objections;
- ``routes``: the staff page of a 公示 (objections, the original after a take-down).
"""
