"""Alerts (docs/alerts.md): rules on a deployment's metrics, the alerts as they stand, their history (pages as
iteration), an evaluation on demand, the notifications sent, silences, notifiers and where they may send."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from ._http import Transport, path
from .monitoring import Instant, instant

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        EvaluateAlertsResponse,
        GetAlertDestinationsResponseDestinations,
        GetAlertRuleResponseRule,
        GetNotifierResponseNotifier,
        GetSilenceResponseSilence,
        ListAlertHistoryResponseEventsItem,
        ListAlertNotificationsResponseNotificationsItem,
        ListAlertsResponseAlertsItem,
    )

Matcher = Union[str, Mapping[str, Any]]


def _given(d: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


class Alerts:
    def __init__(self, t: Transport) -> None:
        self._t = t

    # ---- alerts as they stand, and their history ----

    def list(self, *, state: Optional[str] = None, deployment: Optional[str] = None) -> List[ListAlertsResponseAlertsItem]:
        """Current alerts: pending and firing by default (``state``: active, pending, firing, inactive, all)."""
        return self._t.request("GET", path("/api/v1/alerts"), params={"state": state, "deployment": deployment})["alerts"]

    def history(
        self,
        *,
        deployment: Optional[str] = None,
        rule: Optional[str] = None,
        since: Instant = None,
        until: Instant = None,
        page_size: Optional[int] = None,
    ) -> Iterator[ListAlertHistoryResponseEventsItem]:
        """Alert events (pending, firing, resolved, inactive), newest first; pages are fetched as you iterate.
        ``since``/``until``: ISO 8601, epoch ms or a duration ago (``24h``)."""
        params = {"deployment": deployment, "rule": rule, "since": _text(since), "until": _text(until)}
        return self._t.iterate(path("/api/v1/alerts/history"), "events", params=params, page_size=page_size)

    def evaluate(self) -> EvaluateAlertsResponse:
        """Evaluate every rule now; answers the transitions and the notifications sent (editors)."""
        return self._t.request("POST", path("/api/v1/alerts/evaluate"), json={})

    def notifications(
        self, *, deployment: Optional[str] = None, since: Instant = None, max_results: Optional[int] = None
    ) -> List[ListAlertNotificationsResponseNotificationsItem]:
        """Notifications sent, failed or silenced, newest first, with the body as sent."""
        params = {"deployment": deployment, "since": _text(since), "max_results": max_results}
        return self._t.request("GET", path("/api/v1/alerts/notifications"), params=params)["notifications"]

    # ---- rules ----

    def create_rule(
        self,
        name: str,
        deployment: str,
        metric: str,
        comparison: str,
        threshold: float,
        *,
        window: Optional[str] = None,
        for_: Optional[str] = None,
        keep_firing_for: Optional[str] = None,
        severity: Optional[str] = None,
        labels: Optional[Mapping[str, str]] = None,
        enabled: Optional[bool] = None,
    ) -> GetAlertRuleResponseRule:
        """A rule: ``metric comparison threshold`` over ``window`` (e.g. ``error_rate > 0.05`` over ``5m``), held
        ``for_`` before it fires (``for`` in the API)."""
        body = _given(
            {
                "name": name, "deployment": deployment, "metric": metric, "comparison": comparison, "threshold": threshold,
                "window": window, "for": for_, "keep_firing_for": keep_firing_for, "severity": severity,
                "labels": dict(labels) if labels is not None else None, "enabled": enabled,
            }
        )
        return self._t.request("POST", path("/api/v1/alerts/rules"), json=body)["rule"]

    def rules(self, *, deployment: Optional[str] = None) -> List[GetAlertRuleResponseRule]:
        return self._t.request("GET", path("/api/v1/alerts/rules"), params={"deployment": deployment})["rules"]

    def get_rule(self, id_or_name: str) -> GetAlertRuleResponseRule:
        return self._t.request("GET", path("/api/v1/alerts/rules/{id}", id=id_or_name))["rule"]

    def update_rule(self, id_or_name: str, **fields: Any) -> GetAlertRuleResponseRule:
        """Change the fields given (``for_`` for ``for``); the others keep their values."""
        if "for_" in fields:
            fields["for"] = fields.pop("for_")
        return self._t.request("PUT", path("/api/v1/alerts/rules/{id}", id=id_or_name), json=_given(fields))["rule"]

    def delete_rule(self, id_or_name: str) -> None:
        """Delete a rule and its current state (its history stays)."""
        self._t.request("DELETE", path("/api/v1/alerts/rules/{id}", id=id_or_name))

    # ---- silences ----

    def silence(
        self,
        matchers: Union[Matcher, Sequence[Matcher]],
        *,
        duration: Optional[str] = None,
        starts_at: Instant = None,
        ends_at: Instant = None,
        comment: Optional[str] = None,
    ) -> GetSilenceResponseSilence:
        """Silence alerts matching every matcher (``"deployment=credit"``, ``"severity=~warning|critical"`` or
        ``{"name", "value", "is_regex"}``) for ``duration`` (or until ``ends_at``)."""
        items = [matchers] if isinstance(matchers, (str, Mapping)) else list(matchers)
        body = _given({"matchers": [m if isinstance(m, str) else dict(m) for m in items], "duration": duration,
                       "starts_at": _body_time(starts_at), "ends_at": _body_time(ends_at), "comment": comment})
        return self._t.request("POST", path("/api/v1/alerts/silences"), json=body)["silence"]

    def silences(self, *, all: bool = False) -> List[GetSilenceResponseSilence]:
        """Silences in force or to come (``all=True``: expired ones too)."""
        return self._t.request("GET", path("/api/v1/alerts/silences"), params={"all": all or None})["silences"]

    def get_silence(self, silence_id: str) -> GetSilenceResponseSilence:
        return self._t.request("GET", path("/api/v1/alerts/silences/{id}", id=silence_id))["silence"]

    def expire_silence(self, silence_id: str) -> GetSilenceResponseSilence:
        """End a silence now (it stays listed with ``all=True``)."""
        return self._t.request("DELETE", path("/api/v1/alerts/silences/{id}", id=silence_id))["silence"]

    # ---- notifiers and destinations ----

    def create_notifier(
        self, name: str, url: str, *, kind: Optional[str] = None, secret: Optional[str] = None, enabled: Optional[bool] = None
    ) -> GetNotifierResponseNotifier:
        """A webhook (needs ``secret``), slack or alertmanager notifier (admins); the secret is never returned."""
        body = _given({"name": name, "url": url, "kind": kind, "secret": secret, "enabled": enabled})
        return self._t.request("POST", path("/api/v1/alerts/notifiers"), json=body)["notifier"]

    def notifiers(self) -> List[GetNotifierResponseNotifier]:
        return self._t.request("GET", path("/api/v1/alerts/notifiers"))["notifiers"]

    def get_notifier(self, id_or_name: str) -> GetNotifierResponseNotifier:
        return self._t.request("GET", path("/api/v1/alerts/notifiers/{id}", id=id_or_name))["notifier"]

    def update_notifier(
        self, id_or_name: str, *, url: Optional[str] = None, secret: Optional[str] = None, enabled: Optional[bool] = None
    ) -> GetNotifierResponseNotifier:
        """Change a notifier's url, secret (rotation) or enabled; name and kind are fixed."""
        body = _given({"url": url, "secret": secret, "enabled": enabled})
        return self._t.request("PUT", path("/api/v1/alerts/notifiers/{id}", id=id_or_name), json=body)["notifier"]

    def delete_notifier(self, id_or_name: str) -> None:
        self._t.request("DELETE", path("/api/v1/alerts/notifiers/{id}", id=id_or_name))

    def destinations(self) -> GetAlertDestinationsResponseDestinations:
        """Where notifiers may send: ``{allow, deny, allow_only}``."""
        return self._t.request("GET", path("/api/v1/alerts/destinations"))["destinations"]

    def set_destinations(
        self, *, allow: Optional[Sequence[str]] = None, deny: Optional[Sequence[str]] = None, allow_only: Optional[bool] = None
    ) -> GetAlertDestinationsResponseDestinations:
        """Replace the whole allow/deny list (admins): hosts, ``*.domains``, addresses or CIDRs."""
        body = _given({"allow": list(allow) if allow is not None else None, "deny": list(deny) if deny is not None else None,
                       "allow_only": allow_only})
        return self._t.request("PUT", path("/api/v1/alerts/destinations"), json=body)["destinations"]


def _text(v: Instant) -> Optional[str]:
    return instant(v)


def _body_time(v: Instant) -> Union[str, int, None]:
    # In a JSON body epoch milliseconds go as a number.
    s = instant(v)
    return int(s) if s is not None and s.isdigit() else s


__all__ = ["Alerts"]
