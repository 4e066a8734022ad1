"""The plan (济政办发〔2016〕28号) as data: load and validate ``data/raw/plan/*.csv``.

Every number of the plan lives in those files, each row with its section and Chinese
wording; this module only reads, checks and gives typed access to them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import units
from .io import DATA_RAW, InputError, Problem, parse_number, raise_problems, read_table

PLAN_DIR = DATA_RAW / "plan"

# file stem: (required columns, numeric columns that must be filled, numeric columns that may be blank)
SCHEMAS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "departments": (["code", "name_zh", "name_en"], [], []),
    "baseline": (["code", "year", "value", "unit", "name_zh", "name_en", "section", "wording_zh"],
                 ["year", "value"], []),
    "indicators": (["code", "name_zh", "name_en", "group_zh", "group_en", "unit", "kind", "base_year",
                    "target_year", "headline_target_pct", "headline_name_zh", "headline_name_en", "related_baseline",
                    "formula_zh", "formula_en", "departments", "section", "wording_zh"],
                   ["base_year", "target_year", "headline_target_pct"], []),
    "subtargets": (["indicator", "year", "value", "unit", "section", "wording_zh"], ["year", "value"], []),
    "funds": (["code", "name_zh", "name_en", "amount", "unit", "period_start", "period_end", "departments",
               "section", "wording_zh"], ["amount", "period_start", "period_end"], []),
    "instruments": (["code", "group", "name_zh", "name_en", "parameter", "value", "unit", "departments",
                     "section", "wording_zh"], [], ["value"]),
    "tasks": (["code", "name_zh", "name_en", "target_low", "target_high", "qualifier", "unit", "unit_en",
               "basis", "years", "departments", "section", "wording_zh"], ["target_low"], ["target_high"]),
    "areas": (["area_code", "name_zh", "name_en", "level", "role", "valid_from", "valid_to", "successor_code",
               "section", "wording_zh", "note_en"], [], ["valid_from", "valid_to"]),
}
ROLES = {"city", "core", "radiating", "other"}
KINDS = {"stock", "flow"}


@dataclass
class Plan:
    """The plan's tables (pandas DataFrames), validated, plus the files they came from."""

    departments: pd.DataFrame
    baseline: pd.DataFrame
    indicators: pd.DataFrame
    subtargets: pd.DataFrame
    funds: pd.DataFrame
    instruments: pd.DataFrame
    tasks: pd.DataFrame
    areas: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)

    # ---- indicators
    @property
    def indicator_codes(self) -> list[str]:
        return self.indicators["code"].tolist()

    def indicator(self, code: str) -> pd.Series:
        """One row of ``indicators.csv`` by code."""
        rows = self.indicators[self.indicators["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown indicator {code!r}; known: {', '.join(self.indicator_codes)}")
        return rows.iloc[0]

    def indicator_name(self, code: str, lang: str = "zh") -> str:
        return str(self.indicator(code)[f"name_{_lang(lang)}"])

    def subtarget(self, code: str, year: int) -> float | None:
        """The plan's sub-target for ``code`` in ``year`` in the indicator's unit (None if none)."""
        st = self.subtargets[(self.subtargets["indicator"] == code) & (self.subtargets["year"] == year)]
        return None if st.empty else float(st["value"].iloc[0])

    def subtarget_series(self, code: str) -> pd.Series:
        """Sub-targets of ``code`` by year (indicator unit)."""
        st = self.subtargets[self.subtargets["indicator"] == code]
        return pd.Series(st["value"].to_numpy(dtype=float), index=st["year"].astype(int).to_numpy(), name=code)

    def stated_baseline(self, code: str) -> float | None:
        """The base-year level the plan states for stock indicator ``code``, in its unit, or None.

        Only operating revenue has one (§一: 8030亿元 = 80,300,000万元); the plan states no 2015
        technology-contract turnover or patent count. Flows (new employment) have no level
        baseline: see :meth:`related_baseline`.
        """
        ind = self.indicator(code)
        if ind["kind"] != "stock" or ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return units.convert(float(r["value"]), str(r["unit"]), str(ind["unit"]))

    def related_baseline(self, code: str) -> tuple[float, str] | None:
        """(value, unit) of the §一 figure linked to indicator ``code`` in ``indicators.csv``.

        For new employment this is the 2015 small/micro employment stock, 281万人.
        """
        ind = self.indicator(code)
        if ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return float(r["value"]), str(r["unit"])

    def baseline_value(self, code: str) -> float:
        """A §一 baseline figure by its code, in its own unit (see ``baseline.csv``)."""
        rows = self.baseline[self.baseline["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown baseline {code!r}")
        return float(rows["value"].iloc[0])

    # ---- departments, areas, funds
    def department_names(self, codes: str, lang: str = "zh") -> list[str]:
        """Names of the departments in a ``;``-separated code list."""
        d = self.departments.set_index("code")[f"name_{_lang(lang)}"]
        return [str(d[c]) for c in split_codes(codes)]

    def area_name(self, area_code: str, lang: str = "zh") -> str:
        rows = self.areas[self.areas["area_code"] == str(area_code)]
        if rows.empty:
            raise KeyError(f"unknown area {area_code!r}")
        return str(rows[f"name_{_lang(lang)}"].iloc[0])

    @property
    def city_code(self) -> str:
        return str(self.areas.loc[self.areas["role"] == "city", "area_code"].iloc[0])

    def fund_amount(self, code: str) -> float:
        """Amount of a ``funds.csv`` row in 亿元."""
        r = self.funds[self.funds["code"] == code].iloc[0]
        return units.convert(float(r["amount"]), str(r["unit"]), "亿元")

    def instrument_value(self, code: str) -> float:
        """The number attached to an instrument (e.g. the guidance fund's 5 of "1:5")."""
        r = self.instruments[self.instruments["code"] == code]
        if r.empty or pd.isna(r["value"].iloc[0]):
            raise KeyError(f"instrument {code!r} has no value in instruments.csv")
        return float(r["value"].iloc[0])

    @property
    def base_year(self) -> int:
        return int(self.indicators["base_year"].min())

    @property
    def target_year(self) -> int:
        return int(self.indicators["target_year"].max())


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {lang!r}")
    return lang


def split_codes(codes: object) -> list[str]:
    """``"a;b"`` → ``["a", "b"]`` (blank → [])."""
    if codes is None or (isinstance(codes, float) and pd.isna(codes)):
        return []
    return [c.strip() for c in str(codes).split(";") if c.strip()]


def _typed(name: str, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    required, numeric, optional_numeric = SCHEMAS[name]
    src = df.attrs.get("source", name)
    out = df.copy()
    for col in numeric + optional_numeric:
        vals = []
        for idx, v in out[col].items():
            try:
                num = parse_number(v)
            except ValueError:
                problems.append(Problem(src, idx, col, v, "a number"))
                num = None
            if num is None and col in numeric and v is None:
                problems.append(Problem(src, idx, col, v, "a number (this column may not be blank)"))
            vals.append(num)
        out[col] = pd.array(vals, dtype="Float64").astype(float)
    for col in required:
        if col in numeric or col in optional_numeric:
            continue
        out[col] = out[col].astype(object)
    out.attrs = df.attrs
    return out


def load_plan(directory: str | os.PathLike | None = None) -> Plan:
    """Load and validate the plan files (default ``data/raw/plan/``).

    Raises :class:`~twocreate.InputError` naming file, row, column and value for the first
    problem found (``err.problems`` holds them all).
    """
    directory = Path(directory) if directory is not None else PLAN_DIR
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for name, (required, _, _) in SCHEMAS.items():
        path = directory / f"{name}.csv"
        files[name] = path
        df = read_table(path, required=required)
        tables[name] = _typed(name, df, problems)
    raise_problems(problems)
    _check(tables, problems)
    raise_problems(problems)
    for name in ("baseline", "subtargets", "indicators"):
        for col in ("year", "base_year", "target_year"):
            if col in tables[name].columns:
                tables[name][col] = tables[name][col].astype(int)
    return Plan(files=files, **tables)


def _check(t: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    def src(name: str) -> str:
        return t[name].attrs.get("source", name)

    def unique(name: str, col: str) -> None:
        seen: set = set()
        for idx, v in t[name][col].items():
            if v is None:
                problems.append(Problem(src(name), idx, col, v, "a code (may not be blank)"))
            elif v in seen:
                problems.append(Problem(src(name), idx, col, v, "a unique code (this one is repeated)"))
            seen.add(v)

    for name, col in [("departments", "code"), ("baseline", "code"), ("indicators", "code"), ("funds", "code"),
                      ("instruments", "code"), ("tasks", "code"), ("areas", "area_code")]:
        unique(name, col)
    dept = set(t["departments"]["code"].dropna())
    for name in ("indicators", "funds", "instruments", "tasks"):
        for idx, v in t[name]["departments"].items():
            for c in split_codes(v):
                if c not in dept:
                    problems.append(Problem(src(name), idx, "departments", c,
                                            f"a department code from departments.csv ({', '.join(sorted(dept))})"))
    ind = t["indicators"]
    for idx, r in ind.iterrows():
        if r["kind"] not in KINDS:
            problems.append(Problem(src("indicators"), idx, "kind", r["kind"], "'stock' or 'flow'"))
        if not units.is_known(str(r["unit"])):
            problems.append(Problem(src("indicators"), idx, "unit", r["unit"], f"a known unit ({', '.join(units.UNITS)})"))
        if not (r["headline_target_pct"] > 0):
            problems.append(Problem(src("indicators"), idx, "headline_target_pct", r["headline_target_pct"],
                                    "a positive percentage"))
        if r["target_year"] <= r["base_year"]:
            problems.append(Problem(src("indicators"), idx, "target_year", r["target_year"],
                                    f"a year after base_year {r['base_year']:.0f}"))
    if "aliases" in ind.columns:  # a name users may write must point at one indicator only
        owner: dict[str, str] = {}
        for idx, r in ind.iterrows():
            for a in [r["code"], r["name_zh"], r["name_en"]] + split_codes(r["aliases"]):
                key = "".join(str(a).split()).lower()
                if key in owner and owner[key] != r["code"]:
                    problems.append(Problem(src("indicators"), idx, "aliases", a,
                                            f"a name not already used by indicator {owner[key]}"))
                owner.setdefault(key, r["code"])
    ind_unit = dict(zip(ind["code"], ind["unit"]))
    seen_st: set = set()
    for idx, r in t["subtargets"].iterrows():
        if r["indicator"] not in ind_unit:
            problems.append(Problem(src("subtargets"), idx, "indicator", r["indicator"],
                                    f"an indicator code from indicators.csv ({', '.join(ind_unit)})"))
            continue
        if r["unit"] != ind_unit[r["indicator"]]:
            problems.append(Problem(src("subtargets"), idx, "unit", r["unit"],
                                    f"{ind_unit[r['indicator']]} (the unit of indicator {r['indicator']})"))
        if not (r["value"] > 0):
            problems.append(Problem(src("subtargets"), idx, "value", r["value"], "a positive number"))
        key = (r["indicator"], r["year"])
        if key in seen_st:
            problems.append(Problem(src("subtargets"), idx, "year", r["year"], "one sub-target per indicator and year"))
        seen_st.add(key)
    base_codes = set(t["baseline"]["code"].dropna())
    for idx, r in t["baseline"].iterrows():
        if not units.is_known(str(r["unit"])):
            problems.append(Problem(src("baseline"), idx, "unit", r["unit"], f"a known unit ({', '.join(units.UNITS)})"))
        if not (r["value"] > 0):
            problems.append(Problem(src("baseline"), idx, "value", r["value"], "a positive number"))
    base_unit = dict(zip(t["baseline"]["code"], t["baseline"]["unit"]))
    for idx, r in ind.iterrows():
        rb = r["related_baseline"]
        if rb is None:
            continue
        if rb not in base_codes:
            problems.append(Problem(src("indicators"), idx, "related_baseline", rb,
                                    f"blank or a code of baseline.csv ({', '.join(sorted(base_codes))})"))
        elif r["kind"] == "stock":
            try:
                units.conversion_factor(str(base_unit[rb]), str(r["unit"]))
            except ValueError:
                problems.append(Problem(src("indicators"), idx, "related_baseline", rb,
                                        f"a baseline whose unit converts to {r['unit']}"))
    funds = t["funds"]
    for idx, r in funds.iterrows():
        if not (r["amount"] > 0):
            problems.append(Problem(src("funds"), idx, "amount", r["amount"], "a positive amount"))
        try:
            units.conversion_factor(str(r["unit"]), "亿元")
        except ValueError:
            problems.append(Problem(src("funds"), idx, "unit", r["unit"], "a money unit (元, 万元, 亿元)"))
    if not problems and "total" in set(funds["code"]):
        amounts = {r["code"]: units.convert(r["amount"], r["unit"], "亿元") for _, r in funds.iterrows()}
        parts = sum(v for k, v in amounts.items() if k != "total")
        if abs(parts - amounts["total"]) > 1e-6:
            idx = funds.index[funds["code"] == "total"][0]
            problems.append(Problem(src("funds"), idx, "amount", amounts["total"],
                                    f"the sum of the other rows ({parts:g} 亿元)"))
    for idx, r in t["areas"].iterrows():
        if r["role"] not in ROLES:
            problems.append(Problem(src("areas"), idx, "role", r["role"], f"one of {', '.join(sorted(ROLES))}"))
    if (t["areas"]["role"] == "city").sum() != 1:
        problems.append(Problem(src("areas"), None, "role", None, "exactly one row with role 'city'"))
