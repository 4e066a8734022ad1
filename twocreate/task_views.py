"""Former name of :mod:`twocreate.views.tasks` (kept so that old imports work): the same module."""
import sys

from .views import tasks as _module

sys.modules[__name__] = _module
