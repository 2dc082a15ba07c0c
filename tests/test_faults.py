"""Faults leave nothing behind: signals, closed pipes, full disks, folders we may not write,
inputs that change while read, two runs writing one report (issue 21), and reports that
would overwrite what the run reads (issue 15, point 6).

Every case runs the command line in a process of its own, as a user or a CI job meets it,
and checks the exit status, the message, the old report byte for byte, and that no
temporary file is left beside it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

import urbanscreen
from tests import pxwebapi_server
from tests.conftest import DATA, SAMPLE, SCB_HEADERS, scb_row, write_csv
from tests.pxwebapi_server import Fault, RunningApi
from urbanscreen.errors import WriteError
from urbanscreen.faults import Interrupted
from urbanscreen.outputs import write_atomically

OLD_REPORT = b"the report of last week, which must survive\n"
NOBODY = 65534


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "GITHUB_ACTIONS"}}
    env["COLUMNS"] = "100"
    return env


def command(*arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "urbanscreen", *map(str, arguments)]


def run(*arguments: str | Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        command(*arguments),
        capture_output=True,
        text=True,
        env=environment(),
        check=False,
        timeout=300,
        **options,
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (they are hidden: `.NAME.XXXX.tmp`)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def many_areas(path: Path, count: int) -> Path:
    """A table large enough that writing its workbook takes a while (about a second)."""
    rows = [scb_row(f"Område {n}", code=f"{1000 + n % 290:04d}") for n in range(count)]
    return write_csv(path, [SCB_HEADERS, *rows])


@pytest.fixture(scope="module")
def big_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return many_areas(tmp_path_factory.mktemp("big") / "many.csv", 5000)


@pytest.fixture
def old_report(tmp_path: Path) -> Path:
    report = tmp_path / "report.xlsx"
    report.write_bytes(OLD_REPORT)
    return report


# -- 1. Interrupts -------------------------------------------------------------------------

# The child sends itself the signal at an exact moment, seen through Python's audit events
# (the documented sys.addaudithook): deterministic, where a sleep in the test would not be.
SIGNAL_AT = """
import os, signal, sys
event, needle, occurrence, name = sys.argv[1:5]
seen = 0
def hook(what, args):
    global seen
    if what == event and args and needle in str(args[0]):
        seen += 1
        if seen == int(occurrence):
            os.kill(os.getpid(), getattr(signal, name))
