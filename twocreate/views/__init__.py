"""The report views: one module per report, each turning the library's results into the tables,
sentences and charts of that report (pure functions; no file is read or written here).

=================  ==================================================
module             report
=================  ==================================================
``progress``       01 progress on every target (any plan)
``funds``          02 fund allocation and leverage
``districts``      03 district comparison, 04 district profiles
``tasks``          05 task ledger
``common``         tables every report shares (outturns used, data checks, departments)
=================  ==================================================

Import the module of a report: ``from twocreate.views import progress``.
"""
