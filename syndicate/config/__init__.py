"""schedules.yaml: loading, validation with file:line:col errors, and the models."""

from .load import load, parse, parse_bytes
from .model import Config, SiteSettings

__all__ = ["Config", "SiteSettings", "load", "parse", "parse_bytes"]