sys.addaudithook(hook)
sys.argv = ["urbanscreen", *sys.argv[5:]]
from urbanscreen.cli import main
main()
"""


def signalled_at(
    event: str, needle: str, occurrence: int, name: str, *arguments: str | Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            SIGNAL_AT,
            event,
            needle,
            str(occurrence),
            name,
            *map(str, arguments),
        ],
        capture_output=True,
        text=True,
        env=environment(),
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("moment", "event", "needle", "occurrence"),
    [
        ("opening the input", "open", "districts.xlsx", 1),
        ("creating the temporary file", "open", ".report.xlsx.", 1),
        ("opening the temporary file to write the workbook", "open", ".report.xlsx.", 2),
        ("giving the report its mode, just before the rename", "os.chmod", ".report.xlsx.", 1),
    ],
)
def test_a_signal_before_the_rename_leaves_the_old_report(
    old_report: Path, moment: str, event: str, needle: str, occurrence: int
) -> None:
    done = signalled_at(
        event, needle, occurrence, "SIGTERM", "check", SAMPLE / "districts.xlsx", "-o", old_report
    )
    assert done.returncode == 128 + signal.SIGTERM, (moment, done.stderr)
    assert done.stderr.strip().splitlines()[-1] == (
        f"urbanscreen: stopped by SIGTERM (exit 143): {old_report} not written "
        "(a file already there is unchanged)"
    )
    assert "Traceback" not in done.stderr
    assert old_report.read_bytes() == OLD_REPORT
    assert leftovers(old_report.parent) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_each_signal_gives_128_plus_its_number(old_report: Path, name: str) -> None:
    done = signalled_at(
        "open", ".report.xlsx.", 2, name, "check", SAMPLE / "districts.xlsx", "-o", old_report
    )
    number = getattr(signal, name)
    assert done.returncode == 128 + number, done.stderr
    assert done.stderr.count("\n") == 1, "one line on stderr"
    assert f"stopped by {name} (exit {128 + number}): {old_report} not written" in done.stderr
    assert old_report.read_bytes() == OLD_REPORT
    assert leftovers(old_report.parent) == []


def test_a_signal_during_the_rename_waits_until_the_report_is_whole(old_report: Path) -> None:
    # The rename and its record are one step: the signal is taken right after it, so the
    # report is the new one, complete, and the line says it was written.
    done = signalled_at(
        "os.rename", ".report.xlsx.", 1, "SIGTERM", "check", SAMPLE / "districts.xlsx", "-o",
        old_report,
    )  # fmt: skip
    assert done.returncode == 143, done.stderr
    assert f"stopped by SIGTERM (exit 143): after writing {old_report}" in done.stderr
    assert load_workbook(old_report).sheetnames[0] == "Sammanfattning"
    assert leftovers(old_report.parent) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_from_outside_while_the_workbook_is_written(
    big_table: Path, old_report: Path, name: str
) -> None:
    # As a CI timeout or `kill` sends it: wait until the temporary file appears, then send.
    # Writing 5 000 areas' workbook takes about a second, far longer than the wait's 1 ms.
    child = subprocess.Popen(
        command("check", big_table, "-o", old_report),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    deadline = time.monotonic() + 240
    while not leftovers(old_report.parent) and child.poll() is None:
        assert time.monotonic() < deadline, "the temporary file never appeared"
        time.sleep(0.001)
    child.send_signal(getattr(signal, name))
    _, err = child.communicate(timeout=120)
    assert child.returncode == 128 + getattr(signal, name), err
    assert f"stopped by {name}" in err
    assert "not written" in err
    assert old_report.read_bytes() == OLD_REPORT
    assert leftovers(old_report.parent) == []


def test_a_signal_while_stdout_is_written_keeps_the_finished_report(
    big_table: Path, old_report: Path
) -> None:
    # JSON of 5 000 areas fills the pipe nobody reads: the run waits on stdout, after the
    # report was renamed into place. That moment is certain, not timed.
    child = subprocess.Popen(
        command("check", big_table, "-o", old_report, "-f", "json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    deadline = time.monotonic() + 240
    while old_report.read_bytes() == OLD_REPORT or leftovers(old_report.parent):
        assert time.monotonic() < deadline and child.poll() is None, "no report was written"
        time.sleep(0.01)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 143
    assert f"after writing {old_report}; stdout may be incomplete" in err.decode()
    assert load_workbook(old_report, read_only=True).sheetnames[0] == "Sammanfattning"
    assert leftovers(old_report.parent) == []


def test_a_signal_while_reading_says_nothing_was_written(big_table: Path) -> None:
    done = signalled_at("open", big_table.name, 1, "SIGINT", "check", big_table)
    assert done.returncode == 130
    assert done.stderr == (
        "urbanscreen: stopped by SIGINT (exit 130): before its output was complete; "
        "no file was written\n"
    )


def test_a_signal_with_stdout_sent_to_a_file_says_that_file_is_incomplete(
    tmp_path: Path,
) -> None:
    # `check -f json > result.json`: the shell made the file, and "no file was written"
    # would be untrue of it.
    result = tmp_path / "result.json"
    with result.open("w", encoding="utf-8") as stdout:
        done = subprocess.run(
            [sys.executable, "-c", SIGNAL_AT, "open", "districts.xlsx", "1", "SIGTERM",
             "check", SAMPLE / "districts.xlsx", "-f", "json"],
            stdout=stdout, stderr=subprocess.PIPE, text=True, env=environment(), check=False,
        )  # fmt: skip
    assert done.returncode == 143, done.stderr
    assert done.stderr.splitlines() == [
        "urbanscreen: stopped by SIGTERM (exit 143): before its output was complete; "
        "the file stdout goes to is incomplete"
    ]


def test_a_signal_while_the_last_of_stdout_waits_for_a_pager(tmp_path: Path) -> None:
    # `urbanscreen check … -f csv | less`, less not reading, then Ctrl-C: the CSV sits in
    # stdout's buffer and the run waits in its last flush. The pipe is filled beforehand, and
    # the kernel says when the run waits on it (/proc/PID/wchan), so the moment is certain.
    wchan = Path("/proc/self/wchan")
    if not wchan.exists():
        pytest.skip("no /proc/PID/wchan to see where a process waits (not Linux)")
    reading, writing = os.pipe()
    os.set_blocking(writing, False)
    with contextlib.suppress(BlockingIOError):
        while True:
            os.write(writing, b"x" * 4096)
    os.set_blocking(writing, True)
    buffered = {k: v for k, v in environment().items() if k != "PYTHONUNBUFFERED"}
    child = subprocess.Popen(
        command("check", SAMPLE / "districts.xlsx", "-f", "csv"),
        stdout=writing,
        stderr=subprocess.PIPE,
        text=True,
        env=buffered,  # the 3 kB of CSV wait in stdout's buffer for the last flush
    )
    os.close(writing)
    try:
        deadline = time.monotonic() + 240
        while "pipe_write" not in Path(f"/proc/{child.pid}/wchan").read_text():
            assert time.monotonic() < deadline and child.poll() is None, "it never waited"
            time.sleep(0.01)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
    finally:
        os.close(reading)
    assert child.returncode == 130
    assert err == (
        "urbanscreen: stopped by SIGINT (exit 130): before its output was complete; "
        "no file was written\n"
    )


# -- 2. Closed pipes -----------------------------------------------------------------------


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("output_format", ["table", "csv", "json", "markdown"])
def test_stdout_closed_before_the_output_ends_quietly_with_141(
    tmp_path: Path, output_format: str, unbuffered: str
) -> None:
    # The reader is gone before the first byte: every write fails, whatever its size, in
    # the run or (buffered, the output being small) in its last flush.
    env = {k: v for k, v in environment().items() if k != "PYTHONUNBUFFERED"}
    env |= {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}
    reading, writing = os.pipe()
    os.close(reading)
    try:
        done = subprocess.run(
            command("check", SAMPLE / "districts.xlsx", "-f", output_format),
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
    finally:
        os.close(writing)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_head_c_100_ends_the_run_quietly(tmp_path: Path, output_format: str) -> None:
    # The terminal table of 450 long-named areas is 200 kB; CSV and JSON of 5 000 are more.
    count = 450 if output_format == "table" else 5000
    rows = [scb_row(f"Område {n} med ett mycket långt namn " * 3) for n in range(count)]
    table = write_csv(tmp_path / "many.csv", [SCB_HEADERS, *rows])
    line = " ".join(command("check", table, "-f", output_format))
    done = subprocess.run(
        ["bash", "-c", f'{line} 2>{tmp_path / "err"} | head -c 100; exit "${{PIPESTATUS[0]}}"'],
        capture_output=True,
        env=environment(),
        check=False,
        timeout=300,
    )
    # 0 when the whole output went into the pipe before `head` left, else 141; never 1.
    assert done.returncode in {0, 141}
    assert len(done.stdout) == 100
    assert (tmp_path / "err").read_text(encoding="utf-8") == ""


# -- 3. Operating-system errors ------------------------------------------------------------


def file_size_limit(size: int) -> object:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize("name", ["report.xlsx", "report.csv", "report.json", "report.md"])
def test_a_file_size_limit_is_exit_2_and_the_old_report_survives(tmp_path: Path, name: str) -> None:
    report = tmp_path / name
    report.write_bytes(OLD_REPORT)
    # 1 kB: more than the old report, less than any new one (the sample's CSV is 3 kB).
    done = run(
        "check",
        "--lang",
        "en",
        SAMPLE / "districts.xlsx",
        "-o",
        report,
        preexec_fn=file_size_limit(1024),
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: error [cannot-write]: {report}: cannot be written: file too large for "
        "the file system or the file-size limit (ulimit -f) (the file there is unchanged)",
        "  hint: raise the limit (ulimit -f unlimited), free space, or write the report to "
        "another disk with --output",
    ]
    assert report.read_bytes() == OLD_REPORT
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_stdout_to_a_full_disk_is_exit_2_said_once(output_format: str, unbuffered: str) -> None:
    # /dev/full answers every write with "no space left on device".
    env = {k: v for k, v in environment().items() if k != "PYTHONUNBUFFERED"}
    env |= {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            command("check", SAMPLE / "districts.xlsx", "-f", output_format),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "urbanscreen: error [cannot-write]: stdout: cannot be written: the disk is full",
        "  hint: send stdout to a file on a disk with room, or use --output",
    ]


def in_mount_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) in a mount namespace of its own: its mounts vanish with it."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("mounting a small or read-only file system needs root and unshare")
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "mount", "-t", "tmpfs", "tmpfs", folder],
            capture_output=True,
            check=False,
        )
    if probe.returncode != 0:
        pytest.skip(f"this system allows no mount in a namespace of its own: {probe.stderr!r}")
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=environment(),
        check=False,
        timeout=300,
    )


def test_a_full_disk_is_exit_2_and_the_old_report_survives(tmp_path: Path) -> None:
    disk, seen = tmp_path / "disk", tmp_path / "seen"
    disk.mkdir()
    seen.mkdir()
    line = " ".join(
        command("check", "--lang", "en", SAMPLE / "districts.xlsx", "-o", disk / "report.xlsx")
    )
    done = in_mount_namespace(
        f"mount -t tmpfs -o size=64k tmpfs {disk} && "
        f"printf '{OLD_REPORT.decode().strip()}\\n' > {disk}/report.xlsx && "
        f"(head -c 60000 /dev/zero > {disk}/filler; true) && "
        f"{line}; echo $? > {seen}/status; ls -A {disk} > {seen}/listing; "
        f"cp {disk}/report.xlsx {seen}/report.xlsx"
    )
    assert (seen / "status").read_text().strip() == "2", done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: error [cannot-write]: {disk / 'report.xlsx'}: cannot be written: "
        "the disk is full (the file there is unchanged)",
        "  hint: free space on the disk, or write the report to another disk with --output",
    ]
    assert (seen / "listing").read_text().split() == ["filler", "report.xlsx"]
    assert (seen / "report.xlsx").read_bytes() == OLD_REPORT


def test_a_read_only_file_system_is_exit_2(tmp_path: Path) -> None:
    folder, seen = tmp_path / "ro", tmp_path / "seen"
    folder.mkdir()
    seen.mkdir()
    (folder / "report.xlsx").write_bytes(OLD_REPORT)
    line = " ".join(command("check", SAMPLE / "districts.xlsx", "-o", folder / "report.xlsx"))
    done = in_mount_namespace(
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
        f"{line}; echo $? > {seen}/status"
    )
    assert (seen / "status").read_text().strip() == "2", done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: error [cannot-write]: {folder / 'report.xlsx'}: cannot be written: "
        "the file system is read-only (the file there is unchanged)",
        "  hint: choose a folder you can write",
    ]
    assert (folder / "report.xlsx").read_bytes() == OLD_REPORT
    assert leftovers(folder) == []


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user may enter and read, owned by this one (pytest's tmp_path is not
    open to other users)."""
    folder = Path(tempfile.mkdtemp(prefix="urbanscreen-faults-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o700)
    shutil.rmtree(folder)


def unprivileged(
    *arguments: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line as a user without root's power to ignore permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and setpriv is missing to drop to an ordinary user")
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import urbanscreen.cli"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            pytest.skip(f"user {NOBODY} cannot run urbanscreen from here: {probe.stderr[-200:]}")
    return subprocess.run(
        [*prefix, *command(*arguments)],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=cwd,  # entered before the user changes: a folder the user may not read works
        check=False,
        timeout=300,
    )


def test_a_report_inside_a_file_is_said_so_not_permission_denied(tmp_path: Path) -> None:
    # `-o kollega.xlsx/r.xlsx`: a part of the path is a file; nothing a permission can fix.
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    done = run("check", SAMPLE / "districts.xlsx", "-o", afile / "r.xlsx", "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"urbanscreen: error [cannot-write]: {afile / 'r.xlsx'}: cannot be written: a part of "
        "the path is not a folder",
        "  hint: check the path",
    ]
    assert afile.read_text(encoding="utf-8") == "mine" and done.stdout == ""


def test_a_folder_we_may_not_write_is_exit_2(shared_folder: Path) -> None:
    report = shared_folder / "report.xlsx"
    report.write_bytes(OLD_REPORT)
    done = unprivileged("check", SAMPLE / "districts.xlsx", "-o", report)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: error [cannot-write]: {report}: cannot be written: permission denied "
        "(the file there is unchanged)",
        "  hint: choose a folder you can write, or ask for write permission",
    ]
    assert report.read_bytes() == OLD_REPORT
    assert leftovers(shared_folder) == []


def test_an_unreadable_current_folder_is_exit_2(shared_folder: Path) -> None:
    closed = shared_folder / "closed"
    closed.mkdir(mode=0o700)  # the user may not look for ./criteria.toml in it
    done = unprivileged("check", SAMPLE / "districts.xlsx", cwd=closed)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "urbanscreen: error [unreadable-file]: criteria.toml: cannot be read: permission denied",
        "  hint: check that you may read the file and every folder above it (ls -l)",
    ]


def test_an_unreadable_criteria_file_and_input_are_exit_2(shared_folder: Path) -> None:
    criteria = shared_folder / "criteria.toml"
    criteria.write_bytes((SAMPLE.parent.parent / "criteria.toml").read_bytes())
    criteria.chmod(0o600)
    done = unprivileged("check", "--lang", "en", SAMPLE / "districts.xlsx", cwd=shared_folder)
    assert done.returncode == 2, done.stderr
    assert "criteria.toml: cannot be read: permission denied" in done.stderr
    table = shared_folder / "districts.xlsx"
    shutil.copy(SAMPLE / "districts.xlsx", table)
    table.chmod(0o600)
    baseline = shared_folder / "baseline.json"
    shutil.copy(DATA / "result-v1.json", baseline)
    baseline.chmod(0o600)
    for arguments in (
        ["check", table, "-c", "scb-2012", "--lang", "en"],
        [
            "check",
            SAMPLE / "districts.xlsx",
            "-c",
            "scb-2012",
            "--baseline",
            baseline,
            "--lang",
            "en",
        ],
        ["diff", baseline, SAMPLE / "districts.xlsx", "-c", "scb-2012"],
    ):
        done = unprivileged(*arguments)
        unreadable = table if arguments[1] == table else baseline
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines()[-2:] == [
            f"urbanscreen: error [unreadable-file]: {unreadable}: cannot be read: "
            "permission denied",
            "  hint: check that you may read the file and every folder above it (ls -l)",
        ]


def test_a_report_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "report.xlsx").mkdir()
    done = run("check", SAMPLE / "districts.xlsx", "-o", tmp_path / "report.xlsx")
    assert done.returncode == 2
    assert f"{tmp_path / 'report.xlsx'}: is a folder" in done.stderr
    assert "hint: name a file inside it" in done.stderr


