"""The simulator's dashboard: one page at ``/_dashboard/`` that shows and steers the world.

Static HTML, one script and one stylesheet shipped in the package (no build step, no CDN),
and a server-sent event stream that says when to look again. See ``docs/dashboard.md``.
"""

from nuki_sim.simulator.http.dashboard.live import PREFIX
from nuki_sim.simulator.http.dashboard.routes import banner_line, mount

__all__ = ["PREFIX", "banner_line", "mount"]
