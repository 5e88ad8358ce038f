"""The documents a request produces (依申请公开文书), as data: one dataclass per document, built from
the request, its body and the working calendar, with no Flask; each gives its ``Letter``
(``letters``), which the printable page (templates/requests/documents/) and the .docx
(``documents_docx``) render alike.

- 补正申请告知书 (``correction``): once a 补正 was asked for (Art. 30);
- 延长答复期限告知书 (``extension``): once the reply period was extended (Art. 33 para. 2);
- 第三方意见征询函 (``third_party``): one per third-party pause (Art. 32), addressed to the third
  party: it names the information concerned and never the applicant (Art. 32 protects the
  applicant's personal data too; the request's description is shown with any of the applicant's
  own particulars in it masked);
- 政府信息公开申请答复书 (``reply``): once the request is answered (已答复) with a reply item.

The documents are official letters in Chinese, whatever language the staff's pages are shown
in (``letters``). The letters to the applicant (all but the third party's) end with the
statutory notice of remedies (行政复议 within 60 days, 行政诉讼 within 6 months); the review
authority (复议机关) is not recorded for a body, so the notice says "依法向有权机关". Every
letter ends with the 落款: the body's name with "（印章）" and the date, and none of them holds
the applicant's ID number.

``public_reply`` gives the portal's tracker what the applicant may see of their own request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from approval.core.clock import to_local
from approval.core.request_clock import reply_clock
from approval.core.request_outcomes import BY_CODE
from approval.core.request_vocab import ANSWERED, DOCUMENTS, REQUEST_STATES
from approval.core.workdays import Calendar
from approval.models import InformationRequest, RequestPause
from approval.requests.letters import (
    LAW,
    Block,
    Letter,
    base_fields,
    cn_date,
    item_lines,
    paragraph_blocks,
    received_text,
    remedies_notice,
    second_person,
)

CORRECTION, EXTENSION, THIRD_PARTY, REPLY = "correction", "extension", "third_party", "reply"
THIRD_PARTY_WORKING_DAYS = 15  # Art. 32
MASK = "×××"


# ------------------------------------------------------------------------------ 补正


@dataclass(frozen=True)
class CorrectionNotice:
    """补正申请告知书 (Art. 30): everything missing, at once, and the day the answer is due."""

    request: InformationRequest
    requested_on: date
    missing: tuple[str, ...]
    deadline: date

    def letter(self) -> Letter:
        r, you = self.request, second_person(self.request)
        blocks = (
            Block(
                f"{received_text(r)}。经审查，{you}的申请内容不明确，根据{LAW}第三十条的规定，"
                f"现一次性告知{you}对下列事项作出补正："
            ),
            Block(items=self.missing),
            Block(
                f"请于{cn_date(self.deadline)}前（含当日）向本机关提交补正后的申请。"
                f"答复期限自本机关收到补正后的申请之日起重新计算。"
            ),
            Block(f"{you}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"),
        )
        return Letter(
            **base_fields(r, CORRECTION),
            addressee=r.applicant_name,
            dated=self.requested_on,
            blocks=blocks,
            remedies=remedies_notice("告知"),
            closing="特此告知。",
        )


def correction(request: InformationRequest) -> CorrectionNotice | None:
    if request.correction_requested_on is None or request.correction_deadline is None:
        return None
    return CorrectionNotice(
        request,
        request.correction_requested_on,
        item_lines(request.correction_items),
        request.correction_deadline,
    )


# ------------------------------------------------------------------------------ 延期


@dataclass(frozen=True)
class ExtensionNotice:
    """延长答复期限告知书 (Art. 33 para. 2): how many working days, why, and the new due date."""

    request: InformationRequest
    approved_on: date
    days: int
    reason: str
    due: date | None  # None while a pause stops the clock

    def letter(self) -> Letter:
        r, you = self.request, second_person(self.request)
        restarted = (
            f"，并于{cn_date(r.correction_received_on)}收到{you}补正后的申请"
            if r.correction_received_on
            else ""
        )
        if self.due:
            when = f"本机关将于{cn_date(self.due)}前作出答复。"
        else:
            when = "征求意见等不计入答复期限的时间结束后，本机关将在延长后的期限内作出答复。"
        blocks = (
            Block(
                f"{received_text(r)}{restarted}。因{self.reason.rstrip('。')}，本机关不能在规定期限内"
                f"作出答复。根据{LAW}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人"
                f"同意，答复期限延长{self.days}个工作日。{when}"
            ),
        )
        return Letter(
            **base_fields(r, EXTENSION),
            addressee=r.applicant_name,
            dated=self.approved_on,
            blocks=blocks,
            remedies=remedies_notice("告知"),
            closing="特此告知。",
        )


def extension(
    request: InformationRequest, today: date, calendar: Calendar
) -> ExtensionNotice | None:
    """``today`` and ``calendar``: the reply clock's, for the due date as it stands now."""
    if not request.extension_days or request.extension_approved_on is None:
        return None
    due = reply_clock(request.timeline(), today, calendar).due
    return ExtensionNotice(
        request,
        request.extension_approved_on,
        request.extension_days,
        request.extension_reason or "",
        due,
    )


