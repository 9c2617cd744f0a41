"""`team init` upgrades a version-1 team database in place, keeping its rows and its rules."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store
from cse_screen.team.schema import SCHEMA_VERSION, init_schema, schema_version

V1_SQL = Path(__file__).with_name("schema_v1.sql")  # exactly what cse-screen wrote as version 1
PASSWORD = "invented-upgrade-password"


def _tool() -> LoadedQuestionnaire:
    return LoadedQuestionnaire.from_model(
        Questionnaire.model_validate(
            {
                "id": "upgrade-test",
                "title": "Upgrade test",
                "version": "1",
                "option_sets": {
                    "yn": [{"id": "yes", "label": "Yes", "weight": 1}, {"id": "no", "label": "No"}]
                },
                "sections": [
                    {
                        "id": "m",
                        "title": "M",
                        "questions": [{"id": "q", "type": "single", "text": "Q?", "options": "yn"}],
                    }
                ],
                "levels": [
                    {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
                    {"id": "low", "label": "Low", "next_steps": ["Share with the DSL."]},
                ],
                "rules": [],
                "scoring": {"bands": [{"min": 0, "max": 0, "level": "none"}, {"min": 1, "level": "low"}]},
                "final_line": "If you are worried, tell your DSL.",
            }
        )
    )


def test_a_version_1_database_is_upgraded_with_its_rows_and_rules(
    team_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"upg_{team_db.rsplit('/', 1)[1].split('?')[0]}"
    with psycopg.connect(team_db) as conn:
        with conn.transaction():
            conn.execute(V1_SQL.read_text(encoding="utf-8").encode())
        assert schema_version(conn) == 1
        conn.execute(
            "SELECT cse_screen.add_person(%s, 'practitioner', 'north')", (name,)
        )  # v1's own function, before the upgrade
        conn.execute(f"ALTER ROLE \"{name}\" PASSWORD '{PASSWORD}'")
        conn.commit()
    person = team_db.replace("postgres@", f"{name}@", 1)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:{name}:{PASSWORD}\n" + Path(os.environ["PGPASSFILE"]).read_text())
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with psycopg.connect(person, autocommit=True) as conn:
        old = conn.execute(
            "INSERT INTO cse_screen.screenings (setting_id, content) VALUES ('north', 'v1 row') RETURNING id"
        ).fetchone()
        assert old is not None
        conn.execute(
            "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind)"
            " VALUES (%s, 'north', 1, 'created')",
            (old[0],),
        )
    with psycopg.connect(team_db) as conn:
        assert init_schema(conn) == (1, SCHEMA_VERSION)
        conn.commit()
    with psycopg.connect(person, autocommit=True) as conn:
        rows = conn.execute("SELECT id, content FROM cse_screen.screenings").fetchall()
        assert rows == [(str(old[0]), b"v1 row")]
        assert conn.execute("SELECT count(*) FROM cse_screen.events").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM cse_screen.events")
    with Store.open(database_url=person) as store:
        sid = store.create(_tool(), ScreeningMeta(child_ref="UP-1"), "t")
        store.record_answer(sid, "q", Answer(value="yes"), "t")
        assert store.load(sid).screening.value("q") == "yes"
        assert {s.id for s in store.list()} == {sid}  # the v1 row has no questionnaire: not a screening