def test_too_long_a_name(tmp_path: Path) -> None:
    report = tmp_path / ("x" * 300 + ".xlsx")
    done = run("check", "--lang", "en", SAMPLE / "districts.xlsx", "-o", report)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: error [cannot-write]: {report}: cannot be written: the name is too long",
        "  hint: choose a shorter name or a shorter path",
    ]
    done = run("check", "--lang", "en", tmp_path / ("y" * 300 + ".csv"))
    assert done.returncode == 2, done.stderr
    assert "the name is too long" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_long_name_that_fits_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    # 250 characters are allowed; the temporary name adds ~14 and must still be allowed.
    report = tmp_path / ("x" * 245 + ".xlsx")
    done = run("check", SAMPLE / "districts.xlsx", "-o", report)
    assert done.returncode == 0, done.stderr
    assert load_workbook(report).sheetnames[0] == "Sammanfattning"
    assert leftovers(tmp_path) == []


def test_the_library_names_the_report_it_could_not_write(
    criteria: urbanscreen.Criteria, tmp_path: Path
) -> None:
    # write_report raises the user error itself (no CLI involved): a folder that is a file.
    result = urbanscreen.screen(
        urbanscreen.load_table(SAMPLE / "districts.csv", criteria), criteria
    )
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(WriteError) as raised:
        urbanscreen.write_report(result, tmp_path / "file" / "report.xlsx")
    target = tmp_path / "file" / "report.xlsx"
    assert str(raised.value) == f"{target}: cannot be written: a part of the path is not a folder"


