"""The short API at the top of the package (issue 19 §1, §3): names, docstring examples, argument
order, readable objects, charts, and Chinese in charts without any call."""
from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import twocreate as tc
from conftest import ROOT

API = ["load_plan", "read_outturns", "assess", "compare_districts", "fund_model", "chart", "InputError"]


def test_the_curated_names():
    assert sorted(tc.__all__) == sorted(API)
    for name in API:
        assert callable(getattr(tc, name)), name
    assert set(API) <= set(dir(tc))
    ns: dict = {}
    exec("from twocreate import *", ns)
    assert set(API) <= set(ns)


@pytest.mark.parametrize("module", ["twocreate.api", "twocreate.resolve"])
def test_docstring_examples_run(module):
    """Every call of the API table has a docstring with an example; the examples run."""
    mod = importlib.import_module(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {module} failed (printed above)"
    if module == "twocreate.api":
        finder = doctest.DocTestFinder()
        with_examples = {t.name.rsplit(".", 1)[-1] for t in finder.find(mod) if t.examples}
        assert set(API) - {"InputError"} <= with_examples
        for name in set(API) - {"InputError"}:
            doc = getattr(mod, name).__doc__
            assert ">>>" in doc


def test_older_module_functions_stay_importable():
    from twocreate.assess import assess, resolve_area, resolve_year  # noqa: F401
    from twocreate.districts import comparison_table, lookup  # noqa: F401
    from twocreate.funds import fund_model  # noqa: F401
    from twocreate.observations import read_observations  # noqa: F401
    from twocreate.plan import load_plan  # noqa: F401


def test_assess_is_callable_even_after_the_subpackage_is_imported(plan, obs):
    import twocreate.assess as engine
    assert tc.assess is engine and callable(tc.assess)
    assert tc.assess(plan, obs, "2017年").year == 2017
    assert engine.Settings is not None  # still the package


def test_area_everywhere_and_area_code_a_deprecated_alias(plan, obs):
    own = pd.DataFrame({"indicator": ["revenue"], "area_code": ["370102"], "year": [2018], "value": [1.0e7],
                        "unit": ["万元"]})
    a = tc.assess(plan, obs, 2017, area="Lixia District", area_targets=own)
    with pytest.warns(DeprecationWarning, match="area_code= is deprecated"):
        b = tc.assess(plan, obs, 2017, area_code="370102", area_targets=own)
    assert a.area_code == b.area_code == "370102"
    with pytest.raises(tc.InputError, match="give one"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tc.assess(plan, obs, 2017, area="370103", area_code="370102", area_targets=own)


def test_defaults_come_from_the_plan(plan, obs):
    assert tc.assess(plan).year == plan.target_year  # outturns: the plan's file; year: its target year
    assert tc.compare_districts(plan).year == plan.target_year
    assert tc.fund_model(plan).year == plan.target_year


def test_compare_two_districts_by_name(plan, obs):
    cmp = tc.compare_districts(plan, obs, 2017, indicators=["营业收入"], areas=["历下区", "Shizhong District"])
    assert set(cmp.table["area_code"]) == {"370102", "370103"} and set(cmp.table["indicator"]) == {"revenue"}
    full = tc.compare_districts(plan, obs, 2017, indicators="revenue").table.set_index("area_code")
    assert cmp.table.set_index("area_code")["rank"].to_dict() == full.loc[["370102", "370103"], "rank"].to_dict()
    with pytest.raises(tc.InputError, match="not a district"):
        tc.compare_districts(plan, obs, 2017, areas=["全市"])


def test_a_plan_without_districts_or_funds_says_so():
    other = tc.load_plan("jinan-2025-private-economy")
    with pytest.raises(tc.InputError, match="has no districts"):
        tc.compare_districts(other, None, None)
    with pytest.raises(tc.InputError, match="has no funds"):
        tc.fund_model(other)


def test_fund_model_own_assumption_changes_the_multiplier(plan):
    base = tc.fund_model(plan)
    own = tc.fund_model(plan, co_investment=base.scenario.value("co_investment") + 0.5)
    assert own.multiplier("total") > base.multiplier("total") and not own.is_default
    assert own.ratio == base.ratio  # the plan's "1:r" read from the plan


def test_read_outturns_puts_notices_and_warnings_on_the_result(plan):
    obs = tc.read_outturns(ROOT / "tests/data/messy/28_table_unit_line.xlsx", plan)
    assert obs.attrs["warnings"] and all(isinstance(w, str) and "\n" not in w for w in obs.attrs["warnings"])
    assert any("status" in w for w in obs.attrs["warnings"])
    assert isinstance(obs.attrs["notices"], list)


# ---- readable objects
def _results(plan, obs):
    return {"plan": plan, "assessment": tc.assess(plan, obs, 2017), "comparison": tc.compare_districts(plan, obs, 2017),
            "fund model": tc.fund_model(plan)}


def test_short_reprs_and_html_tables(plan, obs):
    for what, r in _results(plan, obs).items():
        text = repr(r)
        assert 1 <= len(text.splitlines()) <= 11, (what, text)
        assert "object at 0x" not in text and "HTML object" not in text, what
        html = r._repr_html_()
        assert "<table>" in html and "<caption>" in html and "border-collapse" in html, what
        assert len(html) < 20_000, what


def test_plan_repr_says_id_title_period_and_counts(plan):
    text = repr(plan)
    assert len(text) < 1000 and "jinan-2016-twocreate" in text and plan.meta["title_zh"] in text
    assert "period 2016–2018" in text
    for n, what in ((len(plan.indicators), "targets"), (int((plan.areas["role"] != "city").sum()), "areas"),
                    (len(plan.tasks), "tasks"), (len(plan.funds), "funds")):
        assert f"{n} {what}" in text, (what, text)


def test_repr_in_ipython_plain_text_is_the_table(plan, obs):
    """What a notebook's text/plain output holds (an exported or printed notebook shows it)."""
    IPython = pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter
    f = DisplayFormatter()
    for what, r in _results(plan, obs).items():
        data, _ = f.format(r)
        assert data["text/plain"] == repr(r) and "text/html" in data, what
    del IPython


# ---- charts
@pytest.mark.slow  # draws a chart of every result kind (≈ 4 s)
def test_a_chart_for_every_result(plan, obs):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for what, r in {**_results(plan, obs), "outturns": obs}.items():
        for lang in ("zh", "en"):
            fig = tc.chart(r, lang=lang)
            assert fig.axes, what
            fig.canvas.draw()  # the glyph check of conftest makes a box for a Chinese glyph an error
            plt.close(fig)
    with pytest.raises(tc.InputError, match="not a result of the twocreate API"):
        tc.chart(42)


CJK_SNIPPET = """
import warnings
warnings.filterwarnings("error", message=r"Glyph .* missing")
{first}
{second}
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.set_title("营业收入 revenue")
fig.canvas.draw()
print("drawn", plt.rcParams["font.family"])
"""


@pytest.mark.parametrize("order", ["twocreate first", "matplotlib first"])
def test_chinese_in_a_plain_chart_of_a_fresh_interpreter(order):
    """No use_style() call: importing twocreate is enough, before or after matplotlib."""
    first, second = "import twocreate", "import matplotlib; matplotlib.use('Agg')"
    if order == "matplotlib first":
        first, second = second, first
    out = subprocess.run([sys.executable, "-c", CJK_SNIPPET.format(first=first, second=second)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "drawn" in out.stdout and "Noto Sans CJK SC" in out.stdout


def test_without_twocreate_the_same_chart_has_boxes():
    """The check above can fail: plain matplotlib has no CJK glyph here."""
    snippet = CJK_SNIPPET.format(first="import matplotlib; matplotlib.use('Agg')", second="")
    out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode != 0 and "Glyph" in out.stderr


def test_import_twocreate_stays_quick():
    """The command line imports twocreate: the API and matplotlib are loaded only when used."""
    out = subprocess.run([sys.executable, "-c", "import sys, twocreate, twocreate.cli; "
                          "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
