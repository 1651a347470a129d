"""Fault injection: rules (:mod:`.rules`), the ordered book a hub holds (:mod:`.book`) and the
ASGI middleware that applies them (:mod:`.middleware`)."""

from fakehub.faults.book import Fault, FaultBook, Hit, RequestInfo
from fakehub.faults.rules import Burst, FaultRule

__all__ = ["Burst", "Fault", "FaultBook", "FaultRule", "Hit", "RequestInfo"]
