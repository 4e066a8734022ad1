"""The register beyond one file: Parquet folders, a dask cluster from the command line, progress.

Small registers only: the LocalCluster tests start two worker processes and take seconds;
the memory-limit test uses a register a few times the size of the others (no timing).
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twocreate import InputError
from twocreate import cli
from twocreate import enterprise as ent
from twocreate import partitioned, progress, synthetic

from test_enterprise import _bad_register, _register, _value

pytest.importorskip("pyarrow")


def _write_hive(reg: pd.DataFrame, root: Path) -> Path:
    """``root/year=Y/district=D/part-0.parquet`` without the year and area_code columns."""
    for (y, a), g in reg.groupby(["year", "area_code"], sort=True):
        d = root / f"year={y}" / f"district={a}"
        d.mkdir(parents=True)
        g.drop(columns=["year", "area_code"]).to_parquet(d / "part-0.parquet", index=False)
    return root


def test_hive_folder_reads_like_the_single_file(tmp_path):
    reg = _register()
    folder = _write_hive(reg, tmp_path / "reg")
    (folder / "_note.txt").write_text("skipped")
    df = ent.read_register(folder)
    assert len(df) == len(reg) and set(df.columns) == set(reg.columns)
    assert df["area_code"].map(type).eq(str).all() and df["year"].dtype == np.int64
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ent.RegisterWarning)
        a = ent.build_indicator_table(folder)
        b = ent.build_indicator_table(reg)
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))
    assert a["source"].str.contains("from reg").all()


def test_validate_recognises_a_register_folder(tmp_path, capsys):
    from twocreate import cli
    folder = _write_hive(_register(), tmp_path / "reg")
    assert cli.main(["validate", str(folder)]) == 0
    assert "11 valid firm-year row(s)" in capsys.readouterr().out


def test_only_register_columns_are_read(tmp_path):
    folder = _write_hive(_register().assign(notes="x" * 100), tmp_path / "reg")
    src = partitioned.discover(folder, ent.REQUIRED_COLUMNS)
    assert "notes" in src.columns
    assert "notes" not in ent.read_register(folder).columns


def test_bad_row_in_a_partition_names_file_and_row(tmp_path):
    folder = _write_hive(_bad_register(), tmp_path / "reg")
    with pytest.raises(InputError) as err:
        ent.build_indicator_table(folder)
    msg = str(err.value)
    assert "\n" not in msg
    # g (Z9999) is the 3rd row of 历下区 2016: a, b, g, h, a
    assert "unknown industry code in column 'industry' (e.g. year=2016/district=370102/part-0.parquet row 3: 'Z9999')" in msg
    assert "year=2016/district=370102/part-0.parquet row 4: -3.0" in msg


def test_partition_file_missing_a_column(tmp_path):
    folder = _write_hive(_register(), tmp_path / "reg")
    f = folder / "year=2016" / "district=370102" / "part-0.parquet"
    pd.read_parquet(f).drop(columns="industry").to_parquet(f, index=False)
    with pytest.raises(InputError, match=r"^year=2016/district=370102/part-0.parquet: row 1: missing column\(s\) 'industry'"):
        ent.read_register(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no .parquet files"):
        ent.read_register(empty)


@pytest.mark.slow
def test_synth_register_partitioned_has_exactly_n_rows(tmp_path, capsys):
    out = tmp_path / "synth"
    assert cli.main(["synth-register", "--out", str(out), "--partitioned", "--rows", "12345", "--seed", "3"]) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    assert "illustrative" in (out / "_ILLUSTRATIVE.txt").read_text()
    files = sorted(out.rglob("*.parquet"))
    assert files and all(f.parent.name.startswith("district=") and f.parent.parent.name.startswith("year=")
                         for f in files)
    df = ent.read_register(out)
    assert len(df) == 12345 and (df["status"] == "illustrative").all()
    assert not df.duplicated(["firm_id", "year"]).any()
    # written again: replaced atomically, same content (deterministic)
    before = {f.relative_to(out): f.read_bytes() for f in files}
    assert cli.main(["synth-register", "--out", str(out), "--partitioned", "--rows", "12345", "--seed", "3"]) == 0
    assert {f.relative_to(out): f.read_bytes() for f in sorted(out.rglob("*.parquet"))} == before
    assert cli.main(["synth-register", "--out", str(out), "--partitioned", "--rows", "0"]) == 2


def test_synth_register_rows_as_one_file(tmp_path):
    out = tmp_path / "r.parquet"
    assert cli.main(["synth-register", "--out", str(out), "--rows", "7000", "--seed", "4"]) == 0
    assert len(pd.read_parquet(out)) == 7000


def test_scheduler_options_are_checked(tmp_path, capsys):
    reg = tmp_path / "r.parquet"
    _register().to_parquet(reg)
    out = tmp_path / "o.csv"
    assert cli.main(["register", str(reg), "--out", str(out), "--scheduler", "local:0"]) == 2
    assert cli.main(["register", str(reg), "--out", str(out), "--memory-limit", "1GB"]) == 2
    assert cli.main(["register", str(reg), "--out", str(out), "--scheduler", "local:1", "--memory-limit", "lots"]) == 2
    err = capsys.readouterr().err
    assert "local:N with N ≥ 1" in err and "--memory-limit needs --scheduler" in err and "1.5GB" in err
    assert not out.exists()
    assert ent.parse_scheduler("local") == ("local", 2) and ent.parse_scheduler("local:3") == ("local", 3)
    assert ent.parse_scheduler("tcp://10.0.0.5:8786") == ("tcp://10.0.0.5:8786", None)


def test_progress_plain_lines_when_not_a_terminal():
    buf = io.StringIO()
    with progress.Stage("silent", 3) as st:  # reporting off: nothing
        st.update(3)
    with progress.reporting(buf):
        with progress.Stage("checking reg", 4) as st:
            for _ in range(4):
                st.update()
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("checking reg: 0/4 partition(s)") and lines[-1].startswith("checking reg: 4/4")
    assert "\r" not in buf.getvalue()


@pytest.fixture(scope="module")
def synth_folder(tmp_path_factory):
    """A small partitioned synthetic register plus one file of bad rows."""
    root = tmp_path_factory.mktemp("scale") / "reg"
    assert cli.main(["synth-register", "--out", str(root), "--partitioned", "--rows", "20000"]) == 0
    bad = _bad_register().assign(firm_id=lambda d: "x" + d["firm_id"], status="illustrative")
    (root / "late").mkdir()
    bad.to_parquet(root / "late" / "part-0.parquet", index=False)  # year and area_code in the file
    return root


@pytest.mark.slow
def test_local_cluster_gives_the_same_table_byte_for_byte(synth_folder, tmp_path, capsys):
    pytest.importorskip("distributed")
    outs = {}
    for engine, extra in (("pandas", []), ("dask", ["--scheduler", "local:2", "--memory-limit", "1GB"])):
        out, wide = tmp_path / f"{engine}.csv", tmp_path / f"{engine}_wide.csv"
        assert cli.main(["register", str(synth_folder), "--out", str(out), "--wide", str(wide), "--drop-bad"] + extra) == 0
        err = capsys.readouterr().err
        assert "dropped 5 bad row(s)" in err
        assert "late/part-0.parquet row 12: 'Z9999'" in err  # same message on both engines
        outs[engine] = (out.read_bytes(), wide.read_bytes())
    assert outs["pandas"] == outs["dask"]
    tidy = pd.read_csv(tmp_path / "dask.csv", encoding="utf-8-sig")
    assert (tidy["status"] == "illustrative").all()


@pytest.mark.slow
def test_local_cluster_bad_rows_fail_with_file_and_row(synth_folder, tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "o.csv"
    assert cli.main(["register", str(synth_folder), "--out", str(out), "--scheduler", "local:1"]) == 2
    err = capsys.readouterr().err
    assert "reg: 5 bad row(s)" in err and "late/part-0.parquet row 12: 'Z9999'" in err
    assert "2 row(s) with a duplicated firm-year" in err and "xa in 2016" in err
    assert "Traceback" not in err and not out.exists()


def _peak_rss_mib() -> float:
    """Peak resident memory of this process (VmHWM, MiB; reset by exec, unlike ru_maxrss)."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read worker memory")
def test_local_cluster_works_under_a_memory_limit_smaller_than_the_input(tmp_path):
    """3M firm-years (≈ 480 MB as a pandas frame) through workers limited to 400 MB each."""
    distributed = pytest.importorskip("distributed")
    rows, limit = 3_000_000, 400 * 2 ** 20
    folder = tmp_path / "big"
    synthetic.write_partitioned(synthetic.synthetic_chunks(rows, 11), folder, 11)
    src = partitioned.discover(folder, ent.REQUIRED_COLUMNS)
    piece = partitioned.read_piece(src, src.pieces[0], ent.register_columns(src.columns))
    input_bytes = piece.memory_usage(deep=True).sum() / len(piece) * rows
    assert input_bytes > limit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=limit, processes=True,
                                      dashboard_address=None, silence_logs=40, env=ent.WORKER_ENV) as cluster, \
                distributed.Client(cluster) as client:
            tidy, wide, _ = ent.build_indicator_table(folder, engine="dask", with_wide=True)
            peaks = client.run(_peak_rss_mib)
    assert wide.loc[wide["area_code"] == "370100", "all_firms"].sum() == rows
    assert (tidy["status"] == "illustrative").all()
    assert all(p < limit / 2 ** 20 for p in peaks.values()), peaks