# ------------------------------------------------------------------------------ 第三方


@dataclass(frozen=True)
class ThirdPartyLetter:
    """第三方意见征询函 (Art. 32), one per third-party pause: the information concerned (never who
    asked for it), and the 15 working days to answer, counted from the letter's date (the day
    the pause starts, which is the day the letter goes out)."""

    request: InformationRequest
    pause: RequestPause
    party: str
    information: str  # the request's description, the applicant's particulars masked
    answer_by: date
    uncovered_years: tuple[int, ...]  # counted without the State Council's 调休 (a staff warning)

    def letter(self) -> Letter:
        blocks = (
            Block(
                "本机关收到一件政府信息公开申请"
                f"（申请编号：{self.request.number}），申请公开下列政府信息："
            ),
            Block(self.information, quote=True),
            Block(
                f"本机关认为，该政府信息的公开可能损害你方的合法权益。根据{LAW}第三十二条的规定，"
                f"现书面征求你方意见：是否同意公开上述信息；不同意公开的，请说明理由。"
            ),
            Block(
                f"请自收到本函之日起{THIRD_PARTY_WORKING_DAYS}个工作日内"
                f"（{cn_date(self.answer_by)}前）以书面形式向本机关提出意见。"
                f"逾期未提出意见的，由本机关依照{LAW}的规定决定是否公开。"
            ),
        )
        return Letter(
            **base_fields(self.request, THIRD_PARTY),
            addressee=self.party,
            dated=self.pause.starts_on,
            blocks=blocks,
            remedies=None,
            closing="特此函询。",
            pause_id=self.pause.id,
        )


def applicant_particulars(request: InformationRequest) -> list[str]:
    """The applicant's personal data as stored (what a letter to someone else must not show)."""
    values = (
        request.applicant_name,
        request.id_number,
        request.credit_code,
        request.legal_representative,
        request.contact_person,
        request.phone,
        request.email,
        request.address,
    )
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True)


def masked_description(request: InformationRequest) -> str:
    text = request.description or ""
    for value in applicant_particulars(request):
        text = text.replace(value, MASK)
    return text


def third_party(
    request: InformationRequest, pause_id: int | None, calendar: Calendar
) -> ThirdPartyLetter | None:
    pause = next((p for p in request.pauses if p.id == pause_id and p.kind == THIRD_PARTY), None)
    if pause is None:
        return None
    party = (pause.party or "").strip() or (pause.note or "").strip() or "第三方"
    deadline = calendar.add_working_days(pause.starts_on, THIRD_PARTY_WORKING_DAYS)
    return ThirdPartyLetter(
        request,
        pause,
        party,
        masked_description(request),
        deadline.due,
        deadline.uncovered_years,
    )


