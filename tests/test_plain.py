"""Plain (line-by-line) mode: the same flow and the same result as the wizard, by typed lines."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.contacts import Contacts, save_contacts
from cse_screen.plain import PlainWizard, run_plain
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import (
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    SingleChoiceQuestion,
)
from cse_screen.scoring import evaluate
from cse_screen.scoring.result import Result
from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta
from support import RecordingSaver, load

TOOL = Path(__file__).with_name("plain_tool.yaml")
NOW = dt.datetime(2025, 2, 3, 9, 15, tzinfo=dt.UTC)
DETAILS = ["J.D. (invented)", "Sam Example", "Form tutor"]


def _load(path: Path) -> LoadedQuestionnaire:
    return load(path)


@pytest.fixture(scope="module")
def tool() -> LoadedQuestionnaire:
    return _load(TOOL)


def _run(tool: LoadedQuestionnaire, lines: Sequence[str], **kwargs: object) -> tuple[PlainWizard, int, str]:
    out = io.StringIO()
    # No report offer unless the test gives a folder for it.
    kwargs.setdefault("offer_report", "report_folder" in kwargs)
    wizard = PlainWizard(
        tool,
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        now=lambda: NOW,
        **kwargs,  # type: ignore[arg-type]
    )
    code = wizard.run()
    return wizard, code, out.getvalue()


def _same_as_engine(wizard: PlainWizard) -> Result:
    """The plain mode's result equals a fresh evaluation of the recorded screening."""
    result = wizard.session.result()
    assert result == evaluate(wizard.q, wizard.session.screening, sha256=wizard.loaded.sha256)
    return result


# Age, danger, disclosure, missing, online, sources, child's words, analysis.
ALL_NO = [*DETAILS, "14", "2", "2", "3", "3", "s", "", "Nothing of concern seen this term.", "", "n"]


def test_all_no_run_reaches_the_none_result(tool: LoadedQuestionnaire) -> None:
    wizard, code, out = _run(tool, ALL_NO)
    assert code == 0
    assert wizard.finished
    result = _same_as_engine(wizard)
    assert result.level == "none"
    screening = wizard.session.screening
    assert screening.meta == ScreeningMeta(
        child_ref="J.D. (invented)", practitioner="Sam Example", role="Form tutor", date=screening.meta.date
    )
    assert screening.value("age") == 14
    assert screening.value("missing_episodes") == "no"
    assert screening.value("information_sources") is None
    assert screening.value("practitioner_analysis") == "Nothing of concern seen this term."
    assert "(0) No indicators" in out
    assert "Nothing was identified." in out
    assert "Stay curious and share any worry with the DSL." in out
    assert out.rstrip().endswith(tool.questionnaire.final_line)
    assert "Question 1 of 8" in out
    assert "== Review ==" in out
    # Piped output never carries ANSI escapes.
    assert "\x1b[" not in out


def test_immediate_danger_alerts_at_once_and_records_acknowledgement(tool: LoadedQuestionnaire) -> None:
    lines = [*DETAILS, "9", "1", "x", "1", "2", "3", "3", "s", "", "Child was scared to go home.", "", "n"]
    wizard, code, out = _run(tool, lines)
    assert code == 0
    alert = out.index("IMMEDIATE DANGER")
    # Shown straight after the answer: before the next question is asked.
    assert alert < out.index("Has the child told you about abuse?")
    assert "Call the police on 999 now." in out[alert:]
    assert "The alert needs a reply" in out
    assert wizard.session.screening.danger_acknowledgements == (
        DangerAcknowledgement(action="calling_now", at=NOW),
    )
    result = _same_as_engine(wizard)
    assert result.level == "immediate"
    assert result.immediate_risk
    assert "999" in result.next_steps[0]
    # The alert is shown once, not again for later answers.
    assert out.count("IMMEDIATE DANGER") == 1


def test_required_questions_cannot_be_skipped_and_bad_numbers_are_explained(
    tool: LoadedQuestionnaire,
) -> None:
    lines = [
        *DETAILS,
        "s",
        "",
        "abc",
        "19",
        "15",
        "7",
        "2",
        "2",
        "3",
        "3",
        "s",
        "",
        "s",
        "",
        "Seen.",
        "",
        "n",
    ]
    wizard, code, out = _run(tool, lines)
    assert code == 0
    assert out.count("required and cannot be skipped") == 2  # age and analysis
    assert "needs an answer before going on" in out
    assert "takes a whole number" in out
    assert "For 18 or over, use adult safeguarding." in out
    assert "type a number from 1 to 3" in out
    assert wizard.session.screening.value("age") == 15
    assert _same_as_engine(wizard).level == "none"


