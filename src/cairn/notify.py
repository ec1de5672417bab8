"""Cross-replica notifications (Postgres LISTEN/NOTIFY) for subscriptions."""

from __future__ import annotations


class Notifier:
    """Placeholder type until subscriptions land; see graphql/subscriptions.py."""
