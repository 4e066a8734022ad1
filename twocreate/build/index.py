"""The index pages (``index.html`` in Chinese, ``index.en.html`` in English) and the manifest they
are built from.

The manifest (``manifest.json``) lists every report built, with its plan, year, language, status
and the figures the index shows: the facts the build computed with the library
(:mod:`twocreate.build.facts`, kept in each :class:`~twocreate.build.jobs.Result`'s ``record`` and in
the build cache), never a notebook's output. The pages are rendered by the Jinja template
``twocreate/templates/index/index.html.j2`` with its stylesheet ``index.css`` beside it; this
module only shapes the manifest into what the template shows (every text from data is escaped by
the template, once)."""
from __future__ import annotations

import json
from pathlib import Path

from .. import config
from ..io import write_text_if_changed
from .jobs import LANGS, plan_info

INDEX_FILES = {"zh": "index.html", "en": "index.en.html"}
ASSESSED_KINDS = ("progress",)  # reports whose categories the index shows as chips
FIGURES = ("categories", "tasks", "execution")  # the facts of some kinds only (build.facts)
TEMPLATE_DIR = config.PACKAGE / "templates" / "index"
GROUPS = ("core", "radiating", "other")

INDEX_KEYS = ("title", "html_title", "other", "glance", "absent", "indicators", "tasks", "funds", "tasks_chip",
              "exec_chip", "no_exec", "movement", "indicator", "year", "reports", "report", "status", "generated",
              "edition", "profiles", "mark", "none", "lead", "plans", "no_data", "years_built")
HTML_LANG = {"zh": "zh-CN", "en": "en"}


class _IndexText(dict):
    """The index's words of every language (catalog ``index.*``), read when first asked for."""

    def __missing__(self, lang: str) -> dict:
        from ..i18n import catalog
        words: dict = {k: str(catalog(lang)[f"index.{k}"]) for k in INDEX_KEYS}
        words["html_lang"] = HTML_LANG[lang]
        words["colon"] = str(catalog(lang)["punct.colon"])
        words["groups"] = {g: str(catalog(lang)[f"index.groups.{g}"]) for g in GROUPS}
        self[lang] = words
        return words


INDEX_TEXT = _IndexText()
"""``INDEX_TEXT[lang][key]``: the index's words in ``lang`` (templates with ``{year}``, ``{city}``… to fill)."""


def index_name(lang: str) -> str:
    """The index page of a language (``index.html`` is the Chinese one)."""
    return INDEX_FILES.get(lang, "index.html")


# --------------------------------------------------------------------------- the manifest
def update_index(out_dir: Path, results: list, generated: str, plans: list | None = None,
                 absent: dict | None = None, processed_dir: Path | None = None) -> None:
    """Merge the successful reports of this run into ``manifest.json`` and rewrite the index pages.

    Every entry names its plan (id, titles and period from the plan's metadata); ``absent`` maps a
    plan id to {report name: (spec, (reason zh, reason en))} for the reports that plan cannot have,
    which the index lists with their reason."""
    if plans is None:
        from ..plan import load_plan
        try:
            plans = [load_plan()]
        except Exception:  # noqa: BLE001 - the index never fails for want of the plan files
            plans = []
    info = {p.id: plan_info(p) for p in plans}
    manifest_path = out_dir / "manifest.json"
    entries: dict[str, dict] = {}
    if manifest_path.exists():
        try:
            for e in json.loads(manifest_path.read_text(encoding="utf-8")):
                entries[e["path"]] = e
        except (ValueError, KeyError):
            entries = {}
    for r in results:
        rel = str(r.job.out_html.relative_to(out_dir))
        entries[rel] = {"path": rel, "year": r.job.year, "lang": r.job.lang, "name": r.job.spec.name,
                        "kind": r.job.spec.kind, "kind_title": r.job.spec.title,
                        "title": r.record.get("title", r.job.spec.name),
                        "area_code": r.job.area_code, "generated": r.record.get("generated", generated),
                        "status": r.status, "illustrative": bool(r.record.get("illustrative")),
                        **info.get(r.job.plan_id, {}),
                        **{k: r.record[k] for k in FIGURES if r.record.get(k) is not None}}
    for p in plans:
        for k in [k for k, v in entries.items() if v.get("absent") and v.get("plan") == p.id]:
            del entries[k]
        for name, (spec, reason) in (absent or {}).get(p.id, {}).items():
            key = f"absent:{p.id}:{name}"
            entries[key] = {"path": key, "absent": True, "name": name, "kind": spec.kind, "kind_title": spec.title,
                            "reason": {"zh": reason[0], "en": reason[1]}, "year": 0, "lang": "", **info[p.id]}
    # forget reports whose file is gone
    entries = {k: v for k, v in entries.items() if v.get("absent") or (out_dir / k).exists()}
    ordered = sorted(entries.values(), key=lambda e: (-int(e["year"]), e["name"], e["lang"], e.get("area_code") or ""))
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    try:
        unchanged = manifest_path.read_text(encoding="utf-8") == text
    except OSError:
        unchanged = False
    books = write_workbooks(out_dir, ordered, processed_dir, plans)
    if unchanged and all((out_dir / index_name(lang)).exists() and
                         all(h in (out_dir / index_name(lang)).read_text(encoding="utf-8") for h in books.values())
                         for lang in LANGS):
        return  # the index pages show exactly this manifest already (rendering them embeds a font: slow)
    write_text_if_changed(manifest_path, text)
    for lang in LANGS:
        write_text_if_changed(out_dir / index_name(lang), render_index(ordered, lang, workbooks=books))