def test_judgement_below_floor_is_refused_with_why_then_raise_works(tool: LoadedQuestionnaire) -> None:
    # Disclosure yes: the floor is "significant"; lowering to "low" must be refused.
    lines = [
        *DETAILS,
        "15",
        "2",
        "1",
        "3",
        "3",
        "s",
        "",
        "Told me at break.",
        "",
        "y",
        "2",  # refused at once: no reason is asked for a level the rules do not allow
        "5",
        "Worried about tonight",
        "",
    ]
    wizard, code, out = _run(tool, lines)
    assert code == 0
    assert "What to do now:" in out
    assert "Listen and write down the child's exact words." in out
    assert "Not possible:" in out
    assert "Significant concern" in out.split("Not possible:")[1].splitlines()[0]
    assert "The child has told you about abuse." in out.split("Not possible:")[1].splitlines()[0]
    screening = wizard.session.screening
    assert screening.judgement == Judgement(level="immediate", reason="Worried about tonight")
    result = _same_as_engine(wizard)
    assert result.computed_level == "significant"
    assert result.level == "immediate"
    assert "Suggested by the answers: Significant concern" in out


def test_notes_sources_back_and_multi_choice(tool: LoadedQuestionnaire) -> None:
    lines = [
        *DETAILS,
        "13",
        "b",
        "",
        "2",
        "2",
        "n",
        "Seen getting into a car,",
        "after school.",
        ".",
        "9",
        "1",
        "2",
        "?",
        "3",
        "1 3",
        "She said: \u201che buys me things\u201d",
        "and laughed.",
        ".",
        "Analysis here.",
        "",
        "n",
    ]
    wizard, code, out = _run(tool, lines)
    assert code == 0
    screening = wizard.session.screening
    missing = screening.answers["missing_episodes"]
    assert missing == Answer(
        value="possible", note="Seen getting into a car,\nafter school.", source="observed"
    )
    assert screening.value("information_sources") == ("observed", "records")
    assert screening.value("child_words") == "She said: \u201che buys me things\u201d\nand laughed."
    assert "Type a number from 1 to 5" in out
    assert "Current answer: 13" in out
    assert "No guidance for this question." in out
    assert _same_as_engine(wizard).level == "low"


def test_input_ending_early_exits_1_and_q_exits_0(tool: LoadedQuestionnaire) -> None:
    wizard, code, out = _run(tool, [*DETAILS, "12"])
    assert code == 1
    assert not wizard.finished
    assert "input ended before the screening was finished" in out
    assert "Nothing was saved" in out
    _, code, out = _run(tool, [*DETAILS, "12", "q"])
    assert code == 0
    assert "You stopped the screening." in out


