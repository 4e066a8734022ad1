"""The plan files: transcribed values, provenance, validation of edited files."""
import shutil

import pytest

from conftest import ROOT
from twocreate import InputError
from twocreate import audit as tau
from twocreate.views import progress as pv
from twocreate.plan import PLAN_DIR, load_plan


def test_transcribed_values(plan):
    assert plan.baseline_value("market_entities") == 47.78
    assert plan.baseline_value("small_micro_share") == 85.84
    assert plan.baseline_value("employment") == 281
    assert plan.baseline_value("employment_share_urban") == 69.14
    assert plan.baseline_value("revenue") == 8030
    assert plan.baseline_value("profit") == 1250
    assert plan.baseline_value("taxes") == 324
    assert plan.stated_baseline("revenue") == 80_300_000  # 8030亿元 in 万元
    heads = dict(zip(plan.indicators["code"], plan.indicators["headline_target_pct"]))
    assert heads == {"revenue": 33, "new_employment": 32, "tech_contract": 98, "patents": 70}
    assert plan.subtarget_series("revenue").to_dict() == {2016: 88_330_000, 2017: 97_160_000, 2018: 106_870_000}
    assert plan.subtarget_series("new_employment").to_dict() == {2016: 28, 2017: 30, 2018: 32}
    assert plan.subtarget_series("tech_contract").to_dict() == {2016: 130_000, 2017: 150_000, 2018: 170_000}
    assert plan.subtarget_series("patents").to_dict() == {2016: 14_000, 2017: 16_700, 2018: 19_600}
    assert [plan.fund_amount(c) for c in ("total", "startup_space", "public_service", "financing")] == [30, 5.01, 4.39, 20.6]
    assert plan.instrument_value("guidance_fund") == 5
    assert [plan.instrument_value(c) for c in ("listing_neeq", "listing_main_board", "listing_regional")] == [150, 500, 20]
    roles = plan.areas.groupby("role")["name_zh"].apply(set).to_dict()
    assert {"济南高新区", "市中区", "历下区"} == roles["core"]
    assert {"章丘市", "平阴县", "商河县", "济阳县"} <= roles["radiating"]


def test_every_row_has_provenance(plan):
    for name in ("baseline", "indicators", "subtargets", "funds", "instruments", "tasks"):
        df = getattr(plan, name)
        assert df["section"].notna().all(), name
        assert df["wording_zh"].notna().all(), name


def test_wording_is_in_the_plan_text(plan):
    """Every row's Chinese wording is quoted from the plan: the text (济政办发〔2016〕28号, as
    published) is in the repository, so this runs everywhere."""
    text = (ROOT / "tests" / "data" / "plan_texts" / "jinan-2016-twocreate.txt").read_text(encoding="utf-8")
    norm = lambda s: "".join(str(s).split())  # noqa: E731
    t = norm(text)
    checked = 0
    for name in ("baseline", "funds", "instruments", "tasks"):  # quoted verbatim (indicators paraphrase)
        for w in getattr(plan, name)["wording_zh"]:
            assert norm(w) in t, (name, w)
            checked += 1
    assert checked > 30  # the four tables are there, not empty


def test_audit_reports_what_the_plan_does_not_reconcile(plan):
    audit = tau.consistency_audit(plan).set_index("indicator")
    assert audit.loc["revenue", "reproduced_growth"] == pytest.approx(0.3309, abs=1e-4)
    assert audit.loc["tech_contract", "implied_baseline"] == pytest.approx(85858.59, abs=0.01)
    assert audit.loc["patents", "implied_baseline"] == pytest.approx(11529.41, abs=0.01)
    assert audit.loc["new_employment", "implied_baseline"] == pytest.approx(281.25)
    f = tau.findings(plan)
    kinds = set(zip(f["indicator"], f["finding"]))
    # the generic findings, from the plan's own rows
    assert {("revenue", "headline_reproduced"), ("tech_contract", "base_implied"), ("patents", "base_implied"),
            ("tech_contract", "path_front_loaded"), ("new_employment", "cumulative_stock_matches"),
            ("new_employment", "plan_note")} == kinds
    front = f[f["finding"] == "path_front_loaded"].iloc[0]
    assert front["first_year"] == 2016 and front["first_year_share"] == pytest.approx(0.5246, abs=1e-4)
    emp = f[f["finding"] == "cumulative_stock_matches"].iloc[0]
    assert emp["implied_stock"] == pytest.approx(281.25) and emp["related_value"] == 281
    en = " ".join(pv.finding_texts(plan, f, "en"))
    assert "2015年小微企业新增就业人数" in en and "stock" in en and "inconsistent" in en
    zh = " ".join(pv.finding_texts(plan, f, "zh"))
    assert "存量" in zh and "自相矛盾" in zh and "8.59亿元" in zh and "11,529项" in zh and "前高后低" in zh


