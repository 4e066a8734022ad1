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

Import the module of a report: ``from twocreate.views import trajectory``.
"""
