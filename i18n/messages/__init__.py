"""Dict-format message modules on their way into the catalogues.

A module here defines ``MESSAGES: dict[str, tuple[str, str]]`` (key -> (English, Chinese); ``key.one`` and
``key.other`` for a plural). They are not read at run time: ``python -m i18n.tools.absorb i18n/messages/<area>.py``
moves them into ``i18n/locale/*/LC_MESSAGES/shopbot.po`` and deletes them (a test fails while one is left).
"""
