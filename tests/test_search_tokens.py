"""The search tokenizer, query parser, query strings and snippets: pure functions, no database."""

from __future__ import annotations

import random

import pytest

from approval.search.postgres_backend import _vectors, tsquery_literal, tsvector_literal
from approval.search.snippets import SNIPPET_CHARS, find_spans, snippet
from approval.search.sqlite_backend import match_expression
from approval.search.tokens import (
    MAX_CLAUSES,
    MAX_QUERY,
    MAX_WORD,
    Clause,
    index_tokens,
    is_cjk,
    parse_query,
)

# ---------------------------------------------------------------- indexing


def test_cjk_runs_become_overlapping_bigrams_and_their_last_character():
    assert index_tokens("城乡低保") == ["城乡", "乡低", "低保", "保"]
    assert index_tokens("低保") == ["低保", "保"]
    assert index_tokens("低") == ["低"]


def test_punctuation_and_spaces_separate_runs_so_no_bigram_spans_them():
    tokens = index_tokens("收入最低，保障不足。低 保")
    assert "低保" not in tokens
    assert tokens == ["收入", "入最", "最低", "低", "保障", "障不", "不足", "足", "低", "保"]


def test_latin_words_and_numbers_are_whole_tokens_lower_cased():
    assert index_tokens("执行GB 11643-1999标准") == [
        "执行",
        "行",
        "gb",
        "11643",
        "1999",
        "标准",
        "准",
    ]
    assert index_tokens("Hello-World_2026") == ["hello", "world", "2026"]


def test_nfkc_folds_full_width_forms_and_compatibility_characters():
    assert index_tokens("ＧＢ１１６４３") == ["gb11643"]
    assert index_tokens("①号") == ["1", "号"]
    assert index_tokens("（低保）") == ["低保", "保"]


def test_long_words_are_cut_the_same_way_in_text_and_query():
    word = "x" * (MAX_WORD + 50)
    assert index_tokens(word) == ["x" * MAX_WORD]
    assert parse_query(word).clauses == [Clause(("x" * MAX_WORD,))]


def test_only_cjk_letters_and_digits_ever_reach_a_token():
    rng = random.Random(2026)
    alphabet = "\"'*()-^:{}[]<>&|!\\%_ \t\n,.;NEAR OR AND NOT 低保补贴aZ09\u200b\x00😀ＧＢ"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for token in index_tokens(text):
            assert token and all(is_cjk(ch) or ch.isalnum() for ch in token), (text, token)
        for clause in parse_query(text).clauses:
            for token in clause.tokens:
                assert token and all(is_cjk(ch) or ch.isalnum() for ch in token), (text, token)


# ---------------------------------------------------------------- queries


def test_a_term_is_a_phrase_of_its_bigrams():
    assert parse_query("低保").clauses == [Clause(("低保",))]
    assert parse_query("低保标准").clauses == [Clause(("低保", "保标", "标准"))]


def test_a_one_character_term_is_a_prefix():
    assert parse_query("低").clauses == [Clause(("低",), prefix=True)]


def test_terms_split_on_whitespace_and_all_must_match():
    parsed = parse_query("  低保　补贴 2026 ")  # an ideographic space separates too
    assert parsed.clauses == [Clause(("低保",)), Clause(("补贴",)), Clause(("2026",))]
    assert parsed.needles == ["低保", "补贴", "2026"]


def test_a_mixed_term_keeps_its_runs_in_order():
    # the tail of a run that is not the last keeps the phrase from bridging two runs
    assert parse_query("低保2026").clauses == [Clause(("低保", "保", "2026"))]
    assert parse_query("2026年度").clauses == [Clause(("2026", "年度"))]
    assert parse_query("第1号").clauses == [Clause(("第", "1", "号"), prefix=True)]


