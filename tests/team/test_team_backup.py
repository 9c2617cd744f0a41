"""The README's backup advice works: pg_dump and pg_restore keep the rows AND the rules."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster, dbname_of, find_bin_dir

from cse_screen.team.schema import add_person, init_schema


def test_a_pg_dump_restores_with_its_row_security_and_append_only_trail(
    pg_cluster: Cluster, team_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    name = f"b{os.getpid()}_{dbname_of(team_db)}"
    with psycopg.connect(team_db) as conn:
        init_schema(conn)
        add_person(conn, name, "practitioner", "north")
        with conn.transaction():
            conn.execute(f"ALTER ROLE \"{name}\" PASSWORD 'invented-pw'")
            conn.execute(f'SET ROLE "{name}"')
            sid = conn.execute(
                "INSERT INTO cse_screen.screenings (setting_id, content) VALUES ('north', 'x') RETURNING id"
            ).fetchone()
            assert sid is not None
            conn.execute(
                "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind) "
                "VALUES (%s, 'north', 1, 'answer')",
                (sid[0],),
            )
            conn.execute("RESET ROLE")
            # Someone else's screening in another setting, which the restored rules must still hide.
            conn.execute("INSERT INTO cse_screen.settings (id) VALUES ('south')")
            conn.execute("INSERT INTO cse_screen.screenings (setting_id, owner) VALUES ('south', 'postgres')")
    dump = tmp_path / "team.dump"
    src = dbname_of(team_db)
    subprocess.run(
        [
            str(bin_dir / "pg_dump"),
            "-Fc",
            "-f",
            str(dump),
            "-h",
            str(pg_cluster.socket_dir),
            "-U",
            "postgres",
            src,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    restored = src + "_restored"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [
                str(bin_dir / "pg_restore"),
                "-h",
                str(pg_cluster.socket_dir),
                "-U",
                "postgres",
                "-d",
                restored,
                str(dump),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        url = pg_cluster.url(user=name, dbname=restored)
        with psycopg.connect(url, password="invented-pw", autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM cse_screen.screenings").fetchone() == (1,)
            assert conn.execute("SELECT count(*) FROM cse_screen.events").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM cse_screen.events")
        with psycopg.connect(pg_cluster.url(dbname=restored), autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM cse_screen.screenings").fetchone() == (2,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute("UPDATE cse_screen.events SET kind = 'other'")
    finally:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{restored}" WITH (FORCE)')
