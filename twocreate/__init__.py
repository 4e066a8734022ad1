"""twocreate: monitoring a city's enterprise-policy plan given as data (``data/raw/plans/<id>/``):
targets assessed by one engine, funds, districts and tasks, reports in Chinese and English.

The short API (``import twocreate as tc``; see :mod:`twocreate.api` and ``docs/explore.md``)::

    plan = tc.load_plan()                          # the default plan (or an id, or a plan folder)
    obs = tc.read_outturns("outturns.xlsx", plan)  # any layout; notices shown in obs.attrs["notices"]
    result = tc.assess(plan, obs, "2020年")         # one row per target: result.table
    cmp = tc.compare_districts(plan, obs, 2020, areas=["...", "..."])
    model = tc.fund_model(plan, co_investment=1.5) # both readings of the leverage ratio
    tc.chart(result)                               # the chart of any of these

The API's names are loaded when first used, so ``import twocreate`` (and the command line) stays
quick. Importing ``twocreate`` also makes Chinese show in any matplotlib chart: when matplotlib is
imported (before or after), the shipped CJK font is registered and added to its font fallback
(:func:`twocreate.plotting.cjk_fallback`).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

from .errors import InputError

__version__ = "0.1.0"
__all__ = ["load_plan", "read_outturns", "assess", "compare_districts", "fund_model", "chart", "InputError"]
_API = frozenset(__all__) - {"InputError"}


def __getattr__(name: str):
    """The short API's functions, imported from :mod:`twocreate.api` when first asked for."""
    if name == "assess":  # the subpackage twocreate.assess, callable as the API's assess (it would shadow it)
        return importlib.import_module(".assess", __name__)
    if name in _API:
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)


def _cjk_fallback() -> None:
    if "twocreate.plotting" in sys.modules:  # plotting itself is importing matplotlib: it runs cjk_fallback at its end
        return
    try:
        from .plotting import cjk_fallback
        cjk_fallback()
    except Exception as exc:  # a chart with boxes is better than no matplotlib at all
        import warnings
        warnings.warn(f"twocreate: could not register the CJK font with matplotlib ({exc})", RuntimeWarning)


class _AfterMatplotlib(importlib.abc.MetaPathFinder):
    """Runs :func:`_cjk_fallback` right after the ``matplotlib`` package has been imported (once)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "matplotlib":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module):
            run(module)
            _cjk_fallback()

        loader.exec_module = exec_module
        return spec


if "matplotlib" in sys.modules:
    _cjk_fallback()
elif not any(isinstance(f, _AfterMatplotlib) for f in sys.meta_path):
    sys.meta_path.insert(0, _AfterMatplotlib())
