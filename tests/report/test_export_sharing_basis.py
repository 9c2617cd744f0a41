"""The basis for sharing chosen at export: in every report format, in the record, and the
rules for the words recorded (the one export both front ends use). The child is invented.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from cse_screen.bundled import bundled_path
from cse_screen.errors import UserError
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Screening, ScreeningMeta
from cse_screen.session import WizardSession
from cse_screen.session.export import (
    SHARING_BASES,
    ReportExists,
    export_report,
    free_report_path,
    saved_message,
    sharing_basis,
    sharing_choice,
)
from cse_screen.session.saving import SaveLink

META = ScreeningMeta(child_ref="SB-02", practitioner="Kim Example")
CONSENT = sharing_basis("consent")


def _session() -> WizardSession:
    loaded = load_questionnaire(bundled_path("cse-screening"))
    return WizardSession(loaded, Screening(questionnaire_id=loaded.questionnaire.id, meta=META))


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "json"])
def test_the_basis_is_in_every_report_format(tmp_path: Path, fmt: str) -> None:
    written = export_report(_session(), fmt, tmp_path / f"r.{fmt}", basis=CONSENT, shared_with="Pat Lead")
    text = _text(written)
    if fmt == "json":
        assert json.loads(text)["details"]["sharing_basis"] == CONSENT
    else:
        assert "Basis for sharing" in text
        # The PDF may break the line; the words are all there, in order.
        assert " ".join(CONSENT.split()) in " ".join(
            text.replace("&#x27;", "'").replace("&#39;", "'").split()
        )


def test_the_basis_is_recorded_with_the_export(tmp_path: Path) -> None:
    session = _session()
    link = SaveLink(None)
    link.create(session.loaded, META)
    export_report(session, "md", tmp_path / "r.md", basis=sharing_basis("safeguarding"), link=link)
    export_report(session, "md", tmp_path / "s.md", link=link)  # none chosen: recorded as none
    assert link.store is not None and link.record_id is not None
    exports = link.store.exports(link.record_id)
    assert [x.sharing_basis for x in exports] == [SHARING_BASES[0][1], ""]
    [event, _] = [e for e in link.store.events(link.record_id) if e.kind == "export"]
    assert event.new is not None and event.new["sharing_basis"] == SHARING_BASES[0][1]
    link.store.close()


def test_other_needs_a_reason_and_the_words_go_back_to_the_choice() -> None:
    with pytest.raises(UserError, match="say on what basis"):
        sharing_basis("other", "   ")
    recorded = sharing_basis("other", "  Court   order ")
    assert recorded == "Other: Court order"
    assert sharing_choice(recorded) == ("other", "Court order")
    assert sharing_choice(CONSENT) == ("consent", "")
    assert sharing_choice("") == (None, "")
    assert sharing_choice("Typed in an answers file") == ("other", "Typed in an answers file")
    assert sharing_basis(None) == sharing_basis("") == ""
    with pytest.raises(UserError):
        sharing_basis("whim")


def test_a_file_already_there_is_kept_unless_replace_is_said(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("older\n", encoding="utf-8")
    with pytest.raises(ReportExists) as caught:
        export_report(_session(), "md", target)
    assert caught.value.path == target
    assert "-o" not in str(caught.value).split() and "--force" not in str(caught.value)
    assert target.read_text(encoding="utf-8") == "older\n"
    export_report(_session(), "md", target, replace=True)
    assert "SB-02" in target.read_text(encoding="utf-8")


def test_a_free_name_skips_taken_names_and_their_encrypted_copies(tmp_path: Path) -> None:
    (tmp_path / "r.md").touch()
    (tmp_path / "r-2.md.age").touch()
    assert free_report_path(tmp_path / "r.md") == tmp_path / "r-3.md"
    assert free_report_path(tmp_path / "new.md") == tmp_path / "new.md"
    assert free_report_path(tmp_path / "r.md.age") == tmp_path / "r-3.md"


def test_the_saved_message_says_the_folder_and_the_name() -> None:
    said = saved_message(Path("/reports/school/r.md"))
    assert said == "Report saved in the folder /reports/school, as r.md."
    assert "only your DSL can open it" in saved_message(Path("/reports/r.md.age"))


def test_show_and_the_chronology_say_the_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cse_screen.cli import main

    session = _session()
    link = SaveLink(None)
    link.create(session.loaded, META)
    export_report(session, "md", tmp_path / "r.md", basis=CONSENT, shared_with="Pat Lead", link=link)
    record_id = link.record_id
    assert link.store is not None and record_id is not None
    link.close()
    link.store.close()
    capsys.readouterr()
    assert main(["show", record_id]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert f"shared with Pat Lead, basis: {CONSENT}" in shown
    assert main(["show", record_id, "--json"]) == 0
    [export] = json.loads(capsys.readouterr().out)["exports"]
    assert export["sharing_basis"] == CONSENT
    assert main(["child", "SB-02", "--json"]) == 0
    assert f"(basis: {CONSENT})" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "json"])
def test_an_other_reason_is_flagged_beside_it_in_every_format(tmp_path: Path, fmt: str) -> None:
    # The reason is the practitioner's own words: every report flags a listed phrase beside
    # its text, as for notes and the judgement's reason.
    basis = sharing_basis("other", "Police asked; her lifestyle choice")
    written = export_report(_session(), fmt, tmp_path / f"r.{fmt}", basis=basis)
    text = _text(written)
    if fmt == "json":
        details = json.loads(text)["details"]
        assert details["sharing_basis"] == basis
        assert [n["matched"] for n in details["sharing_basis_language"]] == ["lifestyle choice"]
        return
    flat = " ".join(text.replace("&#x27;", "'").split())
    assert flat.index(basis) < flat.index("“lifestyle choice”") < flat.index("Local contacts")
    assert "a constrained choice" in flat


def test_a_minimised_copy_hides_names_in_an_other_reason(tmp_path: Path) -> None:
    from cse_screen.report import build_report, render
    from cse_screen.scoring import evaluate

    session = _session()
    meta = META.model_copy(update={"sharing_basis": sharing_basis("other", "Asked by SB-02's aunt, Jo Ray")})
    screening = session.screening.model_copy(update={"meta": meta})
    result = evaluate(session.loaded.questionnaire, screening)
    doc = build_report(session.loaded, screening, result, redact=True, redact_names=["Jo Ray"])
    text = str(render(doc, "md"))
    assert "Jo Ray" not in text and "SB-02" not in text
    assert doc.details.sharing_basis == "Other: Asked by [child]'s aunt, [name 1]"
