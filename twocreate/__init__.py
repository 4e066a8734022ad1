"""twocreate: monitoring a city's plan given as data (``data/raw/plans/<id>/``); the default plan is Jinan's
small/micro-enterprise demonstration plan 2016–2018 (济政办发〔2016〕28号)."""
from .errors import InputError

__version__ = "0.1.0"
__all__ = ["InputError", "__version__"]
