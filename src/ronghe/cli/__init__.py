"""Command line: ``ronghe evaluate``, ``ronghe demo``, ``ronghe frameworks`` ...

Every error ronghe raises on purpose is printed as one line on stderr with exit code 1; no traceback.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ronghe.cli import analyze, db, frameworks, planning, text
from ronghe.cli.diagnose import diagnose_command
from ronghe.cli.report import report
from ronghe.cli.serve import serve_command
from ronghe.cli.template import template_command
from ronghe.errors import RongheError

app = typer.Typer(
    help="ronghe 融合: 城乡融合测度、诊断与规划 / measure, diagnose and plan "
    "urban-rural integration.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(frameworks.app, name="frameworks")
app.add_typer(text.app, name="text")
app.add_typer(analyze.app, name="analyze")
app.add_typer(db.db_app, name="db")
app.add_typer(db.regions_app, name="regions")
app.command("import")(db.import_files)
app.command("diagnose")(diagnose_command)
app.command("report")(report)
app.command("serve")(serve_command)
app.command("template")(template_command)
planning.register(app)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _progress(status: Any) -> Callable[[str], None]:
    from ronghe.cli.common import progress

    return progress(status)


@app.command()
def evaluate(
    data: Annotated[
        Path | None,
        typer.Argument(help="面板数据 panel file (CSV, XLSX, Parquet; long or wide); a folder of "
                            "Parquet files or a DuckDB file (its --table) is evaluated out of "
                            "core, partition by partition"),
    ] = None,
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="输出工作簿 output workbook (out of core: a "
                                               "folder of Parquet tables)")
    ] = Path("results.xlsx"),
    framework: Annotated[str | None, typer.Option(help="指标框架 framework id or YAML")] = None,
    settings: Annotated[Path | None, typer.Option(help="设置文件 settings YAML")] = None,
    layout: Annotated[str, typer.Option(help="auto, long or wide")] = "auto",
    db_url: Annotated[
        str | None,
        typer.Option("--db", help="从专题数据库读取面板 read the panel from a store (file or URL); "
                                  "out of core when it holds more region-years than "
                                  "--partition-rows"),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(help="DuckDB 文件中的宽表 the table of the DuckDB file DATA (columns region, "
                          "year, optional name and province, one per variable; default: its only "
                          "table)"),
    ] = None,
    partition_rows: Annotated[
        int | None,
        typer.Option("--partition-rows", help="每个分区的地区-年数 region-years per partition of a "
                                              "DuckDB table or a store (default 200,000)"),
    ] = None,
    demo_data: Annotated[
        bool, typer.Option("--demo", help="使用合成演示面板 use the synthetic demo panel")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="分布式调度器 Dask scheduler address (tcp://host:8786, or 'local') for "
                          "the out-of-core path; every worker must see the folder, DuckDB file "
                          "or store under the same path (a DuckDB file is opened read only, "
                          "which many processes may do at once, not while one writes to it)"),
    ] = None,
    headers: Annotated[
        str, typer.Option(help="表头 zh（中文，默认）或 codes（列代码，供程序读取）/ sheet headers: "
                               "zh (Chinese, default) or codes (column codes, for scripts)")
    ] = "zh",
) -> None:
    """评价 Evaluate a panel: index, weights, coupling coordination, obstacles -> Excel."""
    from ronghe.chain import sources
    from ronghe.errors import InputError
    from ronghe.panel import read_panel
    from ronghe.study import Study

    if headers not in ("zh", "codes"):
        raise InputError(f"--headers 须为 zh 或 codes / --headers must be zh or codes, got "
                         f"{headers!r}")
    if sum([data is not None, db_url is not None, demo_data]) != 1:
        raise InputError("请给出且只给出一种数据 / give exactly one of a panel file, --db or --demo")
    duckdb_file = data is not None and data.is_file() and _is_duckdb(data)
    if table is not None and not duckdb_file:
        raise InputError("--table 须配合 DuckDB 文件 / --table needs a DuckDB file as the panel")
    if partition_rows is not None and not (duckdb_file or db_url is not None):
        raise InputError("--partition-rows 须配合 DuckDB 表或 --db / --partition-rows needs a "
                         "DuckDB file or --db (a Parquet folder is cut by its files)")
    if data is not None and data.is_dir():
        _evaluate_out_of_core(sources.ParquetFolder(data), out_path, framework, settings,
                              scheduler)
        return
    if data is not None and duckdb_file:
        _evaluate_out_of_core(sources.DuckDBTable(data, table, partition_rows), out_path,
                              framework, settings, scheduler)
        return
    if db_url is not None:
        from ronghe.store import Store

        store = Store(db_url)
        rows = sources.partition_rows(partition_rows)
        if scheduler is not None or len(store.spans(rows=rows)[1]) > 1:
            store.close()  # the partitions open it themselves, read only
            _evaluate_out_of_core(sources.StoreSource(db_url, partition_rows), out_path,
                                  framework, settings, scheduler)
            store.save_run(_settings_yaml(framework, settings),
                           note=f"evaluate out of core -> {out_path.with_suffix('').name}/")
            return
    if scheduler is not None:
        raise InputError("--scheduler 须配合分区数据 / --scheduler needs a folder of Parquet files, "
                         "a DuckDB table or --db")
    if demo_data:
        from ronghe.cli.common import study_from

        study = study_from(None, True, framework, settings)
    elif db_url is not None:
        study = Study(store.panel(), framework, settings)
    else:
        assert data is not None  # exactly one source, checked above
        study = Study(read_panel(data, layout=layout), framework, settings)
    with err.status("计算 running") as status:
        result = study.evaluate(progress=_progress(status))
        path = result.to_excel(out_path, headers="codes" if headers == "codes" else "zh")
    if db_url is not None:
        store.save_run(result.settings.to_yaml(), note=f"evaluate -> {path.name}")
    out.print(f"已写入 written: {path}  ({result!r})")
    for zh, en in zip(result.audit.messages("zh"), result.audit.messages("en"), strict=True):
        err.print(f"{zh}\n{en}", markup=False)


def _is_duckdb(path: Path) -> bool:
    """A DuckDB database file (its header says so; the suffix is not required)."""
    with path.open("rb") as f:
        return f.read(12)[8:12] == b"DUCK"


def _settings_yaml(framework: str | None, settings: Path | None) -> str:
    from ronghe.settings import Settings

    s = Settings.load(settings) if settings is not None else Settings()
    return (s.model_copy(update={"framework": framework}) if framework else s).to_yaml()


def _evaluate_out_of_core(source: Any, out_path: Path, framework: str | None,
                          settings: Path | None, scheduler: str | None) -> None:
    """The out-of-core chain over the partitions of ``source`` (:mod:`ronghe.chain.sources`,
    :mod:`ronghe.chain.partitioned`), on a Dask cluster when ``scheduler`` is given; the tables go
    to a folder of Parquet files."""
    from ronghe.settings import Settings

    s = Settings.load(settings) if settings is not None else None
    out_dir = out_path.with_suffix("") if out_path.suffix else out_path
    with err.status("计算 running (out of core)"):
        if scheduler is None:
            from ronghe.chain.partitioned import evaluate_partitioned

            path = evaluate_partitioned(source, out_dir, framework, s)
        else:
            from ronghe.chain.distributed import evaluate_on_cluster

            path = evaluate_on_cluster(source, out_dir, scheduler, framework, s)
    out.print(f"已写入 written: {path}/ (weights.parquet, index/, coupling/, obstacles/, "
              "treatment/)")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录 output directory")] = Path(
        "demo-output"
    ),
    data: Annotated[
        str, typer.Option(help="census (2010、2020 人口普查县域真实面板), synthetic (县域合成面板，"
                               "含工作报告文本，需 text 可选依赖 with work reports: needs the text "
                               "extra) or provinces (省级真实面板)")
    ] = "census",
) -> None:
    """演示 Run the whole chain on the bundled demo data: workbook, HTML summary and full HTML report."""
    from ronghe.demo import run_demo

    with err.status("演示 demo") as status:
        paths = run_demo(out_dir, data=data, progress=_progress(status))
    for p in paths:
        out.print(f"已写入 written: {p}")


def _one_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
              line: str | None = None) -> str:
    """Warnings on the command line: one line, no source excerpt."""
    return f"警告 warning: {message}\n"


def main() -> None:
    """Entry point of the ``ronghe`` command."""
    warnings.formatwarning = _one_line
    try:
        app()
    except RongheError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        sys.exit(1)
