"""The input vocabulary (issue 18 §1): the words people write in the files the suite reads live in one data
file, ``twocreate/i18n/input.toml``, and every reader takes them from there. Each word of the file is read
as what the file says it is; the template writes the first word of each language; the intake's notices
and the edit checks are catalog entries with their figures, in both languages."""
import pandas as pd
import pytest

from twocreate.i18n import vocabulary as v

VOCAB = v.vocabulary()
TIDY = {"indicator": "revenue", "area_code": "370100", "year": "2016", "value": "88900000", "unit": "万元",
        "status": "official", "source": "x"}


def _words(group):
    return [(col, w) for col, langs in VOCAB[group].items() for lang in ("en", "zh") for w in langs.get(lang, ())]


def test_the_vocabulary_is_read_once_and_immutable():
    assert v.vocabulary() is VOCAB
    with pytest.raises(TypeError):
        VOCAB["headers"]["year"]["zh"] = ("x",)  # a mapping proxy of tuples
    assert isinstance(VOCAB["headers"]["year"]["zh"], tuple)


@pytest.mark.parametrize("column,word", _words("headers"))
def test_every_header_word_is_read_as_its_column(tmp_path, plan, column, word):
    from twocreate.intake import read_outturn_file
    cols = dict(TIDY)
    header = [word if c == column else c for c in cols]
    f = tmp_path / "o.csv"
    values = list(cols.values())
    if column == "note":
        header, values = header + [word], values + ["a note"]
    pd.DataFrame([values], columns=header).to_csv(f, index=False)
    got = read_outturn_file(f, plan)
    assert got.problems == [] and len(got.data) == 1, [str(p) for p in got.problems]
    assert got.data["value"].iloc[0] == 88_900_000
    if column == "note":
        assert got.data["note"].iloc[0] == "a note"


@pytest.mark.parametrize("column,word", _words("task_headers"))
def test_every_task_header_word_is_a_column_of_the_task_outturns(column, word):
    from twocreate.tasks import task_outturns_schema
    aliases = task_outturns_schema().aliases
    assert word in aliases.get(column, ()) or word == column


@pytest.mark.parametrize("status,word", _words("status"))
def test_every_status_word_is_its_status(status, word):
    from twocreate.schema import parse_status
    assert parse_status(word) == status and parse_status(f" {word.upper()} ") == status


def test_years_totals_notes_numbers_and_done_words():
    from twocreate.intake import is_total_label
    from twocreate.io import is_note_row, parse_quantity
    from twocreate.schema import parse_year
    from twocreate.tasks import _parse_value
    for s in VOCAB["years"]["suffixes"]:
        assert parse_year(f"2017{s}") == 2017
    t = VOCAB["totals"]
    for w in t["words"]:
        assert is_total_label(w) and is_total_label(t["prefixes"][0] + w) and is_total_label(w + t["suffixes"][0])
    assert all(is_total_label(w) for w in t["en"]) and not is_total_label(t["words"][0] + "x")
    for p in VOCAB["notes"]["prefixes"]:
        assert is_note_row([f"{p}: something", None]), p
    for m, factor in VOCAB["numbers"]["multipliers"].items():
        assert parse_quantity(f"12.5{m}").value == 12.5 * factor
    for u in VOCAB["numbers"]["cell_units"]:
        assert parse_quantity(f"3{u}").unit == u
    for w in VOCAB["tasks"]["done"]:
        assert _parse_value(w) == 1.0
    for w in VOCAB["tasks"]["not_done"]:
        assert _parse_value(w) == 0.0


def test_the_template_writes_the_first_word_of_each_language():
    from twocreate.template import HEAD, STATUS_LABELS
    assert HEAD["zh"]["indicator"] == VOCAB["headers"]["indicator"]["zh"][0]
    assert HEAD["en"]["area"] == VOCAB["headers"]["area_code"]["en"][0]
    assert HEAD["zh"]["year_col"].format(y=2017) == "2017" + VOCAB["years"]["suffixes"][0]
    assert STATUS_LABELS["zh"]["illustrative"] == VOCAB["status"]["illustrative"]["zh"][0]


def test_checks_are_catalog_entries_with_their_figures():
    from twocreate.intake import Check
    c = Check("warning", "totals_row", "check_msg.totals_mismatch",
              dict(total=120.0, unit="万元", n=3, sum=110.5, diff=110.5 / 120 - 1), "f.csv", 9)
    assert c.message == "the totals row says 120 万元 but the 3 rows above add up to 110.5 (-7.9%)"
    assert c.text("zh") == "合计行为120万元，而上方3行之和为110.5（相差-7.9%）"
    back = Check.from_dict(c.as_dict())
    assert back == c and back.text("zh") == c.text("zh") and c.as_dict()["message"] == c.message
    district = Check("warning", "additivity", texts={"en": "districts add up to less", "zh": "各区县合计偏小"})
    assert district.text("zh") == "各区县合计偏小" and district.message == "districts add up to less"


def test_the_report_shows_a_check_in_the_pages_language(plan, tmp_path):
    from twocreate.observations import data_checks, read_sourced
    from twocreate.views.common import data_checks_display
    f = tmp_path / "o.csv"
    f.write_text("指标,地区,年份,数值,单位,来源\n营业收入,济南市,2016,88900000,万元,x\n", encoding="utf-8")
    checks = data_checks(read_sourced(f, plan))
    zh = data_checks_display(plan, checks, "zh").iloc[:, -1].tolist()
    en = data_checks_display(plan, checks, "en").iloc[:, -1].tolist()
    assert any(s.startswith("无状态列") for s in zh) and any(s.startswith("no status column") for s in en)
