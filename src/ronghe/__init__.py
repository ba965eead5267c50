"""ronghe (融合): measure, diagnose and plan urban-rural integration for Chinese counties."""

__version__ = "0.1.0"
