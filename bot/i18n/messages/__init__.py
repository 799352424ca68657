"""Message catalogues, one module per area; see bot/i18n/__init__.py."""
