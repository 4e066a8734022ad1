"""An Excel workbook for statisticians to fill in with outturns (``twocreate template``).

The first sheet is the table to fill, in the wide layout (one row per indicator × area, a column
per year) or the tidy one (one row per value), with Chinese or English headers, the unit of each
indicator stated, and drop-down lists for indicator, area, unit and status. A second sheet, locked,
gives the plan's base levels and sub-targets for reference; a hidden third holds the lists. What
the template writes is exactly what :mod:`twocreate.intake` reads back.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import units
from .i18n import t, vocabulary
from .intake import STATUSES
from .io import FORMULA_STARTS, atomic_path
from .plan import Plan

# what the template writes is what the intake reads: its headers and status labels are the first words of
# each language in the input vocabulary (twocreate/i18n/input.toml)
STATUS_LABELS = {lang: {s: vocabulary.status_word(s, lang) for s in STATUSES} for lang in ("zh", "en")}
_COLUMNS = {"indicator": "indicator", "area": "area_code", "unit": "unit", "year": "year", "value": "value",
            "status": "status", "source": "source", "note": "note"}
HEAD = {lang: {**{k: vocabulary.header_word(col, lang) for k, col in _COLUMNS.items()},
               "year_col": "{y}" if lang == "en" else vocabulary.year_written("{y}")} for lang in ("zh", "en")}
TIDY_ROWS = 500  # rows with drop-downs in the tidy layout


def template_rows(plan: Plan, areas: str = "all") -> list[tuple[str, str]]:
    """(indicator code, area code) pairs of the wide template: the city first, then every area of
    the plan's area table (a renamed area under its old and its new code both, each valid in its years)."""
    codes = [str(c) for c in plan.areas["area_code"]]
    if areas == "city":
        codes = [plan.city_code]
    return [(ind, a) for ind in plan.measures["code"] for a in codes]


