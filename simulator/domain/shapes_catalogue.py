"""Nuki Web's shapes for the opener catalogue, companies and services (Swagger 4.18.0 names).

Required sets are Nuki's own (none for Company and Service), and the document leaves these
objects open, so a client validated against it accepts Nuki's real payloads too.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, NotRequired, TypedDict

from nuki_sim.simulator.domain.describe import Doc, instant


class OpenerIntercomBrand(TypedDict):
    """OpenerIntercomBrand: a maker of intercoms (sample data in the simulator)."""

    brandId: Annotated[int, Doc("The brand ID.", minimum=0)]
    brand: Annotated[str, Doc("The brand name.")]


class OpenerIntercomModel(TypedDict):
    """OpenerIntercomModel: an intercom model and how a Nuki Opener connects to it."""

    intercomId: Annotated[int, Doc("The intercom ID.", minimum=0)]
    brandId: Annotated[int, Doc("The related brand ID.", minimum=0)]
    type: Annotated[int, Doc("The type of the model.")]
    model: Annotated[str, Doc("The model name.")]
    verified: Annotated[
        int,
        Doc(
            "Verified Nuki intercom: 1 verified to work, 2 may be compatible but not "
            "verified, 3 not compatible."
        ),
    ]
    conGndBus: Annotated[str, Doc("Connection for ground BUS.")]
    conBusAudio: Annotated[str, Doc("Connection for audio BUS.")]
    conAudioout: Annotated[str, Doc("Connection for audio out.")]
    conDoorbellPlus: Annotated[str, Doc("Connection for doorbell plus.")]
    conDoorbellMinus: Annotated[str, Doc("Connection for doorbell minus.")]
    conOpendoor: Annotated[str, Doc("Connection for opening the door.")]
    conGndAnalogue: Annotated[str, Doc("Connection for ground analogue.")]
    busModeSwitch: Annotated[int, Doc("Settings value for the BUS mode switch.")]
    busModeSwitchShortCircuitDuration: Annotated[
        int, Doc("Settings value for the BUS mode switch short circuit duration.")
    ]
    creationDate: NotRequired[Annotated[str, instant("The creation date.")]]
    updateDate: NotRequired[Annotated[str, instant("The update date.")]]


class Company(TypedDict):
    """Company: a company the account belongs to (sample data in the simulator)."""

    name: NotRequired[Annotated[str, Doc("The company's name.")]]
    email: NotRequired[Annotated[str, Doc("The company's e-mail address.")]]


class Service(TypedDict):
    """Service: a third-party service (such as a rental platform) the account can link.

    Nuki lists only ``enabled``, ``started`` and ``stopped``; the simulator adds
    ``serviceId`` and ``name`` so a client can tell services apart.
    """

    serviceId: NotRequired[Annotated[str, Doc("The service ID (simulator field).")]]
    name: NotRequired[Annotated[str, Doc("The service's name (simulator field).")]]
    enabled: NotRequired[Annotated[bool, Doc("Whether the account has linked the service.")]]
    started: NotRequired[Annotated[bool, Doc("Whether the service runs for the account.")]]
    stopped: NotRequired[Annotated[bool, Doc("Whether the service is stopped for the account.")]]


COMPONENTS: tuple[type, ...] = (OpenerIntercomBrand, OpenerIntercomModel, Company, Service)
