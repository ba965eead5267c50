"""Uploads into the store, shared by the data page (upload → report → confirm) and
``POST /api/v1/imports`` (one call, optionally a dry run): the role check, type and size limits,
staging on disk, validation, the region-scope check and the audited import.

A file may only be imported by an admin, or by an editor when every region it holds lies inside
the editor's scope; otherwise nothing is stored and the answer names up to five offending codes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import HTTPException, UploadFile

from ronghe.errors import RongheError
from ronghe.store.store import ImportResult
from ronghe.web.auth import Principal
from ronghe.web.context import Platform
from ronghe.web.security import MAX_UPLOAD, UPLOAD_TYPES


class Unreadable(Exception):
    """The upload could not be read or validated (the message says where and why)."""


def require_importer(who: Principal) -> None:
    if not who.can_import:
        raise HTTPException(403, "your role cannot import data / 当前角色不能导入数据")


async def stage(p: Platform, who: Principal, file: UploadFile) -> Path:
    """Write the upload into a fresh staging folder, refusing other roles (403), other types
    (415) and files over ``MAX_UPLOAD`` (413)."""
    require_importer(who)
    name = Path(file.filename or "").name
    if Path(name).suffix.lower() not in UPLOAD_TYPES:
        raise HTTPException(415, "only .csv, .xlsx and .parquet files / 仅支持 CSV、XLSX、Parquet")
    path = Path(tempfile.mkdtemp(dir=p.staging)) / name
    size = 0
    with path.open("wb") as out:
        while chunk := await file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise HTTPException(413, "file larger than 20 MB / 文件超过 20 MB")
            out.write(chunk)
    return path


def check(p: Platform, who: Principal, path: Path, source: str) -> ImportResult:
    """The dry-run import of a staged file (its validation report), after the scope check.

    Raises :class:`Unreadable` for a file that cannot be read, HTTP 403 for regions outside the
    caller's scope."""
    try:
        preview = p.store.import_file(path, dry_run=True, source=source, user=who.username)
        outside = _outside(p, who, path)
    except RongheError as exc:
        raise Unreadable(str(exc)) from None
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
