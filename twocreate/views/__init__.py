"""The report views: one module per report, each turning the library's results into the tables,
sentences and charts of that report (pure functions; no file is read or written here).

=================  ==================================================
module             report
=================  ==================================================
``trajectory``     01 trajectory (the plan's growth indicators)
``funds``          02 fund allocation and leverage
``districts``      03 district comparison, 04 district profiles
``tasks``          05 task ledger
``targets``        06 targets by kind (any plan)
=================  ==================================================

``from twocreate import views`` still gives the trajectory report's functions (the former
``views.py``); ``twocreate.fund_views``, ``district_views``, ``task_views`` and ``target_views``
are the same modules under their former names.
"""
from .trajectory import *  # noqa: F401,F403 - the former twocreate.views
from .trajectory import category_label  # noqa: F401