@pytest.mark.parametrize("file,old,new,expect", [
    ("subtargets.csv", "revenue,2018,106870000", "revenue,2018,1o6870000", "column 'value'"),
    ("funds.csv", "financing,融资支持体系,Financing support system,20.6", "financing,融资支持体系,Financing support system,20.7",
     "sum of the other rows"),
    ("indicators.csv", ",stock,2015,2018,98,", ",stocks,2015,2018,98,", "column 'kind'"),
    ("subtargets.csv", "patents,2018,19600,项", "patents,2018,19600,万元", "column 'unit'"),
])
def test_invalid_plan_file_fails_clearly(tmp_path, file, old, new, expect):
    d = tmp_path / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    p = d / file
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_plan(d)
    msg = str(err.value)
    assert file in msg and "row" in msg and expect in msg
    assert "\n" not in msg


def test_missing_plan_column(tmp_path):
    d = tmp_path / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    p = d / "baseline.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines), encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        load_plan(d)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_plan_files_saved_by_excel_still_load(tmp_path, encoding):
    """A plan file re-saved from Excel (BOM or GB18030) reads the same."""
    d = tmp_path / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    for p in d.glob("*.csv"):
        p.write_bytes(p.read_text(encoding="utf-8").encode(encoding))
    plan = load_plan(d)
    assert plan.stated_baseline("revenue") == 80_300_000
    assert plan.department_names("kjj", "zh") == ["市科技局"]


def test_empty_plan_file(tmp_path):
    d = tmp_path / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    (d / "tasks.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="tasks.csv: file is empty"):
        load_plan(d)


def test_an_alias_may_name_one_indicator_only(tmp_path):
    import shutil
    from twocreate.plan import PLAN_DIR
    d = tmp_path / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    p = d / "indicators.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("新增就业人数;", "营业收入;", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"aliases.*not already used by indicator revenue"):
        load_plan(d)


def test_plan_tables_are_comma_utf8_read_without_sniffing(tmp_path):
    """A quoted wording with commas and ';' in aliases once made the reader take ';' as the delimiter."""
    import shutil
    from twocreate.plan import PLAN_DIR, load_plan
    d = tmp_path / PLAN_DIR.name
    shutil.copytree(PLAN_DIR, d)
    p = d / "indicators.csv"
    text = p.read_text(encoding="utf-8")
    text = text.replace("小微企业营业收入增长比例 33%", '"小微企业营业收入增长比例，33%，按备注1计算"', 1)
    p.write_text(text, encoding="utf-8")
    plan = load_plan(d)
    assert plan.indicator("revenue")["wording_zh"] == "小微企业营业收入增长比例，33%，按备注1计算"
    assert "营业收入总额" in plan.indicator("revenue")["aliases"].split(";")
    # a table that is not comma-separated is refused in one line naming the file and its header
    p.write_text(text.replace(",", ";"), encoding="utf-8")
    with pytest.raises(InputError, match=r"indicators.csv, row 1: missing column.*comma-separated UTF-8"):
        load_plan(d)
    p.write_bytes(b"code,name_zh\n\xff\xfe\xfa\n")
    with pytest.raises(InputError, match="expected a UTF-8 CSV"):
        load_plan(d)


def test_units_are_a_table_and_an_unknown_unit_lists_them(tmp_path):
    import shutil
    from twocreate import units
    from twocreate.plan import PLAN_DIR, load_plan
    assert units.convert(1, "万件", "件") == 10_000 and units.convert(2, "亿件", "万件") == 20_000
    assert units.convert(40, "万户", "户") == 400_000 and units.convert(1, "万家", "家") == 10_000
    assert units.dimension("万人次") == "persons" and units.english("人次") == "person-times"
    with pytest.raises(ValueError, match="cannot convert"):
        units.convert(1, "万户", "万元")
    d = tmp_path / PLAN_DIR.name
    shutil.copytree(PLAN_DIR, d)
    p = d / "indicators.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",项,stock,", ",万辆,stock,"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_plan(d)
    msg = str(e.value)
    assert "'万辆'" in msg and "units.csv" in msg and "万户" in msg and "亿件" in msg
