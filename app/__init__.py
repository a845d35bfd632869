"""Bounce Cleaner: triage email bounces into remove / retry / investigate / keep."""

__version__ = "0.1.0"
