"""ProjectionRunner: a thread that polls the event store and feeds one view, in batches.

It works on both backends (SQLite has no `subscribe()`, EVENTSOURCING.md §1.2): each round
reads up to `batch_size` notifications after the view's position and hands them to the
projection, which writes their rows and one tracking record in one transaction. The position
lives in the view, so a restarted runner resumes where the last commit left off, and a failure
(logged, then retried with backoff from the recorded position) never skips an event or applies
one twice. `run_projections(database)` runs one runner per view.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.utils import get_topic

from adapters.eventstore import Database, open_event_store
from projections.batch import BatchProjection
from projections.charge_points import ChargePointsProjection
from projections.id_tags import IdTagsProjection
from projections.transactions import TransactionsProjection
from projections.views import Views, open_views

logger = logging.getLogger(__name__)


class ProjectionRunner:
    """Feeds `projection.view` from `app`'s notification log in a background thread.

    Args:
        app: the event store to read (only `recorder` and `mapper` are used).
        projection: a batch projection over its view.
        batch_size: notifications per view transaction.
        poll_interval: seconds between polls when idle; `notify()` cuts it short.
        min_interval: seconds between the starts of two partial batches: under a steady
            trickle of events this gathers them into fewer, larger view transactions.
        phase: where in each `min_interval` this runner's partial batches start (0 to 1):
            the runners of one process take turns instead of all competing for the GIL with
            the gateway at the same moment.
        min_backoff, max_backoff: seconds to wait after the first, and after many,
            failures in a row.
    """

    def __init__(
        self,
        app: Application[Any],
        projection: BatchProjection[Any],
        *,
        batch_size: int = 500,
        poll_interval: float = 0.02,
        min_interval: float = 0.0,
        phase: float = 0.0,
        min_backoff: float = 0.1,
        max_backoff: float = 5.0,
    ) -> None:
        self.app = app
        self.projection = projection
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.min_interval = min_interval
        self.phase = phase
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.events_processed = 0
        self.failures = 0  # in a row; 0 once a batch commits again
        self._next: int | None = None  # read after this id; None: ask the view
        self._processed = 0  # the view has every notification up to this id
        self._processed_changed = threading.Condition()
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._hurry = threading.Event()
        self._last_was_offered = False
        self._thread = threading.Thread(
            target=self._run, name=f"projection-{projection.name}", daemon=True
        )
        self._topics = frozenset(get_topic(cls) for cls in projection.handlers)
        # What the in-process writer committed, in order; bounded: a gap falls back to reading.
        self._offered: deque[tuple[Sequence[int], Sequence[object]]] = deque(maxlen=256)
        self._offered_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def position(self) -> int:
        """The highest notification id the view is known to have processed."""
        return self._processed

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the batch in hand (if any) and join the thread. A runner runs once."""
        self._stopping.set()
        self._wakeup.set()
        self._hurry.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.warning("projection %s did not stop within %.1f s", self.name, timeout)

    def notify(self) -> None:
        """New events were committed: poll now instead of at the next interval."""
        self._wakeup.set()

    def offer(self, positions: Sequence[int], events: Sequence[object]) -> None:
        """Events this process just committed at `positions`, to use instead of reading and
        decoding them again; ignored unless they follow the view's position exactly."""
        with self._offered_lock:
            self._offered.append((positions, events))
        self._wakeup.set()

    def _take_offered(self, position: int) -> tuple[int, list[object]] | None:
        """(last position, events) offered right after `position`, or None."""
        taken: list[object] = []
        last = position
        with self._offered_lock:
            offered = self._offered
            while offered and offered[0][0][-1] <= position:
                offered.popleft()  # already in the view
            while offered and len(taken) < self.batch_size:
                positions, events = offered[0]
                # Only an unbroken run: another process's events may lie in any gap.
                if positions[0] != last + 1 or positions[-1] - positions[0] != len(positions) - 1:
                    break
                offered.popleft()
                taken.extend(events)
                last = positions[-1]
        return (last, taken) if taken else None

    def wait(self, notification_id: int, timeout: float = 5.0) -> bool:
        """Block until the view has processed `notification_id` (read-your-writes).

        Returns:
            False if it had not within `timeout` seconds.
        """
        if self._processed >= notification_id:
            return True
        self._hurry.set()
        self._wakeup.set()
        with self._processed_changed:
            return self._processed_changed.wait_for(
                lambda: self._processed >= notification_id, timeout
            )

    def catch_up(self, timeout: float = 5.0) -> bool:
        """Block until the view has every event committed before this call."""
        return self.wait(self.app.recorder.max_notification_id() or 0, timeout)

    def run_once(self) -> int:
        """Process one batch in the calling thread.

        Returns:
            How many notifications the batch held (0: the view is up to date).
        """
        view = self.projection.view
        position = self._next
        if position is None:
            position = view.max_tracking_id(self.app.name) or 0
            self._advance(position)
        offered = self._take_offered(position)
        self._last_was_offered = offered is not None
        if offered is not None:
            last, everything = offered
            handlers = self.projection.handlers
            events = [e for e in everything if type(e) in handlers]
            count = len(everything)
        else:
            notifications = self.app.recorder.select_notifications(
                start=position, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return 0
            # Decode only what this view handles: decoding is most of a projection's CPU,
            # and every view reads the whole log.
            topics = self._topics
            events = [
                self.app.mapper.to_domain_event(n) for n in notifications if n.topic in topics
            ]
            last, count = notifications[-1].id, len(notifications)
        tracking = Tracking(self.app.name, last)
        try:
            self.projection.process_batch(events, tracking)
        except IntegrityError:
            recorded = view.max_tracking_id(self.app.name) or 0
            if recorded <= position:
                raise  # not the tracking record: one of the rows broke a constraint
            # Another writer (a second runner on this view?) moved the position on.
            logger.warning(
                "projection %s: the view is at %d already; resuming there", self.name, recorded
            )
            self._advance(recorded)
            return count
        self.events_processed += count
        self._advance(tracking.notification_id)
        return count

    def _advance(self, position: int) -> None:
        self._next = position
        with self._processed_changed:
            if position > self._processed:
                self._processed = position
                self._processed_changed.notify_all()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.clear()  # before reading, so that no notify() is lost
            started = time.monotonic()
            try:
                processed = self.run_once()
            except Exception:
                self._next = None  # resume from what the view recorded
                self.failures += 1
                delay = min(self.max_backoff, self.min_backoff * 2 ** (self.failures - 1))
                logger.exception(
                    "projection %s failed (%d in a row); retrying in %.2f s",
                    self.name,
                    self.failures,
                    delay,
                )
                self._stopping.wait(delay)
                continue
            self.failures = 0
            if processed == 0:
                self._wakeup.wait(self.poll_interval)
            elif processed < self.batch_size:
                if self.min_interval > 0:
                    # Gather more, unless someone waits for the view (read-your-writes).
                    self._hurry.wait(self._until_turn(started))
                    self._hurry.clear()
                elif self._last_was_offered:
                    # The writer will offer what comes next: no need to look in the log.
                    self._wakeup.wait(self.poll_interval)

    def _until_turn(self, started: float) -> float:
        """Seconds until this runner's next slot: slots lie `min_interval` apart at `phase`,
        and the next one is the first at least half an interval after `started` (a batch
        starts a little after its slot, which must not push the next one a whole turn)."""
        interval = self.min_interval
        offset = self.phase * interval
        earliest = started + interval / 2
        slot = offset + interval * math.ceil((earliest - offset) / interval)
        return max(0.0, slot - time.monotonic())

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass(frozen=True)
class Projections:
    """The running projections of one process and the views they fill."""

    views: Views
    runners: tuple[ProjectionRunner, ...]

    def notify(self) -> None:
        """New events were committed elsewhere: poll now."""
        for runner in self.runners:
            runner.notify()

    def offer(self, positions: Sequence[int], events: Sequence[object]) -> None:
        """Call after each commit of the in-process writer, with what it committed."""
        for runner in self.runners:
            runner.offer(positions, events)

    def wait(self, notification_id: int, timeout: float = 5.0) -> bool:
        """Block until every view has processed `notification_id`; False on timeout."""
        deadline = time.monotonic() + timeout
        return all(
            runner.wait(notification_id, max(0.0, deadline - time.monotonic()))
            for runner in self.runners
        )

    def catch_up(self, timeout: float = 5.0) -> bool:
        """Block until every view has every event committed before this call."""
        return self.wait(self.runners[0].app.recorder.max_notification_id() or 0, timeout)


def runners_for(
    app: Application[Any],
    views: Views,
    *,
    batch_size: int = 500,
    poll_interval: float = 0.02,
    min_interval: float = 0.0,
) -> tuple[ProjectionRunner, ...]:
    """One (not yet started) runner per view, all reading `app`."""
    projections: tuple[BatchProjection[Any], ...] = (
        ChargePointsProjection(views.charge_points),
        TransactionsProjection(views.transactions),
        IdTagsProjection(views.id_tags),
    )
    return tuple(
        ProjectionRunner(
            app,
            p,
            batch_size=batch_size,
            poll_interval=poll_interval,
            min_interval=min_interval,
            phase=n / len(projections),
        )
        for n, p in enumerate(projections)
    )


@contextmanager
def run_projections(
    database: Database,
    *,
    env: Mapping[str, str] | None = None,
    batch_size: int = 500,
    poll_interval: float = 0.02,
    min_interval: float = 0.0,
) -> Iterator[Projections]:
    """Open the views and run one `ProjectionRunner` per view until the block ends.

    The runners read through an event store application of their own; on exit they stop,
    then the views' and the application's connections are closed.
    """
    with ExitStack() as stack:  # closed in reverse: runners, then views, then the app
        app = open_event_store(database)
        stack.callback(app.close)
        views = stack.enter_context(open_views(database, env))
        runners = runners_for(
            app,
            views,
            batch_size=batch_size,
            poll_interval=poll_interval,
            min_interval=min_interval,
        )
        for runner in runners:
            stack.enter_context(runner)
        yield Projections(views, runners)
