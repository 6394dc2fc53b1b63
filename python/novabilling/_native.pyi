"""Types of the native module. Checked against the runtime by mypy.stubtest."""

import builtins
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from os import PathLike
from types import TracebackType
from typing import Any, Optional, Union, final

from typing_extensions import Self

from ._pages import AsyncPageRequest

__version__: str

__all__ = [
    "AsyncCustomerPage",
    "AsyncCustomers",
    "AsyncEvents",
    "AsyncInvoices",
    "AsyncKeys",
    "AsyncNovaBilling",
    "AsyncSubscriptions",
    "Customer",
    "CustomerPage",
    "Customers",
    "Deleted",
    "EphemeralKey",
    "EventPage",
    "Events",
    "ImportResult",
    "Inbox",
    "Invoice",
    "Invoices",
    "Key",
    "Keys",
    "NovaBilling",
    "Subscription",
    "Subscriptions",
    "WebhookEvent",
    "__version__",
    "sign_webhook",
    "verify_webhook",
]

_JSON = Any
_Amount = Union[Decimal, int, float, str]

@final
class Inbox:
    """Internal: where the runtime leaves finished async calls for one event loop."""

    def __new__(cls) -> Inbox: ...
    def fileno(self) -> int: ...
    def drain(self) -> None: ...

