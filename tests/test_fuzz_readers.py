"""Every reader is total: on any file it returns clean data or raises InputError (one line), never
anything else. Property-based fuzzing with hypothesis, 500 examples per reader in the normal run:
random bytes, random CSV text (encoding, delimiter, quoting, headers drawn from the reader's own
columns) and random .xlsx workbooks (cell types, merged cells, missing or repeated headers, empty
sheets). Failures found while building this are kept below as explicit regression examples."""
import io
import shutil
import string

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from twocreate import InputError

pytestmark = pytest.mark.fuzz

EXAMPLES = 500
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

CELLS = st.one_of(
    st.none(), st.just(""), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["12.3万", "1.2亿", "1.2亿元", "１２３，４５６．７", "2017年", "2017.0", "370100", "370102.0",
                     "营业收入", "revenue", "万元", "人次", "亿元", "initial", "official", "初步", "示例", "合计",
                     "全市合计", "济南市", "章丘市", "1e400", "-0", "nan", "NaN", "inf", "—", "n/a", "TRUE", "#REF!",
                     "=SUM(A1:A3)", "注：说明", "单位：万元", "（2017年）", "guidance", "low", "high", "a;b", ";",
                     "\u3000", "\ufeff", "0x10", "1,234", "1,23", "2015", "2018", "2019", "99999999999999999999",
                     "fund", "code", "year", "value", "amount", "source", "status"]),
    st.text(alphabet=string.printable + "指标地区年份数值单位来源状态万亿元合计，。（）", max_size=12),
)


def headers_for(columns):
    """Half the time the reader's own columns (shuffled, sometimes one dropped or repeated), else a random header."""
    extra = ["指标", "地区", "年份", "数值", "单位", "状态", "来源", "备注", "2016", "2017年", "营业收入（亿元）", "", None]
    own = st.permutations(list(columns)).flatmap(lambda cols: st.sampled_from([
        cols, cols[1:], cols + cols[:1], cols + ["extra"]]))
    return st.one_of(own, st.lists(st.sampled_from(list(columns) + extra), min_size=0, max_size=len(columns) + 3))


def csv_files(columns):
    @st.composite
    def build(draw):
        header = draw(headers_for(columns))
        rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header) + 1), max_size=8))
        title = draw(st.booleans())
        sep = draw(st.sampled_from([",", ";", "\t", "|"]))
        quote = draw(st.sampled_from(['"', "'", ""]))
        lines = (["济南市小微企业主要指标（2017年）"] if title else []) + \
            [sep.join(f"{quote}{'' if c is None else c}{quote}" for c in r) for r in [header] + rows]
        text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
        enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
        try:
            return ".csv", text.encode(enc)
        except UnicodeEncodeError:
            return ".csv", text.encode("utf-8", "replace")
    return build()


def xlsx_files(columns):
    @st.composite
    def build(draw):
        wb = openpyxl.Workbook()
        for k in range(draw(st.integers(1, 2))):
            ws = wb.active if k == 0 else wb.create_sheet(f"S{k}")
            if draw(st.booleans()):
                ws.append([draw(st.sampled_from(["济南市小微企业主要指标（2017年）", "单位：万元", None]))])
            header = draw(headers_for(columns))
            rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 2), max_size=6))
            for r in [header] + rows:
                ws.append([_xl(c) for c in r])
            if ws.max_row >= 2 and ws.max_column >= 2 and draw(st.booleans()):
                ws.merge_cells(start_row=1, start_column=1, end_row=draw(st.integers(1, 2)),
                               end_column=draw(st.integers(2, ws.max_column)))
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        if draw(st.integers(0, 9)) == 0:  # a damaged download
            data = data[: len(data) * draw(st.integers(0, 99)) // 100]
        return draw(st.sampled_from([".xlsx", ".xls", ".csv"])), data
    return build()


def _xl(v):
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    if isinstance(v, str):
        return "".join(ch for ch in v if ch.isprintable() or ch in "\t")[:50] or None
    if isinstance(v, int) and abs(v) > 2**53:
        return str(v)
    return v


def any_file(columns):
    return st.one_of(st.tuples(st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ".txt"]), st.binary(max_size=300)),
                     csv_files(columns), xlsx_files(columns))


def check_total(fn, path):
    try:
        fn(path)
    except InputError as err:
        assert "\n" not in str(err), str(err)
        assert str(err).strip()


