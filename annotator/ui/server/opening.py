"""Opening a server project from the window: the URL, the password, and no frozen window.

``open_server(url, parent)`` connects on a thread of its own while a "Connecting…" dialog
turns (with Cancel), so an unreachable server or one that never answers costs the person a
click, not a frozen window (the connection's own limits end the attempt: decision 0084).
When the server asks for a password that libpq did not find (``PGPASSWORD``, the password
file, a service file), the person is asked for it; so they are for the passphrase of their
certificate's key when it is locked and the URL gives none (decision 0124), and asked again
when the key refuses it. Both are kept in this process's memory only, never in the settings or
the recent list. Any failure is one line (``AnnotatorError``).

``ServerDialog`` is File > Open server project…: a libpq URL, typed or picked from the
recent server projects (kept without password).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.pg import (
    KeyLocked,
    PasswordRefused,
    is_server_url,
    redact_url,
    with_password,
    without_sslpassword,
)
from annotator.core.pg.tls_key import PASSPHRASES
from annotator.core.storage import ProjectStore

SHOW_AFTER_MS = 300
"""A connection that takes longer than this shows the "Connecting…" dialog."""

_RUNNING: set[QThread] = set()  # attempts the person gave up on, kept until they end


class _Attempt(QThread):
    """Opens the store on its own thread; ``result`` is the store or the one-line failure
    (a KeyLocked or PasswordRefused among them asks the person before the next attempt)."""

    finished_with = Signal(object)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.abandoned = False

    def run(self) -> None:
        from annotator.core.open import open_store

        result: Any
        try:
            result = open_store(self.url)
        except AnnotatorError as exc:
            result = exc
        except Exception as exc:  # never a traceback in the window: one line
            result = AnnotatorError(f"{redact_url(self.url)}: {type(exc).__name__}: {exc}")
        if self.abandoned and isinstance(result, ProjectStore):
            result.close()  # the person cancelled: nothing stays open
            return
        self.finished_with.emit(result)


def _connect(url: str, parent: QWidget | None) -> ProjectStore | AnnotatorError | None:
    """One attempt, the event loop running meanwhile; None when the person cancelled."""
    attempt = _Attempt(url)
    loop = QEventLoop()
    outcome: list[Any] = []

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    attempt.finished_with.connect(finished, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(
        QCoreApplication.translate("server", "Connecting to %1…").replace("%1", redact_url(url)),
        QCoreApplication.translate("server", "Cancel"),
        0,
        0,
        parent,
    )
    dialog.setObjectName("connecting_dialog")
    dialog.setWindowTitle(QCoreApplication.translate("server", "Open server project"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(loop.quit)
    attempt.start()
    loop.exec()
    dialog.reset()
    dialog.deleteLater()
    if outcome:
        attempt.wait()
        attempt.deleteLater()
        return cast("ProjectStore | AnnotatorError", outcome[0])
    attempt.abandoned = True  # it closes what it opens, and is kept until it ends
    _RUNNING.add(attempt)
    attempt.finished.connect(lambda a=attempt: _RUNNING.discard(a))
    return None


def _ask_secret(parent: QWidget | None, name: str, title: str, text: str) -> str | None:
    """A masked one-line question (None: cancelled or nothing typed)."""
    dialog = QInputDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setLabelText(text)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted.value
    typed = dialog.textValue()
    dialog.deleteLater()
    return typed if accepted and typed else None


def ask_password(parent: QWidget | None, url: str, reason: str) -> str | None:
    """Ask for the password of ``url`` (None: cancelled)."""
    text = (
        QCoreApplication.translate(
            "server",
            "%1\n\nPassword for %2 (kept only while the app runs; to be asked no more, put "
            "it in the password file ~/.pgpass):",
        )
        .replace("%1", reason)
        .replace("%2", redact_url(url))
    )
    title = QCoreApplication.translate("server", "Password")
    return _ask_secret(parent, "password_dialog", title, text)


def ask_passphrase(parent: QWidget | None, key: Path, wrong: bool) -> str | None:
    """Ask for the passphrase of the certificate key ``key`` (None: cancelled)."""
    reason = (
        QCoreApplication.translate("server", "That is not the passphrase of this key.")
        if wrong
        else QCoreApplication.translate(
            "server", "The key of this desktop's certificate is locked with a passphrase."
        )
    )
    text = (
        QCoreApplication.translate(
            "server", "%1\n\nPassphrase of %2 (kept only while the app runs):"
        )
        .replace("%1", reason)
        .replace("%2", str(key))
    )
    title = QCoreApplication.translate("server", "Certificate key")
    return _ask_secret(parent, "passphrase_dialog", title, text)


def open_server(url: str, parent: QWidget | None = None) -> ProjectStore | None:
    """The server project at ``url`` (see the module docstring); None when the person
    cancelled; AnnotatorError (one line) when it cannot be opened."""
    if not is_server_url(url):
        raise AnnotatorError(
            QCoreApplication.translate("server", "not a postgresql:// URL: %1").replace("%1", url)
        )
    while True:
        result = _connect(url, parent)
        if result is None or isinstance(result, ProjectStore):
            return result
        if isinstance(result, KeyLocked):
            passphrase = ask_passphrase(parent, result.key, wrong=result.wrong)
            if passphrase is None:
                return None
            PASSPHRASES.keep(result.key, passphrase)
            url = without_sslpassword(url)  # a wrong one in the URL would win over it
            continue
        if not isinstance(result, PasswordRefused):
            raise result
        password = ask_password(parent, url, str(result))
        if password is None:
            return None
        url = with_password(url, password)


class ServerDialog(QDialog):
    """File > Open server project…: see the module docstring."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("server_dialog")
        self.setWindowTitle(self.tr("Open server project"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The project's PostgreSQL URL, e.g. postgresql://ani@db.example/news"
                "?sslmode=verify-full. The password comes from PGPASSWORD or the password "
                "file (~/.pgpass), or is asked for; it is never remembered here."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.url_box = QComboBox(self)
        self.url_box.setObjectName("server_url")
        self.url_box.setEditable(True)
        self.url_box.addItems(recent)
        self.url_box.setCurrentText(recent[0] if recent else "postgresql://")
        layout.addWidget(self.url_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.message = QLabel(self)
        self.message.setObjectName("server_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.resize(560, self.sizeHint().height())

    @property
    def url(self) -> str:
        """The URL typed or chosen."""
        return self.url_box.currentText().strip()

    def _accept(self) -> None:
        if not is_server_url(self.url):
            self.message.setText(self.tr("A server project's URL starts with postgresql://"))
            return
        self.accept()
