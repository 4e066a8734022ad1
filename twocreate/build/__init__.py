"""The build: report notebooks in, HTML reports, processed tables and the index out.

==============  ============================================================================
module          concern
==============  ============================================================================
``jobs``        the report notebooks (papermill's ``inspect_notebook``) and the jobs of a run
``kernels``     the project's kernel; kernels started ahead, as the papermill engine ``twocreate``
``execute``     signals, per-report staging, the run's log; :func:`run`
``workers``     the worker processes: pipes, dying with the runner, the run's temporary folder
``locks``       the run lock on the reports and processed-tables folders
``cache``       what each report was built from: only what changed is rebuilt
``html``        the nbconvert export with the project's template and the embedded CJK font
``provenance``  the footer: parameters, inputs with SHA-256, commit, package versions
``facts``       what the index shows of a report (title, status, figures), computed by the library
``index``       ``manifest.json`` and the index pages (a Jinja template with its CSS beside it)
==============  ============================================================================

``twocreate.build.run`` is what ``twocreate run`` calls. Importing this package does not import
papermill or nbconvert (a run with nothing to rebuild never needs them).
"""
from .execute import RunLog, Signals, build_reports, run, run_job, summary_lines
from .index import index_name, render_index, update_index
from .jobs import LANGS, REQUIREMENT_REASONS, Job, ReportSpec, Result, batch_areas, discover, lacks, plan_jobs

__all__ = ["LANGS", "REQUIREMENT_REASONS", "Job", "ReportSpec", "Result", "RunLog", "Signals", "batch_areas",
           "build_reports", "discover",
           "index_name", "lacks", "plan_jobs", "render_index", "run", "run_job", "summary_lines", "update_index"]
