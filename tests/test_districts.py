"""District registry, comparisons, checks, the district verdicts, the words and charts of the two district
reports, and the two notebooks under papermill."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from twocreate import InputError
from twocreate import districts as td
from twocreate.district_checks import check_districts
from twocreate.views import district_charts as dc
from twocreate.views import districts as dv

from conftest import ROOT, execute_notebook, notebook_text, stderr_text

SRC = "test"


def tidy(rows):
    """rows: (indicator, area_code, year, value) → a tidy observations frame."""
    df = pd.DataFrame(rows, columns=["indicator", "area_code", "year", "value"])
    return df.assign(unit="万元", status="illustrative", source=SRC, note=None)


def test_contributions_sum_to_total_growth():
    # base A=60, B=40 (total 100) → latest A=75, B=45 (total 120): the total grows 20%;
    # A contributes (75−60)/100 = 15 pp, B (45−40)/100 = 5 pp; 15 + 5 = 20.
    base = pd.Series({"A": 60.0, "B": 40.0})
    latest = pd.Series({"A": 75.0, "B": 45.0})
    c = td.contribution_to_growth(base, latest)
    assert c["A"] == pytest.approx(15.0) and c["B"] == pytest.approx(5.0)
    assert c.sum() == pytest.approx((latest.sum() / base.sum() - 1) * 100)
    # a district that shrinks contributes negatively: A 50→40, B 50→70: total 100→110, +10%;
    # A (40−50)/100 = −10 pp, B (70−50)/100 = +20 pp; −10 + 20 = 10.
    c2 = td.contribution_to_growth(pd.Series({"A": 50.0, "B": 50.0}), pd.Series({"A": 40.0, "B": 70.0}))
    assert list(c2) == pytest.approx([-10.0, 20.0]) and c2.sum() == pytest.approx(10.0)
    with pytest.raises(ValueError, match="C"):
        td.contribution_to_growth(base, pd.Series({"A": 1.0, "B": 2.0, "C": 3.0}))


def test_shipped_contributions_add_up_to_city_growth(plan, obs):
    comp = td.comparison_table(obs, plan, 2018, ["revenue"])
    city = obs[(obs["indicator"] == "revenue") & (obs["area_code"] == "370100")].set_index("year")["value"]
    # city 2018 104,300,000 against the plan's stated 2015 base 80,300,000 万元: +29.89%
    assert comp["contribution_pp"].sum() == pytest.approx((city[2018] / 80_300_000 - 1) * 100)


def test_rank_ties_competition():
    r = td.rank(pd.Series({"a": 9.0, "b": 7.0, "c": 7.0, "d": 5.0, "e": float("nan")}))
    assert r.tolist()[:4] == [1, 2, 2, 4] and pd.isna(r["e"])


def test_harmonise_and_lookup(plan):
    obs = tidy([("revenue", "370181", 2016, 10), ("revenue", "370114", 2017, 11),
                ("revenue", "370125", 2017, 5), ("revenue", "370115", 2018, 6)])
    h = td.harmonise_codes(obs, plan)
    assert h["area_code"].tolist() == ["370114", "370114", "370115", "370115"]
    assert h["reported_code"].tolist()[0] == "370181"
    for name in ("章丘市", "章丘", "370181", "Zhangqiu District"):
        assert td.lookup(name, plan) == "370114"
    assert td.lookup("高新区", plan) == "370171" and td.lookup("历下区", plan) == "370102"
    # the same district-year under old and new code is an error naming district and year
    with pytest.raises(InputError, match="2016"):
        td.harmonise_codes(tidy([("revenue", "370181", 2016, 1), ("revenue", "370114", 2016, 1)]), plan)


def test_unknown_district_is_an_error(plan):
    with pytest.raises(InputError, match="朝阳区"):
        td.lookup("朝阳区", plan)
    with pytest.raises(InputError, match="379999"):
        td.harmonise_codes(tidy([("revenue", "379999", 2016, 1)]), plan)


def test_additivity_and_missing_year_warnings(plan, obs):
    assert check_districts(obs, plan) == []
    bad = obs.copy()
    sel = (bad["indicator"] == "revenue") & (bad["area_code"] == "370102") & (bad["year"] == 2017)
    bad.loc[sel, "value"] *= 1.5  # 历下区 2017 up by half: the district sum misses the city by ~7%, > 0.5%
    issues = check_districts(bad, plan)
    assert [(i.severity, i.kind, i.year) for i in issues] == [("warning", "additivity", 2017)]
    with pytest.raises(InputError):
        check_districts(bad, plan, additivity="error")
    gone = obs[~((obs["indicator"] == "patents") & (obs["area_code"] == "370126") & (obs["year"] == 2017))]
    issues = check_districts(gone, plan)
    miss = [i for i in issues if i.kind == "missing_year"]
    assert len(miss) == 1 and miss[0].area_code == "370126" and miss[0].year == 2017
    assert "Shanghe" in miss[0].message and "2017" in miss[0].message
    zh = check_districts(gone, plan, lang="zh")[0]
    assert zh.message == "商河县（370126）缺少2017年小微企业拥有授权专利数数据"
    # and the missing year is left blank, not guessed
    comp = td.comparison_table(gone, plan, 2017, ["patents"])
    assert pd.isna(comp.loc[comp["area_code"] == "370126", "value"]).all()


def test_context_and_normalisation(plan):
    ctx = td.load_context(plan=plan)
    assert "370114" in ctx.index and "370171" not in ctx.index  # 章丘市 → 章丘区; no row for the zone
    v = td.normalise(pd.Series({"370102": 56.0, "370171": 10.0}), ctx, "population")
    assert v["370102"] == pytest.approx(1.0) and pd.isna(v["370171"])


# --------------------------------------------------------------------------- ranks and columns (issue 18)
def test_ties_share_a_rank_at_the_precision_the_report_prints(plan, obs):
    # 天桥区 8.0442万人次 / 51.5万人 = 1,562.0 and 历城区 13.5447 / 86.7 = 1,562.2人次/万人: both print
    # as 1,562人次/万人, so both rank 3 (they were ranked 4 and 3)
    comp = td.comparison_table(obs, plan, 2018, ["new_employment"])
    r = comp.set_index("area_code")
    assert r.loc["370105", "normalised"] != r.loc["370112", "normalised"]
    assert r.loc["370105", "rank_normalised"] == r.loc["370112", "rank_normalised"] == 3
    assert r.loc["370113", "rank_normalised"] == 9  # the next rank is skipped as ever: 1, 2, 3, 3, 5 …
    tab = dv.indicator_table(plan, comp, "new_employment", "zh").set_index("区县")
    norm = [c for c in tab.columns if c.startswith("每万人")][0]
    assert tab.loc["天桥区", norm] == tab.loc["历城区", norm] == "1,562人次/万人"
    assert tab.loc["天桥区", "标准化位次"] == tab.loc["历城区", "标准化位次"] == "3"
    # at the precision given: 1,562.0 and 1,562.2 tie, 1,563 does not
    assert td.rank(pd.Series([1562.0, 1562.2, 1563.0]), unit="").tolist() == [2, 2, 1]
    assert td.rank(pd.Series([1562.0, 1562.2, 1563.0])).tolist() == [3, 2, 1]


def test_headers_say_what_the_values_are_per(plan, obs):
    comp = td.comparison_table(obs, plan, 2018)
    rev = dv.indicator_table(plan, comp, "revenue", "zh")
    head = [c for c in rev.columns if c.startswith("人均")]
    assert head == ["人均（2015年人口）"]  # revenue per 10,000 people in 万元 reads as yuan per person
    assert all(v.endswith("元/人") for v in rev[head[0]] if v != "—")
    emp = dv.indicator_table(plan, comp, "new_employment", "zh")
    assert all(v.endswith("人次/万人") for v in emp["每万人（2015年人口）"] if v != "—")
    en = dv.indicator_table(plan, comp, "revenue", "en")
    assert all(v.endswith("yuan") for v in en["Per person (2015 population)"] if v != "—")
    groups = td.group_aggregates(obs, plan, 2018)
    gt = dv.group_table(plan, groups, 2018, "zh", "population")
    norm = [c for c in gt.columns if c.startswith("标准化值")][0]
    assert "每万人" not in norm and norm == "标准化值（按2015年总人口标准化）"  # several units: each cell says its own
    assert {v[-3:] for v in gt[norm]} == {"元/人", "/万人"}


def test_one_unit_and_one_magnitude_per_column(plan, obs):
    comp = td.comparison_table(obs, plan, 2018)
    tab = dv.indicator_table(plan, comp, "tech_contract", "zh")
    # 市中区 1.42亿元 beside 平阴县 2,319万元 was two magnitudes in one column
    for col in ("2016年", "2018年"):
        assert all(v.endswith("亿元") for v in tab[col]), tab[col].tolist()
    assert tab.set_index("区县").loc["平阴县", "2018年"] == "0.23亿元"
    en = dv.indicator_table(plan, comp, "tech_contract", "en")
    assert all(v.startswith("CNY ") and v.endswith(" million") for v in en["2018"])
    emp = dv.indicator_table(plan, comp, "new_employment", "en")
    assert emp.iloc[0, 2] == "94,000 person-times"  # 9.4026万人次 at the Chinese column's precision, 0.1万


# --------------------------------------------------------------------------- district verdicts (issue 17)
def test_target_gaps_carry_the_engines_verdict(plan, obs):
    tg = td.read_targets(plan=plan)
    g18 = td.target_gaps(obs, tg, plan, 2018)
    assert len(g18) == 44 and set(g18["verdict"]) == {"achieved", "not_achieved"}  # the target year: no pace
    assert list(dict.fromkeys(g18["area_code"])) == td.district_codes(plan)  # in the order of areas.csv
    lix = g18[(g18["area_code"] == "370102") & (g18["indicator"] == "revenue")].iloc[0]
    # 历下区: 1,486亿元 against its own 1,496亿元 is not achieved (99.3%, 10.1亿元 short); on track was its pace
    assert lix["verdict"] == "not_achieved" and lix["category"] == "on_track"
    assert lix["achievement"] == pytest.approx(14_861_277 / 14_961_800) and lix["gap"] == pytest.approx(100_523)
    assert dv.verdict_detail(plan, lix, "zh") == "未实现目标（完成99.3%，差10.1亿元）"
    g17 = td.target_gaps(obs, tg, plan, 2017)
    assert set(g17["verdict"]) <= {"on_track", "acceleration_needed", "limited_progress", "deterioration"}
    g16 = td.target_gaps(obs, tg, plan, 2016)  # district series of two indicators start in 2016: no base yet
    na = g16[g16["verdict"] == "not_assessable"]
    assert set(na["indicator"]) == {"tech_contract", "patents"} and set(na["reason"]) == {"no_base"}
    assert dv.verdict_cell(na.iloc[0], "zh") == "无法评估（无基数可衡量进展）"


def test_a_district_without_targets_of_its_own_gets_none(plan, obs):
    tg = td.read_targets(plan=plan)
    without = tg[tg["area_code"] != "370113"]
    assert "370113" not in td.areas_with_targets(without, plan) and "370112" in td.areas_with_targets(without, plan)
    g = td.target_gaps(obs, without, plan, 2018)
    assert len(g) == 40 and "370113" not in set(g["area_code"])


def test_the_conclusion_names_leaders_and_districts_behind_their_own_targets(plan, obs):
    comp = td.comparison_table(obs, plan, 2018)
    gaps = td.target_gaps(obs, td.read_targets(plan=plan), plan, 2018)
    zh = dv.conclusion(plan, comp, gaps, 2018, "zh", True)
    assert zh.startswith("截至2018年，在11个区县单位中，济南高新区的小微企业营业收入、小微企业技术合同成交额")
    assert "44项区县目标中已实现17项、未实现27项" in zh and "历下区（2项）" in zh and "无法评估" not in zh
    en = dv.conclusion(plan, comp, gaps, 2018, "en", True)
    assert "of 44 district targets 17 were achieved, 27 not achieved" in en and "Lixia District (2)" in en
    pace = dv.conclusion(plan, td.comparison_table(obs, plan, 2017), td.target_gaps(obs, td.read_targets(plan=plan),
                                                                                     plan, 2017), 2017, "zh", True)
    assert "进度正常24项、需加快14项、进展有限6项" in pace and "落后于自身目标的区县" in pace
    assert dv.conclusion(plan, comp, None, 2018, "zh", False).endswith("未提供区县目标：各区县没有本地目标，不以全市目标评价。")


# --------------------------------------------------------------------------- words from plan data
def _plan_copy(tmp_path, edit_areas=None, drop_keys=()):
    import shutil
    d = tmp_path / plan_dir().name  # a plan folder is named by its id
    shutil.copytree(plan_dir(), d)
    if edit_areas:
        a = pd.read_csv(d / "areas.csv", dtype=str, keep_default_na=False)
        edit_areas(a)
        a.to_csv(d / "areas.csv", index=False)
    toml = d / "plan.toml"
    lines = [l for l in toml.read_text(encoding="utf-8").splitlines() if l.split(" = ")[0] not in drop_keys]
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from twocreate.plan import load_plan
    return load_plan(d)


def plan_dir():
    from twocreate.plan import PLAN_DIR
    return PLAN_DIR


def test_district_words_come_from_the_plan_folder(plan, tmp_path):
    assert dv.change_sentences(plan, "zh") == [
        "行政区划调整：章丘市（370181）2017年起为章丘区（370114）。按旧代码报送的数据并入新代码，序列连续。",
        "行政区划调整：济阳县（370125）2018年起为济阳区（370115）。按旧代码报送的数据并入新代码，序列连续。"]
    assert "其范围位于历城区、历下区、章丘区境内" in dv.zone_note(plan, "separate", "zh", td.load_context(plan=plan))
    assert dv.title(plan, 2018, "zh") == "核心示范区与辐射带动县（市、区）比较（截至2018年）"
    assert dv.roles_text(plan, "en").startswith("core demonstration areas: Jinan High-tech Zone, Shizhong District")

    def edit(a):  # another successor year, another name, no `within` column
        a.loc[a["area_code"] == "370114", ["valid_from", "name_zh"]] = ["2019", "东丘区"]
        del a["within"]
    other = _plan_copy(tmp_path, edit, drop_keys=("role_core_zh", "role_radiating_zh", "role_core_en",
                                                  "role_radiating_en", "district_context", "district_targets"))
    assert dv.change_sentences(other, "zh")[0] == \
        "行政区划调整：章丘市（370181）2019年起为东丘区（370114）。按旧代码报送的数据并入新代码，序列连续。"
    note = dv.zone_note(other, "separate", "zh")
    assert note.startswith("济南高新区是功能区，不是行政区。") and "境内" not in note
    assert dv.role_label(other, "core", "zh") == "核心区域" and dv.title(other, 2018, "en") == \
        "Core areas and radiating areas compared, to 2018"
    assert td.context_path(other) is None and td.targets_path(other) is None  # the defaults are the plan's
    assert td.context_path(plan).name == "districts_2015_yearbook.csv" and td.targets_path(plan).name == \
        "targets_example.csv" and td.context_year(plan) == 2015


def test_a_later_base_year_is_said_from_the_data(plan, obs):
    comp = td.comparison_table(obs, plan, 2018)
    assert dv.base_year_notes(plan, comp, "zh") == [
        "小微企业技术合同成交额、小微企业拥有授权专利数的区县数据不全部始于2015年，以各区县均有数据的最早年份2016年为基年。"]
    # give every district a 2015 patent figure: the note no longer names patents
    rows = obs[(obs["indicator"] == "patents") & (obs["year"] == 2016)].assign(year=2015)
    rows = rows.assign(value=rows["value"] * 0.9)
    more = pd.concat([obs, rows], ignore_index=True)
    notes = dv.base_year_notes(plan, td.comparison_table(more, plan, 2018), "zh")
    assert len(notes) == 1 and "专利" not in notes[0] and "技术合同成交额" in notes[0]


def test_a_plan_without_context_figures_compares_totals(plan, obs):
    comp = td.comparison_table(obs, plan, 2018, context=td.no_context(), normalise_by="none")
    assert comp["normalised"].equals(comp["value"]) and comp["rank_normalised"].equals(comp["rank"])


# --------------------------------------------------------------------------- charts (issue 18)
def _charts(plan, obs, lang):
    comp = td.comparison_table(obs, plan, 2018)
    groups = td.group_aggregates(obs, plan, 2018)
    idx = td.index_tables(obs, plan, plan.indicator_codes, 2018)
    return {"small_multiples": dc.small_multiples(plan, idx, 2018, lang),
            "heatmap": dc.heatmap_chart(plan, comp, idx, 2018, lang),
            "groups": dc.group_chart(plan, groups, idx, lang, "population"),
            "ranking": dc.ranking_chart(plan, comp, "new_employment", lang),
            "profile": dc.profile_chart(plan, obs, "370102", 2018, plan.indicator_codes, lang, idx, groups)}


@pytest.mark.slow  # draws and measures every district chart in both languages (≈ 5 s each)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_are_readable_at_a_1280_px_page(plan, obs, lang):
    import matplotlib.pyplot as plt
    from twocreate import plotting
    for name, (fig, alt) in _charts(plan, obs, lang).items():
        small = [(s, round(px, 1)) for s, px in plotting.text_sizes_px(fig) if px < 10]
        assert small == [], f"{name}: text under 10 px at a 1280 px page: {small[:5]}"
        texts = [fig._suptitle] if fig._suptitle else []
        for ax in fig.axes:
            if ax.get_visible():
                texts += [ax.title] + ax.get_xticklabels() + ax.get_yticklabels()
                if ax.get_legend():
                    texts += ax.get_legend().get_texts()
        low = [(x.get_text(), round(plotting.contrast_ratio(x.get_color()), 2)) for x in texts
               if x.get_text().strip() and plotting.contrast_ratio(x.get_color()) < 4.5]
        assert low == [], f"{name}: text below 4.5:1 on white: {low[:5]}"
        assert 20 < len(alt) <= 300 and re.search(r"\d", alt), f"{name}: alt text of {len(alt)} characters: {alt}"
        plotting.mark_illustrative(fig, lang)  # its corner label (bottom right) meets no label, title or legend
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        corner = fig.texts[-1].get_window_extent(r)
        boxes = [(x.get_text(), x.get_window_extent(r)) for x in texts if x.get_text().strip() and x.get_visible()]
        boxes += [("legend", lg.get_window_extent(r)) for lg in fig.legends]
        assert [n for n, b in boxes if b.overlaps(corner)] == [], f"{name}: the illustrative mark covers text"
        plt.close(fig)


def test_panel_titles_take_the_groups_text_colours(plan, obs):
    from twocreate import plotting
    fig, _ = _charts(plan, obs, "zh")["small_multiples"]
    colours = {ax.get_title(): ax.title.get_color() for ax in fig.axes if ax.get_visible() and ax.get_title()}
    assert colours["章丘区"] == plotting.GROUP_TEXT_COLOURS["radiating"] != plotting.GROUP_COLOURS["radiating"]
    assert min(plotting.contrast_ratio(c) for c in colours.values()) >= 4.5


# --------------------------------------------------------------------------- the reports
@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The comparison in both languages and three profiles (a district with its own targets, one
    without, the default one), report year 2018, executed with papermill."""
    d = tmp_path_factory.mktemp("district-reports")
    tg = pd.read_csv(td.targets_path(td.load_plan()), dtype=str)
    fewer = d / "targets_without_370113.csv"
    tg[tg["area_code"] != "370113"].to_csv(fewer, index=False)
    out = {}
    for key, nb, params in [("cmp_zh", "03_district_comparison.ipynb", dict(lang="zh")),
                            ("cmp_en", "03_district_comparison.ipynb", dict(lang="en")),
                            ("lixia", "04_district_profile.ipynb", dict(lang="zh", area_code="370102")),
                            ("none_en", "04_district_profile.ipynb", dict(lang="en", area_code="长清区",
                                                                           targets=str(fewer))),
                            ("default", "04_district_profile.ipynb", dict(lang="zh"))]:
        run = d / key
        run.mkdir()
        out[key] = (execute_notebook(nb, run, **params), run)
    return out


