"""Time the coordinator's screens on a big network, and the worst freeze of the UI meanwhile.

Run on a database filled by ``certify demo --staff 50000`` (build it once, reuse it)::

    python bench/bench_coordinator_tui.py --db /tmp/bench/demo50k.db

For each demo coordinator (network, region, site), in the app itself (headless, 120 × 40):

- **dashboard**: from the password accepted (the deliberately slow password hash is
  timed apart) to the dashboard on screen (first paint, its filters and a loading
  indicator), then to its counts shown (data);
- **staff list**: from ``s`` to the list on screen, then to its first page shown; then a
  name typed letter by letter, each letter to its hits shown (the worst letter given);
- **freeze**: the longest the event loop was kept from running (a 5 ms ticker measures
  it) during all of that: what a user feels as a frozen screen.

Targets (issue 6): first paint under 0.5 s, freeze under 100 ms. Data comes in a thread
worker: how long it takes is printed beside, for the record.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.screen import Screen
from textual.widgets import DataTable

from certify.access.permissions import Actor
from certify.store.config import database_url
from tui.app import CertifyApp, create_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.staff_list import StaffListScreen

#: Targets, in seconds.
FIRST_PAINT, FREEZE = 0.5, 0.1
#: Password of every demo account.
PASSWORD = "certify-demo"
#: What is typed in the staff list's search box.
TYPED = "helene"


class FreezeMeter:
    """A ticker on the app's event loop: the longest gap between ticks is the worst freeze."""

    def __init__(self, tick: float = 0.005) -> None:
        """Tick every ``tick`` seconds once started."""
        #: Seconds between ticks asked for.
        self.tick = tick
        #: The longest delay past a tick seen, in seconds.
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start ticking on the running loop."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        """Tick; keep the worst lateness."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.tick)
            self.worst = max(self.worst, time.perf_counter() - before - self.tick)

    def take(self) -> float:
        """The worst freeze since the last call (or the start), then start afresh."""
        worst, self.worst = self.worst, 0.0
        return worst

    def stop(self) -> None:
        """Stop ticking."""
        if self._task is not None:
            self._task.cancel()


class Frames:
    """Every frame the app composites: when, which screen, and its table's state then.

    Headless, Textual composites each frame but skips turning it into terminal output; the
    recorder does that part too (into the void), so a frame costs what it costs on a real
    terminal.
    """

    def __init__(self, app: CertifyApp) -> None:
        """Record ``app``'s frames from now on."""
        #: Each frame: its moment, its screen, and its table's changes so far and loading.
        self.frames: list[tuple[float, Screen[object], int, bool]] = []
        display = app._display

        def record(screen: Screen[object], update: RenderableType | None) -> None:
            """Composite as a terminal would, then note the frame."""
            display(screen, update)
            if isinstance(update, CompositorUpdate):
                update.render_segments(app.console)
            table = next(iter(screen.query(DataTable)), None)
            changes, loading = (table._update_count, table.loading) if table else (0, False)
            self.frames.append((time.perf_counter(), screen, changes, loading))

        app._display = record  # type: ignore[method-assign]

    def first(
        self, since: float, screen: type[Screen[None]], changes: int | None = None
    ) -> float | None:
        """The first frame of ``screen`` after ``since`` (showing its table's rows after
        ``changes`` changes, when given)."""
        for moment, shown, changed, loading in self.frames:
            if (
                moment >= since
                and isinstance(shown, screen)
                and (changes is None or (changed == changes and not loading))
            ):
                return moment
        return None


async def until(ready: Callable[[], bool], timeout: float = 120) -> None:
    """Wait until ``ready()`` holds (polling every 5 ms, without forcing any refresh)."""
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never got ready")
        await asyncio.sleep(0.005)


def loaded(app: CertifyApp, screen: type[Screen[None]]) -> Callable[[], bool]:
    """Whether ``screen`` is in front with none of its workers running (its data read)."""

    def check() -> bool:
        """The screen is in front and its reads are done."""
        front = app.screen
        return isinstance(front, screen) and not any(
            worker.node is front and worker.is_running for worker in app.workers
        )

    return check


async def painted(
    frames: Frames, app: CertifyApp, since: float, screen: type[Screen[None]]
) -> tuple[float, float]:
    """Seconds from ``since`` to the first frame of ``screen``, and to the first frame
    showing its table as it stands once its reads are done."""
    await until(loaded(app, screen))
    await asyncio.sleep(0.1)  # a table filled after the next refresh: let it be
    table = app.screen.query_one(DataTable)
    await until(lambda: frames.first(since, screen, table._update_count) is not None)
    paint, data = frames.first(since, screen), frames.first(since, screen, table._update_count)
    assert paint is not None and data is not None
    return paint - since, data - since


async def coordinator(url: str, username: str, as_of: date) -> dict[str, float]:
    """One coordinator's figures, in seconds."""
    app = create_app(url, "fr", as_of)
    meter = FreezeMeter()
    figures: dict[str, float] = {}
    moments: dict[str, float] = {}
    open_modes = app.sign_in

    def sign_in(actor: Actor) -> None:
        """Note when the password was accepted, then open the modes."""
        moments["signed in"] = time.perf_counter()
        open_modes(actor)

    app.sign_in = sign_in  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        await until(lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*username, "enter", *PASSWORD)
        meter.start()
        sent = time.perf_counter()
        await pilot.press("enter")
        await until(lambda: app.actor is not None)
        signed_in = moments["signed in"]
        figures["password check"] = signed_in - sent
        paint, data = await painted(frames, app, signed_in, DashboardScreen)
        figures["dashboard paint"], figures["dashboard data"] = paint, data
        figures["dashboard freeze"] = meter.take()
        sent = time.perf_counter()
        await pilot.press("s")
        figures["staff paint"], figures["staff data"] = await painted(
            frames, app, sent, StaffListScreen
        )
        worst_letter = 0.0
        for letter in TYPED:
            sent = time.perf_counter()
            await pilot.press(letter)
            worst_letter = max(worst_letter, (await painted(frames, app, sent, StaffListScreen))[1])
        figures["search letter"] = worst_letter
        figures["staff freeze"] = meter.take()
        meter.stop()
    return figures


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file or SQLAlchemy URL")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), metavar="DAY")
    parser.add_argument(
        "--users",
        nargs="+",
        default=["coord.reseau", "coord.idf", "coord.paris"],
        help="coordinator accounts (default: the demo's three)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print each coordinator's figures; exit 1 when a target is missed."""
    args = parse(argv)
    url = database_url(args.db)
    missed = False
    for username in args.users:
        figures = asyncio.run(coordinator(url, username, args.as_of))
        late = [
            name
            for name, target in (
                ("dashboard paint", FIRST_PAINT),
                ("staff paint", FIRST_PAINT),
                ("dashboard freeze", FREEZE),
                ("staff freeze", FREEZE),
            )
            if figures[name] > target
        ]
        missed = missed or bool(late)
        print(
            f"{username:>13}: "
            + ", ".join(f"{name} {value:.3f} s" for name, value in figures.items())
            + (f"  * over target: {', '.join(late)}" if late else "")
        )
    print(f"targets: first paint < {FIRST_PAINT} s, freeze < {FREEZE * 1000:.0f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
