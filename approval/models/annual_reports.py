"""政府信息公开工作年度报告 (条例 Arts. 49–50, 国办公开办函〔2021〕30号): one report per body and
year with what the office writes and enters; the tables are computed from the data
(``annual_reports.tables``). And per body, the office's figures for the year before the system
(``AnnualReportBaseline``), so that the carry-overs and the 现行有效 balance work from the first
year."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db

REPORT_TEXT_MAX = 20000
# the catalog category (主题分类) every body has for its reports: created for each body by
# migration 0018 and with the demo body
ANNUAL_REPORT_CATEGORY = ("年报", "政府信息公开年报")


class AnnualReport(db.Model):
    __tablename__ = "annual_reports"
    __table_args__ = (
        UniqueConstraint("body_id", "year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    year: Mapped[int]
    overview: Mapped[str] = mapped_column(Text, default="")  # 一、总体情况
    problems: Mapped[str] = mapped_column(Text, default="")  # 五、存在的主要问题及改进情况
    other_matters: Mapped[str] = mapped_column(Text, default="")  # 六、其他需要报告的事项
    # 表二, entered from the business systems: 本年处理决定数量 and 本年收费金额（万元）
    licensing: Mapped[int | None]
    penalty: Mapped[int | None]
    coercion: Mapped[int | None]
    fees: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    # the item the report is published as (送审): a draft of the general office, then the chain
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    # the tables 二, 三 and 四 as sent (layout grids as JSON, ``layout.grids_to_json``): what the
    # published item shows, as the signed .docx does, whatever the register reads later
    sent_tables: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    body = relationship("Body")
    item = relationship("Item")


class AnnualReportBaseline(db.Model):
    """The last year before the system, as the office reported it: 表二's 现行有效件数 and 表三's
    结转下年度继续办理 per applicant column (``carried_out``, JSON)."""

    __tablename__ = "annual_report_baselines"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    year: Mapped[int]
    regulation_current: Mapped[int] = mapped_column(default=0)
    normative_current: Mapped[int] = mapped_column(default=0)
    carried_out_json: Mapped[str] = mapped_column(Text, default="{}")
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    @property
    def carried_out(self) -> dict[str, int]:
        return json.loads(self.carried_out_json or "{}")

    @carried_out.setter
    def carried_out(self, value: dict[str, int]) -> None:
        self.carried_out_json = json.dumps(value, sort_keys=True)
