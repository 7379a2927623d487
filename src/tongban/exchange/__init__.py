"""数据共享交换 — the data exchange.

- ``models``: ``DataResource`` (+ ``ResourceField`` with sharing class and personal-data flag), ``Consumer``,
  ``Subscription`` (purpose, legal basis, provider's decision, ``client_id`` reference), ``ExchangeCall`` (the
  partition-ready call log: key (called_at, id), no foreign keys, indexed by time with region/subject/provider/
  consumer).
- ``services``: the writers; ``exchange_fetch`` / ``exchange_fetch_many`` enforce "no subscription, no data".
- ``selectors``: scoped readers (who used my data; department statistics).
- ``connectors``: plugins (``http`` JSON with budget, retries and circuit breaker; ``inprocess`` for tests).
- ``subjects``: ``SubjectResolver`` plugin — whose data, and how switching to ID-number keys works.
- ``demo_server``: the demo department systems, a separate Django-free process
  (``tongban exchange demo-server --port 8801``; the platform finds it at ``TONGBAN_EXCHANGE_DEMO_URL``).

Machine consumers (later, with the identity provider): a subscription's ``client_id`` names the OAuth2
client-credentials application of the consuming system; an API endpoint for machines must validate the
bearer token, read its application's ``client_id`` and pass it to ``exchange_fetch(client_id=…)``, which
refuses unless an approved subscription was issued to exactly that client.
"""
