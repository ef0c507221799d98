"""What the OKR page and the strategy map show beside the codes of pipelines.okr_reports' frames, in the page's
language: names, status names, the units that hold an objective."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import i18n
from pipelines.okr_reports import AT_RISK


def named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with `name` (the row's own name in the language) and `status_name`."""
    frame = frame.copy()
    frame["name"] = [i18n.kpi_name(th, en, lang) for th, en in zip(frame["name_th"], frame["name_en"], strict=True)]
    frame["status_name"] = [i18n.status_name(status, lang) for status in frame["status"]]
    return frame


def with_owners(objectives: pd.DataFrame, key_results: pd.DataFrame, labels: Mapping[str, str],
                lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The objectives with `held_by` (the names of the units holding their key results) and `owner` (the owner
    unit's name, else the owner executive); the key results with `owner` and `due` (the due quarter). `labels`:
    unit code -> its name in the language (filters.Filters.unit_names)."""
    objectives = named(objectives, lang)
    objectives["held_by"] = [", ".join(labels.get(code, code) for code in codes)
                             for codes in objectives["key_result_owners"]]
    objectives["owner"] = [labels.get(unit, unit) if isinstance(unit, str) and unit
                           else executive if isinstance(executive, str) and executive else "–"
                           for unit, executive in zip(objectives["owner_unit"], objectives["owner_executive"],
                                                      strict=True)]
    objectives["thrust_name"] = [i18n.thrust_name(thrust, lang) or "–" for thrust in objectives["thrust"]]
    key_results = named(key_results, lang)
    key_results["owner"] = [labels.get(code, code) for code in key_results["owner_unit"]]
    key_results["due"] = [i18n.t("quarter_option", lang, quarter=int(q)) if pd.notna(q) else "–"
                          for q in key_results["due_quarter"]]
    return objectives, key_results


def at_risk(objectives: pd.DataFrame) -> pd.DataFrame:
    """The objectives off track or at risk (okr_reports.AT_RISK), in the order given."""
    return objectives[objectives["status"].isin(AT_RISK)]