@pytest.mark.parametrize(
    "stop",
    [Interrupted(signal.SIGTERM), OSError(errno.ENOSPC, "No space left on device")],
    ids=["signal", "full disk"],
)
def test_whatever_stops_a_write_removes_the_temporary_file(
    tmp_path: Path, stop: BaseException
) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(OLD_REPORT)

    def write(temporary: Path) -> None:
        temporary.write_text("half a report", encoding="utf-8")
        raise stop

    expected = Interrupted if isinstance(stop, Interrupted) else WriteError
    with pytest.raises(expected):
        write_atomically(report, write)
    assert report.read_bytes() == OLD_REPORT
    assert leftovers(tmp_path) == []


# -- 4. Two runs writing one report --------------------------------------------------------


def test_two_runs_writing_one_report_the_last_rename_wins(tmp_path: Path) -> None:
    # The Swedish run holds at its rename until the English run has finished, so the
    # Swedish run finishes last: its workbook is the one left, whole.
    report = tmp_path / "report.xlsx"
    go = tmp_path / "go"
    waiting = tmp_path / "waiting"
    hold = f"""
import os, sys, time
from pathlib import Path
def hook(what, args):
    if what == "os.rename" and ".report.xlsx." in str(args[0]):
        Path({str(waiting)!r}).touch()
        while not os.path.exists({str(go)!r}):
            time.sleep(0.01)
sys.addaudithook(hook)
sys.argv = ["urbanscreen", "check", {str(SAMPLE / "districts.xlsx")!r}, "-o", {str(report)!r}]
from urbanscreen.cli import main
main()
"""
    first = subprocess.Popen(
        [sys.executable, "-c", hold], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    while not waiting.exists():
        assert time.monotonic() < deadline and first.poll() is None, "the first run never held"
        time.sleep(0.01)
    second = run("check", SAMPLE / "districts.xlsx", "-o", report, "--lang", "en")
    assert second.returncode == 0, second.stderr
    assert load_workbook(report).sheetnames[0] == "Summary"
    go.touch()
    assert first.wait(timeout=120) == 0
    assert load_workbook(report).sheetnames[0] == "Sammanfattning"
    assert leftovers(tmp_path) == []


def test_runs_at_once_leave_one_whole_workbook(tmp_path: Path) -> None:
    report = tmp_path / "report.xlsx"
    runs = [
        subprocess.Popen(
            command("check", SAMPLE / "districts.xlsx", "-o", report, "--lang", lang),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment(),
        )
        for lang in ("sv", "en", "sv", "en")
    ]
    assert [child.wait(timeout=300) for child in runs] == [0, 0, 0, 0]
    assert load_workbook(report).sheetnames[0] in {"Sammanfattning", "Summary"}
    assert leftovers(tmp_path) == []


# -- 5. An input that changes while it is read ---------------------------------------------

APPEND = """
import sys, time
with open(sys.argv[1], "a", encoding="utf-8") as handle:
    for n in range(10**9):
        handle.write(f"1480;Göteborg;Tillagt {n};45;8;60;5000\\n")
        handle.flush()
        time.sleep(0.0005)
"""


def test_an_input_written_while_read_is_refused_or_screened_as_one_version(
    tmp_path: Path,
) -> None:
    # Another program appends rows all the while. A run either refuses the file or screens
    # one version of it, whose rows are a prefix of the final file, and records that
    # version's SHA-256. Which of the two happens depends on timing; both are right.
    table = many_areas(tmp_path / "growing.csv", 20000)
    writer = subprocess.Popen([sys.executable, "-c", APPEND, str(table)])
    outcomes = []
    try:
        for _ in range(3):
            outcomes.append(run("check", table, "-f", "json"))
    finally:
        writer.terminate()  # between two appends or inside one: each is one whole line
        writer.wait(timeout=60)
    print("exit statuses:", [done.returncode for done in outcomes])
    final = table.read_bytes()
    for done in outcomes:
        if done.returncode == 2:
            assert done.stderr.splitlines() == [
                f"urbanscreen: error [unreadable-file]: {table}: changed while it was read "
                "(another program is writing it)",
                "  hint: wait until the file is complete, then run again",
            ]
            continue
        assert done.returncode == 0, done.stderr
        document = json.loads(done.stdout)
        lines = 1 + len(document["districts"])  # the header, and a row per district
        version = b"".join(final.splitlines(keepends=True)[:lines])
        assert document["input"]["sha256"] == hashlib.sha256(version).hexdigest()


def test_a_file_replaced_while_read_is_read_in_one_version(tmp_path: Path) -> None:
    # An atomic writer (ours among them) renames a new file into place: an open file keeps
    # the old one, so a read that began reads the old version whole.
    from urbanscreen.faults import read_one_version

    path = tmp_path / "table.csv"
    path.write_bytes(b"old\n")
    with path.open("rb") as stream:
        (tmp_path / "new.csv").write_bytes(b"new, and longer\n")
        os.replace(tmp_path / "new.csv", path)
        assert stream.read() == b"old\n"
    assert read_one_version(path) == b"new, and longer\n"


# -- Issue 15, point 6: never overwrite what the run reads -----------------------------------


@pytest.fixture
def run_files(tmp_path: Path) -> dict[str, Path]:
    """A run's inputs, copied: data of small areas, the district definition, the criteria,
    a baseline."""
    root = SAMPLE.parent.parent
    files = {
        "input": tmp_path / "deso.csv",
        "districts": tmp_path / "defs.csv",
        "criteria": tmp_path / "criteria.toml",
        "baseline": tmp_path / "baseline.json",
    }
    shutil.copy(SAMPLE / "deso-goteborg.csv", files["input"])
    write_csv(files["districts"], [["district", "deso"], ["D1", "1480C3010"], ["D1", "1480C3020"]])
    shutil.copy(root / "criteria.toml", files["criteria"])
    shutil.copy(DATA / "result-v1.json", files["baseline"])
    return files


def arguments_of(files: dict[str, Path]) -> list[str | Path]:
    return [
        "check", files["input"], "--districts", files["districts"], "-c", files["criteria"],
        "--baseline", files["baseline"],
    ]  # fmt: skip


@pytest.mark.parametrize("kept", ["input", "districts", "criteria", "baseline"])
@pytest.mark.parametrize("how", ["same path", "symbolic link", "hard link"])
def test_a_report_over_an_input_is_refused_before_reading(
    tmp_path: Path, run_files: dict[str, Path], kept: str, how: str
) -> None:
    target = run_files[kept]
    if how == "symbolic link":
        target = tmp_path / "link.csv"
        target.symlink_to(run_files[kept])
    elif how == "hard link":
        target = tmp_path / "other-name.csv"
        os.link(run_files[kept], target)
    # The input is garbage: had it been read first, its error would be the one shown.
    run_files["input"].write_bytes(b"\x00\x01 not a table")
    before = {name: path.read_bytes() for name, path in run_files.items()}
    done = run(*arguments_of(run_files), "-o", target)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"urbanscreen: error [invalid-output]: {target}: is an input of this run and would "
        "be overwritten",
        "  hint: name another file for the report",
    ]
    assert {name: path.read_bytes() for name, path in run_files.items()} == before
    assert leftovers(tmp_path) == []


