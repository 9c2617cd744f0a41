"""The victim-blaming language checker: what it flags, what it leaves alone, and how fast.

Decision recorded here (and in language.yaml): the bare word "consent" is never flagged —
"consent form", "consent to share information" and "a child under 13 cannot consent" are
correct uses. Only "consensual", "consented" and "consenting" are, softly, and not after
"appears"/"seems" (the recommended wording is "appears consensual").
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_screen.language import LanguageFlag, check_text
from cse_screen.language_list import load_language_list, parse_language_list, pattern_regex

# (text, phrase of the entry expected, exact text expected to be flagged)
FLAGGED = [
    ("She is a child prostitute.", "child prostitute", "child prostitute"),
    ("Police logged it as prostitution.", "child prostitute", "prostitution"),
    ("Known locally as a rent boy.", "child prostitute", "rent boy"),
    ("He is selling sex for a place to stay.", "selling sex", "selling sex"),
    ("She sold herself for cigarettes.", "selling sex", "sold herself"),
    ("Staff think she is trading sex for vapes.", "selling sex", "trading sex"),
    ("She keeps putting herself at risk.", "putting themselves at risk", "putting herself at risk"),
    ("He puts himself in danger at weekends.", "putting themselves at risk", "puts himself in danger"),
    ("They put themselves at risk.", "putting themselves at risk", "put themselves at risk"),
    ("She is placing herself at risk.", "placing themselves at risk", "placing herself at risk"),
    ("He placed him/herself at risk.", "placing themselves at risk", "placed him/herself at risk"),
    ("She is making herself vulnerable online.", "placing themselves at risk", "making herself vulnerable"),
    ("Ongoing risky behaviour.", "risky behaviour", "risky behaviour"),
    ("Risky behaviors noted by staff.", "risky behaviour", "Risky behaviors"),
    ("A pattern of risk-taking behaviour.", "risky behaviour", "risk-taking behaviour"),
    ("It seems to be a lifestyle choice.", "lifestyle choice", "lifestyle choice"),
    ("She has chosen this lifestyle.", "lifestyle choice", "chosen this lifestyle"),
    ("The contact was consensual.", "consensual", "consensual"),
    ("She said she consented.", "consensual", "consented"),
    ("Both were consenting.", "consensual", "consenting"),
    ("He has been sexually active since year 7.", "sexually active", "sexually active"),
    ("She has sex with an older man.", "has sex with", "has sex with"),
    ("Reported sexual activity with a 24-year-old.", "has sex with", "sexual activity with"),
    ("Her boyfriend collects her from school.", "boyfriend", "boyfriend"),
    ("His girlfriend is 22.", "boyfriend", "girlfriend"),
    ("She has several boyfriends.", "boyfriend", "boyfriends"),
    ("He is in a relationship with a man of 30.", "in a relationship with", "in a relationship with"),
    ("She is associating with older males.", "associating with", "associating with"),
    ("She has been contacting adult males online.", "contacting adults", "contacting adult males"),
    ("He contacts adults on a gaming site.", "contacting adults", "contacts adults"),
    ("She contacted older men via an app.", "contacting adults", "contacted older men"),
    ("She has been sending pictures to a man.", "sending pictures to", "sending pictures to"),
    ("He sent nude photos to an adult.", "sending pictures to", "sent nude photos to"),
    (
        "Sending explicit images to someone she met online.",
        "sending pictures to",
        "Sending explicit images to",
    ),
    ("The phone held child pornography.", "child pornography", "child pornography"),
    ("Child porn was found.", "child pornography", "Child porn"),
    ("Described as promiscuous by staff.", "promiscuous", "promiscuous"),
    ("Concerns about promiscuity.", "promiscuous", "promiscuity"),
    ("He is very streetwise.", "streetwise", "streetwise"),
    ("She is street-smart for her age.", "streetwise", "street-smart"),
    ("Known as a troublemaker.", "troublemaker", "troublemaker"),
    ("A couple of trouble-makers in year 10.", "troublemaker", "trouble-makers"),
    ("She is involved in CSE.", "involved in CSE", "involved in CSE"),
    (
        "His involvement in child sexual exploitation.",
        "involved in CSE",
        "involvement in child sexual exploitation",
    ),
    ("Involved in sexual exploitation since spring.", "involved in CSE", "Involved in sexual exploitation"),
    ("A hard to reach family.", "hard to reach", "hard to reach"),
    ("A hard-to-reach young person.", "hard to reach", "hard-to-reach"),
    ("He is disengaged.", "hard to reach", "disengaged"),
    ("She refuses to engage with services.", "hard to reach", "refuses to engage"),
    ("Non-engagement with the clinic.", "hard to reach", "Non-engagement"),
]

CLEAN = [
    "She chose art for her GCSE options.",
    "Mum signed the consent form for the trip.",
    "Consent to share information was not needed to safeguard the child.",
    "A child under 13 cannot consent to any sexual activity.",
    "She is at risk of being exploited by adults who give her alcohol.",
    "Adults are contacting the child online.",
    "The activity appears consensual, but a child cannot consent to their own abuse.",
    "An older \"boyfriend\" collects her; she calls him her 'boyfriend'.",
    "He lives with his stepdad and two sisters; he likes football and coding club.",
    "Images of child sexual abuse were reported to the police.",
    "The street was wide and quiet.",
    "She met friends after school and went home at six.",
    "He is a victim of sexual exploitation.",
    "The school nurse contacted the clinic; the clinic contacted the GP.",
    "We have not yet reached this family; letters went unanswered.",
    "The engaged couple next door; a risk assessment; high risk of harm.",
    "Unconsented images were shared by an adult.",
    "Sexual activity involving a child under 13 is abuse.",
]


def test_bundled_list_loads_once_and_is_not_empty() -> None:
    first = load_language_list()
    assert first is load_language_list()
    assert len(first.entries) >= 15


@pytest.mark.parametrize(("text", "phrase", "matched"), FLAGGED, ids=[t for t, _, _ in FLAGGED])
def test_phrase_and_variants_are_flagged_with_the_entry_suggestion(
    text: str, phrase: str, matched: str
) -> None:
    flags = check_text(text)
    assert [f.matched for f in flags] == [matched]
    flag = flags[0]
    entry = next(e for e in load_language_list().entries if e.phrase == phrase)
    assert flag.phrase == phrase
    assert flag.suggestion == entry.suggestion
    assert flag.why == entry.why
    assert flag.soft == entry.soft
    assert text[flag.start : flag.end] == matched


def test_every_entry_has_a_flagged_example_here() -> None:
    # A new entry without an example in FLAGGED would be untested.
    tested = {phrase for _, phrase, _ in FLAGGED}
    assert {e.phrase for e in load_language_list().entries} == tested


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_sentences_are_not_flagged(text: str) -> None:
    assert check_text(text) == []


def test_matching_ignores_case_and_line_breaks() -> None:
    flags = check_text("PUTTING HIMSELF\nAT   RISK")
    assert [f.phrase for f in flags] == ["putting themselves at risk"]
    assert flags[0].matched == "PUTTING HIMSELF\nAT   RISK"


def test_only_whole_words_are_flagged() -> None:
    assert check_text("the streetwisest") == []
    assert check_text("exboyfriend") == []
    assert check_text("misconsented") == []


def test_several_flags_come_in_order_with_exact_positions() -> None:
    text = "Staff said she was promiscuous and streetwise, and her boyfriend is 'hard to reach'."
    flags = check_text(text)
    assert [f.phrase for f in flags] == ["promiscuous", "streetwise", "boyfriend", "hard to reach"]
    assert [f.start for f in flags] == sorted(f.start for f in flags)
    for flag in flags:
        assert text[flag.start : flag.end] == flag.matched
    assert flags[0].start == text.index("promiscuous")
    assert flags[2].start == text.index("boyfriend")


def test_boyfriend_in_quotes_is_accepted_but_unquoted_is_flagged_softly() -> None:
    text = 'an older "boyfriend", then later her boyfriend again'
    flags = check_text(text)
    assert len(flags) == 1
    assert flags[0].start == text.rindex("boyfriend")
    assert flags[0].soft is True
    assert "quotes" in flags[0].suggestion


def test_appears_consensual_is_accepted() -> None:
    assert check_text("It appears consensual.") == []
    assert check_text("It seemed consensual to staff.") == []
    flags = check_text("It was consensual.")
    assert [f.soft for f in flags] == [True]


def test_hard_flags_are_not_soft() -> None:
    assert [f.soft for f in check_text("child prostitute; lifestyle choice")] == [False, False]


def test_empty_text_has_no_flags() -> None:
    assert check_text("") == []


def test_a_custom_list_can_be_used() -> None:
    custom = parse_language_list(
        "entries:\n"
        "  - phrase: gone off the rails\n"
        "    match: ['gone|went off the rails']\n"
        "    suggestion: describe what changed\n"
        "    why: it blames the child\n"
    )
    flags = check_text("He went off the rails in May; a lifestyle choice.", custom)
    assert [(f.phrase, f.matched) for f in flags] == [("gone off the rails", "went off the rails")]


@pytest.mark.parametrize(
    ("pattern", "text", "hit"),
    [
        ("a|b c", "b c", True),
        ("send nude? pictures", "send pictures", True),
        ("send nude? pictures", "send nude pictures", True),
        ("send nude? pictures", "send rude pictures", False),
        ("porn*", "pornographic", True),
        ("child's", "child’s", True),  # a typographic apostrophe counts too
    ],
)
def test_pattern_syntax(pattern: str, text: str, hit: bool) -> None:
    assert bool(re.fullmatch(pattern_regex(pattern), text, re.IGNORECASE)) is hit


@pytest.mark.parametrize(
    ("yaml_text", "expect"),
    [
        ("entries: [{phrase: x, match: ['Bad Word'], suggestion: s, why: w}]", "entries.0.match"),
        ("entries: [{phrase: x, match: ['a  b'], suggestion: s, why: w}]", "single spaces"),
        ("entries: [{phrase: x, match: ['maybe? word'], suggestion: s, why: w}]", "cannot be optional"),
        ("entries: [{phrase: x, match: [a], suggestion: s}]", "why"),
        ("entries: [{phrase: x, match: [a], suggestion: s, why: w, colour: red}]", "colour"),
        ("entries: [", "not valid YAML"),
        ("entries: []", "entries: List should have at least 1 item after validation, not 0"),
        ("- a", "top level: Input should be a valid dictionary or instance of LanguageList"),
        ("entries: [3]", "entries.0: Input should be a valid dictionary or instance of LanguageEntry"),
        ("entries: [{phrase: '', match: [a], suggestion: s, why: w}]", "entries.0.phrase: String should"),
        (
            "entries: [{phrase: 1, match: a, suggestion: s, why: w, soft: 3, unless_after: [Ab]}]",
            "entries.0.phrase: Input should be a valid string; entries.0.match: Input should be a valid "
            "list; entries.0.soft: Input should be a valid boolean, unable to interpret input; "
            "entries.0.unless_after: Value error, 'Ab' must be one lower-case word",
        ),
        ("entries: [{phrase: p, match: [3], suggestion: s, why: w}]", "entries.0.match.0: Input should"),
        ("version: x\nentries: []", "version: Input should be a valid integer, unable to parse string"),
        ("version: 2.5\nentries: []", "version: Input should be a valid integer, got a number with a"),
        ("foo: 1", "entries: Field required; foo: Extra inputs are not permitted"),
    ],
)
def test_a_broken_list_says_where_and_what(yaml_text: str, expect: str) -> None:
    with pytest.raises(ValueError, match=re.escape(expect)) as info:
        parse_language_list(yaml_text, "local.yaml")
    assert str(info.value).startswith("local.yaml:")


def test_flags_are_frozen() -> None:
    flag = check_text("streetwise")[0]
    assert isinstance(flag, LanguageFlag)
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.start = 3  # type: ignore[misc]


def test_lax_values_are_read_as_before() -> None:
    # What the list's earlier pydantic model accepted, a local list may still use.
    language = parse_language_list(
        "version: '3'\n"
        "entries: [{phrase: p, match: [a, 'b c?', 'x|y*'], suggestion: s, why: w,\n"
        "           soft: 'yes', unless_quoted: 0, unless_after: [ab]}]\n"
    )
    (entry,) = language.entries
    assert language.version == 3
    assert (entry.soft, entry.unless_quoted, entry.match, entry.unless_after) == (
        True,
        False,
        ("a", "b c?", "x|y*"),
        ("ab",),
    )
    assert (
        parse_language_list("version: 2.0\nentries: [{phrase: p, match: [a], suggestion: s, why: w}]").version
        == 2
    )


@given(st.text(alphabet=st.sampled_from(list("abcdeginoprstuvwxy '\"-\n")), max_size=300))
def test_flags_are_ordered_non_overlapping_and_point_at_the_text(text: str) -> None:
    flags = check_text(text)
    previous_end = 0
    for flag in flags:
        assert previous_end <= flag.start < flag.end <= len(text)
        assert text[flag.start : flag.end] == flag.matched
        previous_end = flag.end


@given(st.sampled_from(FLAGGED), st.text(alphabet=" .,;\n", min_size=1, max_size=5))
def test_a_flagged_phrase_is_found_wherever_it_sits(example: tuple[str, str, str], pad: str) -> None:
    _, phrase, matched = example
    text = f"Note{pad}{matched}{pad}end"
    flags = check_text(text)
    assert [f.phrase for f in flags] == [phrase]
    assert flags[0].start == len("Note") + len(pad)
