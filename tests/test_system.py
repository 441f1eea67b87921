"""verifier.system, each operation both ways: with the POSIX call, and as on a system without it (the
name taken away here, as Windows lacks it). Paths with Windows' own rules (ntpath) where Linux cannot
have them for real."""

from __future__ import annotations

import errno
import io
import os
import signal
import threading
from pathlib import Path

import pytest

from verifier import outputs, system
from verifier.errors import UsageError
from verifier.inputs import read_regular_bytes
from verifier.store.checkpoint import CheckpointWriter
from verifier.system import console, files, paths, signals

WITHOUT = pytest.mark.parametrize("posix", [True, False], ids=["posix", "as-on-windows"])


def _as_windows(monkeypatch: pytest.MonkeyPatch, posix: bool, *names: str) -> None:
    if not posix:
        for name in names:
            monkeypatch.delattr(os, name, raising=False)


@WITHOUT
def test_a_link_is_never_written_through(posix: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _as_windows(monkeypatch, posix, "O_NOFOLLOW")
    target = tmp_path / "elsewhere.txt"
    target.write_text("kept\n", encoding="utf-8")
    link = tmp_path / "results.jsonl"
    link.symlink_to(target)
    with pytest.raises(OSError) as refused:
        files.open_no_follow(link, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    assert refused.value.errno == errno.ELOOP
    with pytest.raises(UsageError, match="symbolic link"):
        outputs.open_append(link)
    assert target.read_text(encoding="utf-8") == "kept\n"
    fd = files.open_no_follow(tmp_path / "new.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.close(fd)
    assert (tmp_path / "new.txt").is_file()


def test_without_o_nofollow_a_link_swapped_in_during_the_open_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The race O_NOFOLLOW closes in the kernel: the path is a file when looked at, a link once opened.
    monkeypatch.delattr(os, "O_NOFOLLOW")
    path, target = tmp_path / "report.html", tmp_path / "target.html"
    target.write_text("x", encoding="utf-8")
    real_open = os.open

    def open_then_swap(name: os.PathLike[str] | str, flags: int, mode: int = 0o777) -> int:
        fd = real_open(name, flags, mode)
        os.unlink(name)
        os.symlink(target, name)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    with pytest.raises(OSError) as refused:
        files.open_no_follow(path, os.O_WRONLY | os.O_CREAT)
    assert refused.value.errno == errno.ELOOP


@WITHOUT
def test_outputs_are_private_where_mode_bits_exist(
    posix: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as_windows(monkeypatch, posix, "fchmod")
    path = tmp_path / "results.jsonl"
    path.write_text("", encoding="utf-8")
    path.chmod(0o644)
    os.close(outputs.open_append(path))
    assert path.stat().st_mode & 0o777 == (0o600 if posix else 0o644)  # Windows: its folder's access list


@WITHOUT
def test_a_torn_checkpoint_is_mended_by_reading_its_last_byte(
    posix: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as_windows(monkeypatch, posix, "pread")
    path = tmp_path / "results.jsonl"
    path.write_bytes(b'{"whole": 1}\n{"torn')
    with CheckpointWriter(path):
        pass
    assert path.read_bytes() == b'{"whole": 1}\n{"torn\n'
    fd = os.open(path, os.O_RDONLY)
    try:
        assert files.read_at(fd, 4, 2) == b"whol" and files.read_at(fd, 100, 13) == b'{"torn\n'
    finally:
        os.close(fd)


@WITHOUT
def test_a_fifo_is_refused_without_ever_waiting_on_it(
    posix: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as_windows(monkeypatch, posix, "O_NONBLOCK")
    fifo = tmp_path / "courts.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_regular_bytes(fifo, "--courts", 1 << 20)
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=60)  # a wrong open would wait for a writer for ever; the right one answers at once
    if reader.is_alive():
        with open(fifo, "wb"):  # let the stuck open go, then fail
            pass
        pytest.fail("reading the FIFO waited for a writer")
    assert len(outcome) == 1 and isinstance(outcome[0], UsageError) and "FIFO" in str(outcome[0])
    good = tmp_path / "good.json"
    good.write_bytes(b"{}\r\n\x1a")  # binary: CR LF and Ctrl-Z come back as they are
    assert read_regular_bytes(good, "--courts", 1 << 20) == b"{}\r\n\x1a"


def test_the_roster_privacy_warning_is_posix_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert files.mode_bits_tell_privacy() is True
    monkeypatch.setattr(system, "WINDOWS", True)
    assert files.mode_bits_tell_privacy() is False and system.name() == "windows"


# --- the console --------------------------------------------------------------------------------


class _Stream(io.TextIOWrapper):
    def __init__(self, encoding: str, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding=encoding)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def written(self) -> bytes:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "tty", "chosen", "unwritable", "expected"),
    [
        # A task's log (a file nobody chose the encoding of): UTF-8, every name whole.
        ("cp1252", False, False, console.QUESTION_MARKS, "Zoë Ångström 李小龍\n".encode()),
        # PYTHONIOENCODING=cp1252, or a terminal in cp1252: a ? per cell, standard output's tables in line...
        ("cp1252", False, True, console.QUESTION_MARKS, b"Zo\xeb \xc5ngstr\xf6m ??????\n"),
        ("cp1252", True, False, console.QUESTION_MARKS, b"Zo\xeb \xc5ngstr\xf6m ??????\n"),
        # ... and standard error's messages say exactly what was there.
        ("cp1252", True, False, "backslashreplace", b"Zo\xeb \xc5ngstr\xf6m \\u674e\\u5c0f\\u9f8d\n"),
        ("ascii", False, True, "backslashreplace", b"Zo\\xeb \\xc5ngstr\\xf6m \\u674e\\u5c0f\\u9f8d\n"),
        ("utf-8", True, False, console.QUESTION_MARKS, "Zoë Ångström 李小龍\n".encode()),
    ],
)
def test_a_name_never_crashes_the_output(
    encoding: str, tty: bool, chosen: bool, unwritable: str, expected: bytes
) -> None:
    stream = _Stream(encoding, tty)
    console.prepare(stream, encoding_chosen=chosen, unwritable=unwritable)
    stream.write("Zoë Ångström 李小龍\n")
    assert stream.written() == expected


def test_pacer_verifys_own_marks_stay_readable() -> None:
    stream = _Stream("ascii", tty=True)
    console.prepare(stream, encoding_chosen=False, unwritable=console.QUESTION_MARKS)
    stream.write("Manage My Account \u2192 Upgrade \u2014 overdue\u2026 \u2022 \u2713")
    assert stream.written() == b"Manage My Account > Upgrade - overdue. * ?"


def test_a_combining_accent_takes_no_cell_of_its_own() -> None:
    stream = _Stream("ascii", tty=True)
    console.prepare(stream, encoding_chosen=False, unwritable=console.QUESTION_MARKS)
    stream.write("Zoe\u0308 A\u030angstro\u0308m")  # the accents written apart from their letters
    assert stream.written() == b"Zoe Angstrom"


def test_every_stream_takes_a_lone_surrogate() -> None:
    stream = _Stream("utf-8", tty=True)
    console.prepare(stream, encoding_chosen=False)
    stream.write(os.fsdecode(b"roster-\xff.csv"))
    assert stream.written() == b"roster-\\udcff.csv"


# --- signals ------------------------------------------------------------------------------------


def test_ctrl_break_stops_as_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR2, raising=False)  # Windows' Ctrl-Break, here
    assert signals.stop_signals() == (signal.SIGINT, signal.SIGTERM, signal.SIGUSR2)
    assert signals.as_stop(signal.SIGUSR2) == signal.SIGINT and signals.as_stop(signal.SIGTERM) == signal.SIGTERM
    before = signal.getsignal(signal.SIGUSR2)
    try:
        signals.break_means_interrupt()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGUSR2)
    finally:
        signal.signal(signal.SIGUSR2, before)


def test_without_sigbreak_nothing_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(signal, "SIGBREAK", raising=False)
    assert signals.stop_signals() == (signal.SIGINT, signal.SIGTERM)
    signals.break_means_interrupt()  # nothing to do, nothing raised


# --- paths, by each system's rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "windows", "expected"),
    [
        (r"C:\Program Files\Google\Chrome\Application\chrome.exe", True, True),
        ("C:/Program Files/Google/Chrome/Application/chrome.exe", True, True),
        (r"\\server\share\chrome.exe", True, True),
        ("C:chrome.exe", True, True),
        ("msedge.exe", True, False),
        ("/usr/lib/chromium/chromium", False, True),
        ("./chromium", False, True),
        ("chromium", False, False),
        (r"C:\chrome.exe", False, False),  # on POSIX a backslash is part of a name
    ],
)
def test_a_browser_named_with_a_folder_is_a_path_not_a_name_on_path(text: str, windows: bool, expected: bool) -> None:
    assert paths.names_a_folder(text, windows=windows) is expected


def test_there_is_no_relative_path_between_two_drives() -> None:
    assert paths.relative_path(r"C:\runs\week1\artifacts\a.png", r"C:\reports", windows=True) == (
        r"..\runs\week1\artifacts\a.png"
    )
    assert paths.relative_path(r"D:\runs\a.png", r"C:\reports", windows=True) is None
    assert paths.relative_path(r"\\server\share\runs\a.png", r"C:\reports", windows=True) is None
    assert paths.relative_path("/srv/runs/a.png", "/srv/reports", windows=False) == "../runs/a.png"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("jsmith2001", "jsmith2001"),
        ("CON", "_CON"),
        ("nul.backup", "_nul.backup"),
        ("com1", "_com1"),
        ("console", "console"),
        ("a.b.", "a.b"),
        ("..", "fallback"),
        ("j smith/\\:*?", "j_smith"),
    ],
)
def test_a_file_name_every_system_takes(username: str, expected: str) -> None:
    assert paths.portable_name(username, "fallback") == expected
