"""Saving a file the user asked for: a certificate PDF, a CSV view, a report.

In a browser (``certify serve``) the bytes go to the browser with ``deliver_binary``. In
a terminal, textual 8.2.8 cannot write binary files (see ``shared/tech-notes.md``), so
certify asks for a path, prefilled in the downloads folder, and writes the file itself.
Either way the bytes are produced in a thread worker: rendering never freezes the UI.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from platformdirs import user_downloads_path
from textual.dom import DOMNode

from certify.errors import CertifyError
from tui.i18n import _
from tui.screens.dialogs import TextDialog

#: Environment variable naming the folder files are offered to be saved in.
DOWNLOADS_ENV = "CERTIFY_DOWNLOADS"
#: Bytes to save, made on demand (in a thread worker).
Produce = Callable[[], bytes]


def downloads_folder() -> Path:
    """Where files are offered to be saved: ``$CERTIFY_DOWNLOADS``, else the user's downloads."""
    chosen = os.environ.get(DOWNLOADS_ENV)
    return Path(chosen).expanduser() if chosen else user_downloads_path()


def _candidates(path: Path) -> Iterator[Path]:
    """``path``, then ``name (2).ext``, ``name (3).ext``… (never overwrite a file)."""
    yield path
    for number in range(2, 1000):
        yield path.with_name(f"{path.stem} ({number}){path.suffix}")


def write_new_file(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` or the first free variant of it; return where.

    A folder given as ``path`` is not an error: nothing there is overwritten either.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for candidate in _candidates(path):
            try:
                with candidate.open("xb") as target:
                    target.write(content)
            except FileExistsError:
                continue
            return candidate
    except OSError as error:
        raise CertifyError(
            f"Impossible d'enregistrer «\u00a0{path}\u00a0»\u00a0: {error.strerror or error}.",
            f"Cannot save “{path}”: {error.strerror or error}.",
        ) from error
    raise CertifyError(
        f"Impossible d'enregistrer «\u00a0{path}\u00a0»\u00a0: trop de fichiers de ce nom.",
        f"Cannot save “{path}”: too many files of that name.",
    )


def chosen_path(typed: str, filename: str) -> Path:
    """The file the user typed; a folder (existing, or ending in ``/``) gets ``filename``."""
    path = Path(typed.strip()).expanduser()
    return path / filename if typed.rstrip().endswith(os.sep) or path.is_dir() else path


def save(node: DOMNode, filename: str, mime_type: str, produce: Produce) -> None:
    """Offer the bytes ``produce`` makes to the user as ``filename``.

    Failures (rendering, writing) reach the user through ``node``'s failure handler.
    """
    app = node.app
    if app.is_web:
        node.run_worker(
            lambda: _deliver(node, filename, mime_type, produce),
            thread=True,
            exit_on_error=False,
            group="save",
        )
        return

    def write(typed: str | None) -> None:
        """Write where the user said (nothing when they cancelled)."""
        if typed and typed.strip():
            node.run_worker(
                lambda: _write(node, chosen_path(typed, filename), produce),
                thread=True,
                exit_on_error=False,
                group="save",
            )

    app.push_screen(TextDialog(_("Save as"), str(downloads_folder() / filename)), write)


def _preparing(node: DOMNode, filename: str) -> None:
    """From a worker: say the file is being made (a report or a batch takes seconds)."""
    node.app.call_from_thread(
        node.app.notify, _("Preparing {filename}…").format(filename=filename), timeout=3
    )


def _deliver(node: DOMNode, filename: str, mime_type: str, produce: Produce) -> None:
    """In a worker: make the bytes and send them to the browser."""
    _preparing(node, filename)
    content = io.BytesIO(produce())
    app = node.app
    app.call_from_thread(app.deliver_binary, content, save_filename=filename, mime_type=mime_type)
    app.call_from_thread(app.notify, _("Download started: {filename}").format(filename=filename))


def _write(node: DOMNode, path: Path, produce: Produce) -> None:
    """In a worker: make the bytes, write them to a new file and say where."""
    _preparing(node, path.name)
    written = write_new_file(path, produce())
    node.app.call_from_thread(
        node.app.notify, _("Saved: {path}").format(path=written), title=_("File saved")
    )
