"""Uploads into the store, shared by the data page (upload → report → confirm) and
``POST /api/v1/imports`` (one call, optionally a dry run): the role check, type and size limits,
staging on disk, validation, the region-scope check and the audited import.

A file may only be imported by an admin, or by an editor when every region it holds lies inside
the editor's scope; otherwise nothing is stored and the answer names up to five offending codes.

Staged files do not outlive their use: each upload gets its own folder under the process's
staging folder, deleted when the upload is refused or unreadable, when it is imported, and (for
the data page's preview) when it is not confirmed within ``STAGED_TTL`` seconds (swept at the next
upload). A process's staging folder holds a file naming its process id; at start-up
:func:`staging_root` deletes the folders of processes that no longer run (a worker killed with
kill -9 leaves its uploads behind). An uploaded file name keeps its suffix and at most
``MAX_NAME_BYTES`` bytes of its stem (control characters removed), since the name is recorded as
the batch's file name and file systems refuse names over 255 bytes.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from fastapi import HTTPException, UploadFile

from ronghe.errors import RongheError
from ronghe.store.store import ImportResult
from ronghe.web.auth import Principal
from ronghe.web.context import Platform
from ronghe.web.security import MAX_UPLOAD, UPLOAD_TYPES

STAGING_PREFIX = "ronghe-up-"
OWNER = "owner.pid"
STAGED_TTL = 3600.0  # seconds a previewed upload waits for its confirmation
MAX_NAME_BYTES = 120


class Unreadable(Exception):
    """The upload could not be read or validated (the message says where and why)."""


def require_importer(who: Principal) -> None:
    if not who.can_import:
        raise HTTPException(403, "your role cannot import data / 当前角色不能导入数据")


async def stage(p: Platform, who: Principal, file: UploadFile) -> Path:
    """Write the upload into a fresh staging folder, refusing other roles (403), other types
    (415) and files over ``MAX_UPLOAD`` (413)."""
    require_importer(who)
    name = safe_name(file.filename or "")
    if Path(name).suffix.lower() not in UPLOAD_TYPES:
        raise HTTPException(415, "only .csv, .xlsx and .parquet files / 仅支持 CSV、XLSX、Parquet")
    path = Path(tempfile.mkdtemp(dir=p.staging)) / name
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise HTTPException(413, "file larger than 20 MB / 文件超过 20 MB")
                out.write(chunk)
    except BaseException:
        discard(path)
        raise
    return path


def safe_name(filename: str) -> str:
    """The base name of an uploaded file without control characters, its stem cut to at most
    ``MAX_NAME_BYTES`` bytes of UTF-8 (whole characters) and its suffix kept."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", Path(filename.replace("\\", "/")).name)
    path = Path(name)
    stem = path.stem.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore")
    suffix = path.suffix if len(path.suffix.encode("utf-8")) <= 16 else ""
    return (stem or "upload") + suffix


def discard(path: Path) -> None:
    """Delete a staged upload's folder."""
    shutil.rmtree(path.parent, ignore_errors=True)


def keep(p: Platform, who: Principal, path: Path, source: str) -> str:
    """Keep a previewed upload for its confirmation; returns the key the form carries. Previews
    older than ``STAGED_TTL`` seconds are deleted on the way."""
    now = time.monotonic()
    for key, staged in list(p.staged.items()):
        if now - staged["at"] > STAGED_TTL and p.staged.pop(key, None) is not None:
            discard(staged["path"])
    key = secrets.token_urlsafe(16)
    p.staged[key] = {"path": path, "user": who.id, "source": source, "at": now}
    return key


def staging_root() -> Path:
    """A new staging folder for this process, after deleting those of processes that no longer
    run (see module docstring)."""
    for old in Path(tempfile.gettempdir()).glob(STAGING_PREFIX + "*"):
        try:
            pid = int((old / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge (no owner file: an older version, or being created)
        if not _running(pid):
            shutil.rmtree(old, ignore_errors=True)
    root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    (root / OWNER).write_text(str(os.getpid()))
    return root


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def check(p: Platform, who: Principal, path: Path, source: str) -> ImportResult:
    """The dry-run import of a staged file (its validation report), after the scope check.

    Raises :class:`Unreadable` for a file that cannot be read, HTTP 403 for regions outside the
    caller's scope."""
    try:
        preview = p.store.import_file(path, dry_run=True, source=source, user=who.username)
        outside = _outside(p, who, path)
    except RongheError as exc:  # the message names the file, never the server's staging folder
        raise Unreadable(str(exc).replace(f"{path.parent}{os.sep}", "")) from None
    if outside:
        raise HTTPException(403, f"the file holds regions outside your scope: "
                                 f"{', '.join(outside[:5])} / 文件包含无权编辑的地区")
    return preview


def commit(p: Platform, who: Principal, path: Path, source: str, ip: str) -> ImportResult:
    """Import a staged file (scope checked again: assignments may have changed since the upload),
    refresh the results and write the audit entry."""
    require_importer(who)
    outside = _outside(p, who, path)
    if outside:
        raise HTTPException(403, f"the file holds regions outside your scope: "
                                 f"{', '.join(outside[:5])} / 文件包含无权编辑的地区")
    done = p.store.import_file(path, source=source, user=who.username)
    p.analysis.invalidate()
    p.accounts.audit(who.username, "import", done.file,
                     f"{done.status}; batch {done.batch_id}; {done.n_values} values; "
                     f"{done.n_superseded} superseded", ip)
    return done


def _outside(p: Platform, who: Principal, path: Path) -> list[str]:
    """Region codes in the file the caller may not edit."""
    from ronghe.ingest import read_file

    got = read_file(path, catalogue=p.store.catalogue(), regions=p.accounts.regions)
    codes = sorted(set(got.values["region"].astype(str)))
    return [c for c in codes if not who.can_write(c)]
