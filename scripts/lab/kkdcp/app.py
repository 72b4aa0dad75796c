"""WSGI entry of the lab's KKDCP proxy (MS-KKDCP), served by gunicorn over TLS.

POST /KdcProxy goes to Debian's python3-kdcproxy (the FreeIPA proxy), configured by KDCPROXY_CONFIG.
GET /www/<file> serves files from TSKRB_KKDCP_WWW (the runtime tests put a browser page and the built
library there), so a page and the proxy share one origin and the browser needs no CORS.
"""

import mimetypes
import os

import kdcproxy

PROXY_PATH = "/KdcProxy"
WWW_PREFIX = "/www/"
WWW_ROOT = os.path.realpath(os.environ.get("TSKRB_KKDCP_WWW", "/nonexistent"))
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".json": "application/json"}


def _plain(start_response, status, text):
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _static(env, start_response):
    rel = env.get("PATH_INFO", "")[len(WWW_PREFIX):]
    # No '..' segments: nothing outside the served tree (symlinks placed inside it, like node_modules, are fine).
    if ".." in rel.split("/"):
        return _plain(start_response, "404 Not Found", "not found\n")
    path = os.path.join(WWW_ROOT, rel)
    if not os.path.isfile(path):
        return _plain(start_response, "404 Not Found", "not found\n")
    ext = os.path.splitext(path)[1]
    ctype = TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    with open(path, "rb") as f:
        body = f.read()
    start_response(
        "200 OK",
        [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")],
    )
    return [body]


def application(env, start_response):
    path = env.get("PATH_INFO", "")
    if path == PROXY_PATH:
        return kdcproxy.application(env, start_response)
    if path.startswith(WWW_PREFIX) and env.get("REQUEST_METHOD") == "GET":
        return _static(env, start_response)
    if path == "/health":
        return _plain(start_response, "200 OK", "ok\n")
    return _plain(start_response, "404 Not Found", "not found\n")
