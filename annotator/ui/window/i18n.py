"""Interface language: Qt translations (English source texts, Bahasa Indonesia catalogue).

Every interface string goes through ``self.tr()`` or ``QCoreApplication.translate()``, so
Qt's own mechanism does the work: ``resources/i18n/annotator_id.ts`` is the catalogue
(edited in Qt Linguist or by hand, refreshed with ``pyside6-lupdate``), compiled to
``annotator_id.qm`` with ``pyside6-lrelease`` (both ship with PySide6-Essentials; see
``resources/i18n/README.md``). Installing a translator sends ``QEvent.LanguageChange`` to
every widget, and each one re-reads its texts, so the language switches without a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from annotator.core.paths import resources_dir

if TYPE_CHECKING:  # PySide's stub says object; lupdate finds the calls by this name

    def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
        """Mark ``text`` for translation in ``context``; returns it unchanged."""
        ...

else:  # re-exported: the modules with interface texts import it from here
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP

LANGUAGES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia"}
SOURCE_LANGUAGE = "en"


def system_language() -> str:
    """``id`` when the system locale is Indonesian, else ``en``."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def catalogue(code: str) -> Path | None:
    """The compiled catalogue of ``code``, if it exists."""
    try:
        path = resources_dir() / "i18n" / f"annotator_{code}.qm"
    except FileNotFoundError:
        return None
    return path if path.exists() else None


class Translations:
    """The translators installed in the application; one language at a time.

    Translators are application-wide, so there is one of these per application: get it with
    ``Translations.shared(app)``.
    """

    _shared: Translations | None = None

    @classmethod
    def shared(cls, app: QCoreApplication) -> Translations:
        """The application's one Translations object."""
        if cls._shared is None or cls._shared.app is not app:
            cls._shared = cls(app)
        return cls._shared

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.language = SOURCE_LANGUAGE
        self._installed: list[QTranslator] = []

    def install(self, code: str) -> str:
        """Switch the interface to ``code`` (unknown codes fall back to English)."""
        code = code if code in LANGUAGES else SOURCE_LANGUAGE
        if code == self.language and (self._installed or code == SOURCE_LANGUAGE):
            return code
        # removing or installing a translator posts QEvent.LanguageChange to every window
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed.clear()
        if code != SOURCE_LANGUAGE:
            ours = catalogue(code)
            if ours is not None:
                self._load(str(ours.parent), ours.stem)
            # Qt's own strings (standard buttons, context menus), where Qt ships them
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._load(qt_dir, f"qtbase_{code}")
        QLocale.setDefault(QLocale(code))
        self.language = code
        return code

    def _load(self, directory: str, name: str) -> None:
        translator = QTranslator(self.app)
        if translator.load(name, directory):
            self.app.installTranslator(translator)
            self._installed.append(translator)
