"""Former name of :mod:`twocreate.views.funds` (kept so that old imports work): the same module."""
import sys

from .views import funds as _module

sys.modules[__name__] = _module
