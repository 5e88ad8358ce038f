"""A real SMTP server on 127.0.0.1 (aiosmtpd) and the app's mail settings pointed at it. The
``smtp`` fixture of conftest.py starts one per test."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from approval.extensions import db


class Inbox:
    """An aiosmtpd handler that keeps what it receives; RCPT to ``refuse`` gets a 550."""

    def __init__(self, delay: float = 0.0):
        self.messages: list = []
        self.refuse: set[str] = set()
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append(
                (
                    list(envelope.rcpt_tos),
                    message_from_bytes(envelope.content, policy=default_policy),
                )
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd in a thread of its own), on a fixed port so
    that it can be stopped (the mail server is down) and started again."""

    def __init__(self):
        self.inbox, self.port, self.controller = Inbox(), free_port(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __getattr__(self, name):  # messages, to(), refuse, delay: the inbox's
        return getattr(self.inbox, name)


def mail_on(app, port: int, **extra) -> None:
    """Point the app's e-mail at the SMTP server on 127.0.0.1:``port`` (plain, no TLS)."""
    app.config.update(
        {
            "MAIL_SMTP_HOST": "127.0.0.1",
            "MAIL_SMTP_PORT": port,
            "MAIL_SMTP_SECURITY": "none",
            "MAIL_SENDER": "政务公开审批 <approval@example.gov.cn>",
            "MAIL_SMTP_TIMEOUT": 5,
            **extra,
        }
    )


def with_addresses(world, **addresses) -> None:
    """Give world users e-mail addresses: ``with_addresses(world, leader="l@example.gov.cn")``."""
    for name, address in addresses.items():
        world.users[name].email = address
    db.session.commit()
