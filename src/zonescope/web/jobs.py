"""Long jobs (large imports, uncertainty runs) in the background, polled by the page.

One worker thread runs jobs in order (the machine has few cores, and writes are
serialised anyway). A job's state is plain data: what the page shows and what
`/api/v1/jobs/{id}` returns. Finished jobs are kept for the last `KEEP` entries.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from zonescope.errors import ImportRejected, ZoneScopeError

KEEP = 100


@dataclass
class Job:
    id: str
    kind: str
    label: str
    status: str = "queued"  # queued | running | done | failed
    started: float | None = None
    finished: float | None = None
    created: float = field(default_factory=time.time)
    result: Any = None
    error: ZoneScopeError | None = None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        end = self.finished or time.time()
        return {"id": self.id, "kind": self.kind, "label": self.label, "status": self.status,
                "elapsed_s": round(end - (self.started or end), 2),
                "result": self.result,
                "error": self.error.to_dict(lang) if self.error else None,
                "rejected": isinstance(self.error, ImportRejected)}


class Jobs:
    """The registry: submit a callable, poll its `Job`."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zonescope-job")

    def submit(self, kind: str, label: str, work: Callable[[], Any]) -> Job:
        job = Job(secrets.token_hex(8), kind, label)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[], Any]) -> None:
        job.status, job.started = "running", time.time()
        try:
            job.result = work()
            job.status = "done"
        except ZoneScopeError as exc:
            job.error, job.status = exc, "failed"
        except Exception as exc:  # noqa: BLE001 - a job must end with a state, never vanish
            job.error, job.status = ZoneScopeError("web.job_crashed", detail=repr(exc)), "failed"
        finally:
            job.finished = time.time()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float = 60) -> Job | None:
        """For tests and scripts: block until the job ends."""
        deadline = time.monotonic() + timeout
        while (job := self.get(job_id)) and job.status in ("queued", "running"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        return job

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
