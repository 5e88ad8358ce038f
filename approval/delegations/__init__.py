"""请假代理: the 我的代理 page, where a reviewer names a deputy for a date range or revokes one,
and sees the delegations they received."""
