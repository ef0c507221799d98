"""The dashboard as an ASGI app: `streamlit run dashboard/server.py` (what `make run` does) serves dashboard/app.py
and refuses Streamlit's internal endpoints a visitor has no business reading.

Streamlit 1.67 has no setting to turn off `/_stcore/metrics` (session counts, cache sizes, per-user labels when
configured); this middleware answers 404 for it and for the agent API. `/_stcore/health` stays: it says only "ok"
and a reverse proxy or monitor may poll it. Behind a reverse proxy, block the same paths there as well
(docs/security-signin.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/server.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from starlette.middleware import Middleware  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402
from streamlit.starlette import App  # noqa: E402

from dashboard import heap  # noqa: E402

heap.limit_arenas()  # before the sessions' threads start (dashboard/heap.py)

BLOCKED_PATH_SUFFIXES = ("/_stcore/metrics", "/_stcore/agent")
"""Refused wherever they appear (with or without server.baseUrlPath in front)."""


def is_blocked(path: str) -> bool:
    path = "/" + path.strip("/")
    return any(path.endswith(suffix) or (suffix + "/") in (path + "/") for suffix in BLOCKED_PATH_SUFFIXES)


CONTENT_SECURITY_POLICY = (
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'self' ws: wss:; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
    "frame-src 'self' data: blob:; worker-src 'self' blob:; form-action 'self'; base-uri 'self'"
)
"""Sent with every response: the browser loads images, fonts, scripts, styles and frames from the app's own host
only. Streamlit renders Markdown in titles, captions, alerts, labels and tooltips, and a KPI, unit or objective
name or a note written as `![x](https://...)` would otherwise make every viewer's browser fetch from outside the
machine (closed government networks cannot reach it; an outside server would learn who looked). Inline styles and
scripts stay allowed: Streamlit's own page uses them."""


class BlockInternalEndpoints:
    """ASGI middleware: 404 for the blocked paths; every other response gains CONTENT_SECURITY_POLICY."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and is_blocked(scope.get("path", "")):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_policy(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii"))]
            await send(message)

        await self.app(scope, receive, with_policy)


app = App(str(Path(__file__).resolve().parent / "app.py"), middleware=[Middleware(BlockInternalEndpoints)])
