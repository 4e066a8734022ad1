"""Chinese in charts with the shipped font (no missing glyphs), and numbers formatted per language."""
import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

from twocreate import fmt, plotting  # noqa: E402
from twocreate.i18n import t  # noqa: E402


def test_every_name_from_the_data_renders_without_missing_glyphs(plan, tmp_path):
    import matplotlib.pyplot as plt
    plotting.use_style(strict_glyphs=True)
    names = (list(plan.indicators["name_zh"]) + list(plan.areas["name_zh"]) + list(plan.departments["name_zh"])
             + list(plan.indicators["group_zh"]) + [t("page.illustrative_mark", "zh"), "济政办发〔2016〕28号 — ≥ × ÷ %"])
    fig, ax = plt.subplots(figsize=(8, 12))
    for i, n in enumerate(names):
        ax.text(0, i, n)
    ax.set_ylim(-1, len(names))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning, glyph or other, fails
        fig.savefig(tmp_path / "names.png")
    plt.close(fig)
    assert plotting.FONT_NAME in {f.name for f in matplotlib.font_manager.fontManager.ttflist}


def test_missing_glyph_is_an_error_in_strict_mode(tmp_path):
    import matplotlib.pyplot as plt
    plotting.use_style(strict_glyphs=True)
    fig, ax = plt.subplots()
    ax.set_title("\U0001F600 𠀀")  # emoji and an ideograph outside GB2312: not in the subset
    with pytest.raises(UserWarning, match="Glyph"):
        fig.savefig(tmp_path / "x.png")
    plt.close(fig)


def test_font_licence_ships_beside_the_font():
    lic = (plotting.FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in lic and plotting.FONT_FILE.stat().st_size < 5_000_000


@pytest.mark.parametrize("value,zh,en", [
    (80_300_000, "8,030亿元", "CNY 803 billion"),
    (85_858.5859, "8.59亿元", "CNY 859 million"),
    (1_500, "1,500万元", "CNY 15 million"),
    (106_870_000, "10,687亿元", "CNY 1,069 billion"),
])
def test_money_by_language(value, zh, en):
    assert fmt.money_10k_yuan(value, "zh") == zh
    assert fmt.money_10k_yuan(value, "en") == en


def test_other_formats():
    assert fmt.money_100m_yuan(20.6, "zh") == "20.6亿元" and fmt.money_100m_yuan(20.6, "en") == "CNY 2.06 billion"
    assert fmt.persons_10k(28, "zh") == "28万人次" and fmt.persons_10k(28, "en") == "280,000 person-times"
    assert fmt.persons_10k(281.25, "en") == "2.81 million person-times"
    assert fmt.count(19600, "项", "patents", "en") == "19,600 patents" and fmt.count(19600) == "19,600项"
    assert fmt.percent(0.330884) == "33.1%" and fmt.percent(-0.05, signed=True) == "−5.0%"
    assert fmt.points(0.012, lang="zh") == "+1.2个百分点" and fmt.points(-0.012, lang="en") == "−1.2 pp"
    assert fmt.money_10k_yuan(float("nan")) == "—" and fmt.percent(None) == "—"
