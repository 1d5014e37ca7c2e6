"""Run the insight graph once for one agent and keep everything it produced.

`arun` is the whole lifecycle: resolve config and personas, check the backend before the
long work, stream the graph (reporting node progress), then write run.json and report.md
into a fresh folder. Faults inside the graph are recorded in the result (status "failed"),
so a comparison can count them; problems with the user's input raise before any work.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel

from chimera.backends.base import ChatBackend
from chimera.backends.registry import build_backend
from chimera.config.agent import AgentConfig, load_agent_config
from chimera.config.personas import PersonaLibrary
from chimera.context import RunContext
from chimera.errors import ChimeraError, ConfigError, DataError, OutputError, RunInterrupted
from chimera.escape import terminal
from chimera.execution.checkpoints import CHECKPOINT_FILE, CHECKPOINT_FILES, sqlite_checkpointer
from chimera.execution.data_folder import check_data_dir
from chimera.execution.page_files import write_index, write_run_page
from chimera.execution.report import render_report
from chimera.execution.result import Quality, RunResult
from chimera.execution.runstore import (
    discard_unused,
    folder_lock,
    new_run_dir,
    read_saved,
    write_atomic,
)
from chimera.graphs.insight import compile_insight_graph
from chimera.host_load import HostLoadMeter
from chimera.ingest.cache import IngestCache
from chimera.logging import get_logger
from chimera.metrics import RunMetrics
from chimera.state import NODE_LABELS
from chimera.versions import package_versions

log = get_logger("chimera.run")

ConfigSource = str | Path | AgentConfig | None
REQUEST_FILE = "request.json"


@dataclass(frozen=True)
class ProgressEvent:
    agent: str
    node: str
    phase: Literal["start", "progress", "end", "error"]
    elapsed_s: float  # since the run started
    detail: str | None = None  # for "progress": how far a long node got


ProgressCallback = Callable[[ProgressEvent], None]
_PHASE_WORDS = {"start": "...", "progress": "", "end": "done", "error": "failed"}


def print_progress(event: ProgressEvent) -> None:
    """A ready `progress=` callback: one line per event on stderr, as the CLI prints them.

    chimera.compare("data", ["a.yaml", "b.yaml"], progress=chimera.print_progress)
    """
    label = NODE_LABELS.get(event.node, event.node)
    words = " ".join(w for w in (_PHASE_WORDS[event.phase], event.detail or "") if w)
    print(
        f"{event.elapsed_s:7.2f}s {terminal(event.agent)}: {label} {terminal(words)}".rstrip(),
        file=sys.stderr,
        flush=True,
    )


def default_config() -> AgentConfig:
    """The bundled embedded config: runs with no Ollama server."""
    from importlib import resources

    return load_agent_config(Path(str(resources.files("chimera.config_files"))) / "embedded.yaml")


def resolve_config(config: ConfigSource) -> AgentConfig:
    if config is None:
        return default_config()
    if isinstance(config, AgentConfig):
        return config
    return load_agent_config(config)


async def prepare(
    config: ConfigSource,
    personas_dirs: Sequence[str | Path] = (),
    backend: ChatBackend | None = None,
    host: str | None = None,
) -> tuple[AgentConfig, PersonaLibrary, ChatBackend]:
    """Resolve and check everything a run needs; every failure here is the user's to fix."""
    agent = resolve_config(config)
    personas = PersonaLibrary.discover([*agent.personas_dirs, *map(Path, personas_dirs)])
    source = agent.source or f"the config of '{agent.name}'"
    personas.get(agent.personas.analyst, role="analyst", where=f"{source}: personas.analyst")
    personas.get(agent.personas.writer, role="writer", where=f"{source}: personas.writer")
    backend = backend or build_backend(agent, host)
    await backend.check()
    return agent, personas, backend


