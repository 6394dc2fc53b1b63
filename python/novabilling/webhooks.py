"""Receiving webhooks: check that a delivery came from your NovaBilling server,
recently, and read its event (Standard Webhooks v1, so any verifier of that
specification works too).

    from novabilling import webhooks, WebhookVerificationError

    @app.post("/webhooks/novabilling")           # FastAPI
    async def receive(request: Request) -> Response:
        body = await request.body()               # the raw bytes, before any JSON parsing
        try:
            event = webhooks.verify(body, request.headers, os.environ["NOVABILLING_WEBHOOK_SECRET"])
        except WebhookVerificationError as e:
            return Response(status_code=400, content=e.message)
        if event.type == "customer.updated":
            ...                                   # event.customer, event.sequence, event.changed_fields
        return Response(status_code=204)

Pass a list of secrets while rotating one. `sign` makes the headers of a
delivery, for testing your receiver.
"""

from ._errors import WebhookVerificationError
from ._native import WebhookEvent
from ._native import sign_webhook as sign
from ._native import verify_webhook as verify

__all__ = ["verify", "sign", "WebhookEvent", "WebhookVerificationError"]