def test_a_repeated_output_writes_each_report(tmp_path: Path) -> None:
    workbook, table, summary = tmp_path / "r.xlsx", tmp_path / "r.csv", tmp_path / "r.md"
    done = run("check", SAMPLE / "districts.xlsx", "-o", workbook, "-o", table, "-o", summary)
    assert done.returncode == 0, done.stderr
    assert load_workbook(workbook).sheetnames[0] == "Sammanfattning"
    assert table.read_text(encoding="utf-8-sig").count("\n") == 28  # header and 27 districts
    assert summary.read_text(encoding="utf-8").startswith("**Urbant utvecklingsarbete 2012")
    assert [line for line in done.stderr.splitlines() if "skrev" in line] == [
        f"urbanscreen: skrev {workbook}",
        f"urbanscreen: skrev {table}",
        f"urbanscreen: skrev {summary}",
    ]


def test_one_report_named_twice_is_refused_with_nothing_written(tmp_path: Path) -> None:
    report = tmp_path / "r.xlsx"
    done = run("check", SAMPLE / "districts.xlsx", "-o", report, "-o", report)
    assert done.returncode == 2
    assert f"{report}: is named twice by --output" in done.stderr
    assert list(tmp_path.iterdir()) == []
    report.write_bytes(OLD_REPORT)
    (tmp_path / "link.xlsx").symlink_to(report)
    done = run("check", SAMPLE / "districts.xlsx", "-o", report, "-o", tmp_path / "link.xlsx")
    assert done.returncode == 2
    assert "is named twice by --output" in done.stderr
    assert report.read_bytes() == OLD_REPORT


