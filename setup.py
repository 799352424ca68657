"""Builds the gettext catalogues with the package: ``build_py`` (run by ``pip install``, ``pip install -e .`` and
wheel builds alike) compiles ``i18n/locale/*/LC_MESSAGES/shopbot.po`` to ``.mo`` before the package data is
collected, so an install always ships catalogues that match the ``.po`` files. Everything else is in
pyproject.toml."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class CompileCatalogues(build_py):
    def run(self) -> None:
        # i18n/catalogue.py imports only Babel, so it is loaded on its own (the package's own dependencies are not
        # installed in the build environment).
        spec = importlib.util.spec_from_file_location("_shopbot_catalogue", ROOT / "i18n" / "catalogue.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for mo in module.compile_all():
            self.announce(f"compiled {mo.relative_to(ROOT)}", level=2)
        super().run()


setup(cmdclass={"build_py": CompileCatalogues})
