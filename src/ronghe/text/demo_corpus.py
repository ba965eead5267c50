"""A generated demo corpus: short synthetic county work reports with planted policy terms.

Six county codes x three years, each county with its own mix of rural-priority, integration and
city-centred vocabulary and its own trend, so ``rural_priority_attention`` varies between counties
and over time. Every text says in its first line that it is generated (:data:`GENERATED_MARKER`);
the scorer flags such reports and the observations it writes say so. The texts are assembled from
neutral sentences and sentence frames written for ronghe, with terms of the built-in dictionary
drawn by a seeded NumPy generator, so the corpus is identical on every machine and the planted
count of every term is known (tests score the corpus and compare).

The same corpus ships in ``ronghe/text/demo/`` (regenerate it with :func:`write_demo_corpus`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ronghe.text.terms import CATEGORIES, TermDictionary, load_terms

GENERATED_MARKER = "【ronghe 生成的示例文本 · generated sample】"
DEFAULT_SEED = 2024
YEARS = (2021, 2022, 2023)

PROFILES: dict[str, tuple[str, tuple[float, float, float], tuple[float, float, float]]] = {
    # code: (description, category shares in the first year, change per year) in CATEGORIES order
    "130123": ("rural-first, rising", (0.50, 0.30, 0.20), (0.05, 0.03, -0.08)),
    "130125": ("balanced, steady", (0.30, 0.35, 0.35), (0.0, 0.0, 0.0)),
    "130126": (
        "city-centred, turning towards integration",
        (0.15, 0.20, 0.65),
        (0.05, 0.08, -0.13),
    ),
    "130127": ("city-centred, steady", (0.12, 0.13, 0.75), (0.0, 0.0, 0.0)),
    "130128": ("integration-led", (0.25, 0.55, 0.20), (0.0, 0.05, -0.05)),
    "130129": ("rural-first, drifting to the city", (0.55, 0.25, 0.20), (-0.08, -0.03, 0.11)),
}

_FRAMES = (
    "坚持把{}作为重点工作，细化措施、压实责任。",
    "围绕{}，各部门协同发力，年度任务顺利完成。",
    "扎实推进{}，群众获得感持续增强。",
    "今年要继续抓好{}，确保取得新进展。",
    "我们在{}方面下了功夫，形成了一批可复制的做法。",
    "聚焦{}出台配套政策，加大资金投入。",
    "把{}落到实处，定期调度、跟踪问效。",
    "以{}为抓手，带动全局工作提质增效。",
)
_NEUTRAL = (
    "过去一年，全县经济运行总体平稳，主要指标完成年度目标。",
    "财政收支保持平衡，民生支出比重稳步提高。",
    "安全生产形势稳定，社会大局和谐有序。",
    "营商环境持续改善，市场主体数量明显增加。",
    "教育、医疗、养老等领域短板加快补齐。",
    "生态环境质量保持良好，空气优良天数有所增加。",
    "政府自身建设不断加强，依法行政水平有效提升。",
    "我们也清醒看到，发展中仍面临不少困难和问题。",
    "全体干部要敢于担当、善于作为，以实干实绩回应群众期盼。",
    "重点项目建设有序推进，有效投资规模稳中有升。",
    "全年新增就业岗位数千个，零就业家庭动态清零。",
    "文化事业繁荣发展，公共文化设施免费开放。",
    "防汛抗旱工作扎实有效，没有发生重大灾情。",
    "科技创新能力增强，高新技术企业数量翻番。",
    "审计监督全面覆盖，政府投资项目管理更加规范。",
    "信访积案化解率明显提高，基层矛盾就地化解。",
    "交通运输保障有力，物流成本有所下降。",
    "社会保险覆盖面扩大，参保人数稳步增长。",
    "食品药品安全监管得到加强，抽检合格率保持高位。",
    "各位代表，新的一年任务艰巨，我们将奋力完成各项目标。",
)
_HEADINGS = ("一、过去一年工作回顾", "二、今年工作总体要求", "三、重点任务", "四、加强政府自身建设")


@dataclass(frozen=True)
class DemoReport:
    """One generated report and the number of times each term was planted in it."""

    region: str
    year: int
    text: str
    planted: dict[str, int]

    @property
    def file_name(self) -> str:
        return f"{self.region}_{self.year}.txt"


def generate_demo_corpus(
    seed: int = DEFAULT_SEED, terms: TermDictionary | None = None
) -> list[DemoReport]:
    """The demo reports, in (region, year) order, drawn with ``numpy.random.default_rng(seed)``."""
    import numpy as np  # here, not at the top: ``ronghe --help`` reads DEFAULT_SEED without numpy

    dictionary = terms or load_terms()
    rng = np.random.default_rng(seed)
    reports = []
    for region, (_, base, trend) in PROFILES.items():
        for k, year in enumerate(YEARS):
            shares = np.clip(np.add(base, np.multiply(trend, k)), 0.02, None)
            counts = rng.multinomial(int(rng.integers(24, 40)), shares / shares.sum())
            planted = [
                str(term)
                for cat, n in zip(CATEGORIES, counts, strict=True)
                for term in rng.choice(dictionary.terms[cat], size=n)
            ]
            sentences = [_FRAMES[int(rng.integers(len(_FRAMES)))].format(t) for t in planted]
            n_neutral = int(rng.integers(12, 19))
            sentences += [str(s) for s in rng.choice(_NEUTRAL, size=n_neutral, replace=False)]
            order = rng.permutation(len(sentences))
            body = [sentences[i] for i in order]
            cuts = np.array_split(np.arange(len(body)), len(_HEADINGS))
            lines = [
                f"{GENERATED_MARKER} 虚构示例，非真实政府文件 / fictional, not a real document",
                f"{year}年政府工作报告（示例）",
            ]
            for heading, idx in zip(_HEADINGS, cuts, strict=True):
                lines += [heading, "".join(body[i] for i in idx)]
            reports.append(
                DemoReport(
                    region, year, "\n".join(lines) + "\n", dict(sorted(Counter(planted).items()))
                )
            )
    return reports


def write_demo_corpus(directory: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo reports (UTF-8 ``<code>_<year>.txt``) and a README.md listing them."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    reports = generate_demo_corpus(seed)
    paths = []
    for report in reports:
        path = out / report.file_name
        path.write_text(report.text, encoding="utf-8", newline="\n")
        paths.append(path)
    readme = out / "README.md"
    readme.write_text(_readme(reports, seed), encoding="utf-8", newline="\n")
    return [*paths, readme]


def demo_corpus_dir() -> Path:
    """The folder of the demo corpus shipped in the package."""
    return Path(str(resources.files("ronghe.text").joinpath("demo")))


def _readme(reports: list[DemoReport], seed: int) -> str:
    rows = "\n".join(
        f"| `{r.file_name}` | {r.region} | {r.year} | {PROFILES[r.region][0]} |" for r in reports
    )
    return f"""# Demo work reports (generated) / 示例工作报告（生成）

这些文本由 ronghe 自动生成，是虚构的示例，不是任何政府的真实文件；县级代码仅作格式示例。
These texts are generated by ronghe: fictional samples, not real government documents. The county
codes only give the files a realistic name.

Each text starts with the line `{GENERATED_MARKER}`. Sentences are neutral filler and sentence
frames with terms of the built-in dictionary planted at random (seed {seed}); counties differ in
their mix of rural-priority, integration and city-centred terms, so `rural_priority_attention`
varies between counties and years.

Score them: `ronghe text score {{this folder}} --out demo_scores.xlsx`.
Regenerate them: `ronghe text demo DIR` or `ronghe.text.demo_corpus.write_demo_corpus(DIR)`.

| file | region | year | profile |
|---|---|---|---|
{rows}
"""