def test_a_report_that_cannot_be_written_says_which_were(tmp_path: Path) -> None:
    # The second of two reports fails (a file-size limit between their sizes): the first is
    # written and said to be, the second named with the reason, and the run exits 2.
    small, large = tmp_path / "r.md", tmp_path / "r.xlsx"
    large.write_bytes(OLD_REPORT)
    done = run(
        "check", "--lang", "en", SAMPLE / "districts.xlsx", "-o", small, "-o", large,
        preexec_fn=file_size_limit(6000),
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"urbanscreen: wrote {small}" in done.stderr
    assert f"{large}: cannot be written: file too large" in done.stderr
    assert large.read_bytes() == OLD_REPORT
    assert leftovers(tmp_path) == []


# -- stdout written whole or said not to be -------------------------------------------------


def to_a_limited_file(
    stdout: Path, *arguments: str | Path, limit: int
) -> subprocess.CompletedProcess[str]:
    """The command line with stdout redirected to a file, under a file-size limit."""
    with stdout.open("w", encoding="utf-8") as file:
        return subprocess.run(
            command(*arguments),
            stdout=file,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            check=False,
            timeout=300,
            preexec_fn=file_size_limit(limit),
        )


def test_markdown_to_a_file_size_limit_is_exit_2_not_a_short_file(
    big_table: Path, tmp_path: Path
) -> None:
    # The Markdown of 5 000 areas goes to stdout in one write larger than any buffer: the
    # system takes part of it and Python returns the short count, which was taken for done
    # (exit 0, a truncated file).
    out = tmp_path / "result.md"
    done = to_a_limited_file(out, "check", big_table, "-f", "markdown", limit=64 * 1024)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        "urbanscreen: error [cannot-write]: stdout: cannot be written: file too large for the "
        "file system or the file-size limit (ulimit -f)",
        "  hint: send stdout to a file on a disk with room, or use --output",
    ]


