"""The pipeline's processed tables made by the library, without Jupyter (issue 21 §2): every table of
both shipped plans, every year, equals its golden copy byte for byte.

The golden copies: tests/data/golden_2016_processed (built on the code before plans became folders,
with the example disbursements `make reports` passes) and tests/data/golden_2025_processed (built by
`twocreate run --plan jinan-2025-private-economy --year all` before the tables left the notebooks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

GOLDEN = {"jinan-2016-twocreate": ROOT / "tests" / "data" / "golden_2016_processed",
          "jinan-2025-private-economy": ROOT / "tests" / "data" / "golden_2025_processed"}


def _build_all(plan_id: str, out: Path) -> list[str]:
    """Every processed table of every report × year × district of one plan, as the runner makes them."""
    from twocreate import tables
    from twocreate.build.jobs import batch_areas, discover, lacks
    from twocreate.plan import load_plan
    plan = load_plan(plan_id)
    written = []
    for spec in discover():
        if lacks(plan, spec):
            continue
        for year in range(int(plan.meta["period_start"]), int(plan.meta["period_end"]) + 1):
            areas = batch_areas(plan, spec.batch) if spec.batch else [None]
            for area in areas:
                params = dict(spec.parameters, year=year, **({"area_code": area} if area else {}))
                tabs = tables.from_parameters(spec.kind, params, plan=plan)
                written += [str(p.relative_to(out)) for p in tables.write(tabs, out)]
    return written


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", sorted(GOLDEN))
def test_every_processed_table_of_both_plans_is_built_without_jupyter_and_matches_its_golden_copy(plan_id, tmp_path):
    written = _build_all(plan_id, tmp_path)
    golden = GOLDEN[plan_id]
    want = sorted(str(f.relative_to(golden)) for f in golden.rglob("*.csv"))
    assert sorted(set(written)) == want
    differ = [name for name in want if (tmp_path / name).read_bytes() != (golden / name).read_bytes()]
    assert differ == []


def test_tables_carry_roles_the_year_and_the_files_they_read(plan):
    from twocreate import tables
    tabs = tables.from_parameters("fund_leverage", {"year": 2017}, plan=plan)
    assert "fund_allocation_by_year_2017" in tabs and "fund_execution_2017" in tabs
    assert tabs.role("execution") is tabs["fund_execution_2017"] and tabs.role("nothing") is None
    assert any(p.endswith("disbursements_example.csv") for p in tabs.inputs)
    assert "fund_allocation_by_year_2017.csv" in repr(tabs)
    tabs = tables.from_parameters("tasks", {"year": 2018}, plan=plan)
    shown, written = tabs.role("accountability"), tabs["accountability_2018"]
    funds = shown["kind"] == "fund"
    assert shown.loc[funds, "status"].map(type).eq(float).all()  # the report shows execution rates as numbers
    assert written["status"].map(type).eq(str).all()  # the file holds them as text


def test_an_unknown_kind_is_one_line():
    from twocreate import tables
    from twocreate.errors import InputError
    with pytest.raises(InputError, match="report kind 'nope': expected one of progress"):
        tables.from_parameters("nope", {})


def test_a_notebook_outside_the_runner_writes_to_scratch_and_says_where(tmp_path, monkeypatch):
    from twocreate import config, tables
    said = []
    tabs = tables.from_parameters("progress", {"year": 2017})
    monkeypatch.setenv(config.ENV, str(tmp_path))  # another project: its scratch folder
    folder = tables.write_for_notebook(tabs, None, log=said.append)
    assert folder == tmp_path / "data" / "scratch" / "processed" and "scratch folder" in said[0]
    assert (folder / "progress_370100_2017.csv").is_file() and not (tmp_path / "data" / "processed").exists()
    said.clear()
    assert tables.write_for_notebook(tabs, tmp_path / "given", log=said.append) == tmp_path / "given"
    assert said == [] and (tmp_path / "given" / "milestones_370100_2017.csv").is_file()


def test_the_cache_records_each_table_by_content(tmp_path):
    from twocreate.build import tables as bt
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "sub" / "b.csv").write_text("y\n2\n")
    rec = bt.record(tmp_path, ["a.csv", "sub/b.csv"])
    assert bt.stale(tmp_path, rec) is None
    (tmp_path / "sub" / "b.csv").write_text("y\n3\n")
    assert bt.stale(tmp_path, rec) == "processed table changed since it was built: sub/b.csv"
    (tmp_path / "a.csv").unlink()
    assert bt.stale(tmp_path, rec) == "processed table missing: a.csv"
    assert bt.stale(tmp_path, ["sub/b.csv"]) is None  # a cache of before: presence only
