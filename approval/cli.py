"""flask --app approval init-db | seed-demo | create-user | reset-password | audit verify |
audit anchor | backup | jobs run | search reindex | attachments extract"""

import sys
from pathlib import Path

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

from approval import MIGRATIONS
from approval.audit import trail as audit
from approval.extensions import db
from approval.models import Body, Department, User


def init_database() -> None:
    upgrade(directory=MIGRATIONS)
    from approval.audit.trail import ensure_head
    from approval.search import ensure_indexed

    ensure_head()
    ensure_indexed()
    db.session.commit()


def init_cli(app) -> None:
    @app.cli.command("init-db")
    @click.option(
        "--demo", is_flag=True, help="Also seed the demo body when the database is empty."
    )
    def init_db_command(demo):
        """Create or upgrade the database schema (Alembic migrations)."""
        init_database()
        click.echo("数据库已就绪 (database is up to date)")
        if demo:
            _seed()

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the demo body, accounts and items (only into an empty database)."""
        init_database()
        _seed()

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", required=True)
    @click.option("--department", "department_name", required=True)
    @click.option("--role", "roles", multiple=True, required=True)
    @click.password_option()
    def create_user_command(username, name, department_name, roles, password):
        """Create a login in an existing department."""
        department = db.session.scalar(select(Department).where(Department.name == department_name))
        if department is None:
            raise click.ClickException(f"no department named {department_name}")
        user = User(
            username=username, display_name=name, body_id=department.body_id, department=department
        )
        from approval.accounts.password_change import new_account_password

        problems = new_account_password(user, password)  # and must change it at first login
        if problems:
            raise click.ClickException("；".join(problems))
        try:
            user.set_roles(roles)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.add(user)
        db.session.flush()
        audit.record(
            "create_user",
            body_id=user.body_id,
            detail={
                "username": username,
                "roles": sorted(user.roles),
                "department": department.name,
                "via": "cli",
            },
        )
        db.session.commit()
        click.echo(f"created {username}")

    @app.cli.command("reset-password")
    @click.argument("username")
    @click.password_option()
    def reset_password_command(username, password):
        """Give any account (admin accounts included: no admin page may reset one) a temporary
        password its owner must change at the next login; ends its sessions, lifts a lock."""
        from approval.accounts import user_admin
        from approval.core.errors import InvalidInput, NotFound

        try:  # the password policy, then argon2, before the write transaction
            prepared = user_admin.prepare_password(username, password)
        except InvalidInput as exc:
            raise click.ClickException(exc.message) from exc
        try:
            user_admin.reset_by_command(username, prepared)
        except NotFound as exc:
            raise click.ClickException(f"no account named {username}") from exc
        db.session.commit()
        click.echo(f"password of {username} reset; it must be changed at the next login")

    audit_group = click.Group("audit", help="The audit trail.")
    app.cli.add_command(audit_group)

    @audit_group.command("verify")
    def audit_verify_command():
        """Walk the hash chain and check it against the anchors; exit 1 at the first broken
        entry."""
        from approval.audit.anchor import AnchorError, anchor_path, read_anchors

        path = anchor_path(current_app)
        try:
            anchors = read_anchors(path)
        except AnchorError as exc:
            click.echo(f"BROKEN anchor file: {exc}", err=True)
            sys.exit(1)
        if not anchors:
            click.echo(
                f"WARNING: no anchors in {path}: cut-off newest entries or a recomputed "
                "chain cannot be detected; run 'flask audit anchor' regularly",
                err=True,
            )
        result = audit.verify(anchors=anchors or ())
        if not result.ok:
            click.echo(
                f"BROKEN at entry {result.broken_id}: {result.problem} "
                f"({result.checked} entries before it are intact)",
                err=True,
            )
            sys.exit(1)
        message = f"OK: {result.checked} entries, chain intact"
        if anchors:
            latest = anchors[-1]
            message += (
                f"; matches {len(anchors)} anchor(s), the latest taken at "
                f"{latest.anchored_at} at entry {latest.entry_id}"
            )
        click.echo(message)

    @audit_group.command("anchor")
    def audit_anchor_command():
        """Verify the chain, then append its head (last entry id and hash, number of entries, UTC
        time) as one JSON line to AUDIT_ANCHOR_PATH, and print that line. Run it from cron."""
        from approval.audit.anchor import AnchorError, anchor_path, take_anchor

        path = anchor_path(current_app)
        try:
            anchor = take_anchor(path)
        except AnchorError as exc:
            click.echo(f"NOT ANCHORED: {exc}", err=True)
            sys.exit(1)
        click.echo(anchor.to_json())
        click.echo(f"anchored entry {anchor.entry_id} in {path}", err=True)

    @app.cli.command("backup")
    @click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write it (must not exist). Default: instance/backups/.",
    )
    def backup_command(output):
        """Back up the database to one file (mode 0600) and print its path. SQLite: the online
        backup API; PostgreSQL: pg_dump -Fc (restore with pg_restore)."""
        from approval.platform.backup import BackupError, backup, default_output

        url = db.engine.url
        try:
            path = backup(url, output or default_output(current_app.instance_path, url))
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(str(path))

    jobs_group = click.Group("jobs", help="Periodic work, for cron or a systemd timer.")
    app.cli.add_command(jobs_group)

    @jobs_group.command("run")
    def jobs_run_command():
        """Run every periodic job once: publish the scheduled items that are due, remind people of
        deadlines due soon or passed, send notification e-mail. Idempotent and safe on several
        hosts at once; exit 1 if anything failed."""
        from approval import jobs

        failures = 0
        for result in jobs.run_all():
            click.echo(
                f"{result.name}: {result.verb} {len(result.done)}, failed {len(result.failed)}"
            )
            for item_id, problem in result.failed:
                click.echo(
                    f"  {result.unit} {item_id}: {problem}" if item_id else f"  {problem}", err=True
                )
            failures += len(result.failed)
        if failures:
            sys.exit(1)

    search_group = click.Group("search", help="The portal's full-text index.")
    app.cli.add_command(search_group)

    @search_group.command("reindex")
    @click.option("--body", "body_id", type=int, help="Only this body (its id).")
    def search_reindex_command(body_id):
        """Rebuild the search index from the published items (e.g. after a tokenizer change)."""
        from approval.search import reindex_all

        count = reindex_all(body_id)
        db.session.commit()
        click.echo(f"indexed {count} published items")

    attachments_group = click.Group("attachments", help="Stored attachment files.")
    app.cli.add_command(attachments_group)

    @attachments_group.command("extract")
    def attachments_extract_command():
        """Read the text of every stored attachment that has none kept yet (files uploaded before
        the text was read at upload), under the same limits as an upload."""
        from approval.models import Attachment
        from approval.platform import extraction, storage

        rows = db.session.execute(select(Attachment.storage_name, Attachment.filename)).all()
        db.session.rollback()  # nothing is held while the files are read
        done, unreadable = set(), 0
        for storage_name, filename in rows:
            extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
            if (storage_name, extension) in done:
                continue
            done.add((storage_name, extension))
            outcome = extraction.prepare(storage.path_of(storage_name), extension)
            unreadable += outcome.reason is not None
        click.echo(f"{len(done)} files have their text kept; {unreadable} need manual review")


def _seed() -> None:
    from approval.demo import DEMO_PASSWORD, seed

    if seed():
        db.session.commit()
        click.echo(f"演示数据已创建；演示账号密码：{DEMO_PASSWORD}")
    else:
        name = db.session.scalar(select(Body.name).limit(1))
        click.echo(f"数据库中已有公开主体（{name}），未写入演示数据")
