"""Maintenance tools for the message catalogues (``python -m i18n.tools.absorb``)."""
