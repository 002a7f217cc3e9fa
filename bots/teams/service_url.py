"""Which `serviceUrl`s the bot will send to: the one rule for answers and follow-ups.

An activity's `serviceUrl` is where botbuilder POSTs the answer (`<serviceUrl>v3/...`), through
msrest, requests and urllib3. Two URL parsers disagreeing about where a URL points is how a
request ends up somewhere else: `http://a:1\\@127.0.0.1:9/` is host 127.0.0.1 to `urlsplit` but
host `a` to urllib3. So a URL is accepted only when it is plain: http or https, no user-info,
no backslash, control character or whitespace, no query or fragment, no `.`/`..` path segment
(encoded or not), and both parsers (the standard library's and the one urllib3 connects with)
see the same host and port. In local mode (no MicrosoftAppId) the host must also be this machine:
`localhost` or a loopback address, spelled any way the resolver reads it (`127.1`, `[::1]`),
never resolved through DNS.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote, urlsplit

from urllib3.util import parse_url
from urllib3.util.url import LocationParseError

from urlsafety import has_ambiguous_characters

MAX_LENGTH = 2048
_DOTTED_NUMBERS = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


def service_url_problem(url: object, *, local: bool) -> str | None:
    """Why the bot will not send to `url`, in words; None when it will."""
    if not isinstance(url, str) or not url:
        return "the activity has no serviceUrl to answer to"
    if len(url) > MAX_LENGTH or has_ambiguous_characters(url):
        return "the serviceUrl is not a plain http(s) URL"
    try:
        ours = urlsplit(url)
        theirs = parse_url(url)
        our_port = ours.port
    except (ValueError, LocationParseError):
        return "the serviceUrl is not a plain http(s) URL"
    scheme = ours.scheme.lower()
    if scheme not in ("http", "https") or (theirs.scheme or "").lower() != scheme:
        return "the serviceUrl must be an http or https URL"
    if ours.username is not None or theirs.auth is not None or ours.query or ours.fragment:
        return "the serviceUrl is not a plain http(s) URL"
    host = (ours.hostname or "").lower()
    if not host or (theirs.host or "").lower().strip("[]") != host or theirs.port != our_port:
        return "the serviceUrl is not a plain http(s) URL"
    segments = unquote(ours.path).split("/")
    if any(segment in (".", "..") for segment in segments) or "\\" in unquote(ours.path):
        return "the serviceUrl is not a plain http(s) URL"
    if local and not is_loopback_host(host):
        return "in local mode the serviceUrl must be on this machine"
    return None


def is_loopback_host(host: str) -> bool:
    """`localhost`, or an address on the loopback interface as the resolver would read it:
    IPv6 (`::1`), dotted IPv4 (`127.0.0.1`) and its short forms (`127.1`, `0x7f.1`)."""
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if not _DOTTED_NUMBERS.match(host):
        return False  # a name: never resolved here
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host)).is_loopback
    except OSError:
        return False
