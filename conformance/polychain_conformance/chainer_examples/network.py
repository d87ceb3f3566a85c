"""The network of an example run: the URLs the fixtures know, and no other.

:func:`install` makes ``urllib``'s default opener (what ``urlopen`` and
``urlretrieve``, also through ``six.moves``, use) answer a request for a URL
of :data:`.fixtures.downloads.DOWNLOADS` with the generated file, and any
other ``http``, ``https`` or ``ftp`` URL with a ``URLError`` that names it:
an example run reaches no network, and says so at once.
"""

from __future__ import annotations

import email.message
import io
import urllib.error
import urllib.request
import urllib.response

from polychain_conformance.chainer_examples.fixtures import downloads

#: The schemes of the network; other URLs (``file:``, ``data:``) are opened as usual.
NETWORK_SCHEMES = frozenset({'http', 'https', 'ftp'})


class FixtureDownloadHandler(urllib.request.BaseHandler):
    """Serves the generated files of :data:`.fixtures.downloads.DOWNLOADS`; refuses other URLs."""

    handler_order = 100  # before the handlers that would reach the network

    def default_open(self, request: urllib.request.Request) -> urllib.response.addinfourl | None:
        if request.type not in NETWORK_SCHEMES:
            return None
        url = request.full_url
        generate = downloads.DOWNLOADS.get(url)
        if generate is None:
            raise urllib.error.URLError(
                f'{url}: this example run has no network; it serves only the URLs of '
                'polychain_conformance.chainer_examples.fixtures.downloads.DOWNLOADS')
        data = generate()
        headers = email.message.Message()
        headers['Content-Type'] = 'application/octet-stream'
        headers['Content-Length'] = str(len(data))
        response = urllib.response.addinfourl(io.BytesIO(data), headers, url, 200)
        response.msg = 'OK'
        return response


def install() -> None:
    """Makes :class:`FixtureDownloadHandler` answer this process's ``urllib`` requests."""
    urllib.request.install_opener(urllib.request.build_opener(FixtureDownloadHandler))
