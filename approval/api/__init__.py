"""Read-only JSON API of published items, with its OpenAPI document."""
