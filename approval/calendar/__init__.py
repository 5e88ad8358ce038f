"""The working-day calendar: the system admin's corrections (工作日历调整) to the State Council
holidays that ``core.workdays`` counts with."""
