"""An item of government information, its immutable revisions, attachments and decisions.

The working copy of a draft is the item's newest revision while it is unsealed. Submitting seals it:
its content hash is fixed and a database trigger refuses any later change to a sealed revision
(and to its attachments' rows, which the hash covers). Editing after a return opens a new revision.
"""

import json
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from approval.core.clock import utcnow
from approval.core.hashing import matches, tagged_digest
from approval.core.workflow import DRAFT
from approval.extensions import db


class Item(db.Model):
    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_department_state", "department_id", "state", "updated_at"),
        Index("ix_items_department_updated", "department_id", "updated_at", "id"),
        Index("ix_items_body_state", "body_id", "state", "updated_at"),
        Index("ix_items_published", "body_id", "published_at", "id"),
        Index("ix_items_state_publish_at", "state", "publish_at"),
        Index("ix_items_public_category", "category_id", "state", "published_at", "id"),
        Index("ix_items_interprets_id", "interprets_id"),  # a policy's 解读
        # 修订 (publication/amendments.py): an item's amendments; at most one open at a time
        Index("ix_items_amends_id", "amends_id"),
        Index(
            "ix_items_open_amendment",
            "amends_id",
            unique=True,
            sqlite_where=text(
                "amends_id IS NOT NULL AND state NOT IN ('applied', 'withheld', 'abandoned')"
            ),
            postgresql_where=text(
                "amends_id IS NOT NULL AND state NOT IN ('applied', 'withheld', 'abandoned')"
            ),
        ),
        # the feeds' recently revised items (portal/public.py newest_changes)
        Index(
            "ix_items_revised",
            "body_id",
            "revised_at",
            sqlite_where=text("revised_at IS NOT NULL"),
            postgresql_where=text("revised_at IS NOT NULL"),
        ),
        # one reply per request; partial, so that "not a reply" (most items) never reads it
        Index(
            "ix_items_request_id",
            "request_id",
            unique=True,
            sqlite_where=text("request_id IS NOT NULL"),
            postgresql_where=text("request_id IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # 发布机构
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(40), default=DRAFT)
    version: Mapped[int] = mapped_column(default=1)  # compare-and-swap on every state change
    round: Mapped[int] = mapped_column(default=0)  # increases with each submission
    # the version of the body's chain its current round started on (models/chain.py): an item
    # already in a round finishes on that chain when the chain is changed
    chain_version: Mapped[int] = mapped_column(default=0, server_default="0")
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    index_number: Mapped[str | None] = mapped_column(String(64), unique=True)  # 索引号
    published_at: Mapped[datetime | None]
    unpublished_at: Mapped[datetime | None]
    unpublish_reason: Mapped[str | None] = mapped_column(Text)
    withheld_basis: Mapped[str | None] = mapped_column(String(32))
    validity: Mapped[str] = mapped_column(String(16), default="valid")
    # 政策解读 (publication/interpretations.py): the policy a 解读 explains; on a policy, that the
    # office asks for its 解读 to be published with it
    interprets_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    needs_interpretation: Mapped[bool] = mapped_column(default=False, server_default=false())
    # the published revision's 主题分类, copied at publication (catalog pages page by an index)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    # 定时发布: an approved item the publisher scheduled; `flask jobs run` publishes it when due
    publish_at: Mapped[datetime | None]
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 依申请公开: the reply to this request (the reply walks the chain and is sent, not published)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_requests.id"))
    # 公示 (approval/notices): when the job took its personal data down, and the revision that
    # was public until then (staff keep it; the portal shows the masked one that replaced it)
    notice_taken_down_at: Mapped[datetime | None]
    notice_original_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    # 修订 (publication/amendments.py): on an amendment, the published item it amends and the
    # author's note (修订说明); on the amended item, when its public version last changed
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    amendment_note: Mapped[str | None] = mapped_column(Text)
    # the amendment removes what must not stay public (e.g. personal data published by mistake):
    # once it is published, the earlier versions are no longer offered on the portal
    amendment_hides_earlier: Mapped[bool] = mapped_column(default=False, server_default=false())
    revised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # every UPDATE of the row adds "AND version = <loaded>" and increments it (compare-and-swap)
    __mapper_args__ = {"version_id_col": version}

    department = relationship("Department")
    info_request = relationship("InformationRequest", foreign_keys=[request_id])
    author = relationship("User", foreign_keys=[author_id])
    scheduled_by = relationship("User", foreign_keys=[scheduled_by_id])
    notice_original_revision = relationship(
        "Revision", foreign_keys=[notice_original_revision_id], post_update=True
    )
    category = relationship("Category")
    interprets = relationship("Item", remote_side=[id], foreign_keys=[interprets_id])
    amends = relationship("Item", remote_side=[id], foreign_keys=[amends_id])
    current_revision = relationship(
        "Revision", foreign_keys=[current_revision_id], post_update=True
    )
    published_revision = relationship(
        "Revision", foreign_keys=[published_revision_id], post_update=True
    )
    revisions = relationship(
        "Revision",
        foreign_keys="Revision.item_id",
        order_by="Revision.number",
        back_populates="item",
    )
    decisions = relationship("Decision", order_by="Decision.id", back_populates="item")
    # read only where someone is about to decide on or edit one item (loading.ITEM_PAGE, the
    # services); a page that only shows items never needs them (the inboxes test them in SQL)
    contributors = relationship("Contributor")
    # item lists (publication/queries.py) load these two with their rows, in the same query, instead
    # of every decision and screening finding of every row; None where they were not loaded
    returned_in_round = query_expression()
    blocking_count = query_expression()

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision else ""

    @property
    def current_return(self) -> "Decision | None":
        """The return that sent this draft back in its latest round (None after a recall)."""
        if self.state != DRAFT or not self.round:
            return None
        return next(
            (d for d in reversed(self.decisions) if d.round == self.round and d.action == "return"),
            None,
        )

    @property
    def is_returned(self) -> bool:
        """A draft sent back in its latest round: its badge says 已退回, not 草稿."""
        if self.returned_in_round is not None:
            return bool(self.returned_in_round)
        return self.current_return is not None

    @property
    def blocking_finding_count(self) -> int:
        """High-severity screening findings of the current revision (a list row's badge)."""
        if self.blocking_count is not None:
            return self.blocking_count
        return len(self.current_revision.blocking_findings) if self.current_revision else 0


class Contributor(db.Model):
    """Everyone who wrote, changed, attached to, submitted or recalled an item: none of them may
    decide on it or publish it (separation of duties)."""

    __tablename__ = "item_contributors"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Revision(db.Model):
    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("item_id", "number"),
        # the 公示 take-down job's "which are due" (notices/queries.py); partial: most are no 公示
        Index(
            "ix_revisions_notice_ends_on",
            "notice_ends_on",
            sqlite_where=text("notice_ends_on IS NOT NULL"),
            postgresql_where=text("notice_ends_on IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")  # 内容概述
    body: Mapped[str] = mapped_column(Text, default="")  # 正文
    # the 正文 as sanitized rich text (core/rich_text.py, docs/rich-text.md); when set, ``body``
    # is its text rendering (what screening, masking, search and the comparison read); None: a
    # plain-text 正文. Part of the sealed content when set
    body_html: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id"),  # 主题分类
        index=True,
    )
    info_type: Mapped[str] = mapped_column(String(32))  # 信息类别
    document_number: Mapped[str] = mapped_column(String(64), default="")  # 发文字号
    formed_on: Mapped[date]  # 成文日期
    disclosure_mode: Mapped[str] = mapped_column(String(16))  # 公开方式
    non_disclosure_basis: Mapped[str | None] = mapped_column(String(32))
    channels: Mapped[str] = mapped_column(String(200), default="website")  # 公开渠道, comma list
    keywords: Mapped[str] = mapped_column(String(200), default="")  # 主题词
    # a reply to a request (依申请公开): its type (core.request_outcomes) and, for 已主动公开, the
    # published item the applicant is pointed to; part of the sealed content when set
    reply_type: Mapped[str | None] = mapped_column(String(32))
    reply_public_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    # 公示 (core/notices.py): its 公示期 and where objections go; part of the sealed content
    # when set
    notice_starts_on: Mapped[date | None]
    notice_ends_on: Mapped[date | None]
    objection_channel: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(80))
    sealed_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item = relationship("Item", foreign_keys=[item_id], back_populates="revisions")
    category = relationship("Category")
    created_by = relationship("User")
    reply_public_item = relationship("Item", foreign_keys=[reply_public_item_id])
    attachments = relationship("Attachment", order_by="Attachment.id", back_populates="revision")
    findings = relationship("ScreeningFinding", order_by="ScreeningFinding.id")

    @property
    def findings_by_severity(self) -> list:
        """The findings, high-severity first, then in the order they were found."""
        order = {"high": 0, "medium": 1, "low": 2}
        return sorted(self.findings, key=lambda f: (order.get(f.severity, 9), f.id))

    @property
    def blocking_findings(self) -> list:
        """High-severity screening findings: they block the secrecy sign-off without an override."""
        return [f for f in self.findings if f.is_blocking]

    CONTENT_FIELDS = (
        "title",
        "summary",
        "body",
        "category_id",
        "info_type",
        "document_number",
        "formed_on",
        "disclosure_mode",
        "non_disclosure_basis",
        "channels",
        "keywords",
    )

    NOTICE_FIELDS = ("notice_starts_on", "notice_ends_on", "objection_channel")

    # what a draft's editor changes: the content, and a reply's own two fields (in ``content()``
    # only when set, so that the hash of every other revision stays what it was sealed as)
    EDITABLE_FIELDS = (
        *CONTENT_FIELDS,
        "reply_type",
        "reply_public_item_id",
        *NOTICE_FIELDS,
        "body_html",
    )

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]

    def content(self) -> dict:
        """Everything an approval is bound to: attributes, publishing department, attachments."""
        data = {f: getattr(self, f) for f in self.CONTENT_FIELDS}
        data["formed_on"] = self.formed_on.isoformat()
        data["department_id"] = self.item.department_id
        data["attachments"] = sorted(a.hashed_parts() for a in self.attachments)
        if self.reply_type is not None:  # a reply's; absent otherwise (earlier seals unchanged)
            data["reply_type"] = self.reply_type
            data["reply_public_item_id"] = self.reply_public_item_id
        if self.notice_ends_on is not None:  # a 公示's; absent otherwise (earlier seals unchanged)
            data["notice_starts_on"] = self.notice_starts_on.isoformat()
            data["notice_ends_on"] = self.notice_ends_on.isoformat()
            data["objection_channel"] = self.objection_channel
        if self.body_html is not None:  # a rich 正文's; absent otherwise (earlier seals unchanged)
            data["body_html"] = self.body_html
        return data

    def compute_hash(self) -> str:
        return tagged_digest(self.content())

    def still_matches_seal(self) -> bool:
        """The sealed hash recomputed from the rows, in the algorithm it was sealed with."""
        return self.content_hash is not None and matches(self.content_hash, self.content())