def test_search_syntax_is_only_text():
    for hostile in [
        '"',
        "*",
        "()",
        "-",
        "^",
        ":",
        "OR",
        "NEAR(",
        '"低保" OR 补贴*',
        "-补贴",
        "'; DROP TABLE items; --",
        "低保 <-> 补贴",
        "a & b | !c",
    ]:
        parsed = parse_query(hostile)
        assert all(isinstance(c, Clause) for c in parsed.clauses)
    assert parse_query('"低保" OR (补贴)*').clauses == [
        Clause(("低保",)),
        Clause(("or",)),
        Clause(("补贴",)),
    ]
    assert not parse_query('"*()-^:')
    assert not parse_query("")


def test_duplicates_are_dropped_and_long_queries_are_cut():
    assert parse_query("低保 低保 低保").clauses == [Clause(("低保",))]
    many = parse_query(" ".join(f"词{i}" for i in range(MAX_CLAUSES + 5)))
    assert len(many.clauses) == MAX_CLAUSES and many.truncated
    long = parse_query("低" * (MAX_QUERY + 20))
    assert long.truncated and len(long.clauses[0].tokens) == MAX_QUERY - 1


def test_query_strings_for_each_database():
    parsed = parse_query("低保标准 低 gb")
    every = 'text : ("低保 保标 标准" AND "低" * AND "gb")'
    # the title column's tokens carry a mark, so the title tier reads only titles' doclists
    in_title = 'title : ("\ue000低保 \ue000保标 \ue000标准" AND "\ue000低" * AND "\ue000gb")'
    assert match_expression(parsed, None) == every
    assert match_expression(parsed, 1) == in_title
    assert match_expression(parsed, 0) == f"{every} NOT {in_title}"
    assert tsquery_literal(parsed) == "('低保' <-> '保标' <-> '标准') & ('低':*) & ('gb')"


def test_tsvector_keeps_title_and_text_apart_and_within_postgresql_limits():
    whole, title = _vectors("低保", "标准")
    assert whole == "'低保':1A '保':2A '标准':4 '准':5"  # position 3 is left empty
    assert title == "'低保':1 '保':2"
    repeated = tsvector_literal([("保", "")] * 300)
    assert repeated.count(",") == 255  # at most 256 positions per lexeme
    far = tsvector_literal([(f"w{i}", "") for i in range(17000)])
    assert "'w16382':16383" in far and "w16383" not in far
    assert tsvector_literal([]) == ""


# ---------------------------------------------------------------- snippets


def test_spans_mark_cjk_substrings_and_whole_words_only():
    text = "GB 11643 与 GB11643 不同；低保标准"
    assert [text[s:e] for s, e in find_spans(text, ["gb", "低保"])] == ["GB", "低保"]
    assert find_spans("", ["低保"]) == [] and find_spans("低保", []) == []


def test_spans_map_full_width_text_back_to_the_original():
    text = "执行ＧＢ１１６４３标准"
    spans = find_spans(text, ["gb11643"])
    assert [text[s:e] for s, e in spans] == ["ＧＢ１１６４３"]


def test_overlapping_matches_are_marked_once():
    text = "低保标准"
    assert find_spans(text, ["低保标准", "保标"]) == [(0, 4)]


def test_the_snippet_is_a_window_around_the_first_match():
    text = "甲" * 200 + "低保标准" + "乙" * 200
    cut = snippet(text, ["低保标准"])
    assert cut.text.startswith("…") and cut.text.endswith("…")
    assert [cut.text[s:e] for s, e in cut.spans] == ["低保标准"]
    assert len(cut.text) == SNIPPET_CHARS + 2


def test_without_a_match_in_the_text_the_snippet_is_its_beginning():
    cut = snippet("第一行\n第二行", ["标题里的词"])
    assert cut.text == "第一行 第二行" and cut.spans == []


@pytest.mark.parametrize("text", ["短文本低保", "低保" * 100])
def test_every_marked_span_holds_the_match(text):
    cut = snippet(text, ["低保"])
    assert cut.spans and all(cut.text[s:e] == "低保" for s, e in cut.spans)
