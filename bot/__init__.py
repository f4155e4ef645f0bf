"""Møteklar: helps IPS job seekers prepare their samarbeidsmøte."""

__version__ = "0.1.0"
