"""A :class:`~ronghe.diagnosis.Diagnosis` as one screen of text, in Chinese or English (the words
are in :mod:`ronghe.words.diagnosis`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ronghe.words import lang_index, unit_label
from ronghe.words.diagnosis import PEER_SCOPE, TEXT, TREND_STATUS

if TYPE_CHECKING:
    from ronghe.diagnosis.records import Diagnosis

SHOWN_ROUTES = 3
"""Paths and mechanisms printed by :meth:`Diagnosis.to_text` (all are in :meth:`Diagnosis.to_dict`)."""


def render(d: Diagnosis, lang: str) -> str:
    """The text of :meth:`Diagnosis.to_text` in ``lang`` (checked)."""
    k_lang = lang_index(lang)
    zh = k_lang == 0

    def t(key: str) -> str:
        return TEXT[key][k_lang]

    name = {b.indicator: (b.name_zh if zh else b.name_en) for b in d.blockers}
    province = d.province_zh or d.province if zh else d.province
    lines = [t("title").format(region=d.region, name=d.name_zh, province=province, year=d.year,
                               fw=d.framework)]
    if d.synthetic:
        lines.append(t("synthetic"))
    lines.append(t("index").format(index=d.index, rank=d.rank, n=d.n_regions,
                                   type=d.type_zh if zh else d.type_en))
    reason = d.type_reason_zh if zh else d.type_reason_en
    if reason:
        lines.append(t("why").format(reason=reason))
    lines.extend(d.warnings_zh if zh else d.warnings_en)
    lines.append(t("blockers"))
    for k, b in enumerate(d.blockers, 1):
        tr = b.trend
        trend_text = (
            t("trend").format(a=tr.first_year, b=tr.last_year, slope=f"{tr.slope:+.3g}",
                              status=TREND_STATUS[tr.status][k_lang])
            if tr else t("no_trend")
        )
        value = t("missing") if b.value is None else f"{b.value:.4g}"
        unit = f" {unit_label(b.unit, lang)}" if b.value is not None and unit_label(b.unit) else ""
        cat = f" [{b.category}]" if b.category else ""
        lines.append(
            f"  {k}. {name[b.indicator]} ({b.indicator}){cat}  {b.degree:.3f}; "
            f"{value}{unit}; {b.percentile:.0f} / {b.province_percentile:.0f}; {trend_text}"
        )
    cats = t("sep").join(
        f"{c.id} {c.name_zh if zh else c.name_en} {c.share:.0%}" for c in d.categories
    )
    lines.append(f"{t('categories')}: {cats} ({t('untagged').format(share=d.untagged)})")
    dims = t("sep").join(
        f"{x.id} {x.name_zh if zh else x.name_en} {x.degree:.2f}" for x in d.dimensions
    )
    lines.append(f"{t('dimensions')}: {dims}")
    for title, recs in ((t("paths"), d.paths), (t("mechanisms"), d.mechanisms)):
        lines.append(f"{title}:" + ("" if recs else f" {t('none')}"))
        for k, r in enumerate(recs[:SHOWN_ROUTES], 1):
            why = [f"{c} {m:.2f}" for c, m in r.categories]
            why += [f"{name.get(e.indicator, e.indicator)} {e.degree:.2f}" for e in r.indicators]
            lines.append(f"  {k}. {r.route} {r.name_zh if zh else r.name_en} ({r.score:.2f}): "
                         + "; ".join(why))
    if d.peer_years is None:
        lines.append(t("no_base").format(year=d.year))
    else:
        a, b_year = d.peer_years
        ind = name.get(d.peer_indicator or "", d.peer_indicator)
        lines.append((t("peers") if d.peers else t("no_peers")).format(ind=ind, a=a, b=b_year))
        for p in d.peers:
            lines.append(
                f"  {p.region} {p.name_zh} ({PEER_SCOPE[p.scope][k_lang]}, {t('distance')} "
                f"{p.distance:.2f}): {p.before:.4g} → {p.after:.4g} ({p.improvement:+.4g})"
            )
    return "\n".join(lines)
