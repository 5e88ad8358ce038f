"""The only place state changes: guard permission → guard state → guard stale version → mutate →
audit.record → flush. Services never commit; the route commits once per request."""