def _page_text(nb) -> str:
    """The text of a report's outputs, tags and the illustrative banner removed (the banner is the page's)."""
    import html
    text = "\n".join("".join(o["data"]["text/html"]) for c in nb.cells for o in c.get("outputs", [])
                     if "text/html" in o.get("data", {}))
    text = re.sub(r'<div class="tc-illustrative".*?</div>', "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _published(nb) -> dict:
    """The values a report publishes for its markdown narrative."""
    from twocreate.narrative import VALUES_MIME
    out: dict = {}
    for c in nb.cells:
        for o in c.get("outputs", []):
            out.update(o.get("data", {}).get(VALUES_MIME, {}))
    return out


@pytest.mark.e2e
def test_comparison_notebook_runs_with_the_defaults_of_make_reports(reports, plan):
    nb, run = reports["cmp_zh"]
    text = notebook_text(nb)
    for name in ("济南高新区", "历下区", "章丘区", "济阳区", "核心示范区"):
        assert name in text
    assert "Glyph" not in stderr_text(nb)
    assert nb.metadata["twocreate_record"]["illustrative"] is True
    for f in ("district_comparison_2018.csv", "district_groups_2018.csv", "district_target_gaps_2018.csv"):
        assert (run / "processed" / f).exists()  # the target year by default, and its year in every name
    import papermill
    for name in ("03_district_comparison.ipynb", "04_district_profile.ipynb"):
        params = papermill.inspect_notebook(str(ROOT / "notebooks" / name))
        for p in ("year", "observations", "targets", "context") + (("area_code",) if "04" in name else ()):
            assert params[p]["default"] == "None", (name, p)


@pytest.mark.e2e
def test_the_conclusion_opens_the_comparison(reports):
    nb, _ = reports["cmp_zh"]
    html_out = notebook_text(nb)
    summary = html_out.index('class="tc-summary"')
    assert summary < html_out.index('id="districts"') and summary < html_out.index('id="targets"')
    lead = re.search(r'<p class="tc-lead">(.*?)</p>', html_out).group(1)
    assert "有目标未实现的区县" in lead and "历下区（2项）" in lead


@pytest.mark.e2e
def test_a_chinese_page_holds_no_english_sentence(reports):
    text = _page_text(reports["cmp_zh"][0])
    assert "zone =" not in text and "separate" not in text
    latin = set(re.findall(r"[A-Za-z][A-Za-z_ ]{2,}[A-Za-z]", re.sub(r"\S+\.csv", "", text)))
    assert latin == set(), latin
    assert "ILLUSTRATIVE" not in _page_text(reports["lixia"][0])


@pytest.mark.e2e
def test_an_english_page_holds_chinese_only_as_names_and_plan_references(reports, plan):
    nb = reports["cmp_en"][0]
    text = _page_text(nb) + "\n".join(str(v) for v in _published(nb).values())
    allowed = {plan.meta["document_number"], *plan.areas["section"].dropna()}
    tg = td.read_targets(plan=plan)
    allowed |= set(re.findall(r"[\u4e00-\u9fff〔〕]+", " ".join(tg["source"].dropna())))
    for a in sorted(allowed, key=len, reverse=True):
        text = text.replace(a, "")
    assert re.findall(r"[\u4e00-\u9fff]+", text) == []
    assert "Jinan High-tech Zone, Shizhong District and Lixia District" in text  # the plan's names in English


@pytest.mark.e2e
def test_a_profile_judges_the_district_against_its_own_target(reports):
    nb, run = reports["lixia"]
    text = _page_text(nb)
    assert "未实现目标（完成99.3%，差10.1亿元）" in text  # 1,486亿元 against its own 1,496亿元
    assert _published(nb)["role_text"] == "历下区在计划§二(四)中的定位：核心示范区。"
    assert (run / "processed" / "district_profiles" / "district_profile_370102_2018.csv").exists()


@pytest.mark.e2e
def test_a_profile_without_targets_says_so_and_shows_the_citys_pace_as_the_citys(reports):
    nb, _ = reports["none_en"]
    text = _page_text(nb)
    assert "No target for this area" in text and "the area has no target of its own" in text
    assert "Jinan's pace (context, not this district's verdict)" in text
    assert "Target not achieved (97.6% of the target" in text  # the city's revenue verdict, labelled as the city's
    assert _published(nb)["role_text"].startswith("The plan does not name Changqing District")
    assert "Glyph" not in stderr_text(nb)


@pytest.mark.e2e
def test_the_default_profile_is_the_plans_first_district(reports, plan):
    nb, run = reports["default"]
    first = td.district_codes(plan)[0]
    assert plan.area_name(first, "zh") in notebook_text(nb)  # its title in the index: test_index_facts
    assert (run / "processed" / "district_profiles" / f"district_profile_{first}_2018.csv").exists()


CHROMIUM = __import__("shutil").which("chromium")
# every table cell of a page, laid out for print (A4 less the template's margins: 182 mm = 688 px),
# whose text wraps onto a line about one character wide
SQUEEZED_JS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('table.tc-table th, table.tc-table td')) {
    const text = cell.innerText.trim();
    if (text.length < 2) continue;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    const range = document.createRange(); range.selectNodeContents(cell);
    const lines = {};
    for (const b of range.getClientRects()) {
      if (b.width < 0.5) continue;
      const k = Math.round(b.top), l = lines[k] || [1e9, -1e9];
      lines[k] = [Math.min(l[0], b.left), Math.max(l[1], b.right)];
    }
    const ls = Object.values(lines);
    if (ls.length > 1 && ls.some(([a, b]) => b - a < 1.3 * em)) out.push(text);
  }
  return [...new Set(out)];
}"""


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian's, as .ci/run installs it)")
def test_district_reports_print_with_no_column_squeezed_to_one_character(built_reports):
    from playwright.sync_api import sync_playwright
    out, _ = built_reports
    pages = [out / "2018" / lang / name for lang in ("zh", "en")
             for name in ("district_comparison.html", "district_profile/370102.html")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 688, "height": 1000})
                page.emulate_media(media="print")
                page.goto(path.as_uri(), wait_until="load")
                squeezed = page.evaluate(SQUEEZED_JS)
                page.close()
                assert squeezed == [], f"{path.relative_to(out)}: cells squeezed to one character a line: {squeezed}"
        finally:
            browser.close()
