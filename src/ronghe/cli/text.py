"""`ronghe text`: score policy texts (work reports) for the O1 indicator rural_priority_attention.

Errors ronghe raises on purpose propagate to ``ronghe.cli.main``, which prints them as one line.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from ronghe.text import (
    CATEGORIES,
    DEFAULT_SEED,
    builtin_terms_path,
    load_terms,
    write_demo_corpus,
)

app = typer.Typer(
    help="政策文本注意力（工作报告） / policy-text attention from work reports (O1).",
    no_args_is_help=True,
)

TermsOption = Annotated[
    Path | None,
    typer.Option("--terms", help="术语词典 YAML / term dictionary YAML (default: built-in)"),
]


@app.command()
def score(
    source: Annotated[
        Path,
        typer.Argument(
            help="报告文件夹或清单 CSV / folder of reports or listing CSV (file, region, year)"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出 .xlsx 或 .csv / output file")],
    terms: TermsOption = None,
) -> None:
    """为工作报告评分 / Score work reports: measures, hits and problems."""
    from ronghe.text.scoring import score_reports

    result = score_reports(source, terms)
    written = result.write(out)
    for line in result.summary():
        typer.echo(line)
    typer.echo("已写入 / written: " + ", ".join(str(p) for p in written))
    if result.measures.empty:
        raise typer.Exit(1)


@app.command("import")
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            help="报告文件夹或清单 CSV / folder of reports or listing CSV (file, region, year)"
        ),
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", help="数据库 / DuckDB file or PostgreSQL URL (default ronghe.duckdb)"),
    ] = None,
    terms: TermsOption = None,
) -> None:
    """评分并写入数据库 / Score work reports and store the measures with provenance."""
    from ronghe.store import Store
    from ronghe.text.store_import import import_reports

    store = Store(db)
    try:
        result = import_reports(source, store, terms)
    finally:
        store.close()
    for line in result.summary():
        typer.echo(line)
    if result.score.measures.empty:
        raise typer.Exit(1)


@app.command()
def terms(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="复制内置词典到此文件以便编辑 / copy the built-in dictionary here"
        ),
    ] = None,
    file: TermsOption = None,
) -> None:
    """查看或导出术语词典 / Show a term dictionary, or copy the built-in one for editing."""
    dictionary = load_terms(file)
    typer.echo(f"{dictionary.describe()}  [{file or builtin_terms_path()}]")
    for cat in CATEGORIES:
        zh, en = dictionary.labels[cat]
        typer.echo(
            f"{cat} ({zh} / {en}): {len(dictionary.terms[cat])}: "
            + "、".join(dictionary.terms[cat])
        )
    if out is not None:
        shutil.copyfile(builtin_terms_path(), out)
        typer.echo(f"已写入 / written: {out}")


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="输出文件夹 / output folder")],
    seed: Annotated[int, typer.Option(help="随机种子 / random seed")] = DEFAULT_SEED,
) -> None:
    """生成示例工作报告（虚构） / Write the generated demo work reports (fictional)."""
    paths = write_demo_corpus(directory, seed)
    typer.echo(
        f"已生成 {len(paths) - 1} 份示例报告（虚构）/ wrote {len(paths) - 1} generated "
        f"sample reports to {directory}"
    )
