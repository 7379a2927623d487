"""Real-name level 2 through the data exchange: identity's population-registry connector, implemented as one
exchange call (``IDENTITY_POPULATION_REGISTRY = "tongban.exchange.registry.ExchangePopulationRegistry"``).

The platform's identity consumer (``platform.identity``) needs an approved subscription to the population
registry's identity check (``population.identity``, the conditional field ``name`` requested); without one no
verdict is given. The call is asked by resident ID number (sent to the provider only, never logged or stored
here) and logged against the person's own subject key, so it appears on their "who used my data" page as the
identity verification. The registry answers with the registered name; the comparison happens here.
"""

from __future__ import annotations

import dataclasses

from tongban.exchange.models import CallResult
from tongban.exchange.services import SubscriptionRequired, exchange_fetch
from tongban.exchange.subjects import subject_for_person
from tongban.identity.public import PopulationRegistry, RegistryUnavailable, User

IDENTITY_CONSUMER = "platform.identity"
IDENTITY_RESOURCE = "population.identity"
IDENTITY_PURPOSE = "实名认证：向人口库核验本人姓名与公民身份号码（实名等级 L2）"  # shown to the person as said
_LIVING = "正常"


class ExchangePopulationRegistry(PopulationRegistry):
    def confirms(self, *, name: str, id_number: str, user: User) -> bool:
        subject = dataclasses.replace(subject_for_person(user), provider_ref=id_number)
        try:
            delivery = exchange_fetch(
                consumer=IDENTITY_CONSUMER, resource=IDENTITY_RESOURCE, subject=subject, purpose=IDENTITY_PURPOSE
            )
        except SubscriptionRequired as exc:
            raise RegistryUnavailable(IDENTITY_RESOURCE) from exc
        if delivery.result == CallResult.NOT_FOUND:
            return False  # no such ID number in the registry
        if not delivery.delivered or delivery.data is None:
            raise RegistryUnavailable(delivery.result)
        return delivery.data.get("name") == name.strip() and delivery.data.get("status") == _LIVING