# ------------------------------------------------------------------------------ 答复书


@dataclass(frozen=True)
class ReplyAttachment:
    filename: str
    size: int


@dataclass(frozen=True)
class ReplyLetter:
    """政府信息公开申请答复书: the decision with its basis in the 条例, the reply's text, and the
    attachments provided (已主动公开: the published item's 索引号 and where to find it)."""

    request: InformationRequest
    dated: date
    outcome: str
    subject: str  # the reply's title
    body: str
    attachments: tuple[ReplyAttachment, ...]
    public_index: str | None = None
    public_title: str | None = None
    public_url: str | None = None
    public_on: date | None = None

    @property
    def outcome_label(self) -> str:
        return BY_CODE[self.outcome].label

    @property
    def basis(self) -> str:
        """The legal basis as the letter cites it: 《…条例》第三十六条第（二）项."""
        basis = BY_CODE[self.outcome].basis
        if basis.startswith("第"):
            return f"{LAW}{basis}"
        return basis

    @property
    def decision(self) -> str:
        label = self.outcome_label.replace("：", "，")
        return f"经审查，根据{self.basis}的规定，本机关答复如下：{label}。"

    def letter(self) -> Letter:
        r = self.request
        asked = (r.description or "").strip()
        blocks = [Block(f"{received_text(r)}，申请获取以下政府信息："), Block(asked, quote=True)]
        blocks.append(Block(self.decision))
        if self.public_index:
            where = f"，可通过{self.public_url}查阅" if self.public_url else ""
            published = f"已于{cn_date(self.public_on)}" if self.public_on else "已"
            blocks.append(
                Block(
                    f"{second_person(r)}申请获取的政府信息本机关{published}主动公开"
                    f"（《{self.public_title}》，索引号：{self.public_index}）{where}。"
                )
            )
        blocks += paragraph_blocks(self.body)
        return Letter(
            **base_fields(r, REPLY),
            addressee=r.applicant_name,
            dated=self.dated,
            blocks=tuple(blocks),
            remedies=remedies_notice("答复"),
            attachments=tuple(a.filename for a in self.attachments),
            subtitle=self.subject if self.subject != DOCUMENTS[REPLY] else "",
        )


def _sent_reply(request: InformationRequest):
    """The reply's revision as sent and its outcome, once the request is answered; else None."""
    item = request.reply
    if request.state != ANSWERED or item is None or item.current_revision is None:
        return None
    outcome = item.current_revision.reply_type or request.outcome
    return (item.current_revision, outcome) if outcome in BY_CODE else None


def sent_reply_attachments(request: InformationRequest) -> list:
    """The attachments of the reply as it was signed and sent; none before it was sent."""
    sent = _sent_reply(request)
    return list(sent[0].attachments) if sent is not None else []


def reply(
    request: InformationRequest,
    today: date,
    portal_url: Callable[[int], str] | None = None,
) -> ReplyLetter | None:
    """Only for an answered request with its reply; ``portal_url(item_id)``: the published
    item's page on the portal (已主动公开), given by the caller."""
    sent = _sent_reply(request)
    if sent is None:
        return None
    revision, outcome = sent
    public = revision.reply_public_item
    public_fields = {}
    if public is not None and public.index_number:
        public_fields = {
            "public_index": public.index_number,
            "public_title": public.title,
            "public_url": portal_url(public.id) if portal_url else None,
            "public_on": to_local(public.published_at).date() if public.published_at else None,
        }
    return ReplyLetter(
        request,
        request.closed_on or today,
        outcome,
        revision.title,
        revision.body or "",
        tuple(ReplyAttachment(a.filename, a.size) for a in revision.attachments),
        **public_fields,
    )


# ------------------------------------------------------------------------------ all of them


