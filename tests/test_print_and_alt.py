"""Reports print to clean A4 PDF from headless Chromium, and every chart has alt text from its data.

The print test needs Debian's `chromium` and poppler's `pdftotext`/`pdfinfo` (.ci/run installs both);
it is skipped with a message where they are missing.
"""
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")
SINGLE_CJK_LINE = re.compile(r"^\s*[\u4e00-\u9fff]\s*$", re.M)
MARK_ZH = "本报告含示例数据"
MAX_PAGES = {"progress": 6, "fund_leverage": 12, "district_comparison": 12, "district_profile": 4, "tasks": 9}


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def one_per_kind(out: Path, lang: str = "zh") -> dict[str, Path]:
    kinds = {}
    for e in json.loads((out / "manifest.json").read_text(encoding="utf-8")):
        if e["lang"] == lang:
            kinds.setdefault(e["kind"], out / e["path"])
    return kinds


def test_every_chart_has_alt_text_from_its_data(built_reports):
    out, _ = built_reports
    seen = 0
    for html_path in sorted(out.rglob("*.html")):
        if html_path.name.startswith("index"):
            continue
        p = _Images()
        p.feed(html_path.read_text(encoding="utf-8"))
        for img in p.images:
            seen += 1
            alt = img.get("alt") or ""
            assert len(alt) > 20, f"{html_path}: chart without alt text"
            assert re.search(r"\d", alt), f"{html_path}: alt text carries no figures: {alt[:80]}"
    assert seen >= 10
    traj = (out / "2018" / "zh" / "progress.html").read_text(encoding="utf-8")
    # the example of issue 11: revenue 2015 → 2018 against its target
    assert re.search(r'alt="[^"]*小微企业营业收入[^"]*2015年8,030亿元[^"]*2018年10,430亿元[^"]*10,687亿元', traj)
    tasks = (out / "2018" / "en" / "tasks.html").read_text(encoding="utf-8")
    # the task chart: counts by status and the share of each task behind (the year that decides it)
    assert re.search(r'alt="Count tasks to 2018 as a share of their targets: 4 met, 3 behind, [^"]*'
                     r'behind: New maker spaces 86.7%', tasks)


def test_describe_figure_formats_values_as_the_axis_does():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from twocreate import fmt, plotting
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.plot([2015, 2018], [80_300_000, 104_300_000], label="实际值")
    plotting.year_axis(ax, [2015, 2018])
    plotting.value_axis(ax, lambda v: fmt.money_10k_yuan(v, "zh", 4))
    ax.set_title("小微企业营业收入")
    text = plotting.describe_figure(fig, "zh")
    plt.close(fig)
    assert text == "小微企业营业收入：实际值 2015年8,030亿元，2018年10,430亿元"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None or PDFINFO is None,
                    reason="needs chromium and poppler-utils (pdftotext, pdfinfo): .ci/run installs them")
def test_every_kind_prints_to_a4_with_sensible_breaks(built_reports, tmp_path):
    out, _ = built_reports
    for kind, path in one_per_kind(out).items():
        pdf = tmp_path / f"{kind}.pdf"
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", path.as_uri()], capture_output=True, timeout=180, check=False)
        assert pdf.exists() and pdf.stat().st_size > 10_000, f"{kind}: no PDF"
        info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        assert abs(float(size.group(1)) - 595) < 3 and abs(float(size.group(2)) - 842) < 3, f"{kind}: not A4: {size.group(0)}"
        assert 1 <= pages <= MAX_PAGES.get(kind, 12), f"{kind}: {pages} pages"
        text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "济政办发" in text and "小微企业" in text, f"{kind}: Chinese text missing from the PDF"
        assert len(SINGLE_CJK_LINE.findall(text)) <= 40, f"{kind}: columns squeezed to one character a line"
        assert "目录" not in text.split("\f")[0][:400] or kind == "", f"{kind}: navigation printed"
        for i in range(1, pages + 1):
            page = subprocess.run([PDFTOTEXT, "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert MARK_ZH in page, f"{kind}: page {i} lacks the illustrative mark"
            assert re.search(rf"第\s*{i}\s*页", page), f"{kind}: page {i} has no page number"
