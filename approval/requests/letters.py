"""The shape of a request's documents and the wording they share, with no Flask: a ``Letter``
(title, 申请编号, addressee, paragraphs, notice of remedies, 附件说明, 落款) that the printable
page and the .docx (``documents_docx``) both render, as GB/T 9704 orders a document's parts.

The words are the document's own, in Chinese whatever language the staff's pages are shown in:
a letter's text is the law's and the body's, not the app's interface, so it is not translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from approval.core.request_vocab import DOCUMENTS, ORGANISATION
from approval.models import InformationRequest

LAW = "《中华人民共和国政府信息公开条例》"
REVIEW_AUTHORITY_UNKNOWN = "依法向有权机关"
ATTACHMENTS_LABEL = "附件"
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(]?\d{1,3}[)）.、．]|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
)


def cn_date(day: date) -> str:
    """2026年10月14日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Block:
    """One part of a letter's text: a paragraph, or a numbered list ("1.……")."""

    text: str = ""
    items: tuple[str, ...] = ()
    quote: bool = False  # set off from the letter's own words (what was asked for)

    def numbered(self) -> list[str]:
        return [f"{i}.{item}" for i, item in enumerate(self.items, 1)]


@dataclass(frozen=True)
class Letter:
    """A document as both renderings show it."""

    kind: str
    request_id: int
    title: str
    issuer: str  # the body's name
    number: str  # 申请编号
    addressee: str  # shown as "XXX："
    dated: date
    blocks: tuple[Block, ...]
    remedies: str | None
    closing: str = ""  # 特此告知。: after the notice of remedies
    attachments: tuple[str, ...] = ()  # 附件说明: after the text, before the 落款
    subtitle: str = ""
    pause_id: int | None = None

    @property
    def seal(self) -> tuple[str, str]:
        """The 落款: the issuer (to be sealed) and the date."""
        return f"{self.issuer}（印章）", cn_date(self.dated)

    @property
    def reference(self) -> str:
        return f"申请编号：{self.number}"

    @property
    def filename(self) -> str:
        """The download's name: 答复书-依申请〔2026〕0001号.docx (a pause's letter: its id too)."""
        suffix = f"-{self.pause_id}" if self.pause_id is not None else ""
        return f"{self.title}-{self.number}{suffix}.docx"

    @property
    def ascii_filename(self) -> str:
        suffix = f"-{self.pause_id}" if self.pause_id is not None else ""
        return f"request-{self.request_id}-{self.kind.replace('_', '-')}{suffix}.docx"

    def lines(self) -> list[str]:
        """Every line of text, in order (what the .docx holds; the tests read it)."""
        out = [self.title]
        if self.subtitle:
            out.append(self.subtitle)
        out += [self.reference, f"{self.addressee}："]
        for block in self.blocks:
            if block.text:
                out.append(block.text)
            out += block.numbered()
        if self.remedies:
            out.append(self.remedies)
        if self.closing:
            out.append(self.closing)
        return [*out, *self.attachment_lines(), *self.seal]

    def attachment_lines(self) -> list[str]:
        """附件说明 (GB/T 9704 7.3.4): "附件：1.……", then "2.……" aligned under the first name."""
        lines = [f"{i}.{name}" for i, name in enumerate(self.attachments, 1)]
        if lines:
            lines[0] = f"{ATTACHMENTS_LABEL}：{lines[0]}"
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def remedies_notice(subject: str, review_authority: str | None = None) -> str:
    """The statutory notice of remedies (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: 6 months)."""
    where = f"向{review_authority}" if review_authority else REVIEW_AUTHORITY_UNKNOWN
    return (
        f"如对本{subject}不服，可以在收到本{subject}之日起60日内{where}申请行政复议，"
        f"或者在6个月内向人民法院提起行政诉讼。"
    )


def second_person(request: InformationRequest) -> str:
    return "你单位" if request.applicant_kind == ORGANISATION else "你"


def received_text(request: InformationRequest) -> str:
    return (
        f"本机关于{cn_date(request.received_on)}收到{second_person(request)}提出的政府信息公开申请"
        f"（申请编号：{request.number}）"
    )


def item_lines(text: str | None) -> tuple[str, ...]:
    """A text of one item a line as a list, the lines' own numbering dropped (renumbered)."""
    lines = [_ENUMERATOR.sub("", line).strip() for line in (text or "").splitlines()]
    return tuple(line for line in lines if line)


def paragraph_blocks(text: str | None) -> tuple[Block, ...]:
    return tuple(Block(line.strip()) for line in (text or "").splitlines() if line.strip())


def base_fields(request: InformationRequest, kind: str) -> dict:
    return {
        "kind": kind,
        "request_id": request.id,
        "title": DOCUMENTS[kind],
        "issuer": request.body.name,
        "number": request.number,
    }
