"""twocreate: monitoring a city's enterprise-policy plan given as data (``data/raw/plans/<id>/``):
targets assessed by one engine, funds, districts and tasks, reports in Chinese and English."""
from .errors import InputError

__version__ = "0.1.0"
__all__ = ["InputError", "__version__"]
