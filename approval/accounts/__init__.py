"""Accounts: signing in and out, passwords, the session gate, and the admins' pages for accounts,
departments, role grants and the security policy (三员分立)."""
