"""Message catalogues, one module per area; see i18n/__init__.py."""
