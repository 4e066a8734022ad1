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
from .intake import STATUS_NAMES
from .io import FORMULA_STARTS, atomic_path
from .plan import Plan

STATUS_LABELS = {"zh": {"official": "正式", "provisional": "初步", "estimate": "估计", "illustrative": "示例"},
                 "en": {s: s for s in STATUS_NAMES}}
HEAD = {
    "zh": {"indicator": "指标", "area": "地区", "unit": "单位", "year": "年份", "value": "数值", "status": "状态",
           "source": "来源", "note": "备注", "year_col": "{y}年"},
    "en": {"indicator": "indicator", "area": "area", "unit": "unit", "year": "year", "value": "value",
           "status": "status", "source": "source", "note": "note", "year_col": "{y}"},
}
TIDY_ROWS = 500  # rows with drop-downs in the tidy layout


def template_rows(plan: Plan, areas: str = "all") -> list[tuple[str, str]]:
    """(indicator code, area code) pairs of the wide template: the city first, then every area of
    the plan's area table (old and new codes both: 章丘市 for 2015–2016, 章丘区 from 2017)."""
    codes = [str(c) for c in plan.areas["area_code"]]
    if areas == "city":
        codes = [plan.city_code]
    return [(ind, a) for ind in plan.measures["code"] for a in codes]


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
    ws.title = "填报" if lang == "zh" else "outturns"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    subject = (plan.meta or {}).get(f"subject_{lang}", "")
    title = (f"{area_names[plan.city_code]}{subject}主要指标实际值填报表" if lang == "zh"
             else f"{area_names[plan.city_code]}: indicators of {subject}, outturns to fill in")
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
                           error=("请从下拉列表中选择" if lang == "zh" else "Choose from the list"))
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
    note = ("注：每格填一个数，单位见“单位”列（可改为同类单位，如亿元、人次）；不要在数字后写“万”“亿”。"
            "状态：正式、初步、估计或示例。计划的基数与细分指标见“计划目标”工作表。" if lang == "zh" else
            "Note: one number per cell, in the unit of the unit column (which may be changed to a compatible unit); "
            "no 万/亿 after numbers. Status: official, provisional, estimate or illustrative. The plan's base levels "
            "and sub-targets are on the 'plan targets' sheet.")
    ws.append([note])
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
    zh = lang == "zh"
    ws = wb.create_sheet("计划目标" if zh else "plan targets")
    years = sorted({int(y) for y in plan.subtargets["year"]})
    ws.append(["计划目标（供参考，不可编辑）" if zh else "The plan's targets (for reference, read-only)"])
    ws["A1"].font = Font(bold=True)
    ws.append(["指标", "单位", "基年", "基年水平", "基年水平来源"] + [f"{y}年细分指标" for y in years] + ["总目标", "条款"]
              if zh else ["indicator", "unit", "base year", "base level", "base level from"] +
              [f"sub-target {y}" for y in years] + ["headline target", "section"])
    for code in plan.indicator_codes:
        r = plan.indicator(code)
        base = plan.stated_baseline(code)
        basis = ("计划§一" if zh else "plan §一") if base is not None else ("计划未给出" if zh else "not stated")
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
