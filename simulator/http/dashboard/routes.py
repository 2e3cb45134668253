"""``/_dashboard``: the page, its two assets and the event stream, served by the simulator.

Mounted with the control plane (``--control off`` leaves it out). It is a web page, not an
API: the front middleware hands it over before the journal, the Nuki error mapping and fault
injection (a fault rule on ``*`` must not take the page down, and loading the page is not a
client request worth journaling), and it is not part of ``/openapi.json``. Everything the
page shows it reads like any client, through ``/_sim`` and the Nuki API, with the tokens the
user gives it; the page, its assets and the stream carry no data of their own.
"""

from __future__ import annotations

import functools
from importlib import resources
from urllib.parse import quote

from aiohttp import web

from nuki_sim.simulator.http.dashboard.live import PREFIX, Hub, stream
from nuki_sim.simulator.http.front import FRONT
from nuki_sim.simulator.http.keys import CONTROL_TOKEN, WORLD

HUB = web.AppKey("dashboard_hub", Hub)
ASSETS = {  # path below /_dashboard/ → (file in static/, content type)
    "": ("index.html", "text/html"),
    "static/dashboard.js": ("dashboard.js", "text/javascript"),
    "static/dashboard.css": ("dashboard.css", "text/css"),
}
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    # Nothing but the simulator's own origin: no CDN, no inline script, works offline.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
}


@functools.cache
def asset(name: str) -> bytes:
    """A file of ``static/``, read from the installed package (it ships in the wheel)."""
    return resources.files(__package__ or __name__).joinpath("static", name).read_bytes()


async def serve(request: web.Request) -> web.StreamResponse:
    """Answer a request for ``/_dashboard`` or below (the front middleware routes it here)."""
    path = request.path
    if request.method not in ("GET", "HEAD"):
        return web.Response(status=405, text="the dashboard only reads", headers={"Allow": "GET"})
    if path == PREFIX:
        query = f"?{request.query_string}" if request.query_string else ""
        raise web.HTTPFound(f"{PREFIX}/{query}")
    rest = path[len(PREFIX) + 1 :]
    if rest == "events":
        return await stream(request, request.app[HUB])
    found = ASSETS.get(rest)
    if found is None:
        return web.Response(status=404, text=f"no {path}; the dashboard is at {PREFIX}/")
    name, content_type = found
    return web.Response(
        body=asset(name), content_type=content_type, charset="utf-8", headers=HEADERS
    )


def mount(app: web.Application) -> None:
    """Serve the dashboard from ``app`` (before it starts; only with the control plane)."""
    hub = Hub(app[WORLD])
    app[HUB] = hub
    app[FRONT].dashboard = serve  # answered first: before the journal, errors and faults
    app.on_response_prepare.append(hub.on_response)
    app.on_startup.append(hub.start)
    app.on_shutdown.append(hub.stop)


def banner_line(app: web.Application, base_url: str, token: str) -> str:
    """The dashboard's URL for the start-up banner, with the API token filled in."""
    if HUB not in app:
        return "off (it needs the control plane)"
    url = f"{base_url}{PREFIX}/?token={quote(token, safe='')}"
    return f"{url} (add &control=<control token>)" if app[CONTROL_TOKEN] else url
