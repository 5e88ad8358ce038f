"""The body's sensitive-word list (敏感词库), managed by its security admin (安全管理员, 三员分立).

Words are added one per line from a form or imported from a .txt/.csv file (one word per line,
optionally ``word,category,severity`` by comma or tab; UTF-8, UTF-16 with a BOM, or GB18030/GBK
as Excel saves it).
A word is compared as the matcher compares it (``screening.words.match_key``: the width of ASCII
characters and the case of Latin letters do not count), so ＶＰＮ is "already present" when VPN is
listed. Blank lines and repeated words are skipped; a line that cannot be taken (too long, a bad
severity) refuses the whole change, with the line numbers, so nothing half-happens.

Each change that changes something is ONE audit entry naming the words. Changes to one body's list
are serialised by a lock on the body's row (PostgreSQL; SQLite write requests already hold the
database's write lock), so two admins adding the same word at once get "already present", not a
unique-constraint error. Services never commit.

The next revision sealed after a change is screened with the new list (screening/operations.py reads
the list when it screens); revisions already sealed keep the findings they were stored with.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from approval import permissions
from approval.audit import trail as audit
from approval.core.errors import InvalidInput, NotFound, PermissionDenied
from approval.core.msgids import N_, translate
from approval.core.roles import Role
from approval.core.screening import SEVERITIES
from approval.core.screening.words import match_key
from approval.core.text import strip_invisible
from approval.extensions import db
from approval.models import Body, SensitiveWord
from approval.platform.storage import human_size, safe_filename

MAX_WORD_CHARS = 100  # sensitive_words.word
MAX_CATEGORY_CHARS = 32  # sensitive_words.category
MAX_WORDS_PER_CHANGE = 20_000  # lines of one form or one file
MAX_IMPORT_BYTES = 2 * 1024 * 1024
IMPORT_EXTENSIONS = ("txt", "csv")
PAGE_SIZE = 100
SHOWN_PROBLEMS = 5  # line problems quoted in one message

# what the severity column of an imported file may say
SEVERITY_SPELLINGS = {
    "high": "high",
    "medium": "medium",
    "low": "low",
    "高": "high",
    "中": "medium",
    "低": "low",
    "高风险": "high",
    "中风险": "medium",
    "低风险": "low",
}
HEADER_WORDS = frozenset({"word", "words", "敏感词", "词语", "词"})  # a first row naming columns

DENIED = N_("只有本单位的安全管理员可以管理敏感词库")


@dataclass(frozen=True)
class Entry:
    line: int
    word: str
    category: str
    severity: str


@dataclass
class WordChange:
    """What a change did: the words added, the words already in the list, the repeated lines."""

    added: list[Entry] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    repeated: int = 0

    @property
    def added_words(self) -> list[str]:
        return [e.word for e in self.added]


# ------------------------------------------------------------------------------- changes


def add_words(
    user, body_id: int, text: str, category: str = "", severity: str = "medium"
) -> WordChange:
    """Add the words of ``text``, one per line, all with one category and severity."""
    _guard(user, body_id)
    category, severity = _category(category, "category"), _severity(severity, "severity")
    entries, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        word = _clean(line)
        if not word:
            continue
        if len(word) > MAX_WORD_CHARS:
            problems.append(
                _line_problem(N_("第 %(line)s 行超过 %(max)s 字"), number, max=MAX_WORD_CHARS)
            )
            continue
        entries.append(Entry(number, word, category, severity))
    _refuse_problems(problems, "words")
    if not entries:
        raise InvalidInput("请填写敏感词，每行一个", "words")
    _refuse_too_many(entries, "words")
    return _add(user, body_id, entries, "add_words", {})


def import_words(
    user, body_id: int, upload, category: str = "", severity: str = "medium"
) -> WordChange:
    """Add the words of an uploaded .txt/.csv file (a werkzeug FileStorage): one per line,
    optionally with category and severity columns; blank columns take the defaults given."""
    _guard(user, body_id)
    category, severity = _category(category, "category"), _severity(severity, "severity")
    filename = safe_filename(upload.filename or "")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in IMPORT_EXTENSIONS:
        shown = extension or translate(N_("无扩展名"))
        raise InvalidInput(
            "不支持的文件类型“%(extension)s”，请上传 .txt 或 .csv 文件", "file", extension=shown
        )
    data = upload.stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(
            "文件超过大小限制（%(limit)s）", "file", limit=human_size(MAX_IMPORT_BYTES)
        )
    entries = _parse_rows(_decode(data), category, severity)
    if not entries:
        raise InvalidInput("文件中没有敏感词", "file")
    _refuse_too_many(entries, "file")
    return _add(
        user,
        body_id,
        entries,
        "import_words",
        {"filename": filename, "sha256": hashlib.sha256(data).hexdigest()},
    )


def remove_word(user, word_id: int) -> SensitiveWord:
    """Remove one word of the user's body's list; another body's word is not found."""
    _guard(user, user.body_id)
    word = db.session.get(SensitiveWord, word_id, with_for_update=True)
    if word is None or word.body_id != user.body_id:
        raise NotFound("该敏感词不存在或已被删除")
    db.session.delete(word)
    audit.record(
        "remove_word",
        actor=user,
        body_id=user.body_id,
        detail={
            "role": Role.SECURITY_ADMIN,
            "count": 1,
            "words": [[word.word, word.category, word.severity]],
        },
    )
    db.session.flush()
    return word