async def execute(
    agent: AgentConfig,
    personas: PersonaLibrary,
    backend: ChatBackend,
    data_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    thread_id: str | None = None,
    resume: bool = False,
    ingest_cache: IngestCache | None = None,
    graph: CompiledStateGraph | None = None,
    exclude: Sequence[Path] = (),
) -> RunResult:
    """Stream the graph once; faults inside it become a failed RunResult, not an exception.

    With a checkpointer, every finished node is saved under `thread_id`; `resume=True`
    continues that thread from its last finished node instead of starting afresh.
    A cancellation (Ctrl-C) is re-raised as RunInterrupted carrying what finished.
    Runs given one `ingest_cache` digest an unchanged data folder once between them.
    A batch may also compile the graph once (`compile_insight_graph`) and pass it as `graph`;
    it must carry `checkpointer`. `exclude`: folders the run writes to (never read as data).
    """
    if graph is None:
        graph = compile_insight_graph(agent.retries, checkpointer)
    elif graph.checkpointer is not checkpointer:
        raise ValueError("execute(graph=...) must be compiled with the checkpointer given")
    run_id = thread_id or uuid.uuid4().hex[:12]
    started_at = datetime.now(UTC)
    host = HostLoadMeter.start()
    start = time.perf_counter()
    state: dict[str, Any] = {}
    error: ChimeraError | None = None
    emit = progress or (lambda event: None)

    def node_progress(node: str, detail: str) -> None:
        emit(ProgressEvent(agent.name, node, "progress", time.perf_counter() - start, detail))

    context = RunContext(
        agent=agent,
        data_dir=data_dir,
        backend=backend,
        personas=personas,
        ingest_cache=ingest_cache or IngestCache(),
        progress=node_progress if progress else None,
        exclude=tuple(exclude),
    )
    run_config: RunnableConfig | None = (
        {"configurable": {"thread_id": run_id}} if checkpointer else None
    )
    from_start = not resume
    if resume and checkpointer is not None and run_config is not None:
        saved = await graph.aget_state(run_config)
        state = dict(saved.values)
        if not state and not saved.next:
            # No checkpoint at all (the file was deleted, or the run was stopped before its
            # first node finished): resuming is running it from the start.
            log.warning("run.resume_from_start", agent=agent.name, run_id=run_id)
            from_start = True
    log.info("run.start", agent=agent.name, backend=backend.name, host=backend.host, run_id=run_id)

    def result(status: str) -> RunResult:
        calls = list(state.get("llm_calls", []))
        return RunResult(
            run_id=run_id,
            status=status,  # type: ignore[arg-type]
            error=error.one_line() if error else None,
            error_type=type(error).__name__ if error else None,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            wall_s=time.perf_counter() - start,
            resumed=resume,
            config=agent,
            config_line=agent.options.config_line(),
            data_dir=str(data_dir),
            node_timings=dict(state.get("node_timings", {})),
            llm_calls=calls,
            metrics=RunMetrics.from_calls(calls),
            inventory=state.get("inventory"),
            digest=state.get("digest"),
            findings=list(state.get("findings", [])),
            highlights=list(state.get("highlights", [])),
            analysis=state.get("analysis"),
            report_body=state.get("report_body", ""),
            sections=list(state.get("sections", [])),
            prompts=dict(state.get("prompts", {})),
            figures_check=state.get("figures_check"),
            compliance=state.get("compliance"),
            quality=Quality.of(
                list(state.get("sections", [])),
                state.get("figures_check"),
                state.get("compliance"),
            ),
            host_load=host.finish(),
            versions=package_versions(),
            # A user's own backend (arun(backend=...)) may not say: then it is not the stub.
            served_by=getattr(backend, "served_by", None),
        )

    try:
        async for mode, chunk in graph.astream(
            {} if from_start else None,
            config=run_config,
            context=context,
            stream_mode=["values", "tasks"],
        ):
            if mode == "values":
                state = chunk
            elif "result" in chunk or "error" in chunk:
                phase = "error" if chunk.get("error") else "end"
                emit(ProgressEvent(agent.name, chunk["name"], phase, time.perf_counter() - start))
            else:
                emit(ProgressEvent(agent.name, chunk["name"], "start", time.perf_counter() - start))
    except DataError:
        raise  # the user's input, not a run fault: nothing to record
    except ChimeraError as exc:
        error = exc
        log.info("run.failed", agent=agent.name, error=exc.one_line())
    except asyncio.CancelledError as exc:
        raise RunInterrupted(result("interrupted")) from exc
    finished = result("failed" if error else "ok")
    log.info("run.done", agent=agent.name, status=finished.status, wall_s=round(finished.wall_s, 3))
    return finished


def save_run(result: RunResult, run_dir: Path) -> RunResult:
    """Write run.json always and report.md when the run finished; returns the result with paths.

    report.html comes last, from the files just written; a page that fails is only logged.
    The paths in the result are absolute: a script may change folders before it reads them.
    """
    run_dir = run_dir.absolute()
    report_path = run_dir / "report.md"
    result = result.model_copy(
        update={"run_dir": run_dir, "report_path": report_path if result.ok else None}
    )
    if result.ok:
        write_atomic(report_path, render_report(result))
    write_atomic(run_dir / "run.json", result.model_dump_json(indent=2))
    write_run_page(run_dir)
    return result


class RunRequest(BaseModel):
    """What a run folder needs to be resumed: written before the graph starts."""

    data_dir: str
    config: AgentConfig
    personas_dirs: list[str]
    thread_id: str


