"""Work side by side answers and fails exactly as the same work done in order."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import urbanscreen
from urbanscreen.cores import alongside, each, in_background
from urbanscreen.errors import DuplicateIdError, NonNumericValueError

from .conftest import SCB_HEADERS, scb_row, write_csv


class Failed(Exception):
    pass


def _in_order(work: list[tuple[float, bool]]) -> list[int] | int:
    """The brute force: each item in turn; the index of the first failure, or the results."""
    for i, (_, fails) in enumerate(work):
        if fails:
            return i
    return list(range(len(work)))


@given(st.lists(st.tuples(st.sampled_from([0.0, 0.001, 0.003]), st.booleans()), max_size=6))
def test_each_answers_and_fails_as_in_order(work: list[tuple[float, bool]]) -> None:
    # Later items may finish (or fail) first; the answer is still the in-order one.
    def run(i: int) -> int:
        pause, fails = work[i]
        time.sleep(pause)
        if fails:
            raise Failed(i)
        return i

    expected = _in_order(work)
    if isinstance(expected, int):
        with pytest.raises(Failed) as caught:
            each(run, range(len(work)))
        assert caught.value.args == (expected,)
    else:
        assert each(run, range(len(work))) == expected


def test_alongside_raises_its_own_error_before_the_body_s() -> None:
    def slow_failure() -> None:
        time.sleep(0.01)
        raise Failed("work")

    with pytest.raises(Failed, match="work"), alongside(slow_failure):
        raise ValueError("body")  # what a body failing at once would raise


def test_alongside_waits_and_lets_the_body_s_error_through() -> None:
    finished = threading.Event()

    def work() -> None:
        time.sleep(0.01)
        finished.set()

    with pytest.raises(ValueError, match="body"), alongside(work):
        raise ValueError("body")
    assert finished.is_set()


def test_in_background_gives_the_answer() -> None:
    assert in_background(sum, [1, 2, 3]).result() == 6


def test_a_duplicate_id_is_the_error_given_before_a_value_that_is_no_number(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    # In order, the ids are checked before the numbers are read: so it stays.
    rows = [scb_row("Bergsjön"), scb_row("Hjällbo", ff="abc"), scb_row("Bergsjön")]
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, *rows])
    with pytest.raises(DuplicateIdError):
        urbanscreen.load_table(path, criteria)


def test_of_two_columns_that_are_no_numbers_the_criteria_s_first_is_named(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    # The criteria read förvärvsfrekvens first; its cell is on a later row than the other.
    rows = [scb_row("Bergsjön", gb="x"), scb_row("Hjällbo"), scb_row("Angered", ff="abc")]
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, *rows])
    with pytest.raises(NonNumericValueError) as caught:
        urbanscreen.load_table(path, criteria)
    assert caught.value.location.column == "Förvärvsfrekvens"
    assert caught.value.location.row == 4


def test_each_inside_work_on_the_threads_does_not_wait_forever() -> None:
    # Every thread busy with work that itself asks for each(): done in order there.
    def outer(i: int) -> list[int]:
        return each(lambda j: i * 10 + j, range(3))

    assert each(outer, range(8)) == [[i * 10 + j for j in range(3)] for i in range(8)]


def test_alongside_lets_an_interruption_through_over_the_work_s_error() -> None:
    # Ctrl-C (or SIGTERM, raised as a BaseException) during the body: the run was asked to
    # stop, and says so, even when the work beside it found an error.
    def failure() -> None:
        raise Failed("work")

    def stopped() -> None:
        time.sleep(0.01)  # the work has failed by now
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), alongside(failure):
        stopped()


def _each_in_a_child(answers: multiprocessing.queues.SimpleQueue[list[int]]) -> None:
    answers.put(each(lambda i: i * 2, range(4)))


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # 3.12+: fork with threads
def test_each_in_a_process_forked_after_the_threads_started() -> None:
    # multiprocessing's default on Linux: the child inherits the pool but not its threads.
    assert each(lambda i: i, range(4)) == [0, 1, 2, 3]
    fork = multiprocessing.get_context("fork")
    answers: multiprocessing.queues.SimpleQueue[list[int]] = fork.SimpleQueue()
    child = fork.Process(target=_each_in_a_child, args=(answers,))
    child.start()
    child.join(timeout=20)
    if child.is_alive():
        child.kill()
        child.join()
    assert child.exitcode == 0
    assert answers.get() == [0, 2, 4, 6]


_OUTLIVING = """
import threading, time
from urbanscreen.cores import each

def late() -> None:
    threading.main_thread().join()
    deadline = time.monotonic() + 20  # until the interpreter's ending has stopped the pool
    while time.monotonic() < deadline and any(
        t.name.startswith("urbanscreen-core") for t in threading.enumerate()
    ):
        time.sleep(0.01)
    print(each(lambda i: i * 2, range(3)))

each(lambda i: i, range(3))
threading.Thread(target=late).start()
"""


def test_each_on_a_thread_that_outlives_the_main_one() -> None:
    # A user's script may end while a thread of its own still loads a table: Python waits
    # for that thread, but its pools take no more work by then.
    done = subprocess.run(
        [sys.executable, "-c", _OUTLIVING], check=False, capture_output=True, text=True, timeout=60
    )
    assert (done.stdout, done.stderr) == ("[0, 2, 4]\n", "")


def test_alongside_inside_work_on_the_threads_does_not_wait_forever() -> None:
    # Every thread busy with work that itself works alongside: done in order there.
    def outer(i: int) -> int:
        with alongside(time.sleep, 0.001):
            return i

    assert each(outer, range(8)) == list(range(8))
