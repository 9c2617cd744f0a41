"""The throwaway cluster itself: a real server, reachable only through its Unix socket."""

from __future__ import annotations

import psycopg
from pg_cluster import Cluster


def test_cluster_is_real_and_listens_on_a_socket_only(pg_cluster: Cluster, team_db: str) -> None:
    with psycopg.connect(team_db) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()
        sockets = conn.execute("SHOW unix_socket_directories").fetchone()
        version = conn.execute("SHOW server_version_num").fetchone()
    assert listen == ("",)  # no TCP port at all
    assert sockets == (str(pg_cluster.socket_dir),)
    assert version is not None and int(str(version[0])) >= 130000  # gen_random_uuid in core


def test_passwords_are_checked(pg_cluster: Cluster) -> None:
    # SCRAM for every connection: the refused-password tests below rely on it.
    try:
        psycopg.connect(pg_cluster.url(password="not-the-password")).close()
    except psycopg.OperationalError as error:
        assert "password authentication failed" in str(error)
    else:
        raise AssertionError("a wrong password was accepted")
