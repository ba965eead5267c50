"""``ronghe db init|status|export``, ``ronghe import FILES...`` and ``ronghe regions
harmonize|crosswalk``.

The lead mounts ``db_app`` as ``ronghe db``, ``regions_app`` as ``ronghe regions`` and
:func:`import_files` as ``ronghe import``. Every error ronghe raises on purpose becomes one line on
stderr and exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from ronghe.errors import RongheError

if TYPE_CHECKING:
    import pandas as pd

db_app = typer.Typer(help="专题数据库 Thematic database: init, status, export.",
                     no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
regions_app = typer.Typer(help="行政区划 Division codes: crosswalks and harmonised panels.",
                          no_args_is_help=True, pretty_exceptions_enable=False,
                          add_completion=False)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[str, typer.Option(
    "--db", help="数据库 DuckDB file or postgresql+psycopg:// URL")]
F = TypeVar("F", bound=Callable[..., None])


def one_line_errors(func: F) -> F:
    """Print a RongheError as one line on stderr and exit 1 (no traceback)."""

    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            func(*args, **kwargs)
        except RongheError as exc:
            err.print(f"错误 error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@db_app.command("init")
@one_line_errors
def init(db: DbOption = "ronghe.duckdb") -> None:
    """初始化 Create or upgrade the database and load division codes and the catalogue."""
    from ronghe.store import Store

    store = Store(db)
    store.init()
    for line in store.status().lines():
        out.print(line, markup=False)


@db_app.command("status")
@one_line_errors
def status(db: DbOption = "ronghe.duckdb") -> None:
    """状态 Show what the database holds: schema revision, batches, values, years."""
    from ronghe.store import Store

    store = Store(db)
    for line in store.status().lines():
        out.print(line, markup=False)
    if store.revision() is not None:
        from ronghe.store.store import SYNTHETIC_SOURCE

        batches = store.batches()
        if (batches["source"].fillna("") == SYNTHETIC_SOURCE).any():  # as the panel it yields
            out.print("合成数据：库中有合成演示批次，读出的面板标为合成数据，不是真实统计 / synthetic: "
                      "the database holds synthetic demo batches; its panel is marked synthetic, "
                      "not statistics", markup=False)
        for b in batches.tail(10).itertuples(index=False):
            out.print(f"  #{b.id} {utc_second(b.imported_at)} {b.file_name}: {b.n_values} 值 "
                      f"values, {b.n_rejected} 拒绝 rejected, {b.n_superseded} 替换 superseded"
                      + (f" — {b.source}" if b.source else ""), markup=False)


def utc_second(at: object) -> str:
    """A stored time (naive UTC, see :mod:`ronghe.store`) to the second with its zone stated:
    ``2026-12-05 06:40:12 UTC``; an empty value shows as ``-``."""
    import pandas as pd

    stamp = pd.Timestamp(at)
    if pd.isna(stamp):
        return "-"
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return f"{stamp:%Y-%m-%d %H:%M:%S} UTC"


@db_app.command("export")
@one_line_errors
def export(
    path: Annotated[Path, typer.Argument(help="输出文件 output file (.csv, .xlsx, .parquet)")],
    db: DbOption = "ronghe.duckdb",
    wide: Annotated[bool, typer.Option(help="宽表 one column per variable")] = False,
) -> None:
    """导出 Export current values (long form with provenance, or --wide)."""
    from ronghe.report.tables import TABLE_SUFFIXES, write_table
    from ronghe.store import Store

    if path.suffix.lower() not in TABLE_SUFFIXES:  # before reading the whole store
        raise RongheError(f"{path}: export file must end in .csv, .xlsx or .parquet / "
                          "导出文件须为 .csv、.xlsx 或 .parquet")
    written = write_table(path, Store(db).export_frame(wide=wide))
    out.print(f"已写入 written: {written}", markup=False)


@one_line_errors
def import_files(
    files: Annotated[list[Path], typer.Argument(help="年鉴文件 yearbook files (CSV, XLSX, Parquet)")],
    db: DbOption = "ronghe.duckdb",
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="只检查不写入 validate and report, write nothing")] = False,
    source: Annotated[str, typer.Option(help="来源说明 source note stored with the batch")] = "",
    report: Annotated[Path | None, typer.Option(
        help="校验报告 write the validation report (.csv or .xlsx)")] = None,
    layout: Annotated[str, typer.Option(
        help="auto, long, per-year (一年一表), per-variable (一指标一表) or variable-year "
             "(一表多指标多年, two header rows)")] = "auto",
    mapping: Annotated[list[str] | None, typer.Option(
        help="列映射 column mapping: a YAML file or a built-in id (census-2010, census-2020); "
             "once for all files or once per file")] = None,
) -> None:
    """导入 Import yearbook files: clean, validate, store (all files or none)."""
    from ronghe.ingest import ValidationReport
    from ronghe.store import Store

    store = Store(db)
    paths: list[str | Path] = list(files)
    results = store.import_files(paths, layout=layout, source=source, dry_run=dry_run,
                                 mappings=mapping)
    combined = ValidationReport()
    for r in results:
        combined = combined + r.report
        state = {"imported": "已导入 imported", "unchanged": "未变化 unchanged (same file)",
                 "dry-run": "试运行 dry run"}[r.status]
        out.print(f"{r.file}: {state}; {r.n_values} 值 values ({r.layout or '-'}), "
                  f"{r.report.count('error')} 拒绝 rejected, {r.report.count('missing')} 缺失 "
                  f"missing, {r.report.count('warning')} 警告 warnings, {r.n_superseded} 替换 "
                  "superseded", markup=False)
    for line in combined.lines(severities=("error", "warning")):
        out.print("  " + line, markup=False)
    for line in combined.totals_lines():
        out.print("  校核 check: " + line, markup=False)
    if report is not None:
        out.print(f"校验报告 report: {combined.write(report)}", markup=False)


@regions_app.callback()
def regions_group() -> None:
    """行政区划 Division codes: crosswalks and harmonised panels."""


@regions_app.command("harmonize")
@one_line_errors
def harmonize_cmd(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="输出文件 output panel file")],
    vintage: Annotated[int, typer.Option(help="目标区划年份 target code vintage")] = 2023,
    source_vintage: Annotated[int | None, typer.Option(
        "--source-vintage", help="数据所用区划年份 code vintage of the data (default: each "
                                 "year's own)")] = None,
    transfers: Annotated[str, typer.Option(
        help="部分划转 partial transfers: merge (comparable units) or ignore")] = "merge",
    units: Annotated[Path | None, typer.Option(
        help="对照表输出 write how each code was mapped (.csv, .xlsx or .parquet)")] = None,
    db: DbOption = "ronghe.duckdb",
) -> None:
    """统一区划 Map the stored panel onto one vintage of division codes (renames, merges, splits as
    comparable units; merge rules from the catalogue) and write it (.csv, .xlsx or .parquet)."""
    from ronghe.regions.harmonize import harmonize, unit_map
    from ronghe.store import Store

    store = Store(db)
    stored = store.panel()
    panel = harmonize(stored, vintage, store.catalogue(), source=source_vintage,
                      transfers=transfers)
    frame = panel.data.reset_index()
    _write_table(frame, out_path)
    out.print(f"已写入 written: {out_path} ({len(frame)} 行 rows, vintage {vintage})",
              markup=False)
    if units is not None:
        codes = stored.data.reset_index().groupby("year")["region"].agg(list).to_dict()
        mapping = unit_map(codes, vintage, source=source_vintage, transfers=transfers)
        _write_table(mapping, units)
        out.print(f"对照表 units: {units} ({len(mapping)} 行 rows)", markup=False)


@regions_app.command("crosswalk")
@one_line_errors
def crosswalk_cmd(
    source: Annotated[int, typer.Argument(help="源区划年份 source vintage")],
    target: Annotated[int, typer.Argument(help="目标区划年份 target vintage")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="输出文件 output file")],
    transfers: Annotated[str, typer.Option(
        help="部分划转 partial transfers: merge (comparable units) or ignore")] = "merge",
) -> None:
    """区划对照 Write the crosswalk between the codes of two years (every row names its source)."""
    from ronghe.regions.crosswalk import crosswalk

    table = crosswalk(source, target, transfers=transfers)
    _write_table(table, out_path)
    changed = int((table["kind"] != "same").sum())
    out.print(f"已写入 written: {out_path} ({len(table)} 行 rows, {changed} 变更 changed)",
              markup=False)


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        raise RongheError("output must end in .csv, .xlsx or .parquet / 输出须为 .csv、.xlsx 或 "
                          ".parquet")
