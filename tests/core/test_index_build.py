"""The questionnaire index, built in one pass, keeps what each lookup promised.

Issue 16: the index is built in a single walk over the questions (each extra walk cost more
per question on a large file). These pin what the walk must still give, duplicates included
(the loader rejects a duplicate id, but an in-memory model may hold one).
"""

from __future__ import annotations

from loader_support import MINI, replace

from cse_screen.questionnaire.index import _build
from cse_screen.questionnaire.loader import build_questionnaire
from cse_screen.questionnaire.yaml_safe import load_yaml

DUPLICATE = """\
      - id: gifts
        type: multi
        text: A second question with the id gifts?
        tags: [zeta, risk]
        options: [{id: a, label: A}]
"""


def test_a_duplicate_id_keeps_the_first_question_and_adds_its_tags() -> None:
    text = replace(MINI, "      - id: words\n", DUPLICATE + "      - id: words\n")
    q = build_questionnaire(load_yaml(text), "<text>")
    index = _build(q)
    ids = [question.id for question in q.questions()]
    assert [question.id for question in index.questions] == ids  # every question, in order
    first = next(question for question in q.questions() if question.id == "gifts")
    assert index.by_id["gifts"] is first
    assert index.position == {qid: ids.index(qid) for qid in ids}
    assert set(index.options["gifts"]) == {"yes_recent", "no", "not_known"}  # the first one's
    assert index.tags_of["gifts"] == frozenset({"risk", "significant", "zeta"})
    assert index.tagged["risk"] == ("staying_out", "gifts")  # each question once per tag
    assert index.tagged["zeta"] == ("gifts",)
    assert index.tags_of["age"] == frozenset()
    assert list(index.section_of.items()) == [(qid, "about") for qid in dict.fromkeys(ids)]


def test_a_tag_listed_twice_is_held_once_and_shared_tables_are_shared() -> None:
    text = replace(MINI, "tags: [risk, significant]", "tags: [risk, significant, risk]")
    index = _build(build_questionnaire(load_yaml(text), "<text>"))
    assert index.tagged["risk"] == ("staying_out", "gifts")
    # Two questions on the same option set without weights share one lookup table.
    assert index.options["staying_out"] is index.options["gifts"]