async def arun(
    data_dir: str | Path,
    config: ConfigSource = None,
    *,
    out: str | Path | None = "runs",
    personas_dirs: Sequence[str | Path] = (),
    progress: ProgressCallback | None = print_progress,
    backend: ChatBackend | None = None,
    host: str | None = None,
    ingest_cache: IngestCache | None = None,
) -> RunResult:
    """Run the insight graph on `data_dir` and write a new run folder under `out`.

    `config` is a YAML path, an AgentConfig, or None for the embedded default. With
    `out=None` nothing is written. Returns the RunResult (check `.ok`; its paths are
    absolute). Each finished node is checkpointed in the run folder, so `aresume_run` can
    finish an interrupted run. Calls given one `ingest_cache` digest an unchanged data
    folder once between them. Progress (each node, each model call) goes to stderr as the
    CLI prints it; `progress=None` keeps the run silent, or pass your own callback.
    """
    data = check_data_dir(data_dir)
    agent, personas, backend = await prepare(config, personas_dirs, backend, host)
    if out is None:
        return await execute(
            agent, personas, backend, data, progress=progress, ingest_cache=ingest_cache
        )
    run_dir = new_run_dir(Path(out), agent.name, datetime.now(UTC))
    request = RunRequest(
        data_dir=str(data.resolve()),
        config=agent,
        personas_dirs=[str(Path(p).resolve()) for p in personas_dirs],
        thread_id=uuid.uuid4().hex[:12],
    )
    with folder_lock(run_dir):
        write_atomic(run_dir / REQUEST_FILE, request.model_dump_json(indent=2))
        try:
            return await _execute_in(
                run_dir,
                request,
                agent,
                personas,
                backend,
                progress,
                resume=False,
                cache=ingest_cache,
            )
        except DataError:
            # Refused before any node finished (the data is unusable): no run happened.
            discard_unused(run_dir, {REQUEST_FILE, *CHECKPOINT_FILES})
            raise
        except OutputError as exc:
            if not (run_dir / REQUEST_FILE).exists():  # nothing to resume from
                discard_unused(run_dir, set(CHECKPOINT_FILES))
            else:
                exc.hint = f"free disk space, then continue with: chimera resume {run_dir}"
            raise


async def _execute_in(
    run_dir: Path,
    request: RunRequest,
    agent: AgentConfig,
    personas: PersonaLibrary,
    backend: ChatBackend,
    progress: ProgressCallback | None,
    *,
    resume: bool,
    cache: IngestCache | None = None,
) -> RunResult:
    sessions = _sessions(run_dir) if resume else {}
    async with sqlite_checkpointer(run_dir / CHECKPOINT_FILE) as saver:
        try:
            result = await execute(
                agent,
                personas,
                backend,
                Path(request.data_dir),
                progress=progress,
                checkpointer=saver,
                thread_id=request.thread_id,
                resume=resume,
                ingest_cache=cache,
                # The run's own folder and the folder it is in (`--out`), wherever they are.
                exclude=(run_dir.parent, run_dir),
            )
        except RunInterrupted as stop:
            if isinstance(stop.result, RunResult):
                stop.result = stop.result.model_copy(update=sessions)
                save_run(stop.result, run_dir)
                write_index(run_dir.parent)
            stop.hint = f"finished nodes were kept; continue with: chimera resume {run_dir}"
            raise
    saved = save_run(result.model_copy(update=sessions), run_dir)
    write_index(run_dir.parent)  # e.g. runs/index.html: every run in the folder, linked
    return saved


def _sessions(run_dir: Path) -> dict[str, Any]:
    """How many sessions a resumed run has had and their wall time, from its last run.json.

    A run stopped by Ctrl-C saved run.json; one killed outright did not, and then the time
    of the sessions before is not measured (None), never guessed.
    """
    try:
        earlier = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        sessions = int(earlier.get("sessions", 1))
        before = earlier.get("earlier_wall_s")
        wall = float(earlier["wall_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return {"sessions": 2, "earlier_wall_s": None}
    total = wall if sessions == 1 else (None if before is None else float(before) + wall)
    return {"sessions": sessions + 1, "earlier_wall_s": total}


async def aresume_run(
    run_dir: str | Path, *, progress: ProgressCallback | None = print_progress
) -> RunResult:
    """Finish an interrupted run in its own folder, from its last finished node (progress on
    stderr unless `progress=None`)."""
    folder = Path(run_dir)
    request_path = folder / REQUEST_FILE
    if not request_path.is_file():
        raise ConfigError(
            f"{folder} is not a run folder (no {REQUEST_FILE})",
            hint="pass the folder `chimera run` created",
        )
    with folder_lock(folder):  # checked under the lock: another resume may just have finished
        if (folder / "report.md").exists():
            raise ConfigError(f"{folder} already finished (report.md exists); nothing to resume")
        request = read_saved(
            request_path,
            RunRequest,
            hint="it holds what the run was asked to do; restore it, or start again with "
            "chimera run",
        )
        agent, personas, backend = await prepare(request.config, request.personas_dirs)
        try:
            return await _execute_in(
                folder, request, agent, personas, backend, progress, resume=True
            )
        except OutputError as exc:
            exc.hint = f"free disk space, then continue with: chimera resume {folder}"
            raise


def run(
    data_dir: str | Path,
    config: ConfigSource = None,
    *,
    out: str | Path | None = "runs",
    personas_dirs: Sequence[str | Path] = (),
    progress: ProgressCallback | None = print_progress,
    ingest_cache: IngestCache | None = None,
) -> RunResult:
    """Blocking twin of `arun`."""
    return asyncio.run(
        arun(
            data_dir,
            config,
            out=out,
            personas_dirs=personas_dirs,
            progress=progress,
            ingest_cache=ingest_cache,
        )
    )