class Attachment(db.Model):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded (cleaned)
    # the public name the author gave it (publication/attachment_names.py); None: the filename
    display_name: Mapped[str | None] = mapped_column(String(200))
    storage_name: Mapped[str] = mapped_column(String(100))  # server-made, content-addressed
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revision = relationship("Revision", back_populates="attachments")

    @property
    def shown_name(self) -> str:
        """The name the portal and the item page show."""
        return self.display_name or self.filename

    @property
    def extension(self) -> str:
        """The stored file's extension (checked against its content at upload)."""
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    def hashed_parts(self) -> list[str]:
        """What the content hash covers of it: the name only when one was given, so that the
        hash of every revision sealed before display names existed stays what it was."""
        if self.display_name is None or self.display_name == self.filename:
            return [self.filename, self.sha256]
        return [self.filename, self.sha256, self.display_name]


class Decision(db.Model):
    """One reviewer's decision on one round, bound to the revision hash they saw."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("item_id", "round", "actor_id"),  # nobody decides twice in a round
        UniqueConstraint("item_id", "round", "step_key"),  # one decision per step and round
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    content_hash: Mapped[str] = mapped_column(String(80))
    round: Mapped[int]
    step_key: Mapped[str] = mapped_column(String(32))
    step_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    opinion: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[str | None] = mapped_column(Text)  # 保密审查单 answers, canonical JSON
    basis: Mapped[str | None] = mapped_column(String(32))  # legal basis of a withholding
    # a sign-off despite high-severity screening findings: the reviewer's written reason
    override_reason: Mapped[str | None] = mapped_column(Text)
    # 请假代理: the colleague whose delegated role the actor (their deputy) decided in
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item = relationship("Item", back_populates="decisions")
    revision = relationship("Revision")
    actor = relationship("User", foreign_keys=[actor_id])
    # rare, and shown wherever the actor is: loaded with the decisions in one more query, and
    # only when some decision names one (a NULL loads nothing)
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id], lazy="selectin")

    @property
    def checklist_answers(self) -> dict[str, bool]:
        """The 保密审查单 as answered (question key → True for 是), empty if there was none."""
        return json.loads(self.checklist) if self.checklist else {}


class IndexSequence(db.Model):
    """The last 索引号 sequence number used per body and year; numbers are never reused."""

    __tablename__ = "index_sequences"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
