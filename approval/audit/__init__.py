"""The hash-chained, append-only audit trail: recording, verifying, anchoring, exporting, retention,
and the audit admin's pages."""