@final
class Customer:
    """A customer. Attributes are read on demand from the response."""

    @property
    def id(self) -> str: ...
    @property
    def external_id(self) -> Optional[str]:
        """Your user id; None only for imported customers not yet bound."""
    @property
    def external_organization_id(self) -> Optional[str]: ...
    @property
    def email(self) -> Optional[str]: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]:
        """ISO 3166-1 alpha-2, upper case."""
    @property
    def currency(self) -> Optional[str]:
        """ISO 4217, upper case."""
    @property
    def status(self) -> str:
        """``"active"`` or ``"inactive"`` (a value newer than this SDK is passed through)."""
    @property
    def metadata(self) -> dict[str, _JSON]:
        """A new dict on each access."""
    @property
    def stripe_customer_id(self) -> Optional[str]: ...
    @property
    def net_payment_terms(self) -> Optional[int]:
        """Sent by the hosted NovaBilling server only."""
    @property
    def total_spent(self) -> Decimal:
        """Lifetime total of paid invoices in the customer's currency, exact."""
    @property
    def active_subscriptions(self) -> int: ...
    @property
    def created_at(self) -> datetime:
        """Timezone-aware (UTC)."""
    @property
    def updated_at(self) -> datetime: ...
    @property
    def subscriptions(self) -> Optional[list[Subscription]]:
        """Embedded by the hosted NovaBilling server on a single get; else None."""
    @property
    def invoices(self) -> Optional[list[Invoice]]: ...
    @property
    def request_id(self) -> Optional[str]:
        """The X-Request-Id of the response."""
    @property
    def etag(self) -> Optional[str]:
        """The ETag of the response, for ``if_match=``."""
    def to_dict(self) -> dict[str, Any]:
        """Every field by its Python name."""
    def to_json(self) -> str:
        """The object as the API sends it (its camelCase wire form)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, Optional[str], Optional[str]]]: ...

@final
class Subscription:
    @property
    def id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def plan_id(self) -> Optional[str]: ...
    @property
    def status(self) -> str:
        """``"active"``, ``"trialing"`` or ``"canceled"``."""
    @property
    def created_at(self) -> datetime: ...
    @property
    def canceled_at(self) -> Optional[datetime]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, Optional[str], Optional[str]]]: ...

@final
class Invoice:
    @property
    def id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def amount(self) -> Decimal:
        """In major units (``Decimal("1500.50")``)."""
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def status(self) -> str:
        """``"draft"``, ``"open"``, ``"paid"`` or ``"void"``."""
    @property
    def created_at(self) -> datetime: ...
    @property
    def paid_at(self) -> Optional[datetime]: ...
    @property
    def voided_at(self) -> Optional[datetime]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, Optional[str], Optional[str]]]: ...

@final
class Deleted:
    @property
    def id(self) -> str: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, Optional[str], Optional[str]]]: ...

@final
class WebhookEvent:
    """A webhook event, verified from a delivery or read from ``client.events``.
    ``customer``, ``sequence`` and ``changed_fields`` are set on ``customer.*`` events, ``imported`` on ``customers.imported``;
    an event of a type this SDK does not know keeps its ``data`` whole."""

    @property
    def id(self) -> str:
        """``evt_...``: the same on every delivery of this event (deduplicate on it)."""
    @property
    def type(self) -> str: ...
    @property
    def timestamp(self) -> datetime: ...
    @property
    def data(self) -> dict[str, _JSON]: ...
    @property
    def customer(self) -> Optional[Customer]: ...
    @property
    def sequence(self) -> Optional[int]:
        """Per customer, higher is newer: drop an event older than one already applied."""
    @property
    def changed_fields(self) -> Optional[list[str]]: ...
    @property
    def imported(self) -> Optional[ImportResult]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

def verify_webhook(
    body: Union[bytes, bytearray, memoryview, str],
    headers: Union[Mapping[str, str], Iterable[tuple[Union[str, bytes], Union[str, bytes]]]],
    secret: Union[str, Sequence[str]],
    *,
    tolerance: Optional[float] = None,
) -> WebhookEvent:
    """Checks a delivery's signature and timestamp (``tolerance`` seconds either
    way, 300 by default) and reads its event; raises WebhookVerificationError."""

def sign_webhook(
    body: Union[bytes, bytearray, memoryview, str],
    secret: str,
    *,
    id: Optional[str] = None,
    timestamp: Optional[int] = None,
) -> dict[str, str]:
    """The ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers of a delivery of ``body``."""

@final
class ImportResult:
    @property
    def created(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, Optional[str], Optional[str]]]: ...

@final
class CustomerPage:
    """One page of customers. ``data`` is this page; iterating walks this page and every page after it."""

    @property
    def data(self) -> list[Customer]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def total_pages(self) -> int: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> Optional[str]:
        """Where the listing continues, for ``customers.page(cursor)``; None after the last page."""
    @property
    def request_id(self) -> Optional[str]: ...
    def next_page(self) -> Optional[CustomerPage]:
        """The next page, or None after the last."""
    def auto_paging_iter(self) -> Iterator[Customer]: ...
    def __iter__(self) -> Iterator[Customer]: ...
    def __len__(self) -> int: ...

@final
class AsyncCustomerPage:
    """One page of customers. ``data`` is this page; ``async for`` walks this page and every page after it."""

    @property
    def data(self) -> list[Customer]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def total_pages(self) -> int: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> Optional[str]:
        """Where the listing continues, for ``customers.page(cursor)``; None after the last page."""
    @property
    def request_id(self) -> Optional[str]: ...
    def next_page(self) -> Awaitable[Optional[AsyncCustomerPage]]:
        """The next page, or None after the last."""
    def auto_paging_iter(self) -> AsyncIterator[Customer]: ...
    def __aiter__(self) -> AsyncIterator[Customer]: ...
    def __len__(self) -> int: ...

@final
class Customers:
    """The customers of your tenant. Every method also takes ``timeout=`` (seconds),
    ``max_retries=`` and ``extra_headers=``; writes take ``idempotency_key=``."""

    def create(
        self,
        *,
        external_id: str,
        email: str,
        name: Optional[str] = None,
        country: Optional[str] = None,
        currency: Optional[str] = None,
        metadata: Optional[Mapping[str, _JSON]] = None,
        external_organization_id: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Customer:
        """Creates a customer. Raises ConflictError (``email_taken``, ``external_id_taken``)."""
    def get(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Customer: ...
    def get_by_external_id(
        self, external_id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Customer:
        """The customer bound to your user id."""
    def update(
        self,
        id: str,
        *,
        email: str = ...,
        name: Optional[str] = ...,
        country: Optional[str] = ...,
        currency: Optional[str] = ...,
        metadata: Optional[Mapping[str, _JSON]] = ...,
        status: str = ...,
        external_organization_id: Optional[str] = ...,
        if_match: Optional[str] = ...,
        timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        idempotency_key: Optional[str] = ...,
        extra_headers: Optional[Mapping[str, str]] = ...,
    ) -> Customer:
        """Changes only the fields passed; ``None`` clears one. ``metadata`` is replaced whole
        (see ``merge_metadata``)."""
    def delete(
        self, id: str, *, if_match: Optional[str] = None, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Deleted:
        """Deletes the customer, cancelling its subscriptions and voiding its unpaid invoices."""
    def list(
        self,
        *,
        page: Optional[int] = None,
        limit: Optional[int] = None,
        search: Optional[str] = None,
        country: Optional[str] = None,
        currency: Optional[str] = None,
        status: Optional[str] = None,
        sort_by: Optional[str] = None,
        sort_order: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> CustomerPage:
        """One page; iterating it (``for``, or ``async for`` without an ``await``) walks every page.
        ``sort_by``: ``"createdAt"``, ``"updatedAt"``, ``"name"``, ``"email"``."""
    def list_unresolved(
        self, *, page: Optional[int] = None, limit: Optional[int] = None, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> CustomerPage:
        """Imported customers with no external id yet."""
    def page(
        self, cursor: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> CustomerPage:
        """The page a ``next_cursor`` points at, on the route and with the filters of its listing."""
    def bind(
        self, id: str, external_id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Customer:
        """Binds an imported customer to your user id, once (ConflictError otherwise)."""
    def import_stripe(
        self, customers: Iterable[Mapping[str, _JSON]], *, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> ImportResult:
        """Imports Stripe customer objects as exported; idempotent by Stripe id."""
    def merge_metadata(
        self, id: str, set: Optional[Mapping[str, _JSON]] = None, *, unset: Optional[Sequence[str]] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Customer:
        """Sets and removes metadata keys without losing keys others write at the same time."""
    def subscriptions(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> builtins.list[Subscription]: ...
    def invoices(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> builtins.list[Invoice]: ...

@final
class AsyncCustomers:
    """The customers of your tenant. Every method also takes ``timeout=`` (seconds),
    ``max_retries=`` and ``extra_headers=``; writes take ``idempotency_key=``."""

    def create(
        self,
        *,
        external_id: str,
        email: str,
        name: Optional[str] = None,
        country: Optional[str] = None,
        currency: Optional[str] = None,
        metadata: Optional[Mapping[str, _JSON]] = None,
        external_organization_id: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Customer]:
        """Creates a customer. Raises ConflictError (``email_taken``, ``external_id_taken``)."""
    def get(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Customer]: ...
    def get_by_external_id(
        self, external_id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Customer]:
        """The customer bound to your user id."""
    def update(
        self,
        id: str,
        *,
        email: str = ...,
        name: Optional[str] = ...,
        country: Optional[str] = ...,
        currency: Optional[str] = ...,
        metadata: Optional[Mapping[str, _JSON]] = ...,
        status: str = ...,
        external_organization_id: Optional[str] = ...,
        if_match: Optional[str] = ...,
        timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
        idempotency_key: Optional[str] = ...,
        extra_headers: Optional[Mapping[str, str]] = ...,
    ) -> Awaitable[Customer]:
        """Changes only the fields passed; ``None`` clears one. ``metadata`` is replaced whole
        (see ``merge_metadata``)."""
    def delete(
        self, id: str, *, if_match: Optional[str] = None, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Deleted]:
        """Deletes the customer, cancelling its subscriptions and voiding its unpaid invoices."""
    def list(
        self,
        *,
        page: Optional[int] = None,
        limit: Optional[int] = None,
        search: Optional[str] = None,
        country: Optional[str] = None,
        currency: Optional[str] = None,
        status: Optional[str] = None,
        sort_by: Optional[str] = None,
        sort_order: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> AsyncPageRequest:
        """One page; iterating it (``for``, or ``async for`` without an ``await``) walks every page.
        ``sort_by``: ``"createdAt"``, ``"updatedAt"``, ``"name"``, ``"email"``."""
    def list_unresolved(
        self, *, page: Optional[int] = None, limit: Optional[int] = None, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> AsyncPageRequest:
        """Imported customers with no external id yet."""
    def page(
        self, cursor: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> AsyncPageRequest:
        """The page a ``next_cursor`` points at, on the route and with the filters of its listing."""
    def bind(
        self, id: str, external_id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Customer]:
        """Binds an imported customer to your user id, once (ConflictError otherwise)."""
    def import_stripe(
        self, customers: Iterable[Mapping[str, _JSON]], *, timeout: Optional[float] = None,
        max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[ImportResult]:
        """Imports Stripe customer objects as exported; idempotent by Stripe id."""
    def merge_metadata(
        self, id: str, set: Optional[Mapping[str, _JSON]] = None, *, unset: Optional[Sequence[str]] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Customer]:
        """Sets and removes metadata keys without losing keys others write at the same time."""
    def subscriptions(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[builtins.list[Subscription]]: ...
    def invoices(
        self, id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[builtins.list[Invoice]]: ...

@final
class Subscriptions:
    def create(
        self, *, customer_id: str, plan_id: str, status: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Subscription:
        """``status``: ``"active"`` (default) or ``"trialing"``."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Subscription: ...
    def cancel(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Subscription:
        """Idempotent."""

@final
class AsyncSubscriptions:
    def create(
        self, *, customer_id: str, plan_id: str, status: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Subscription]:
        """``status``: ``"active"`` (default) or ``"trialing"``."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Subscription]: ...
    def cancel(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Subscription]:
        """Idempotent."""

@final
class Key:
    """A secret or restricted key. ``secret`` (the key itself) only on the answer to ``keys.create``."""
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str:
        """``"secret"`` or ``"restricted"``."""
    @property
    def livemode(self) -> bool: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def scopes(self) -> list[str]:
        """Such as ``"customers:read"``; every scope for a secret key."""
    @property
    def prefix(self) -> str: ...
    @property
    def last4(self) -> Optional[str]: ...
    @property
    def secret(self) -> Optional[str]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def expires_at(self) -> Optional[datetime]: ...
    @property
    def last_used_at(self) -> Optional[datetime]:
        """To the minute."""
    @property
    def revoked_at(self) -> Optional[datetime]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class EphemeralKey:
    """A key for one customer's app: reads that customer, changes its name, email, country and
    currency, nothing else. ``secret`` only on the answer that made it: hand it to the app."""
    @property
    def id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def livemode(self) -> bool: ...
    @property
    def secret(self) -> Optional[str]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def expires_at(self) -> datetime: ...
    @property
    def revoked_at(self) -> Optional[datetime]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class Invoices:
    def create(
        self, *, customer_id: str, amount: _Amount, currency: Optional[str] = None, status: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Invoice:
        """``amount`` in major units; ``currency`` defaults to the customer's; ``status`` ``"open"`` or ``"draft"``."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Invoice: ...
    def pay(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Invoice: ...
    def void(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Invoice: ...

@final
class AsyncInvoices:
    def create(
        self, *, customer_id: str, amount: _Amount, currency: Optional[str] = None, status: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Invoice]:
        """``amount`` in major units; ``currency`` defaults to the customer's; ``status`` ``"open"`` or ``"draft"``."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Invoice]: ...
    def pay(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Invoice]: ...
    def void(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Invoice]: ...

@final
class Keys:
    """Restricted keys for your own services; ephemeral keys for one customer's app."""
    def create(
        self, *, scopes: Sequence[str], name: Optional[str] = None, expires_in: Optional[int] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Key:
        """A restricted ``rk_`` key with these scopes; ``expires_in`` in seconds (none: until revoked)."""
    def list(
        self, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> list[Key]:
        """Secret and restricted keys that are not revoked, newest first, without secrets."""
    def revoke(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Key: ...
    def create_ephemeral(
        self, customer_id: str, *, ttl: Optional[float] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> EphemeralKey:
        """An ``ek_`` key for this customer's app, for ``ttl`` seconds (3600 by default, at most 86400)."""
    def create_ephemeral_for_external_id(
        self, external_id: str, *, ttl: Optional[float] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> EphemeralKey:
        """``create_ephemeral`` for the customer bound to your user id."""
    def revoke_ephemeral(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> EphemeralKey: ...

@final
class AsyncKeys:
    """Restricted keys for your own services; ephemeral keys for one customer's app."""
    def create(
        self, *, scopes: Sequence[str], name: Optional[str] = None, expires_in: Optional[int] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Key]:
        """A restricted ``rk_`` key with these scopes; ``expires_in`` in seconds (none: until revoked)."""
    def list(
        self, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[list[Key]]:
        """Secret and restricted keys that are not revoked, newest first, without secrets."""
    def revoke(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[Key]: ...
    def create_ephemeral(
        self, customer_id: str, *, ttl: Optional[float] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[EphemeralKey]:
        """An ``ek_`` key for this customer's app, for ``ttl`` seconds (3600 by default, at most 86400)."""
    def create_ephemeral_for_external_id(
        self, external_id: str, *, ttl: Optional[float] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[EphemeralKey]:
        """``create_ephemeral`` for the customer bound to your user id."""
    def revoke_ephemeral(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[EphemeralKey]: ...

@final
class EventPage:
    """One page of events, newest first: ask for ``page + 1`` while ``has_more``."""

    @property
    def data(self) -> list[WebhookEvent]: ...
    @property
    def total(self) -> int: ...
    @property
    def page(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def total_pages(self) -> int: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def request_id(self) -> Optional[str]: ...
    def __len__(self) -> int: ...

@final
class Events:
    """The events webhooks deliver, read back as the ``WebhookEvent`` a verified delivery gives."""
    def list(
        self, *, page: Optional[int] = None, limit: Optional[int] = None, type: Optional[str] = None,
        customer_id: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> EventPage:
        """Newest first; ``type`` (``customer.created``, ...) and ``customer_id`` filter."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> WebhookEvent: ...

@final
class AsyncEvents:
    """The events webhooks deliver, read back as the ``WebhookEvent`` a verified delivery gives."""
    def list(
        self, *, page: Optional[int] = None, limit: Optional[int] = None, type: Optional[str] = None,
        customer_id: Optional[str] = None,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[EventPage]:
        """Newest first; ``type`` (``customer.created``, ...) and ``customer_id`` filter."""
    def get(
        self, id: str, *,
        timeout: Optional[float] = None, max_retries: Optional[int] = None, extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Awaitable[WebhookEvent]: ...

@final
class NovaBilling:
    """A blocking client. Thread-safe; one connection pool; works after ``os.fork()``.

    ``token`` (alias ``api_key``) defaults to ``NOVABILLING_API_KEY``, ``base_url`` to
    ``NOVABILLING_BASE_URL`` then ``http://localhost:3000``. ``timeout`` is seconds per
    attempt (60), ``connect_timeout`` seconds to connect (10), ``max_retries`` the retries
    after the first attempt (2, at most 20); ``default_headers`` go with every request;
    ``ca_certificates`` adds trusted roots (PEM text or a PEM file's path) for a server
    whose certificate a private CA signed. ``allow_secret_key`` matters only where a
    secret key is refused (apps); Python runs on servers, where it is accepted.
    """

    def __new__(
        cls,
        token: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        ca_certificates: Union[str, PathLike[str], None] = None,
        allow_secret_key: Optional[bool] = None,
    ) -> NovaBilling: ...
    def with_options(
        self,
        *,
        token: Optional[str] = None,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        ca_certificates: Union[str, PathLike[str], None] = None,
        allow_secret_key: Optional[bool] = None,
    ) -> NovaBilling:
        """A new client with these settings changed and the others kept."""
    @property
    def customers(self) -> Customers: ...
    @property
    def subscriptions(self) -> Subscriptions: ...
    @property
    def invoices(self) -> Invoices: ...
    @property
    def keys(self) -> Keys: ...
    @property
    def events(self) -> Events: ...
    @property
    def base_url(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    def close(self) -> None:
        """Closes pooled connections; the client stays usable and reconnects."""
    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType], /
    ) -> None: ...

@final
class AsyncNovaBilling:
    """An asyncio client: every call returns an awaitable running on the core's runtime.

    ``token`` (alias ``api_key``) defaults to ``NOVABILLING_API_KEY``, ``base_url`` to
    ``NOVABILLING_BASE_URL`` then ``http://localhost:3000``. ``timeout`` is seconds per
    attempt (60), ``connect_timeout`` seconds to connect (10), ``max_retries`` the retries
    after the first attempt (2, at most 20); ``default_headers`` go with every request;
    ``ca_certificates`` adds trusted roots (PEM text or a PEM file's path) for a server
    whose certificate a private CA signed. ``allow_secret_key`` matters only where a
    secret key is refused (apps); Python runs on servers, where it is accepted.
    """

    def __new__(
        cls,
        token: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        ca_certificates: Union[str, PathLike[str], None] = None,
        allow_secret_key: Optional[bool] = None,
    ) -> AsyncNovaBilling: ...
    def with_options(
        self,
        *,
        token: Optional[str] = None,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        ca_certificates: Union[str, PathLike[str], None] = None,
        allow_secret_key: Optional[bool] = None,
    ) -> AsyncNovaBilling:
        """A new client with these settings changed and the others kept."""
    @property
    def customers(self) -> AsyncCustomers: ...
    @property
    def subscriptions(self) -> AsyncSubscriptions: ...
    @property
    def invoices(self) -> AsyncInvoices: ...
    @property
    def keys(self) -> AsyncKeys: ...
    @property
    def events(self) -> AsyncEvents: ...
    @property
    def base_url(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    def close(self) -> None:
        """Closes pooled connections; the client stays usable and reconnects."""
    def __aenter__(self) -> Awaitable[Self]: ...
    def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType], /
    ) -> Awaitable[None]: ...