class ShortWrites:
    """A binary stream that takes at most 1 000 bytes a call and says how many, as a file
    does near its size limit (and as Python's buffered writer then passes on)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += bytes(data[:1000])
        return min(len(data), 1000)


class TextOverShortWrites:
    encoding, errors = "utf-8", "strict"

    def __init__(self) -> None:
        self.buffer = ShortWrites()

    def flush(self) -> None:
        pass


def test_a_short_write_is_written_on_until_taken_whole() -> None:
    from urbanscreen.render.stdout import WholeBytes, write_whole

    text = "område " * 5000
    stream = TextOverShortWrites()
    write_whole(stream, text)  # type: ignore[arg-type]
    assert stream.buffer.data.decode() == text
    binary = ShortWrites()
    assert WholeBytes(binary).write(text.encode()) == len(text.encode())  # type: ignore[arg-type]
    assert binary.data.decode() == text


def test_a_long_terminal_table_to_a_file_size_limit_is_exit_2(tmp_path: Path) -> None:
    # rich writes its whole rendering (here 90 kB) in one go: the same short write.
    rows = [scb_row(f"Område {n} med ett mycket långt namn " * 3) for n in range(450)]
    table = write_csv(tmp_path / "many.csv", [SCB_HEADERS, *rows])
    done = to_a_limited_file(tmp_path / "table.txt", "check", table, limit=32 * 1024)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        "urbanscreen: error [cannot-write]: stdout: cannot be written: file too large for the "
        "file system or the file-size limit (ulimit -f)",
        "  hint: send stdout to a file on a disk with room, or use --output",
    ]


def test_a_long_diff_to_a_file_size_limit_is_exit_2_not_1(big_table: Path, tmp_path: Path) -> None:
    # Every area leaves (the population floor raised out of reach): a diff of some 400 kB,
    # written in one go; a short write had it exit 1, "the set changed", with half a log.
    baseline = tmp_path / "baseline.json"
    baseline.write_text(run("check", big_table, "-f", "json").stdout, encoding="utf-8")
    preset = run("criteria", "show", "scb-2012").stdout
    assert "threshold = 4000\n" in preset
    criteria = tmp_path / "floor.toml"
    criteria.write_text(preset.replace("threshold = 4000\n", "threshold = 4000000\n"), "utf-8")
    whole = run("diff", baseline, big_table, "--criteria", criteria)
    assert whole.returncode == 1 and len(whole.stdout) > 256 * 1024, whole.stderr
    out = tmp_path / "diff.txt"
    done = to_a_limited_file(
        out, "diff", baseline, big_table, "--criteria", criteria, limit=64 * 1024
    )
    assert done.returncode == 2, done.stderr
    assert "urbanscreen: error [cannot-write]: stdout: cannot be written: file too large" in (
        done.stderr
    )


# -- fetch writes as check does -------------------------------------------------------------


@pytest.fixture
def api() -> Iterator[RunningApi]:
    running = pxwebapi_server.start()
    yield running
    running.stop()


def two_table_spec(folder: Path, api: RunningApi) -> Path:
    spec = folder / "sources.toml"
    table = 'id = "TAB005"\nwhere = { REGION = ["0114", "0180"], LANDUSECLASS = "*" }\n'
    spec.write_text(
        f'api = "{api.url}"\n\n[[table]]\nfile = "a.px"\n{table}\n'
        f'[[table]]\nfile = "b.csv"\n{table}',
        encoding="utf-8",
    )
    return spec


def test_a_signal_during_a_spec_fetch_names_the_table_not_written(
    api: RunningApi, tmp_path: Path
) -> None:
    # Stopped as the second table's temporary file is made: the first is written, and the
    # last line used to say "no file was written".
    out = tmp_path / "data"
    spec = two_table_spec(tmp_path, api)
    done = signalled_at("open", ".b.csv.", 1, "SIGTERM", "fetch", "--spec", spec, "-o", out)
    assert done.returncode == 143, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"urbanscreen: wrote {out / 'a.px'}: table TAB005 (updated 2023-05-25T15:42:00Z), 44 cells",
        f"urbanscreen: stopped by SIGTERM (exit 143): {out / 'b.csv'} not written "
        "(a file already there is unchanged)",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a.px"]


def test_a_signal_while_fetch_downloads_leaves_the_old_file(
    api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "land.px"
    target.write_bytes(OLD_REPORT)
    api.state.faults.extend([Fault(), Fault(), Fault(), Fault(delay=30)])  # the data request
    with subprocess.Popen(
        command(
            "fetch", "TAB005", "-o", target, "--api", api.url, "--force",
            "--where", "REGION=0114", "--where", "LANDUSECLASS=*",
        ),
        stderr=subprocess.PIPE, text=True, env=environment(),
    ) as running:  # fmt: skip
        deadline = time.monotonic() + 60
        while api.state.data_requests() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        running.send_signal(signal.SIGINT)
        _, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    assert err.splitlines() == [
        f"urbanscreen: stopped by SIGINT (exit 130): {target} not written "
        "(a file already there is unchanged)"
    ]
    assert target.read_bytes() == OLD_REPORT
    assert leftovers(tmp_path) == []


def test_fetch_into_a_folder_we_may_not_write_asks_nothing_of_the_api(
    api: RunningApi, shared_folder: Path
) -> None:
    closed = shared_folder / "closed"
    closed.mkdir(mode=0o555)
    target = closed / "land.px"
    done = unprivileged(
        "fetch", "TAB005", "-o", target, "--api", api.url,
        "--where", "REGION=0114", "--where", "LANDUSECLASS=*",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"urbanscreen: error [cannot-write]: {target}: cannot be written: permission denied",
        "  hint: choose a folder you can write, or ask for write permission",
    ]
    assert api.state.log == []  # refused before the download, not after it


def test_a_spec_folder_that_cannot_be_made_is_said_plainly(
    api: RunningApi, shared_folder: Path
) -> None:
    closed = shared_folder / "closed"
    closed.mkdir(mode=0o555)
    spec = two_table_spec(shared_folder, api)
    spec.chmod(0o644)
    done = unprivileged("fetch", "--spec", spec, "-o", closed / "scb")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"urbanscreen: error [cannot-write]: {closed / 'scb'}: cannot be written: "
        "permission denied",
        "  hint: choose a folder you can write, or ask for write permission",
    ]
    assert api.state.log == []


def test_a_signal_while_pandas_is_imported_names_the_report(old_report: Path) -> None:
    # Importing the reading modules takes a second or more on a busy machine: the reports
    # are claimed before, so the line names them rather than "no file was written".
    done = signalled_at(
        "import", "pandas", 1, "SIGTERM", "check", SAMPLE / "districts.xlsx", "-o", old_report
    )
    assert done.returncode == 143, done.stderr
    assert done.stderr.splitlines() == [
        f"urbanscreen: stopped by SIGTERM (exit 143): {old_report} not written "
        "(a file already there is unchanged)"
    ]
    assert old_report.read_bytes() == OLD_REPORT
