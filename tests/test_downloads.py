"""The data behind every table and chart, downloadable offline (issue 18 §5): a "下载数据 / Download
data" link per table and chart (a CSV in UTF-8 with BOM, embedded as a ``data:`` URI), and on the
index one workbook per plan and year with every processed table of that year as a sheet with
Chinese headers."""
from __future__ import annotations

import base64
import re

import pandas as pd
import pytest


def _shown(monkeypatch):
    from twocreate import present
    html = []
    monkeypatch.setattr(present, "_display", lambda obj: html.append(getattr(obj, "data", obj)))
    return html


def _csv(uri: str) -> bytes:
    assert uri.startswith("data:text/csv;base64,")
    return base64.b64decode(uri.split(",", 1)[1])


def test_a_table_carries_its_data_as_a_csv_with_bom(monkeypatch):
    from twocreate.present import Page
    html = _shown(monkeypatch)
    Page("zh").table(pd.DataFrame({"指标": ["营业收入", "=HYPERLINK(\"x\")"], "数值": ["8,030亿元", "1"]}),
                     caption=("表一：收入", "Table 1"))
    out = html[-1]
    m = re.search(r'<a href="(data:[^"]+)" download="([^"]+)"[^>]*>下载数据', out)
    assert m, out[-300:]
    assert m.group(2) == "表一：收入.csv"
    data = _csv(m.group(1))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "指标,数值" and "营业收入,\"8,030亿元\"" in text
    assert "'=HYPERLINK" in text  # a formula-like cell never runs in a spreadsheet


def test_a_chart_carries_the_values_it_draws(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from twocreate.plotting import use_style
    from twocreate.present import Page
    use_style()
    html = _shown(monkeypatch)
    fig, ax = plt.subplots()
    ax.bar([2016, 2017], [3.5, 4.25], label="Outturn")
    ax.set_xticks([2016, 2017])
    ax.set_title("Revenue")
    Page("en").figure(fig, alt="Revenue 2016 3.5, 2017 4.25", caption=("收入", "Revenue"), illustrative=False)
    link = next(h for h in html if isinstance(h, str) and "tc-download" in h)
    assert ">Download data (CSV)<" in link
    text = _csv(re.search(r'href="([^"]+)"', link).group(1)).decode("utf-8-sig")
    assert text.splitlines() == ["Panel,Series,Position,Value", "Revenue,Outturn,2016,3.5", "Revenue,Outturn,2017,4.25"]


def test_the_yearly_workbook_has_a_sheet_per_table_chinese_headers_and_no_formula(tmp_path):
    from openpyxl import load_workbook
    from twocreate.build.workbook import write_workbook, year_tables
    proc = tmp_path / "processed"
    (proc / "district_profiles").mkdir(parents=True)
    pd.DataFrame({"indicator": ["revenue", "=1+1"], "value_2016": [1.5, 2], "status": ["ok", "@x"]}).to_csv(
        proc / "progress_370100_2018.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"code": ["a"], "rank": [1]}).to_csv(proc / "district_profiles" / "district_profile_370102_2018.csv",
                                                      index=False, encoding="utf-8-sig")
    pd.DataFrame({"code": ["b"]}).to_csv(proc / "progress_370100_2017.csv", index=False)
    pd.DataFrame({"code": ["c"]}).to_csv(proc / "other-plan_progress_370100_2018.csv", index=False)
    tables = year_tables(proc, 2018, "", ["other-plan_"])
    assert [p.name for p in tables] == ["progress_370100_2018.csv", "district_profile_370102_2018.csv"]
    book = tmp_path / "2018" / "data_2018.xlsx"
    assert write_workbook(book, tables, 2018, "")
    assert not write_workbook(book, tables, 2018, "")  # unchanged tables: the file is left alone
    wb = load_workbook(book)
    assert wb.sheetnames == ["progress_370100", "district_profile_370102"]
    ws = wb["progress_370100"]
    assert [c.value for c in ws[1]] == ["指标", "数值（2016年）", "状态"]
    assert ws["A3"].value == "'=1+1" and ws["A3"].data_type == "s" and ws["C3"].value == "'@x"
    assert ws["B2"].value == 1.5 and ws["B3"].value == 2


@pytest.mark.e2e
def test_every_table_of_a_built_report_has_its_link_and_the_index_links_an_opening_workbook(built_reports):
    from openpyxl import load_workbook
    out, _ = built_reports
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "index" in page.name:
            continue
        tables = len(re.findall(r'<figure class="tc-table-wrap', text))
        links = len(re.findall(r'<figure class="tc-table-wrap[^>]*>(?:(?!</figure>).)*</table>\s*<p class="tc-download">'
                               r'<a [^>]*href="data:text/csv;base64,', text, flags=re.S))
        assert tables and links == tables, (page, tables, links)
        charts = len(re.findall(r'<img [^>]*src="data:image/png', text))
        assert text.count('class="tc-download"') >= tables + (1 if charts else 0), page
    index = (out / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<a [^>]*href="(2018/data_2018\.xlsx)"[^>]*>2018年全部数据表', index)
    assert m, "the index links the 2018 workbook"
    assert 'href="2018/data_2018.xlsx"' in (out / "index.en.html").read_text(encoding="utf-8")
    wb = load_workbook(out / m.group(1), read_only=True)
    names = wb.sheetnames
    assert {"progress_370100", "task_ledger", "district_comparison", "fund_execution"} <= set(names), names
    first = next(wb["progress_370100"].iter_rows(max_row=1, values_only=True))
    assert "代码" in first and "评价" in first and "code" not in first, first