def _year_dir(path: str) -> str:
    """``2018/zh/progress.html`` → ``2018``; ``<plan>/2027/en/…`` → ``<plan>/2027``: a year's folder."""
    parts = Path(path).parts
    i = next((i for i, x in enumerate(parts) if x in LANGS), len(parts) - 1)
    return "/".join(parts[:i])


def write_workbooks(out_dir: Path, entries: list[dict], processed_dir: Path | None, plans) -> dict:
    """One workbook per plan and year built (:mod:`twocreate.build.workbook`), in the year's folder;
    returns {(plan id, year): path relative to ``out_dir``} of every workbook there is."""
    from ..plan import DEFAULT_PLAN
    from .workbook import WORKBOOK_NAME, write_workbook, year_tables
    years: dict[tuple[str, int], str] = {}
    for e in entries:
        if not e.get("absent") and e.get("path"):
            years.setdefault((str(e.get("plan") or DEFAULT_PLAN), int(e["year"])), _year_dir(e["path"]))
    prefixes = {pid: "" if pid == DEFAULT_PLAN else f"{pid}_" for pid, _ in years}
    prefixes.update({p.id: "" if p.id == DEFAULT_PLAN else f"{p.id}_" for p in plans or []})
    out = {}
    for (pid, year), folder in sorted(years.items()):
        rel = f"{folder}/{WORKBOOK_NAME.format(year=year)}" if folder else WORKBOOK_NAME.format(year=year)
        if processed_dir is not None:
            tables = year_tables(Path(processed_dir), year, prefixes[pid], [v for v in prefixes.values() if v])
            if tables:
                write_workbook(out_dir / rel, tables, year, prefixes[pid], title=f"{pid} {year}")
        if (out_dir / rel).exists():
            out[(pid, year)] = rel
    return out