def _guard(user, body_id: int) -> None:
    if not permissions.can_manage_word_list(user, body_id):
        raise PermissionDenied(DENIED)


def _add(user, body_id: int, entries: list[Entry], action: str, detail: dict) -> WordChange:
    # one writer per body's list at a time: the check for present words then sees the winner's
    db.session.execute(select(Body.id).where(Body.id == body_id).with_for_update())
    existing = {
        match_key(w)
        for w in db.session.scalars(
            select(SensitiveWord.word).where(SensitiveWord.body_id == body_id)
        )
    }
    change, seen = WordChange(), set()
    for entry in entries:
        key = match_key(entry.word)
        if key in seen:
            change.repeated += 1
        elif key in existing:
            change.present.append(entry.word)
        else:
            change.added.append(entry)
            db.session.add(
                SensitiveWord(
                    body_id=body_id,
                    word=entry.word,
                    category=entry.category,
                    severity=entry.severity,
                )
            )
        seen.add(key)
    if change.added:  # nothing added is nothing changed: no entry in the trail
        audit.record(
            action,
            actor=user,
            body_id=body_id,
            detail={
                "role": Role.SECURITY_ADMIN,
                "count": len(change.added),
                "words": [[e.word, e.category, e.severity] for e in change.added],
                "already_present": len(change.present),
                **detail,
            },
        )
        db.session.flush()
    return change


# ------------------------------------------------------------------------------- input


def _clean(text: str) -> str:
    """Invisible characters (zero-width, bidi, control) would make a word that never matches."""
    return strip_invisible(text).strip()


def _category(value: str | None, field_name: str) -> str:
    category = _clean(value or "")
    if len(category) > MAX_CATEGORY_CHARS:
        raise InvalidInput("类别不能超过 %(max)s 字", field_name, max=MAX_CATEGORY_CHARS)
    return category


def _severity(value: str | None, field_name: str) -> str:
    if value not in SEVERITIES:
        raise InvalidInput("请选择风险等级（高、中、低）", field_name)
    return value


def _refuse_problems(problems: list[str], field_name: str) -> None:
    if problems:
        shown = translate(N_("；")).join(problems[:SHOWN_PROBLEMS])
        more = (
            translate(N_("（共 %(n)s 处）"), n=len(problems))
            if len(problems) > SHOWN_PROBLEMS
            else ""
        )
        raise InvalidInput(
            "%(problems)s%(more)s。请修改后重新提交，本次未添加任何敏感词。",
            field_name,
            problems=shown,
            more=more,
        )


def _line_problem(msgid: str, number: int, **params) -> str:
    """One line's problem, translated (a piece of the message ``_refuse_problems`` makes)."""
    return translate(msgid, line=number, **params)


def _refuse_too_many(entries: list[Entry], field_name: str) -> None:
    if len(entries) > MAX_WORDS_PER_CHANGE:
        raise InvalidInput(
            "一次最多添加 %(max)s 个敏感词，请分批导入", field_name, max=MAX_WORDS_PER_CHANGE
        )


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise InvalidInput("无法识别文件的编码，请保存为 UTF-8 或 GB18030（GBK）编码的文本文件", "file")


