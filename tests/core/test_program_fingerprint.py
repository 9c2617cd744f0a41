"""The program's fingerprint (the cache's key beside the file's SHA-256) changes with every
program file, so the cache never serves what an older program made."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cse_screen.questionnaire import cache


def _walk(root: Path) -> str:
    h = hashlib.sha256()
    cache._add_files(h, str(root), "")
    return h.hexdigest()


def _as_os_walk(root: Path) -> str:
    """The fingerprint's files as it listed them before (os.walk, os.path.relpath)."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for file in sorted(files):
            if file.endswith((".py", ".yaml", ".yml", ".json", ".j2", ".html", ".css", ".tcss")):
                full = os.path.join(folder, file)
                st = os.stat(full)
                h.update(f"{os.path.relpath(full, root)}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _program(root: Path) -> Path:
    for name in ("a.py", "b/c.py", "b/d/e.tcss", "b/z.yaml", "notes.txt", "b/__pycache__/c.cpython-311.pyc"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")
    return root


def test_the_files_are_listed_as_before(tmp_path: Path) -> None:
    root = _program(tmp_path / "pkg")
    assert _walk(root) == _as_os_walk(root)
    package = Path(cache.__file__).parent.parent
    assert _walk(package) == _as_os_walk(package)


def test_any_change_to_a_program_file_changes_it(tmp_path: Path) -> None:
    root = _program(tmp_path / "pkg")
    seen = {_walk(root)}
    nested = root / "b" / "d" / "e.tcss"
    os.utime(nested, ns=(10**18, 10**18))  # edited in place, same size
    seen.add(_walk(root))
    nested.write_text("longer now", encoding="utf-8")
    seen.add(_walk(root))
    (root / "b" / "new.py").write_text("", encoding="utf-8")  # a module added
    seen.add(_walk(root))
    (root / "a.py").rename(root / "b" / "a.py")  # a module moved
    seen.add(_walk(root))
    assert len(seen) == 5


def test_bytecode_and_other_files_do_not_change_it(tmp_path: Path) -> None:
    root = _program(tmp_path / "pkg")
    before = _walk(root)
    (root / "b" / "__pycache__" / "c.cpython-311.pyc").write_bytes(b"recompiled")
    (root / "notes.txt").write_text("edited", encoding="utf-8")
    assert _walk(root) == before
