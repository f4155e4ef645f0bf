"""Turning Replies into text: Babel catalogs, Jinja2 templates, Norwegian dates."""
