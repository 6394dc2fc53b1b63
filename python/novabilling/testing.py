"""The NovaBilling server inside your tests: ``from novabilling.testing import local_server``.

It ships apart, so the server never weighs on production installs:
``pip install "novabilling[testing]"``. See ``novabilling_testing`` for the API.
"""

try:
    from novabilling_testing import CapturedWebhook, LocalServer, Webhooks, local_server
except ImportError:  # the original error stays attached as the new one's context
    raise ImportError('novabilling.testing needs the test server package: pip install "novabilling[testing]"')

__all__ = ["LocalServer", "local_server", "Webhooks", "CapturedWebhook"]
