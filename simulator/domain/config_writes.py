"""A config write on the lock: what the device does with a ``WriteConfig`` command.

The cloud pushes config writes like authorization writes (queued, pushed after the push
delay, held while the lock is offline and delivered at reconnect); when the device has
applied one, the cloud's copy takes the device's whole config at once and a
``DEVICE_CONFIG`` webhook reports it. A write cannot fail on the device: every value was
checked before it was queued.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from nuki_sim.simulator.domain.codes import TIMEZONE_IDS, TIMEZONE_NONE
from nuki_sim.simulator.domain.device_config import merged
from nuki_sim.simulator.domain.model import Lock, Outcome, WriteConfig

if TYPE_CHECKING:
    from nuki_sim.simulator.domain.parts import Reports


def apply(lock: Lock, command: WriteConfig, at: datetime, notifier: Reports) -> Outcome:
    """The device takes the write; the cloud learns its config; subscribers are told."""
    device = lock.device
    values = dict(command.values)
    renamed = False
    if command.part == "settings":
        name = values.get("name")
        if isinstance(name, str) and name != lock.name:
            lock.name, lock.update_date, renamed = name, at, True
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if latitude is not None and longitude is not None:
            lock.latitude, lock.longitude = float(latitude), float(longitude)
        zone = values.get("timezone_id")
        if isinstance(zone, int) and zone != TIMEZONE_NONE:  # 65535: keep the lock's zone
            device.timezone = TIMEZONE_IDS[zone]
    device.config = merged(device.config, command.part, command.values)
    lock.cloud.config = device.config
    notifier.config(lock)
    if renamed:
        notifier.masterdata(lock)
    return Outcome(command, at)
