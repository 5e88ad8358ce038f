"""The bell and the notifications page (routes.py), the message texts (messages.py) and the
e-mail outbox that ``flask jobs run`` drains (mail.py)."""
