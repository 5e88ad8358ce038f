"""Notification e-mail: ``flask --app approval jobs run`` drains the outbox over SMTP.

No HTTP request ever talks to the mail server. A notification is put in the outbox when it is
created (``mail_pending``), if ``MAIL_SMTP_HOST`` is set and the person has an e-mail address.
The job then, for each pending notification in turn:

1. claims it in a short transaction: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite: the write
   lock, ``BEGIN IMMEDIATE``) and a conditional UPDATE that stamps ``mail_claimed_at``. A claim is
   a lease of ``CLAIM`` minutes: another runner (another host's cron) skips the row meanwhile, so
   two runs at once never send the same message twice;
2. sends it with no transaction open (a slow server holds no lock on the database);
3. marks it sent (``emailed_at``), or on failure releases the claim with the error, so the next
   run sends it: nothing is lost while the server is down. A server that cannot be reached stops
   the run (the rest waits for the next one); a message the server refuses for good (5xx) is
   given up after ``MAIL_MAX_ATTEMPTS`` tries, with the error kept on the row.

A runner that dies between sending and marking leaves a claim that expires: that one message is
sent again after ``CLAIM`` (at least once; SMTP offers no exactly-once).

Like ``approval/jobs.py`` this is an entry point, not a service: it owns its transactions.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from types import SimpleNamespace

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import or_, select, update

from approval.core.clock import utcnow
from approval.extensions import db
from approval.models import Notification, User
from approval.notifications.messages import describe
from approval.platform.db_setup import write_transactions
from approval.platform.job_results import JobResult
from approval.platform.urls import public_base_url

CLAIM = timedelta(minutes=10)  # how long a claimed message is left to its runner
SECURITY = ("starttls", "ssl", "none")
JOB_NAME = "通知邮件 (notification e-mail)"


class MailConfigError(ValueError):
    """MAIL_* settings that cannot work (reported by the job, which then sends nothing)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    timeout: float
    sender: str
    base_url: str | None
    max_attempts: int


