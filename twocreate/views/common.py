"""Tables every report shares: the outturns used, the data checks, the monitoring departments.

Words from the catalogs (:func:`twocreate.i18n.t`); plan words from the plan's tables.
"""
from __future__ import annotations

import pandas as pd

from .. import fmt
from ..i18n import t
from ..intake import Check


def _unit_en(plan, code: str) -> str:
    if code in set(plan.indicators["code"]):
        v = plan.indicators.set_index("code").loc[code].get("unit_en")
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    return ""


def observations_display(plan, obs: pd.DataFrame, area_code: str, lang: str) -> pd.DataFrame:
    """The outturns used for one area, with status and source (the data behind the charts)."""
    sel = obs[obs["area_code"].astype(str) == str(area_code)].sort_values(["indicator", "year"])
    status = [t(f"status.{s}", lang) if isinstance(s, str) and s else "" for s in sel["status"]]
    return pd.DataFrame({
        t("data.col_indicator", lang): [plan.measure_name(c, lang) for c in sel["indicator"]],
        t("data.col_year", lang): sel["year"].astype(int).to_numpy(),
        t("data.col_value", lang): [fmt.quantity(v, u, lang, _unit_en(plan, c))
                                    for v, u, c in zip(sel["value"], sel["unit"], sel["indicator"])],
        t("data.col_status", lang): status,
        t("data.col_source", lang): sel["source"].to_numpy(),
    })


def departments_display(plan, lang: str) -> pd.DataFrame:
    """Which departments monitor each target (as the plan lists them)."""
    rows = [{t("data.col_indicator", lang): plan.indicator_name(r["code"], lang),
             t("data.col_departments", lang): t("punct.list_sep", lang).join(plan.department_names(r["departments"], lang)),
             t("data.col_section", lang): r["section"]}
            for _, r in plan.indicators.iterrows() if isinstance(r["departments"], str) and r["departments"]]
    return pd.DataFrame(rows)


def _file_name(source: object) -> str:
    """``/abs/path/o.xlsx [sheet 'a']`` → ``o.xlsx [sheet 'a']`` (no machine paths in reports)."""
    s = "" if source is None or (isinstance(source, float) and pd.isna(source)) else str(source)
    path, sep, rest = s.partition(" [sheet ")
    return path.replace("\\", "/").rsplit("/", 1)[-1] + sep + rest


def checked_file(checks: pd.DataFrame) -> str:
    """The file (and sheet) the checks are about, for a caption."""
    files = [f for f in dict.fromkeys(checks["file"]) if isinstance(f, str) and f]
    return "; ".join(_file_name(f) for f in files)


def data_checks_display(plan, checks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The intake's notices and the edit-check warnings: level, check, row of the file, indicator,
    area, year and message (in the report's language). The file is named in the caption."""
    def area(c):
        try:
            return plan.area_name(str(c), lang) if c is not None and not pd.isna(c) else ""
        except KeyError:
            return str(c)

    def ind(c):
        return plan.indicator_name(c, lang) if isinstance(c, str) and c in plan.indicator_codes else ""

    def label(group, key):
        from ..i18n import has
        return t(f"{group}.{key}", lang) if has(f"{group}.{key}", lang) else str(key)

    c = checks.sort_values(["level", "row"], ascending=[False, True], na_position="first", kind="stable")
    return pd.DataFrame({
        t("checks.col_level", lang): [label("check_level", x) for x in c["level"]],
        t("checks.col_check", lang): [label("check", x) for x in c["check"]],
        t("checks.col_row", lang): ["" if pd.isna(x) else str(int(x)) for x in c["row"]],
        t("checks.col_indicator", lang): [ind(x) for x in c["indicator"]],
        t("checks.col_area", lang): [area(x) for x in c["area_code"]],
        t("checks.col_year", lang): ["" if pd.isna(x) else str(int(x)) for x in c["year"]],
        t("checks.col_message", lang): [Check.from_dict(r).text(lang) for r in c.to_dict("records")],
    })


def verdict_label(code: object, lang: str) -> str:
    """A verdict or progress category code in words (``no_data`` and blanks: not assessable)."""
    if not isinstance(code, str) or not code or code == "no_data":
        code = "not_assessable"
    return t(f"verdict.{code}", lang)


category_label = verdict_label
