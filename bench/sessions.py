"""Signed-in page runs per second with 10, 25 and 50 concurrent sessions against ONE running dashboard (issue 12).

Each session is what a browser tab is to the server, without the browser: a websocket on /_stcore/stream speaking
Streamlit's protobuf messages (BackMsg out, ForwardMsg in), driven by asyncio in this one process. A session signs
in through the product's own form, as a person does: the first run draws the sign-in form, the session sends the
form's user name, password and submit button as widget states, and the server's `dashboard.auth` checks the password
and keeps the session id in that session's `st.session_state` (no cookie, no back door). Then each session clicks
through the pages an executive may open, in navigation order, again and again: a page run is one rerun request
naming the page (as a sidebar click sends it) until its `script_finished` message arrives. The runs that finish
within the window of SECONDS, which opens SETTLE seconds after the sessions start clicking, count.

Per level: page runs finished within the window and runs per second, median and p95 run time, errors (a run with
an exception element, a run not finished within RUN_LIMIT seconds, a closed socket), the server's resident memory
(before the levels one session signs in and runs every page once, so the first imports and reads are not counted)
(highest sample during the level, and VmHWM), the server's CPU use (one Python process runs its scripts under one
GIL: 100% is one of the machine's cores), and what the driving process itself used per session.

With --servers 2 the sessions are spread over two dashboard processes on the same database (as behind a reverse
proxy with sticky sessions), their memory and CPU summed.

    .venv/bin/python bench/sessions.py --size 5M [--seconds 45] [--settle 15] [--levels 10,25,50] [--servers 1]
                                       [--limit 1200] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live_server import (  # noqa: E402
    EXEC,
    OUT,
    PASSWORD,
    OutOfTime,
    clear_limit,
    dashboard,
    database_copy,
    hard_limit,
    memory_mb,  # noqa: E402
)
from timing import load, machine, write_json  # noqa: E402

from pipelines import roles  # noqa: E402

LEVELS = (10, 25, 50)
RUN_LIMIT = 120.0
"""Seconds one page run may take before it counts as an error."""
SIGN_IN_LIMIT = 240.0
"""Seconds every session of a level has to connect and sign in."""
SCRIPT_FINISHED_OK = 0
SCRIPT_FINISHED_FOR_RERUN = 2


class SessionError(Exception):
    pass


class Session:
    """One websocket session of the dashboard."""

    def __init__(self, base: str):
        self.url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.base = base
        self.socket = None
        self.pages: dict[str, str] = {}  # url path -> page_script_hash (from the navigation message)
        self.widgets: list = []  # the elements of the last run
        self.exceptions = 0

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.socket = await connect(self.url, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                                    open_timeout=60)

    async def run(self, page_hash: str = "", widget_states: list | None = None) -> float:
        """Ask for a run (of the page, with these widget states) and wait for it to finish; its time in seconds."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        state = ClientState(query_string="", page_script_hash=page_hash,
                            context_info=ContextInfo(timezone="Asia/Bangkok", timezone_offset=-420, locale="th-TH",
                                                     url=self.base + "/"),
                            widget_states=WidgetStates(widgets=widget_states or []))
        started = time.perf_counter()
        await self.socket.send(BackMsg(rerun_script=state).SerializeToString())
        self.widgets, self.exceptions = [], 0
        while True:
            message = ForwardMsg.FromString(await self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
            elif kind == "new_session":
                self.widgets = []
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                self.widgets.append(element)
                self.exceptions += element.WhichOneof("type") == "exception"
            elif kind == "script_finished" and message.script_finished not in (SCRIPT_FINISHED_FOR_RERUN, 3):
                if message.script_finished != SCRIPT_FINISHED_OK:
                    raise SessionError(f"run finished with status {message.script_finished}")
                return time.perf_counter() - started

    async def sign_in(self, username: str, password: str) -> float:
        """Through the sign-in form the first run draws: its user name, password and submit button."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        await self.run()
        inputs = [element.text_input for element in self.widgets if element.WhichOneof("type") == "text_input"]
        buttons = [element.button for element in self.widgets
                   if element.WhichOneof("type") == "button" and element.button.is_form_submitter]
        if len(inputs) != 2 or not buttons:
            raise SessionError("the first run drew no sign-in form")
        user_field = next(field for field in inputs if field.type != field.PASSWORD)
        password_field = next(field for field in inputs if field.type == field.PASSWORD)
        took = await self.run(widget_states=[WidgetState(id=user_field.id, string_value=username),
                                             WidgetState(id=password_field.id, string_value=password),
                                             WidgetState(id=buttons[0].id, trigger_value=True)])
        if any(element.WhichOneof("type") == "text_input" and element.text_input.type == element.text_input.PASSWORD
               for element in self.widgets) or len(self.pages) < 2:
            said = [element.alert.body for element in self.widgets if element.WhichOneof("type") == "alert"]
            raise SessionError(f"the sign-in form was drawn again: {' / '.join(said)[:80]}")
        return took

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def session_accounts(count: int) -> tuple[str, ...]:
    """One executive account per session (bench.session.01, ...): a person signs in once, and the product counts
    each sign-in against its account before checking the password (at most five at once per account)."""
    return tuple(f"bench.session.{n:02d}" for n in range(1, count + 1))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory_of(pids: list[int]) -> dict:
    """memory_mb summed over the server processes."""
    each = [memory_mb(pid) for pid in pids]
    return {name: sum(figures[name] for figures in each) for name in ("rss_mb", "peak_mb")}


async def level(servers: list[tuple[str, int]], sessions: int, seconds: float, settle: float,
                accounts: tuple[str, ...]) -> dict:
    """`sessions` sessions signed in (each its own account; spread over the servers in turn, as a proxy with sticky
    sessions would), then each clicking through the executive's pages; the runs that finish in the `seconds` after
    the first `settle` seconds of clicking count (all sessions start clicking at once: the first runs end together)."""
    keys = [row.key for row in roles.pages_for("executive")]
    clients = [Session(servers[n % len(servers)][0]) for n in range(sessions)]
    pids = [pid for _, pid in servers]
    errors: dict[str, int] = {}
    times: list[float] = []
    by_page: dict[str, list[float]] = {}
    elements: dict[str, int] = {}
    sign_ins: list[float] = []
    samples: list[int] = []

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    async def start(client: Session, username: str) -> bool:
        try:
            await client.connect()
            sign_ins.append(await client.sign_in(username, PASSWORD))
            return True
        except Exception as failure:  # counted, reported; the level goes on with the sessions that signed in
            error(f"sign-in: {type(failure).__name__}: {failure}"[:120])
            return False

    async def sample_memory(stop: asyncio.Event) -> None:
        while not stop.is_set():
            samples.append(memory_of(pids)["rss_mb"])
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except TimeoutError:
                pass

    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(stop))
    before = memory_of(pids)
    began = time.perf_counter()
    try:
        starts = (start(client, name) for client, name in zip(clients, accounts, strict=False))
        signed = await asyncio.wait_for(asyncio.gather(*starts), SIGN_IN_LIMIT)
    except TimeoutError:
        signed = [bool(client.pages) for client in clients]
        error("sign-in: not within the limit")
    sign_in_s = time.perf_counter() - began
    live = [client for client, ok in zip(clients, signed, strict=True) if ok]
    after_sign_in = memory_of(pids)
    window_start = time.perf_counter() + settle  # every session clicks from now; runs count from window_start
    window_end = window_start + seconds
    cpu: dict[str, float] = {}

    async def cpu_at(moment: float, name: str) -> None:
        await asyncio.sleep(max(0.0, moment - time.perf_counter()))
        cpu[f"server_{name}"], cpu[f"own_{name}"] = sum(map(cpu_seconds, pids)), own_cpu()

    meters = [asyncio.create_task(cpu_at(window_start, "start")), asyncio.create_task(cpu_at(window_end, "end"))]

    async def click_through(client: Session, offset: int) -> None:
        turn = offset
        while time.perf_counter() < window_end:
            key = keys[turn % len(keys)]
            turn += 1
            page_hash = client.pages.get("" if roles.page(key).default else key)
            try:
                took = await asyncio.wait_for(client.run(page_hash), RUN_LIMIT)
            except TimeoutError:
                error("run over the limit")
                return
            except Exception as failure:
                error(f"run: {type(failure).__name__}: {failure}"[:120])
                return
            if client.exceptions:
                error(f"exception on {key}")
            elif window_start <= time.perf_counter() <= window_end:
                times.append(took)
                by_page.setdefault(key, []).append(took)
                elements[key] = len(client.widgets)

    await asyncio.gather(*(click_through(client, n) for n, client in enumerate(live)))  # the last runs end the window
    await asyncio.gather(*meters)
    cpu_server = cpu["server_end"] - cpu["server_start"]
    cpu_own = cpu["own_end"] - cpu["own_start"]
    stop.set()
    await sampler
    end = memory_of(pids)
    await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    times.sort()
    return {
        "sessions": sessions, "servers": len(servers), "signed_in": len(live), "sign_in_s": round(sign_in_s, 1),
        "sign_in_median_s": round(statistics.median(sign_ins), 2) if sign_ins else None,
        "seconds": seconds, "settle_s": settle, "runs": len(times), "runs_per_second": round(len(times) / seconds, 2),
        "median_run_s": round(statistics.median(times), 3) if times else None,
        "p95_run_s": round(times[min(len(times) - 1, int(0.95 * len(times)))], 3) if times else None,
        "errors": sum(errors.values()), "error_kinds": errors,
        "server_rss_mb": {"before": before["rss_mb"], "signed_in": after_sign_in["rss_mb"],
                          "highest": max(samples, default=end["rss_mb"]), "end": end["rss_mb"],
                          "vmhwm": end["peak_mb"]},
        "server_rss_per_session_mb": round((after_sign_in["rss_mb"] - before["rss_mb"]) / max(1, len(live)), 1),
        "server_cpu_percent": round(100 * cpu_server / seconds),
        "driver_cpu_ms_per_run": round(1000 * cpu_own / max(1, len(times)), 1),
        "load": round(load(), 2),
        "by_page": {key: {"runs": len(runs), "median_s": round(statistics.median(runs), 3),
                          "elements": elements[key]} for key, runs in by_page.items()},
    }


async def warm_up(base: str) -> dict:
    """One session signs in and runs every executive page once, so that the levels measure sessions, not the
    server's first imports and first reads."""
    client = Session(base)
    await client.connect()
    try:
        started = time.perf_counter()
        await client.sign_in(EXEC, PASSWORD)
        for row in roles.pages_for("executive"):
            await asyncio.wait_for(client.run(client.pages.get("" if row.default else row.key)), RUN_LIMIT)
        return {"seconds": round(time.perf_counter() - started, 1)}
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5M")
    parser.add_argument("--seconds", type=float, default=45, help="the measured window of each level")
    parser.add_argument("--settle", type=float, default=15, help="seconds of clicking before the window opens")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--servers", type=int, default=1, help="dashboard processes the sessions are spread over")
    parser.add_argument("--limit", type=float, default=1200, help="hard overall limit in seconds")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    hard_limit(args.limit)
    result: dict = {"size": args.size, "machine": machine(), "load_before": round(load(), 2),
                    "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "levels": []}
    try:
        levels = [int(sessions) for sessions in args.levels.split(",")]
        accounts = session_accounts(max(levels))
        work = database_copy(args.size, "sessions", accounts)
        with ExitStack() as stack:
            servers = [stack.enter_context(dashboard(work, OUT / f"sessions_server_{n}.log"))
                       for n in range(args.servers)]
            servers = [(base, server.pid) for base, server in servers]
            result["servers"] = args.servers
            result["server_started"] = memory_of([pid for _, pid in servers])
            for base, _ in servers:
                result["warm_up"] = asyncio.run(warm_up(base))
            result["warm_up"] |= memory_of([pid for _, pid in servers])
            print("warm-up (one session, every executive page, on each server):", result["warm_up"], flush=True)
            for sessions in levels:
                print(f"{sessions} sessions (load {load():.2f})", flush=True)
                figure = asyncio.run(level(servers, sessions, args.seconds, args.settle, accounts))
                result["levels"].append(figure)
                print(json.dumps(figure), flush=True)
    except OutOfTime as stopped:
        result["stopped"] = str(stopped)
        print(f"{stopped}: reporting the levels done", flush=True)
    finally:
        clear_limit()
    result["load_after"] = round(load(), 2)
    print(f"\n{'sessions':>8}{'signed in':>10}{'runs':>6}{'runs/s':>8}{'median':>8}{'p95':>8}{'errors':>7}"
          f"{'RSS MB':>8}{'CPU %':>7}")
    for row in result["levels"]:
        print(f"{row['sessions']:>8}{row['signed_in']:>10}{row['runs']:>6}{row['runs_per_second']:>8}"
              f"{row['median_run_s'] or 0:>7.2f}s{row['p95_run_s'] or 0:>7.2f}s{row['errors']:>7}"
              f"{row['server_rss_mb']['highest']:>8}{row['server_cpu_percent']:>7}")
    print(f"load average {result['load_before']} -> {result['load_after']}")
    write_json(args.json, result)
    return 0 if result["levels"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
