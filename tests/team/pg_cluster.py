"""A throwaway PostgreSQL cluster for the team tests: real server, Unix socket only.

initdb refuses to run as root, so as root the cluster is made and run by the ``postgres``
system user (Debian's package creates it); otherwise by the current user. The cluster
listens on a socket in its own temporary folder (``listen_addresses=''``: no TCP port), uses
SCRAM passwords for every connection, and is stopped and removed at the end.

:func:`pg_cluster` is the session fixture (one cluster per test session and xdist worker),
registered in tests/conftest.py so that tests/team and tests/store share one cluster.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "invented-superuser-secret"  # a throwaway cluster's, never a real one
UNKNOWN_TRUSTED_USER = "no_such_person"


@dataclass(frozen=True)
class Cluster:
    """A running cluster: its socket folder and superuser credentials."""

    base: Path
    socket_dir: Path
    pgpass: Path

    def url(self, user: str = SUPERUSER, dbname: str = "postgres", password: str | None = None) -> str:
        """A libpq URL for ``user`` on the socket (a password only when given)."""
        auth = f"{user}:{password}" if password is not None else user
        return f"postgresql://{auth}@/{dbname}?host={self.socket_dir}"


def find_bin_dir() -> Path | None:
    """Debian's newest PostgreSQL server binaries, or ``None``."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_runner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start(bin_dir: Path) -> Cluster:
    """initdb in a new temporary folder and start the server; raises on failure."""
    base = Path(tempfile.mkdtemp(prefix="cse-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    pwfile = base / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        for path in (base, sock, pwfile):
            os.chown(path, pg.pw_uid, pg.pw_gid)
    os.chmod(base, 0o700)
    subprocess.run(
        _as_runner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "--auth",
                "scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale",
                "C",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    pwfile.unlink()
    # One user name the server trusts without a password, which no role has: with SCRAM the
    # server answers "password authentication failed" for unknown users too, so this is how a
    # test meets "role … does not exist" (as a desk with peer or certificate sign-in would).
    hba = data / "pg_hba.conf"
    hba.write_text(f"local all {UNKNOWN_TRUSTED_USER} trust\n" + hba.read_text())
    _pg_ctl_start(bin_dir, base)
    # Our own process reads the socket folder and the superuser's password from a pgpass file
    # (libpq's own mechanism), so the URLs the tests pass around carry no password.
    pgpass = Path(tempfile.mkdtemp(prefix="cse-pgpass-")) / "pgpass"
    pgpass.write_text(f"*:*:*:{SUPERUSER}:{SUPERUSER_PASSWORD}\n")
    pgpass.chmod(0o600)
    os.chmod(base, 0o711)  # root (the tests) must reach the socket inside
    return Cluster(base=base, socket_dir=sock, pgpass=pgpass)


def _pg_ctl_start(bin_dir: Path, base: Path) -> None:
    options = f"-c listen_addresses='' -c unix_socket_directories='{base / 'sock'}' -c fsync=off"
    subprocess.run(
        _as_runner(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(base / "data"),
                "-l",
                str(base / "log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )


def kill(cluster: Cluster) -> None:
    """Stop the server at once, as a crash or a lost network would (for the network-fault tests)."""
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    subprocess.run(
        _as_runner(
            [str(bin_dir / "pg_ctl"), "-D", str(cluster.base / "data"), "-m", "immediate", "-w", "stop"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )


def revive(cluster: Cluster) -> None:
    """Start the server again after :func:`kill` (it recovers from its own WAL)."""
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    _pg_ctl_start(bin_dir, cluster.base)


def stop(bin_dir: Path, cluster: Cluster) -> None:
    """Stop the server at once and remove its files."""
    subprocess.run(
        _as_runner(
            [str(bin_dir / "pg_ctl"), "-D", str(cluster.base / "data"), "-m", "immediate", "-w", "stop"]
        ),
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(cluster.base, ignore_errors=True)
    shutil.rmtree(cluster.pgpass.parent, ignore_errors=True)


def dbname_of(url: str) -> str:
    """The database name in one of this cluster's URLs."""
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(url)["dbname"])


def _install_postgresql() -> None:
    """Debian's package, when we may install it (root with apt-get); quietly does nothing otherwise."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-qq", "postgresql"]
    subprocess.run(cmd, env=env, capture_output=True, timeout=600)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A running cluster for the whole session, stopped and removed at the end."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _install_postgresql()
        bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = (
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin and could not be installed"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the team tests: .ci/run installs postgresql)")
        pytest.skip(f"{reason} — apt-get install postgresql to run the team tests")
    cluster = start(bin_dir)
    try:
        yield cluster
    finally:
        stop(bin_dir, cluster)
