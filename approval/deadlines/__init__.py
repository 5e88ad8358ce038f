"""The 期限看板 (deadlines dashboard) and the steps' time limits, for the general office."""