def test_every_change_goes_to_the_saver_and_quit_says_how_to_resume(tool: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    _, code, out = _run(tool, [*DETAILS, "12", "1", "2", "q"], saver=saver)
    assert code == 0
    assert "continue with `cse-screen resume`" in out
    calls = saver.names()
    assert calls[0] == "meta"
    assert "answer:age" in calls
    assert "answer:immediate_danger" in calls
    assert "ack:already_done" in calls
    assert calls.index("answer:immediate_danger") < calls.index("ack:already_done")


def test_markdown_report_exported_at_the_end(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    lines = [*ALL_NO[:-1], "n", "7", "1", "", "Sam Lead", "1"]
    wizard, code, out = _run(tool, lines, report_folder=tmp_path)
    assert code == 0
    assert "Type a number from 1 to 4" in out
    [written] = wizard.exported
    assert written.parent == tmp_path
    assert written.suffix == ".md"
    assert f"Report saved in the folder {tmp_path}, as {written.name}." in out
    text = written.read_text(encoding="utf-8")
    assert "No indicators" in text
    assert "Sam Lead" in text
    assert "Basis for sharing: To safeguard the child: no consent needed (DPA 2018)" in text
    assert "if a child is in immediate danger, call the police on 999" in text
    assert oct(written.stat().st_mode & 0o777) == "0o600"


def test_report_to_an_existing_file_is_refused_then_retried(
    tool: LoadedQuestionnaire, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.md"
    taken.write_text("keep me", encoding="utf-8")
    # Shared with: blank; basis: not recorded; replace? Enter (no); the new name.
    lines = [*ALL_NO[:-1], "n", "1", str(taken), "", "", "", str(tmp_path / "new.md")]
    wizard, code, out = _run(tool, lines, report_folder=tmp_path)
    assert code == 0
    assert f"taken.md is already in the folder {tmp_path}." in out
    assert "--force" not in out
    assert taken.read_text(encoding="utf-8") == "keep me"
    assert wizard.exported == [tmp_path / "new.md"]


def test_colour_only_when_asked_for(tool: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, out = _run(tool, [*DETAILS, "q"], colour=True)
    assert "\x1b[1;31m" in out

    class _TtyOut(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("NO_COLOR", "1")
    out_tty = _TtyOut()
    PlainWizard(tool, input=io.StringIO("x\n\n\nq\n"), output=out_tty).run()
    assert "\x1b[" not in out_tty.getvalue()
    monkeypatch.delenv("NO_COLOR")
    out_tty = _TtyOut()
    PlainWizard(tool, input=io.StringIO("x\n\n\nq\n"), output=out_tty).run()
    assert "\x1b[" in out_tty.getvalue()


def test_run_plain_with_known_details_skips_them_and_shows_contacts(tool: LoadedQuestionnaire) -> None:
    save_contacts(Contacts(dsl_name="A. Example", dsl_phone="ext 200"))
    out = io.StringIO()
    lines = ["11", "1", "1", "2", "3", "3", "s", "", "Fine.", "", "n", "", ""]
    code = run_plain(
        tool,
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        meta=ScreeningMeta(child_ref="Z.Z. (invented)"),
        store=False,
    )
    text = out.getvalue()
    assert code == 0
    assert "(initials or a school or case reference)" not in text  # the reference is not asked again
    alert = text.index("IMMEDIATE DANGER")
    # The DSL's number is right there in the danger alert and again with the result.
    assert "DSL (designated safeguarding lead): A. Example" in text[alert : alert + 600]
    assert text.count("DSL phone: ext 200") == 2


def test_run_plain_keeps_a_draft_then_completes_it(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    from cse_screen.store import Store

    data = tmp_path / "data"
    out = io.StringIO()
    code = run_plain(
        tool, data_dir=data, input=io.StringIO("".join(f"{x}\n" for x in [*DETAILS, "12", "q"])), output=out
    )
    text = out.getvalue()
    assert code == 0
    assert "Saved as draft" in text
    with Store.open(data) as store:
        [summary] = store.list(status="draft")
        stored = store.load(summary.id)
    assert summary.id in text.split("You stopped the screening.")[1]
    assert stored.screening.value("age") == 12
    assert stored.screening.meta.child_ref == "J.D. (invented)"

    out = io.StringIO()
    code = run_plain(
        tool,
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in [*ALL_NO, "y", ""])),
        output=out,
        report_folder=tmp_path,
    )
    assert code == 0
    assert "is completed and locked" in out.getvalue()
    with Store.open(data) as store:
        completed = store.list(status="completed")
    assert len(completed) == 1


# --------------------------------------------------------------------------- the bundled tool


class _Answerer(io.StringIO):
    """Typed input that looks at the current question, like a person reading the screen."""

    def __init__(self, pick: Callable[[PlainWizard, str], str]) -> None:
        super().__init__()
        self.wizard: PlainWizard | None = None
        self.screen = io.StringIO()
        self.pick = pick
        self.count = 0
        self.queued: list[str] = []

    def readline(self, size: int | None = -1) -> str:
        self.count += 1
        assert self.count < 500, "plain mode did not finish"
        assert self.wizard is not None
        if not self.queued:
            prompt = self.screen.getvalue().rsplit("\n", 1)[-1]
            self.queued = self.pick(self.wizard, prompt).split("\n")
        return self.queued.pop(0) + "\n"


def _not_known_or_no(wizard: PlainWizard, prompt: str) -> str:
    session = wizard.session
    question = session.current
    if question is None:  # review, judgement and export prompts: accept / decline
        return "n" if "professional judgement" in prompt else ""
    if isinstance(question, IntegerQuestion):
        return "14"
    if isinstance(question, SingleChoiceQuestion):
        ids = [o.id for o in session.options(question)]
        for wanted in ("not_known", "no"):
            if wanted in ids and session.screening.value(question.id) is None:
                return str(ids.index(wanted) + 1)
        return ""
    if isinstance(question, MultiChoiceQuestion | LongTextQuestion):
        return "s" if not question.required else "Invented analysis.\n."
    return "Invented analysis." if question.required else ""


@pytest.mark.skipif(not bundled_path("cse-screening").exists(), reason="the bundled tool has not landed yet")
def test_bundled_tool_not_known_run_matches_engine() -> None:
    loaded = _load(bundled_path("cse-screening"))
    answerer = _Answerer(_not_known_or_no)
    wizard = PlainWizard(
        loaded,
        input=answerer,
        output=answerer.screen,
        echo=False,
        screening=Screening(
            questionnaire_id=loaded.questionnaire.id, meta=ScreeningMeta(child_ref="Q.Q. (invented)")
        ),
        now=lambda: NOW,
    )
    answerer.wizard = wizard
    assert wizard.run(ask_details=False) == 0
    result = _same_as_engine(wizard)
    assert "immediate_danger" in result.not_known
    # Not known is not a no: a lowest-level result is flagged as incomplete.
    assert result.level != "none" or result.incomplete
    assert result.level_label in answerer.screen.getvalue()


def test_resuming_a_draft_with_unacknowledged_danger_shows_the_alert_first(
    tool: LoadedQuestionnaire,
) -> None:
    # The wizard was closed (or killed) at the alert: "danger now" saved, not acknowledged.
    draft = Screening(
        questionnaire_id=tool.questionnaire.id,
        answers={"age": Answer(value=9), "immediate_danger": Answer(value="yes")},
        meta=ScreeningMeta(child_ref="PR-02", practitioner="Lee Tutor", role="Tutor", date=NOW.date()),
    )
    out = io.StringIO()
    wizard = PlainWizard(
        tool,
        input=io.StringIO("1\nq\n"),
        output=out,
        now=lambda: NOW,
        screening=draft,
        offer_report=False,
    )
    wizard.run(ask_details=False)
    text = out.getvalue()
    assert "IMMEDIATE DANGER" in text
    assert text.index("IMMEDIATE DANGER") < text.index("Has the child told you about abuse?")
    assert wizard.session.screening.danger_acknowledgements == (
        DangerAcknowledgement(action="calling_now", at=NOW),
    )


def test_report_lists_an_earlier_screening_of_the_same_child(
    tool: LoadedQuestionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store's history entries once went straight into the report builder, which wants
    # (date, level) pairs: exporting for a child screened before crashed.
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    first = run_plain(
        tool,
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in [*ALL_NO, "y", ""])),
        output=io.StringIO(),
    )
    assert first == 0
    out = io.StringIO()
    lines = [*ALL_NO, "y", "1", str(tmp_path / "second.md"), "", ""]
    code = run_plain(
        tool,
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        report_folder=tmp_path,
    )
    assert code == 0, out.getvalue()[-2000:]
    text = (tmp_path / "second.md").read_text(encoding="utf-8")
    history = text.split("| Date | Level |")[1]
    assert "No indicators" in history.split("\n\n")[0]


def test_control_sequences_from_the_questionnaire_are_shown_not_acted_on(tmp_path: Path) -> None:
    # An OSC 0 in the title would retitle the terminal; a CSI in a question could clear the
    # screen. Plain mode prints both as visible codes, and keeps its own colour codes.
    text = TOOL.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    text = text.replace(title, 'title: "Invented tool\\e]0;pwned\\a"', 1)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    hostile = _load(path)
    assert "\x1b]0;pwned\x07" in hostile.questionnaire.title
    for colour in (True, False):
        _, _, out = _run(hostile, [*DETAILS, "q"], colour=colour)
        assert "\x1b]" not in out and "\x07" not in out
        assert "Invented tool[U+001B]]0;pwned[U+0007]" in out
        assert ("\x1b[1;31m" in out) is colour


def test_child_ref_dash_is_read_from_stdin_not_the_command_line() -> None:
    # `--child-ref -` keeps the reference out of shell history and /proc/PID/cmdline.
    import subprocess
    import sys

    from cse_screen.store import Store

    argv = ["run", "--plain", "--child-ref", "-", "--practitioner", "Sam Example", "--role", "Tutor"]
    done = subprocess.run(
        [sys.executable, "-m", "cse_screen", *argv],
        input="INV-CR1\nq\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "How old is the child?" in done.stdout
    with Store.open() as store:
        (summary,) = store.list()
    assert summary.child_ref == "INV-CR1"


class _TakeoverInput(io.StringIO):
    """Typed lines; just before line ``at`` is read, another program takes the draft over."""

    def __init__(self, lines: Sequence[str], at: int, takeover: Callable[[], None]) -> None:
        super().__init__("".join(f"{x}\n" for x in lines))
        self.read_count, self.at, self.takeover = 0, at, takeover

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.read_count += 1
        if self.read_count == self.at:
            self.takeover()
        return super().readline(size)


def test_a_lost_lease_keeps_everything_as_a_new_draft_and_says_so(tool: LoadedQuestionnaire) -> None:
    # Issue 15: a paused plain-mode session could be taken over silently, and its later
    # answers were refused and dropped at quit. Now the takeover is said at once and
    # everything typed here lives on in a new draft; the other program's draft is untouched.
    from cse_screen.session.saving import SaveLink
    from cse_screen.store import Store

    link = SaveLink(None)
    other = Store.open()

    def takeover() -> None:
        sid = link.record_id
        assert sid is not None and link.autosaver is not None
        other._conn.execute(
            "UPDATE leases SET owner = 'other', pid = 1, host = 'elsewhere' WHERE screening_id = ?", (sid,)
        )
        link.autosaver.heartbeat()  # what the lease thread does every 30 s

    out = io.StringIO()
    lines = [*DETAILS, "14", "2", "2", "q"]  # details, age, danger no, [takeover], disclosure no
    wizard = PlainWizard(
        tool, input=_TakeoverInput(lines, 6, takeover), output=out, link=link, now=lambda: NOW
    )
    assert wizard.run() == 0
    text = out.getvalue()
    first_id = text.split("Saved as draft ")[1].split(":")[0]
    assert f"another program took draft {first_id} over" in text
    new_id = link.record_id
    assert new_id is not None and new_id != first_id and f"new draft, {new_id}" in text
    other.close()
    with Store.open() as store:
        old, new = store.load(first_id).screening, store.load(new_id).screening
    assert old.value("age") == 14 and old.value("disclosure") is None  # not written over
    assert (
        new.value("age") == 14 and new.value("immediate_danger") == "no" and new.value("disclosure") == "no"
    )


def test_a_judgement_below_the_floor_is_refused_before_the_reason_is_asked(tool: LoadedQuestionnaire) -> None:
    # Disclosure "yes" sets a floor of "significant"; "No indicators" is refused at once.
    lines = [
        *DETAILS,
        "14",
        "2",
        "1",
        "3",
        "3",
        "s",
        "",
        "Nothing of concern seen this term.",
        "",
        "y",
        "1",
        "",
    ]
    _wizard, code, out = _run(tool, lines)
    assert code == 0, out[-2000:]
    after = out.split("Level number")[1]
    assert "Not possible" in after
    assert "Why?" not in out.split("Level number")[1] + out.split("Level number")[2]


def test_choosing_the_suggested_level_records_no_judgement(tool: LoadedQuestionnaire) -> None:
    # The session's rule, as in the wizard: keeping the computed level is not a judgement, so a
    # report never says the level was "kept" for a reason typed for another level.
    lines = [
        *DETAILS,
        "14",
        "2",
        "1",
        "3",
        "3",
        "s",
        "",
        "Nothing of concern seen this term.",
        "",
        "y",
        "2",  # refused (below the floor)
        "4",  # Significant concern: the suggested level
        "",
    ]
    wizard, code, out = _run(tool, lines)
    assert code == 0, out[-2000:]
    assert "no judgement is recorded" in out
    assert "Why?" not in out.split("Level number")[-1]
    assert wizard.session.screening.judgement is None
    assert _same_as_engine(wizard).level == "significant"


def test_plain_mode_warns_about_a_full_name_like_the_wizard(tool: LoadedQuestionnaire) -> None:
    lines = ["Jamie Example", "n", *ALL_NO]
    _wizard, code, out = _run(tool, lines)
    assert code == 0, out[-2000:]
    assert "looks like a full name" in out
    assert out.count("Keep it anyway?") == 1  # "n": asked for the reference again
    assert _wizard.session.screening.meta.child_ref == "J.D. (invented)"