# --------------------------------------------------------------------------- the page
def render_index(entries: list[dict], lang: str = "zh", workbooks: dict | None = None) -> str:
    """The self-contained index page of one language (no script; the style inline): the list of
    plans, newest period first, when there is more than one; then per plan its latest year at a
    glance (indicator categories as coloured chips, task counts, execution rate), how each
    indicator's category moved, every year built, newest first, with human report names and district
    profiles listed compactly by group, and the reports the plan cannot have with the reason."""
    import jinja2

    from ..plan import DEFAULT_PLAN
    from .html import FONT_PLACEHOLDER, font_face_css
    T = INDEX_TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    by_plan: dict[str, list[dict]] = {}
    for e in entries:
        by_plan.setdefault(str(e.get("plan") or DEFAULT_PLAN), []).append(e)
    order = sorted(by_plan, key=lambda pid: (-_period_start(by_plan[pid]), pid != DEFAULT_PLAN, pid))
    plans = [_plan_view(pid, by_plan[pid], lang, "" if pid == DEFAULT_PLAN else f"{pid}-", workbooks or {})
             for pid in order]
    single = plans[0] if len(plans) == 1 else None
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    page = env.get_template("index.html.j2").render(
        T=T, lang=lang, plans=plans, single=single, font=FONT_PLACEHOLDER,
        other={"href": index_name(other), "hreflang": INDEX_TEXT[other]["html_lang"], "label": T["other"]},
        title=(single["title"] if single else "") or T["title"], sub=single["sub"] if single else "")
    from ..present import tag_languages
    page = tag_languages(page, lang)
    return page.replace(FONT_PLACEHOLDER, font_face_css(page), 1)


def _period_start(entries: list[dict]) -> int:
    for e in entries:
        period = e.get("plan_period") or [None]
        if isinstance(period[0], int):
            return period[0]
    return 0


def _plan_view(pid: str, entries: list[dict], lang: str, pfx: str, workbooks: dict | None = None) -> dict:
    """What the index shows of one plan's reports (anchors start with ``pfx``)."""
    T = INDEX_TEXT[lang]
    first = entries[0]
    absent = [e for e in entries if e.get("absent")]
    entries = [e for e in entries if not e.get("absent")]
    by_year: dict[int, list[dict]] = {}
    for e in entries:
        by_year.setdefault(int(e["year"]), []).append(e)
    years = sorted(by_year, reverse=True)
    city = str((entries[0].get("plan_city") or {}).get(lang, "")) if entries else ""
    return {"id": pid, "pfx": pfx, "title": str((first.get("plan_title") or {}).get(lang, pid)),
            "sub": str((first.get("plan_sub") or {}).get(lang, "")),
            "years_nav": [(f"{pfx}y{y}", T["year"].format(year=y)) for y in years],
            "glance": _glance(by_year[years[0]], years[0], lang, city) if years else None,
            "movement": _movement(by_year, years, lang, pfx),
            "years": [dict(_year(y, by_year[y], lang, pfx, _areas(pid)), workbook=(workbooks or {}).get((pid, y)),
                           workbook_label=_workbook_label(y, lang)) for y in years],
            "absent": [f"{_kind_name(e, lang)}{T['colon']}{(e.get('reason') or {}).get(lang, '')}"
                       for e in sorted(absent, key=lambda e: e["name"])]}


def _workbook_label(year: int, lang: str) -> str:
    from ..i18n import t
    return t("furniture.workbook", lang, year=year)


def _kind_name(e: dict, lang: str) -> str:
    kt = e.get("kind_title") or {}
    return str(kt.get(lang) or e.get("title") or e["kind"])


def _marked(group: list[dict]) -> bool:
    return any(e.get("illustrative") for e in group)


def _chip(c: dict | None, lang: str) -> dict | None:
    from ..plotting import CATEGORY_COLOURS
    if c is None:
        return None
    return {"category": str(c.get("category")), "label": str(c.get("label") or INDEX_TEXT[lang]["no_data"]),
            "colour": CATEGORY_COLOURS.get(c.get("category"), CATEGORY_COLOURS["no_data"])}


def _pct(x) -> str:
    try:
        return f"{float(x) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


