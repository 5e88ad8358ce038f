"""Proactive disclosure (主动公开): drafts, the review chain, transitions (the one place items
change state), what changed since a return, and the 保密审查单.

The 保密审查单 of an item's current round is gathered once (``secrecy_form.collect``) and rendered
both as a printable page and as a Word document (``secrecy_form_docx.build``)."""