# long: the workbook's sheets and styles written top to bottom: a layout, not logic
def write_template(out: str | os.PathLike, plan: Plan, *, layout: str = "wide", lang: str = "zh",
                   year: int | None = None, areas: str = "all") -> Path:
    """Write the template workbook to ``out`` (atomically); returns its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    h = HEAD[lang]
    years = [year] if year is not None else list(range(plan.base_year, plan.target_year + 1))
    ind_names = {c: plan.measure_name(c, lang) for c in plan.measures["code"]}
    area_names = {str(a): plan.area_name(str(a), lang) for a in plan.areas["area_code"]}
    statuses = list(STATUS_LABELS[lang].values())
    unit_list = list(units.UNITS)
    wb = Workbook()
    ws = wb.active
    ws.title = t("template.sheet_outturns", lang)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    subject = (plan.meta or {}).get(f"subject_{lang}", "")
    title = t("template.title", lang, city=area_names[plan.city_code], subject=subject)
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    if layout == "wide":
        header = [h["indicator"], h["area"], h["unit"]] + [h["year_col"].format(y=y) for y in years] + \
            [h["status"], h["source"], h["note"]]
    else:
        header = [h["indicator"], h["area"], h["year"], h["value"], h["unit"], h["status"], h["source"], h["note"]]
    ws.append(header)
    for c in ws[2]:
        c.font, c.fill = bold, fill
    n = 0
    if layout == "wide":
        for ind, area in template_rows(plan, areas):
            ws.append([ind_names[ind], area_names[area], _unit(plan, ind)])
            n += 1
    else:
        n = TIDY_ROWS
    last = 2 + n
    # the lists behind the drop-downs live on a hidden sheet
    lists = wb.create_sheet("lists")
    for col, values in enumerate([list(ind_names.values()), list(area_names.values()), statuses, unit_list], 1):
        for r, v in enumerate(values, 1):
            lists.cell(row=r, column=col, value=v)
    lists.sheet_state = "hidden"

    def dv(col_letter: str, list_col: str, count: int, what: str):
        v = DataValidation(type="list", formula1=f"=lists!${list_col}$1:${list_col}${count}", allow_blank=True,
                           showErrorMessage=True, errorTitle=what,
                           error=t("template.choose", lang))
        v.add(f"{col_letter}3:{col_letter}{last}")
        ws.add_data_validation(v)

    col = {name: i for i, name in enumerate(header)}
    letter = lambda name: chr(ord("A") + col[name])  # noqa: E731 - fewer than 26 columns
    dv(letter(h["indicator"]), "A", len(ind_names), h["indicator"])
    dv(letter(h["area"]), "B", len(area_names), h["area"])
    dv(letter(h["status"]), "C", len(statuses), h["status"])
    dv(letter(h["unit"]), "D", len(unit_list), h["unit"])
    if layout == "tidy":
        yv = DataValidation(type="whole", operator="between", formula1=str(plan.base_year),
                            formula2=str(plan.target_year), allow_blank=True, showErrorMessage=True)
        yv.add(f"{letter(h['year'])}3:{letter(h['year'])}{last}")
        ws.add_data_validation(yv)
    for name, width in ((h["indicator"], 30), (h["area"], 18), (h["source"], 28), (h["note"], 28)):
        ws.column_dimensions[letter(name)].width = width
    ws.freeze_panes = "A3"
    ws.append([])
    ws.append([t("template.note", lang)])
    ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=False)
    _reference_sheet(wb, plan, lang)
    wb.move_sheet("lists", offset=1)
    for sheet in wb.worksheets:
        as_text(sheet)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return Path(out)


def as_text(ws) -> None:
    """Every text cell of ``ws`` written as a string, never a formula (openpyxl makes a formula of any
    text starting with ``=``), and shown with Excel's hidden quote prefix when it starts with
    ``= + - @``, a tab or a carriage return, so that editing the cell does not turn it into one either.
    The value read back is the text as the plan wrote it."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def _unit(plan: Plan, code: str) -> str:
    m = plan.measures
    return str(m.loc[m["code"] == code, "unit"].iloc[0])


def _reference_sheet(wb, plan: Plan, lang: str) -> None:
    """A locked sheet with each indicator's unit, base level and sub-targets (from the plan files)."""
    from openpyxl.styles import Font
    ws = wb.create_sheet(t("template.sheet_reference", lang))
    years = sorted({int(y) for y in plan.subtargets["year"]})
    ws.append([t("template.reference_title", lang)])
    ws["A1"].font = Font(bold=True)
    ws.append([t(f"template.col_{k}", lang) for k in ("indicator", "unit", "base_year", "base_level", "base_from")]
              + [t("template.col_subtarget", lang, year=y) for y in years]
              + [t("template.col_headline", lang), t("template.col_section", lang)])
    sections = dict(zip(plan.baseline["code"], plan.baseline["section"]))
    for code in plan.indicator_codes:
        r = plan.indicator(code)
        base = plan.stated_baseline(code)
        basis = (t("template.base_stated", lang, section=sections.get(r["related_baseline"]) or "")
                 if base is not None else t("template.base_not_stated", lang))
        by = None if pd.isna(r["base_year"]) else int(r["base_year"])
        if r["target_kind"] == "growth":
            headline = f"{r['headline_target_pct']:g}%"
        elif pd.isna(r["target_value"]):
            headline = str(r["wording_zh"])
        else:
            headline = f"{r['target_value']:g}{r['unit']} ({r['qualifier']}, {int(r['target_year'])})"
        ws.append([plan.indicator_name(code, lang), r["unit"], by, base, basis]
                  + [plan.subtarget(code, y) for y in years] + [headline, r["section"]])
    for col in "ABCDEFGHIJ":
        ws.column_dimensions[col].width = 18
    ws.column_dimensions["A"].width = 30
    ws.protection.sheet = True
    ws.protection.enable()