def _glance(entries: list[dict], year: int, lang: str, city: str) -> dict | None:
    """The latest year at a glance: the indicators' categories, the task counts, the execution rate."""
    T = INDEX_TEXT[lang]
    mine = [e for e in entries if e["lang"] == lang]
    traj = next((e for e in mine if e["kind"] in ASSESSED_KINDS and e.get("categories")), None)
    tasks = next((e for e in mine if e.get("tasks")), None)
    fund = next((e for e in mine if e["kind"] == "fund_leverage"), None)
    groups = []
    if traj:
        groups.append({"heading": T["indicators"].format(city=city), "href": traj["path"], "cls": "", "text": "",
                       "chips": [dict(_chip(c, lang), name=str(c["name"])) for c in traj["categories"]]})
    if tasks:
        t = tasks["tasks"]
        groups.append({"heading": T["tasks"], "href": tasks["path"], "cls": "chip-tasks", "chips": [],
                       "text": T["tasks_chip"].format(**{k: int(t.get(k, 0)) for k in ("met", "behind", "na")})})
    if fund:
        ex = fund.get("execution")
        groups.append({"heading": T["funds"], "href": fund["path"], "cls": "chip-funds", "chips": [],
                       "text": (T["exec_chip"].format(rate=_pct(ex.get("rate")), elapsed=_pct(ex.get("elapsed")))
                                if ex else T["no_exec"])})
    return {"heading": T["glance"].format(year=year), "marked": _marked(mine), "groups": groups} if groups else None


def _movement(by_year: dict[int, list[dict]], years: list[int], lang: str, pfx: str) -> dict | None:
    """How each indicator's category moved over the years built (a row per indicator, a chip per year)."""
    T = INDEX_TEXT[lang]
    traj = {y: next((e for e in by_year[y] if e["lang"] == lang and e["kind"] in ASSESSED_KINDS
                     and e.get("categories") and not e.get("area_code")), None) for y in years}
    traj = {y: e for y, e in traj.items() if e}
    if not traj:
        return None
    chron = sorted(traj)
    rows = []
    for code in [c["code"] for c in traj[chron[-1]]["categories"]]:
        found = [next((c for c in traj[y]["categories"] if c["code"] == code), None) for y in chron]
        rows.append({"name": str([c for c in found if c][-1]["name"]), "chips": [_chip(c, lang) for c in found]})
    return {"years": [(f"{pfx}y{y}", T["year"].format(year=y)) for y in chron], "rows": rows}


def _areas(pid: str):
    """The plan's area table by code, for the district profiles' names and groups (None if the plan
    cannot be loaded: the index never fails for want of the plan files)."""
    try:
        from ..plan import load_plan
        return load_plan(pid).areas.set_index("area_code")
    except Exception:  # noqa: BLE001
        return None


def _year(y: int, entries: list[dict], lang: str, pfx: str, areas) -> dict:
    """One year's reports: a row per report (with the other language's edition) and the district
    profiles by group."""
    other = "en" if lang == "zh" else "zh"
    kinds: dict[str, dict[str, list[dict]]] = {}
    for e in entries:
        kinds.setdefault(e["name"], {}).setdefault(e["lang"], []).append(e)
    rows, profiles = [], None
    for by_lang in kinds.values():
        mine, theirs = by_lang.get(lang) or [], by_lang.get(other) or []
        first = (mine or theirs)[0]
        if first.get("area_code"):  # a batch: names by group, compact
            if mine:
                profiles = {"heading": _kind_name(first, lang), "marked": _marked(mine),
                            "other": f"{index_name(other)}#{pfx}y{y}" if theirs else None,
                            "groups": _profile_groups(mine, lang, areas)}
            continue
        rows.append({"name": _kind_name(mine[0] if mine else first, lang), "href": mine[0]["path"] if mine else None,
                     "marked": _marked(mine or theirs), "other": theirs[0]["path"] if theirs else None,
                     "status": (mine[0].get("status") if mine else "") or "",
                     "generated": max(e["generated"] for e in (mine or theirs))[:10]})
    return {"id": f"{pfx}y{y}", "heading": INDEX_TEXT[lang]["reports"].format(year=y), "rows": rows,
            "profiles": profiles}


def _profile_groups(mine: list[dict], lang: str, areas) -> list[dict]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for e in sorted(mine, key=lambda e: str(e["area_code"])):
        code = str(e["area_code"])
        role, label = "other", code
        if areas is not None and code in areas.index:
            role, label = str(areas.loc[code, "role"]), str(areas.loc[code, f"name_{lang}"])
        grouped.setdefault(role, []).append((e["path"], label))
    return [{"group": g, "label": INDEX_TEXT[lang]["groups"].get(g, g), "links": grouped[g]}
            for g in GROUPS if g in grouped]
