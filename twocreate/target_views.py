"""Former name of :mod:`twocreate.views.targets` (kept so that old imports work): the same module."""
import sys

from .views import targets as _module

sys.modules[__name__] = _module
