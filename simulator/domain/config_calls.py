"""The config calls of the Nuki Web API: config, advanced configs, admin PIN, web config.

Device config writes are queued for the lock like authorization writes (``World.enqueue``)
and reach the cloud's copy when the device has applied them (:mod:`.config_writes`); the web
config is the cloud's own and changes at once. The opener's and the smart door's advanced
configs exist only on those models (``devices.MODELS``): another model is a 400 and nothing
is queued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nuki_sim.simulator.domain import devices, messages
from nuki_sim.simulator.domain.device_config import ConfigWrite, WebConfigWrite, web_merged
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.model import ApiToken, Lock, WriteConfig
from nuki_sim.simulator.domain.world import World

ADVANCED_PARTS = frozenset({"advanced", "opener", "smartdoor"})
"""The advanced configs: a lock takes only its model's (``DeviceModel.advanced``)."""
TYPE_HINTS = {
    "opener": "the opener advanced config is only for an opener (type 2)",
    "smartdoor": "the smart door advanced config is only for a smart door (type 3)",
    "advanced": "an opener or smart door has its own advanced config",
}


class ConfigCalls:
    """What a token may do with its locks' configuration (the table checks the scope)."""

    world: World
    token: ApiToken

    if TYPE_CHECKING:

        def lock(self, smartlock_id: int) -> Lock: ...  # LockSession's: 404, then 403

    def write_config(self, smartlock_id: int, write: ConfigWrite) -> None:
        """Queue a config write for the lock (204 at once; applied by the device)."""
        lock = self.lock(smartlock_id)
        part = write.part
        if part in ADVANCED_PARTS and part != devices.MODELS[lock.model].advanced:
            raise BadParameter(
                messages.invalid_value("smartlockId", smartlock_id), hint=TYPE_HINTS[part]
            )
        world = self.world
        world.enqueue(lock, WriteConfig(world.new_id(), world.now(), write.part, write.values))

    def write_web_config(self, smartlock_id: int, write: WebConfigWrite) -> None:
        """Change the cloud's web config of one lock at once."""
        self._set_web_config(self.lock(smartlock_id), write)

    def bulk_web_config(self, writes: list[tuple[int, WebConfigWrite]]) -> None:
        """Web config for several locks: every lock is checked before any is changed."""
        planned = [(self.lock(smartlock_id), write) for smartlock_id, write in writes]
        for lock, write in planned:
            self._set_web_config(lock, write)

    @staticmethod
    def _set_web_config(lock: Lock, write: WebConfigWrite) -> None:
        lock.cloud.web_config = web_merged(
            lock.cloud.web_config,
            write.battery_warning_per_mail_enabled,
            write.dismissed_lift_up_handle_warning,
        )
