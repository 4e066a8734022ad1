"""Write the messy-file corpus: outturn files shaped the way Chinese offices' Excel, WPS and web
systems save them. Each file's expected result is in ``expected.csv`` beside it (read as N values,
or refused with a message containing a phrase; optionally a warning that must be raised).

The files are committed; this script documents how they were made and re-makes them:

    .venv/bin/pip install xlwt odfpy msoffcrypto-tool   # only to re-make the corpus
    .venv/bin/python tests/data/messy/make_corpus.py
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SHIPPED = ROOT / "data" / "raw" / "observations" / "illustrative_outturns.csv"
TITLE = "济南市小微企业主要指标（2017年）"
SRC = "市统计局"
EXPECT: list[dict] = []


def expect(name, result, count=None, phrase="", sheet="", warning=""):
    EXPECT.append({"file": name, "sheet": sheet, "result": result, "count": "" if count is None else count,
                   "phrase": phrase, "warning": warning})


def city_rows():
    return [("营业收入", "万元", {2016: 88900000, 2017: 96400000, 2018: 104300000}),
            ("新增就业人数", "万人次", {2016: 29.1, 2017: 30.2, 2018: 31.5}),
            ("技术合同成交额", "万元", {2016: 128000, 2017: 152000, 2018: 171500}),
            ("授权专利数", "项", {2016: 13600, 2017: 16100, 2018: 18900})]


def save_wb(wb, name):
    wb.save(HERE / name)


def tidy_cn_rows():
    rows = []
    for ind, unit, ys in city_rows():
        for y, v in ys.items():
            rows.append([ind, "370100", y, v, unit, "初步", SRC, ""])
    return rows


TIDY_CN = ["指标", "地区代码", "年份", "数值", "单位", "状态", "来源", "备注"]
TIDY_EN = ["indicator", "area_code", "year", "value", "unit", "status", "source", "note"]


def make():
    for p in HERE.iterdir():
        if p.name not in ("make_corpus.py", "README.md") and p.is_file():
            p.unlink()
    # 1 title row above an English tidy header (issue 10, case 1)
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append([TITLE]); ws.merge_cells("A1:H1")
    ws.append(TIDY_EN)
    for r in tidy_cn_rows():
        ws.append(["revenue" if r[0] == "营业收入" else r[0]] + r[1:4] + [r[4], "provisional", SRC, None])
    save_wb(wb, "01_title_row_tidy.xlsx"); expect("01_title_row_tidy.xlsx", "values", 12)
    # 2 title row, area codes as numbers, a 合计 row under the data (case 2)
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append([TITLE]); ws.append(TIDY_EN)
    for code, v in ((370102, 14000000), (370103, 9000000), (370104, 6000000)):
        ws.append(["revenue", code, 2017, v, "万元", "provisional", SRC, None])
    ws.append(["revenue", "合计", 2017, 29000000, "万元", "provisional", SRC, None])
    save_wb(wb, "02_numeric_codes_total_row.xlsx")
    expect("02_numeric_codes_total_row.xlsx", "values", 3)
    # 3 GB18030 CSV: 12.1亿 on a row whose unit is 万元 (case 3)
    text = "\n".join([",".join(TIDY_CN), "技术合同成交额,370100,2017,12.1亿,万元,初步,市科技局,"]) + "\n"
    (HERE / "03_unit_conflict_gb18030.csv").write_bytes(text.encode("gb18030"))
    expect("03_unit_conflict_gb18030.csv", "error", phrase="could be 12.1亿元")
    # 4 Chinese headers and Chinese indicator names (case 4), UTF-8 with BOM as Excel writes it
    buf = io.StringIO(); w = csv.writer(buf, lineterminator="\r\n"); w.writerow(TIDY_CN); w.writerows(tidy_cn_rows())
    (HERE / "04_chinese_headers.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))
    expect("04_chinese_headers.csv", "values", 12)
    # 5 the shipped outturns as a statistician keeps them: wide, Chinese, title, merged header,
    #   numeric codes, 合计 row per indicator, notes under the table
    write_shipped_wide(HERE / "05_shipped_wide_cn.xlsx")
    expect("05_shipped_wide_cn.xlsx", "values", len(pd.read_csv(SHIPPED)), warning="")
    # 6 old .xls (Excel 97–2003), wide, 2017年度 style headers
    import xlwt
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("全市")
    sh.write(0, 0, "济南市小微企业主要指标完成情况")
    for j, h in enumerate(["指标名称", "计量单位", "2016年度", "2017年度", "2018年度", "数据来源", "数据状态"]):
        sh.write(2, j, h)
    for i, (ind, unit, ys) in enumerate(city_rows(), start=3):
        for j, v in enumerate([ind, unit, ys[2016], ys[2017], ys[2018], SRC, "正式"]):
            sh.write(i, j, v)
    book.save(str(HERE / "06_wide_years.xls")); expect("06_wide_years.xls", "values", 12)
    # 7 wide by indicator: one row per district, units in the headers, the year only in the title
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append([TITLE]); ws.append([])
    ws.append(["地区", "营业收入（亿元）", "新增就业人数（万人次）", "技术合同成交额（万元）", "授权专利数（项）", "数据状态", "来源"])
    for name, a, b, c, d in (("历下区", 1400.5, 4.1, 30000, 3100), ("市中区", 900.25, 3.2, 21000, 2200),
                             ("章丘区", 600, 2.5, 9000, 900)):
        ws.append([name, a, b, c, d, "初步", SRC])
    save_wb(wb, "07_wide_by_indicator_title_year.xlsx")
    expect("07_wide_by_indicator_title_year.xlsx", "values", 12)
    # 8 WPS-style GBK CSV with CRLF, Chinese names, area names instead of codes
    rows = [["指标", "地区", "年份", "数值", "单位", "状态", "来源"]]
    for name in ("历下区", "市中区", "高新区"):
        rows.append(["营业收入", name, "2017年", "1,234,567", "万元", "初步", SRC])
    buf = io.StringIO(); csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "08_wps_gbk_names.csv").write_bytes(buf.getvalue().encode("gbk"))
    expect("08_wps_gbk_names.csv", "values", 3)
    # 9 Excel "Unicode text": UTF-16 LE with BOM, tab-delimited, .txt
    buf = io.StringIO(); csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows([TIDY_CN] + tidy_cn_rows())
    (HERE / "09_unicode_text_utf16.txt").write_bytes(buf.getvalue().encode("utf-16"))
    expect("09_unicode_text_utf16.txt", "values", 12)
    # 10 full-width digits and separators
    fw = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
    rows = [TIDY_CN] + [r[:3] + [f"{r[3]:,}".translate(fw)] + r[4:] for r in tidy_cn_rows()]
    buf = io.StringIO(); csv.writer(buf, lineterminator="\n").writerows(rows)
    (HERE / "10_fullwidth_numbers.csv").write_text(buf.getvalue(), encoding="utf-8")
    expect("10_fullwidth_numbers.csv", "values", 12)
    # 11 numbers stored as text (green triangles in Excel), with thousands separators and spaces
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(TIDY_CN)
    for r in tidy_cn_rows():
        ws.append([r[0], str(r[1]), f"{r[2]}", f" {r[3]:,} ", r[4], r[5], r[6]])
    save_wb(wb, "11_numbers_as_text.xlsx"); expect("11_numbers_as_text.xlsx", "values", 12)
    # 12 formula cells with cached values (as Excel saves them)
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(TIDY_CN)
    for r in tidy_cn_rows():
        ws.append(r)
    save_wb(wb, "12_formula_cells.xlsx"); add_formulas(HERE / "12_formula_cells.xlsx")
    expect("12_formula_cells.xlsx", "values", 12)
    # 13 several sheets: instructions first, data on the sheet named 2017年
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "填报说明"
    ws.append(["请在“2017年”工作表填写数据。"]); ws.append(["单位：见各指标"])
    ws2 = wb.create_sheet("2017年"); ws2.append(TIDY_CN)
    for r in tidy_cn_rows():
        ws2.append(r)
    save_wb(wb, "13_several_sheets.xlsx")
    expect("13_several_sheets.xlsx", "values", 12, sheet="2017年")
    expect("13_several_sheets.xlsx", "error", phrase="[sheet '填报说明']: no table found")
    expect("13_several_sheets.xlsx", "error", phrase="no sheet named '2019年'", sheet="2019年")
    # 14 password-protected workbook
    import msoffcrypto.format.ooxml
    plain = io.BytesIO(); wb = openpyxl.Workbook(); wb.active.append(TIDY_CN); wb.save(plain); plain.seek(0)
    enc = msoffcrypto.format.ooxml.OOXMLFile(plain)
    with open(HERE / "14_password.xlsx", "wb") as fh:
        enc.encrypt("secret", fh)
    expect("14_password.xlsx", "error", phrase="password-protected")
    # 15 a damaged workbook (download cut short)
    data = (HERE / "01_title_row_tidy.xlsx").read_bytes()
    (HERE / "15_truncated.xlsx").write_bytes(data[: len(data) // 2])
    expect("15_truncated.xlsx", "error", phrase="damaged")
    # 16 an HTML table saved as .xls (web systems' "export to Excel")
    (HERE / "16_html_export.xls").write_text("<html><body><table><tr><td>指标</td></tr></table></body></html>",
                                             encoding="utf-8")
    expect("16_html_export.xls", "error", phrase="HTML")
    # 17 empty file, 18 header only
    (HERE / "17_empty.csv").write_bytes(b"")
    expect("17_empty.csv", "error", phrase="empty")
    wb = openpyxl.Workbook(); ws = wb.active; ws.append([TITLE]); ws.append(TIDY_CN)
    save_wb(wb, "18_header_only.xlsx"); expect("18_header_only.xlsx", "error", phrase="at least one data row")
    # 19 blank separator rows and columns
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append([]); ws.append([None] + TIDY_CN[:4] + [None] + TIDY_CN[4:])
    for k, r in enumerate(tidy_cn_rows()):
        if k % 3 == 0:
            ws.append([])
        ws.append([None] + r[:4] + [None] + r[4:])
    save_wb(wb, "19_blank_rows_columns.xlsx"); expect("19_blank_rows_columns.xlsx", "values", 12)
    # 20 semicolon-delimited (European Excel locale)
    buf = io.StringIO(); csv.writer(buf, delimiter=";", lineterminator="\n").writerows([TIDY_EN] + [
        ["revenue", "370100", y, v, "万元", "estimate", SRC, ""] for y, v in city_rows()[0][2].items()])
    (HERE / "20_semicolon.csv").write_text(buf.getvalue(), encoding="utf-8"); expect("20_semicolon.csv", "values", 3)
    # 21 OpenDocument spreadsheet (WPS/LibreOffice), wide
    df = pd.DataFrame([[ind, unit, ys[2016], ys[2017], ys[2018], "初步", SRC] for ind, unit, ys in city_rows()],
                      columns=["指标", "单位", "2016", "2017", "2018", "状态", "来源"])
    df.to_excel(HERE / "21_wide.ods", index=False, engine="odf"); expect("21_wide.ods", "values", 12)
    # 22 macro-enabled workbook name (.xlsm)
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(TIDY_CN)
    for r in tidy_cn_rows():
        ws.append(r)
    save_wb(wb, "22_macro_name.xlsm"); expect("22_macro_name.xlsm", "values", 12)
    # 23 wide sheet with indicators the plan does not monitor (营业利润, 税金): skipped with a warning
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(["指标", "单位", "2016年", "2017年", "状态", "来源"])
    ws.append(["营业收入", "亿元", 8890, 9640, "初步", SRC])
    ws.append(["营业利润", "亿元", 1300, 1380, "初步", SRC])
    ws.append(["税金总额", "亿元", 330, 350, "初步", SRC])
    save_wb(wb, "23_other_indicators.xlsx"); expect("23_other_indicators.xlsx", "values", 2, warning="not one of the plan's")
    # 24 a year as a period, 25 a negative value, 26 a duplicated row
    def tidy_csv(name, rows):
        buf = io.StringIO(); csv.writer(buf, lineterminator="\n").writerows([TIDY_CN] + rows)
        (HERE / name).write_text(buf.getvalue(), encoding="utf-8")
    tidy_csv("24_year_as_period.csv", [["营业收入", "370100", "2017年上半年", 100, "万元", "初步", SRC, ""]])
    expect("24_year_as_period.csv", "error", phrase="a year such as 2017")
    tidy_csv("25_negative.csv", [["新增就业人数", "370102", "2017", "-3", "万人次", "初步", SRC, ""]])
    expect("25_negative.csv", "error", phrase="a number ≥ 0")
    tidy_csv("26_duplicate_rows.csv", [tidy_cn_rows()[0], tidy_cn_rows()[0]])
    expect("26_duplicate_rows.csv", "error", phrase="one row per indicator, area and year")
    # 27 the unit in the value header, no unit column
    buf = io.StringIO(); csv.writer(buf, lineterminator="\n").writerows(
        [["指标", "地区", "年份", "数值（亿元）", "状态", "来源"], ["营业收入", "济南市", 2017, 9640, "初步", SRC]])
    (HERE / "27_unit_in_header.csv").write_text(buf.getvalue(), encoding="utf-8")
    expect("27_unit_in_header.csv", "values", 1)
    # 28 a 单位：万元 line above a wide table
    wb = openpyxl.Workbook(); ws = wb.active; ws.append([TITLE]); ws.append([None, None, None, "单位：万元"])
    ws.append(["指标", "2016", "2017", "2018"])
    ws.append(["技术合同成交额", 128000, 152000, 171500])
    save_wb(wb, "28_table_unit_line.xlsx"); expect("28_table_unit_line.xlsx", "values", 3, warning="no status column")
    # 29 old and new names: 章丘市 in 2016, 章丘区 in 2017
    tidy_csv("29_old_names.csv", [["营业收入", "章丘市", "2016", 5000000, "万元", "初步", SRC, ""],
                                  ["营业收入", "章丘区", "2017", 5600000, "万元", "初步", SRC, ""],
                                  ["营业收入", "章丘", "2018", 6100000, "万元", "初步", SRC, ""]])
    expect("29_old_names.csv", "values", 3)
    # 30 a multiplier that agrees with the unit (12.1亿 with 元), 31 one that disagrees in a wide sheet
    tidy_csv("30_multiplier_agrees.csv", [["技术合同成交额", "370100", "2017", "12.1亿", "元", "初步", SRC, ""]])
    expect("30_multiplier_agrees.csv", "values", 1)
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(["指标", "单位", "2017年", "状态", "来源"])
    ws.append(["营业收入", "万元", "9640亿", "初步", SRC])
    save_wb(wb, "31_multiplier_conflict_wide.xlsx")
    expect("31_multiplier_conflict_wide.xlsx", "error", phrase="column '2017年'")
    # 32 a totals row that does not match its rows; 33 a jump ×10 (a unit slip between years)
    wb = openpyxl.Workbook(); ws = wb.active; ws.append(["地区", "指标", "单位", "2017", "状态", "来源"])
    for name, v in (("历下区", 100), ("市中区", 200), ("槐荫区", 300)):
        ws.append([name, "授权专利数", "项", v, "初步", SRC])
    ws.append(["全市合计", "授权专利数", "项", 700, "初步", SRC])
    save_wb(wb, "32_totals_mismatch.xlsx"); expect("32_totals_mismatch.xlsx", "values", 3, warning="add up to")
    tidy_csv("33_unit_slip_between_years.csv", [["营业收入", "370100", "2016", 88900000, "万元", "初步", SRC, ""],
                                                ["营业收入", "370100", "2017", 964000, "万元", "初步", SRC, ""]])
    expect("33_unit_slip_between_years.csv", "values", 2, warning="×3")
    # 34 merged two-row header: 年份 over the year cells, notes and signature lines under the table
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append([TITLE]); ws.merge_cells("A1:F1")
    ws.append(["指标", "单位", "年份", None, None, "来源"]); ws.merge_cells("C2:E2")
    ws.merge_cells("A2:A3"); ws.merge_cells("B2:B3"); ws.merge_cells("F2:F3")
    ws.append([None, None, "2016年", "2017年", "2018年", None])
    for ind, unit, ys in city_rows():
        ws.append([ind, unit, ys[2016], ys[2017], ys[2018], SRC])
    ws.append([]); ws.append(["注：2018年为初步数。"]); ws.append(["填表人：张三", None, "审核人：李四"])
    save_wb(wb, "34_merged_two_row_header.xlsx"); expect("34_merged_two_row_header.xlsx", "values", 12)
    # 35 a binary file of another kind under a CSV name
    (HERE / "35_binary.csv").write_bytes(bytes(range(256)) * 4)
    expect("35_binary.csv", "error", phrase="binary")
    pd.DataFrame(EXPECT).to_csv(HERE / "expected.csv", index=False, lineterminator="\n")


def write_shipped_wide(path: Path) -> None:
    """The shipped illustrative outturns as a wide Chinese workbook (the issue's acceptance file)."""
    from twocreate.plan import load_plan
    plan = load_plan()
    d = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
    names = dict(zip(plan.indicators["code"], plan.indicators["name_zh"]))
    years = sorted(d["year"].unique())
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "实际值"
    ws.append(["济南市小微企业创业创新主要指标（2015—2018年）（示例数据）"]); ws.merge_cells("A1:J1")
    ws.append(["单位：见“计量单位”列"])
    ws.append(["指标名称", "地区代码", "计量单位", "年份"] + [None] * (len(years) - 1) + ["数据状态", "数据来源", "备注"])
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=3 + len(years))
    ws.append([None, None, None] + [f"{y}年" for y in years] + [None, None, None])
    for c in (1, 2, 3, 4 + len(years), 5 + len(years), 6 + len(years)):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    for (ind, unit), g in d.groupby(["indicator", "unit"], sort=False):
        for area, ga in g.groupby("area_code", sort=False):
            vals = dict(zip(ga["year"], ga["value"]))
            ws.append([names[ind], int(area), unit] + [float(vals[y]) if y in vals else None for y in years]
                      + ["示例", ga["source"].iloc[0], ga["note"].iloc[0]])
        parts = g[g["area_code"] != "370100"]
        if not parts.empty:  # what =SUM() over the district rows above gives
            sums = [round(sum(float(v) for v in parts.loc[parts["year"] == y, "value"]), 6)
                    if (parts["year"] == y).any() else None for y in years]
            ws.append(["合计", None, unit] + sums + [None, None, None])
    ws.append([])
    ws.append(["注：本表为示例数据，并非官方统计；高新区单列。"])
    ws.append(["填表人：", None, "审核人：", None, "填报日期：2019年3月"])
    wb.save(path)


def add_formulas(path: Path) -> None:
    """Turn the value column into formulas with cached values, as Excel saves them."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                xml = re.sub(r'<c r="D(\d+)" t="n"><v>([^<]+)</v></c>',
                             lambda m: f'<c r="D{m.group(1)}"><f>{m.group(2)}*1</f><v>{m.group(2)}</v></c>'
                             if m.group(1) != "1" else m.group(0), xml)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    shutil.move(tmp, path)


if __name__ == "__main__":
    make()
    print(f"{len(EXPECT)} expectations, {len(list(HERE.glob('[0-9][0-9]_*')))} files in {HERE}")
