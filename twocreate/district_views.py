"""Former name of :mod:`twocreate.views.districts` (kept so that old imports work): the same module."""
import sys

from .views import districts as _module

sys.modules[__name__] = _module