def settings(config) -> MailSettings | None:
    """The SMTP settings, or None when e-mail is off (no MAIL_SMTP_HOST)."""
    host = config.get("MAIL_SMTP_HOST")
    if not host:
        return None
    security = str(config.get("MAIL_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITY:
        raise MailConfigError(
            f"MAIL_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}"
        )
    sender = config.get("MAIL_SENDER")
    if not sender or "@" not in parseaddr(sender)[1]:
        raise MailConfigError("MAIL_SENDER must be set to the From address")
    try:
        return MailSettings(
            host=str(host),
            port=int(config.get("MAIL_SMTP_PORT") or 25),
            security=security,
            user=config.get("MAIL_SMTP_USER") or None,
            password=config.get("MAIL_SMTP_PASSWORD") or None,
            timeout=float(config.get("MAIL_SMTP_TIMEOUT") or 30),
            sender=str(sender),
            base_url=public_base_url(config),  # PUBLIC_BASE_URL (MAIL_BASE_URL: its older name)
            max_attempts=max(1, int(config.get("MAIL_MAX_ATTEMPTS") or 5)),
        )
    except (TypeError, ValueError) as exc:
        raise MailConfigError(f"MAIL_* settings: {exc}") from exc


@dataclass
class Claimed:
    """What sending needs, read inside the claim's transaction (the commit expires the rows)."""

    id: int
    attempts: int
    kind: str
    data: dict
    item_id: int | None
    name: str
    address: str | None
    is_enabled: bool


def send_pending(now: datetime | None = None) -> JobResult:
    """Send every pending notification e-mail once (see the module's docstring)."""
    now = now or utcnow()
    result = JobResult(JOB_NAME, "sent", unit="notification")
    try:
        config = settings(current_app.config)
    except MailConfigError as exc:
        result.failed.append((0, str(exc)))
        return result
    if config is None:
        return result
    _start_clean()
    tried: set[int] = set()
    connection = None
    try:
        with write_transactions():
            while (claimed := _claim_next(now, tried)) is not None:
                tried.add(claimed.id)
                if not claimed.address or not claimed.is_enabled:
                    _finish(claimed.id, sent=False, error="no e-mail address or account disabled")
                    continue
                try:
                    message = compose(config, claimed)
                except (ValueError, TypeError, IndexError, MessageError) as exc:  # a bad address
                    _finish(claimed.id, sent=False, error=f"cannot write the message: {exc}")
                    result.failed.append((claimed.id, f"cannot write the message: {exc}"))
                    continue
                try:
                    try:
                        connection = connection or _connect(config)
                    except OSError as exc:  # down, TLS or login refused: not this message's fault
                        raise _Unavailable(exc) from exc
                    connection.send_message(message)
                except _REFUSED as exc:
                    problem = _problem(exc)
                    give_up = _is_permanent(exc) and claimed.attempts >= config.max_attempts
                    _finish(claimed.id, sent=False if give_up else None, error=problem)
                    result.failed.append((claimed.id, problem))
                    _log_failure(claimed, problem, give_up)
                    continue
                except (_Unavailable, OSError) as exc:  # the server is unavailable or hung up
                    problem = _problem(exc.cause if isinstance(exc, _Unavailable) else exc)
                    _finish(claimed.id, sent=None, error=problem)
                    result.failed.append(
                        (claimed.id, f"{problem}; the rest waits for the next run")
                    )
                    _log_failure(claimed, problem, False)
                    connection = _close(connection)
                    break
                _finish(claimed.id, sent=True)
                result.done.append(claimed.id)
            db.session.rollback()  # the last claim found nothing: end its transaction
    except Exception:  # noqa: BLE001 - a database failure: what is claimed is retried later
        db.session.rollback()
        result.failed.append(
            (0, "unexpected error (see the log); pending e-mail is retried on the next run")
        )
        current_app.logger.exception("sending notification e-mail failed")
    finally:
        _close(connection)
    return result


def _start_clean() -> None:
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("send_pending commits row by row: call it with nothing uncommitted")
    session.rollback()


def _claimable(now: datetime):
    return (
        Notification.mail_pending,
        or_(Notification.mail_claimed_at.is_(None), Notification.mail_claimed_at < now - CLAIM),
    )


def _claim_next(now: datetime, tried: set[int]) -> Claimed | None:
    """Claim one pending notification no other runner holds, and commit the claim."""
    while True:
        query = (
            select(Notification.id)
            .where(*_claimable(now))
            .order_by(Notification.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=Notification)
        )
        if tried:
            query = query.where(Notification.id.not_in(tried))
        notification_id = db.session.scalar(query)
        if notification_id is None:
            return None
        taken = db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id, *_claimable(now))
            .values(mail_claimed_at=utcnow(), mail_attempts=Notification.mail_attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:  # another runner got there between our read and our write
            db.session.commit()
            tried.add(notification_id)
            continue
        row = db.session.execute(
            select(Notification, User)
            .join(User, User.id == Notification.user_id)
            .where(Notification.id == notification_id)
            .execution_options(populate_existing=True)
        ).one()
        notification, user = row
        claimed = Claimed(
            id=notification.id,
            attempts=notification.mail_attempts,
            kind=notification.kind,
            data=notification.data,
            item_id=notification.item_id,
            name=user.display_name,
            address=(user.email or "").strip() or None,
            is_enabled=user.is_enabled,
        )
        db.session.commit()
        return claimed


def _finish(notification_id: int, *, sent: bool | None, error: str | None = None) -> None:
    """sent=True: done; False: given up (kept with the error, never sent); None: released for
    the next run."""
    values = {"mail_claimed_at": None, "mail_error": error[:500] if error else None}
    if sent is True:
        values.update(mail_pending=False, emailed_at=utcnow())
    elif sent is False:
        values.update(mail_pending=False)
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def compose(config: MailSettings, claimed: Claimed) -> EmailMessage:
    """The message, in the deployment's default language (people choose theirs per session)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        text = describe(SimpleNamespace(kind=claimed.kind, data=claimed.data))
        subject = gettext("【政务公开审批】%(text)s", text=_one_line(text, 100))
        lines = [gettext("%(name)s：", name=claimed.name), "", text]
        if claimed.item_id and config.base_url:
            lines += [
                "",
                gettext("查看：%(url)s", url=f"{config.base_url}/items/{claimed.item_id}"),
            ]
        lines += ["", gettext("此邮件由政务公开审批系统自动发送，请勿回复。")]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.sender
    message["To"] = Address(display_name=_one_line(claimed.name, 64), addr_spec=claimed.address)
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain=parseaddr(config.sender)[1].rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    message.set_content("\n".join(lines))
    return message


def _one_line(text: str, limit: int) -> str:
    """No line breaks in a header (they would start a new header), and a sane length."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _connect(config: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config.security == "ssl":
        connection = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.security == "starttls":
            connection.starttls(context=context)
        if config.user:
            connection.login(config.user, config.password or "")
    except BaseException:
        _close(connection)
        raise
    return connection


def _close(connection) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return None


class _Unavailable(Exception):
    """Connecting, STARTTLS or logging in failed: the server, not the message (stops the run)."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


# refused for this message (the next one may go through); SMTPException is an OSError, so these
# are caught first, and everything else (connection, TLS, login, sender refused) stops the run
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPNotSupportedError)


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return True  # SMTPUTF8 needed and not offered: it will not work next time either


def _problem(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _log_failure(claimed: Claimed, problem: str, given_up: bool) -> None:
    current_app.logger.warning(
        "notification e-mail %s (try %s) failed%s: %s",
        claimed.id,
        claimed.attempts,
        ", given up" if given_up else "",
        problem,
    )