def write(tmp_path_factory, suffix, data):
    p = tmp_path_factory.mktemp("fz") / f"input{suffix}"
    p.write_bytes(data)
    return p


OUTTURN_COLS = ["indicator", "area_code", "year", "value", "unit", "status", "source", "note"]


@FUZZ
@given(f=any_file(OUTTURN_COLS))
@example(f=(".xlsx", b"PK\x03\x04garbage"))
@example(f=(".csv", "指标,地区,年份,数值,单位,状态,来源\n营业收入,济南市,2017,1e400,万元,初步,x\n".encode()))
@example(f=(".csv", b"indicator,area_code,year,value,unit,status,source\nrevenue,370100,2017,1,\xe4\xb8\x87,official,x\n"))
def test_outturns_reader_is_total(tmp_path_factory, plan, f):
    from twocreate.observations import read_observations
    check_total(lambda p: read_observations(p, plan), write(tmp_path_factory, *f))


@FUZZ
@given(f=any_file(OUTTURN_COLS))
def test_district_targets_reader_is_total(tmp_path_factory, plan, f):
    from twocreate.districts import read_targets
    check_total(lambda p: read_targets(p, plan), write(tmp_path_factory, *f))


SCENARIO_COLS = ["code", "group", "name_zh", "name_en", "value", "unit", "low", "high", "basis", "section"]


@FUZZ
@given(f=any_file(SCENARIO_COLS))
def test_scenario_reader_is_total(tmp_path_factory, f):
    from twocreate.funds import load_scenario
    check_total(load_scenario, write(tmp_path_factory, *f))


@FUZZ
@given(f=any_file(["code", "year", "amount", "unit", "status", "source"]))
@example(f=(".csv", b'"code","amount","year","unit","status","source"\n"","","1e400","","",""'))  # year = infinity
def test_disbursements_reader_is_total(tmp_path_factory, f):
    from twocreate.funds import read_disbursements
    check_total(read_disbursements, write(tmp_path_factory, *f))


@FUZZ
@given(f=any_file(["area_code", "district_zh", "population_10k", "area_km2", "budget_revenue_10k_yuan", "budget_expenditure_10k_yuan"]))
@example(f=(".csv", b"area_code,district_zh,population_10k,area_km2,budget_revenue_10k_yuan,budget_expenditure_10k_yuan\n"))
def test_context_reader_is_total(tmp_path_factory, plan, f):
    from twocreate.districts import load_context
    check_total(lambda p: load_context(p, plan), write(tmp_path_factory, *f))


@FUZZ
@given(f=any_file(["firm_id", "year", "area_code", "industry", "employees", "revenue_10k_yuan", "status"]))
@example(f=(".csv", b"firm_id\n1\n2,3\n"))  # pandas' tokenizer error spans two lines
def test_register_reader_is_total(tmp_path_factory, plan, f):
    from twocreate.enterprise import read_register, validate_register
    suffix, data = f
    suffix = ".csv" if suffix != ".parquet" else suffix
    check_total(lambda p: validate_register(read_register(p), plan), write(tmp_path_factory, suffix, data))


PLAN_FILES = ["areas", "baseline", "departments", "funds", "indicators", "instruments", "subtargets", "tasks"]


@FUZZ
@given(which=st.sampled_from(PLAN_FILES), f=any_file(["code", "name_zh", "name_en", "year", "value", "unit",
                                                       "section", "wording_zh", "area_code", "indicator"]))
def test_plan_folder_reader_is_total(tmp_path_factory, which, f):
    from twocreate.plan import PLAN_DIR, load_plan
    d = tmp_path_factory.mktemp("plan") / PLAN_DIR.name  # the folder is named by the plan id
    shutil.copytree(PLAN_DIR, d)
    (d / f"{which}.csv").write_bytes(f[1])
    check_total(load_plan, d)


@FUZZ
@given(f=any_file(["check", "threshold"]))
def test_edit_check_thresholds_reader_is_total(tmp_path_factory, f):
    from twocreate.checks import load_thresholds
    check_total(load_thresholds, write(tmp_path_factory, *f))


@FUZZ
@given(f=any_file(["task", "year", "value", "status", "source", "note"]))
def test_task_outturns_reader_is_total(tmp_path_factory, plan, f):
    from twocreate.tasks import read_task_outturns
    check_total(lambda p: read_task_outturns(p, plan), write(tmp_path_factory, *f))