@dataclass(frozen=True)
class Available:
    """A document that exists for the request (the request page's 文书 list)."""

    kind: str
    title: str
    dated: date
    pause_id: int | None = None
    party: str = ""


def document_of(
    request: InformationRequest,
    kind: str,
    *,
    pause_id: int | None = None,
    today: date,
    calendar: Calendar,
    portal_url: Callable[[int], str] | None = None,
) -> CorrectionNotice | ExtensionNotice | ThirdPartyLetter | ReplyLetter | None:
    """The document ``kind`` of ``request`` (a third party's: of pause ``pause_id``), or None
    when it does not exist (yet)."""
    if kind != THIRD_PARTY and pause_id is not None:
        return None
    return {
        CORRECTION: lambda: correction(request),
        EXTENSION: lambda: extension(request, today, calendar),
        THIRD_PARTY: lambda: third_party(request, pause_id, calendar),
        REPLY: lambda: reply(request, today, portal_url),
    }.get(kind, lambda: None)()


def letter_of(request: InformationRequest, kind: str, **given) -> Letter | None:
    """``document_of``'s letter, as both renderings show it."""
    found = document_of(request, kind, **given)
    return found.letter() if found is not None else None


def available(request: InformationRequest) -> list[Available]:
    """The documents that exist for the request, in the order they went out."""
    found = []
    if correction(request) is not None:
        found.append(Available(CORRECTION, DOCUMENTS[CORRECTION], request.correction_requested_on))
    for pause in request.pauses:
        if pause.kind == THIRD_PARTY:
            party = (pause.party or "").strip() or (pause.note or "").strip()
            found.append(
                Available(THIRD_PARTY, DOCUMENTS[THIRD_PARTY], pause.starts_on, pause.id, party)
            )
    if request.extension_days and request.extension_approved_on is not None:
        found.append(Available(EXTENSION, DOCUMENTS[EXTENSION], request.extension_approved_on))
    if _sent_reply(request) is not None:
        found.append(Available(REPLY, DOCUMENTS[REPLY], request.closed_on))
    return sorted(found, key=lambda a: (a.dated or date.max, a.kind))


def document_date(request: InformationRequest, kind: str) -> date | None:
    """The earliest date a document of ``kind`` bears (a delivery cannot be before it); None
    when no such document exists."""
    dates = [a.dated for a in available(request) if a.kind == kind]
    if not dates:
        return None
    known = [d for d in dates if d is not None]
    return min(known) if known else date.min


# ------------------------------------------------------------------------------ the portal


@dataclass(frozen=True)
class SentDocument:
    letter: Letter
    delivered_on: date | None  # the first recorded delivery of this kind, if any


@dataclass(frozen=True)
class PublicReply:
    """What the applicant sees of their own request on the portal's tracker: the state, the
    dates and the documents addressed to them (never a third party's letter)."""

    number: str
    state: str
    state_label: str
    received_on: date | None
    closed_on: date | None
    outcome_label: str | None
    documents: tuple[SentDocument, ...]


def public_reply(
    request: InformationRequest,
    today: date,
    calendar: Calendar,
    portal_url: Callable[[int], str] | None = None,
) -> PublicReply:
    """The tracker's view of ``request`` (the caller has checked the 查询码 and the name)."""
    delivered: dict[str, date] = {}
    for d in request.deliveries:
        if d.document not in delivered or d.delivered_on < delivered[d.document]:
            delivered[d.document] = d.delivered_on
    documents = []
    for kind in (CORRECTION, EXTENSION, REPLY):
        found = letter_of(request, kind, today=today, calendar=calendar, portal_url=portal_url)
        if found is not None:
            documents.append(SentDocument(found, delivered.get(kind)))
    outcome = BY_CODE.get(request.outcome or "")
    return PublicReply(
        request.number,
        request.state,
        REQUEST_STATES[request.state],
        request.received_on,
        request.closed_on,
        outcome.label if outcome else None,
        tuple(documents),
    )
