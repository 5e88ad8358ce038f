"""Screening as the chain uses it: running the pre-checks (core/screening) on a revision when it is
sealed and keeping the findings, and the security admin's sensitive-word list (敏感词库)."""