def _cells(line: str) -> list[str]:
    """Columns separated by commas (CSV quoting allowed) or, as Excel's "Unicode text" saves
    them, by tabs."""
    if "\t" in line and "," not in line:
        raw = line.split("\t")
    else:
        raw = next(csv.reader([line.replace("\x00", "")]), [])
    return [_clean(c) for c in raw]


def _parse_rows(text: str, category: str, severity: str) -> list[Entry]:
    entries, problems, first = [], [], True
    for number, line in enumerate(text.splitlines(), start=1):
        if not _clean(line):
            continue
        cells = _cells(line)
        while len(cells) > 1 and not cells[-1]:
            cells.pop()  # trailing empty columns ("word,,")
        word = cells[0] if cells else ""
        if first and word.lower() in HEADER_WORDS:
            first = False
            continue
        first = False
        if len(cells) > 3:
            problems.append(
                _line_problem(N_("第 %(line)s 行多于三列（敏感词,类别,风险等级）"), number)
            )
        elif not word:
            problems.append(_line_problem(N_("第 %(line)s 行没有敏感词"), number))
        elif len(word) > MAX_WORD_CHARS:
            problems.append(
                _line_problem(N_("第 %(line)s 行超过 %(max)s 字"), number, max=MAX_WORD_CHARS)
            )
        elif len(cells) > 1 and len(cells[1]) > MAX_CATEGORY_CHARS:
            problems.append(
                _line_problem(
                    N_("第 %(line)s 行的类别超过 %(max)s 字"), number, max=MAX_CATEGORY_CHARS
                )
            )
        elif len(cells) > 2 and cells[2] and cells[2].lower() not in SEVERITY_SPELLINGS:
            problems.append(
                _line_problem(
                    N_(
                        "第 %(line)s 行的风险等级“%(severity)s”无效，应为 高、中、低"
                        "（或 high、medium、low）"
                    ),
                    number,
                    severity=cells[2],
                )
            )
        else:
            row_category = cells[1] if len(cells) > 1 and cells[1] else category
            row_severity = (
                SEVERITY_SPELLINGS[cells[2].lower()] if len(cells) > 2 and cells[2] else severity
            )
            entries.append(Entry(number, word, row_category, row_severity))
    _refuse_problems(problems, "file")
    return entries


# ------------------------------------------------------------------------------- reading


def word_page(
    body_id: int,
    *,
    category: str | None = None,
    severity: str | None = None,
    contains: str | None = None,
    before_id: int | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[SensitiveWord], int | None]:
    """The body's words, newest first, keyset-paged by id; returns (words, id to continue
    before)."""
    query = select(SensitiveWord).where(SensitiveWord.body_id == body_id)
    if category:
        query = query.where(SensitiveWord.category == category)
    if severity:
        query = query.where(SensitiveWord.severity == severity)
    if contains:
        query = query.where(SensitiveWord.word.contains(contains, autoescape=True))
    if before_id:
        query = query.where(SensitiveWord.id < before_id)
    rows = db.session.scalars(query.order_by(SensitiveWord.id.desc()).limit(size + 1)).all()
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def severity_counts(body_id: int, category: str | None = None) -> dict[str, int]:
    """How many words of each severity (within ``category`` when given), every severity listed."""
    query = (
        select(SensitiveWord.severity, func.count())
        .where(SensitiveWord.body_id == body_id)
        .group_by(SensitiveWord.severity)
    )
    if category:
        query = query.where(SensitiveWord.category == category)
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update({severity: n for severity, n in db.session.execute(query).all()})
    return counts


def categories(body_id: int) -> list[tuple[str, int]]:
    """The categories in use (uncategorised words not included), with their word counts."""
    return [
        (c, n)
        for c, n in db.session.execute(
            select(SensitiveWord.category, func.count())
            .where(SensitiveWord.body_id == body_id, SensitiveWord.category != "")
            .group_by(SensitiveWord.category)
            .order_by(SensitiveWord.category)
        ).all()
    ]
