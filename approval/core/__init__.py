"""The kernel: the rules of the domain as plain Python, with no Flask and no database (the chain
as data, roles, vocabularies, time, hashing, text cleaning, passwords, working days, periods, and the
errors operations refuse with)."""
