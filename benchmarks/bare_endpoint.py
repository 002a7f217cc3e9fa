"""The baseline for the load benchmark: a bare aiohttp endpoint, served the way `passback serve`
serves the bot (`web.run_app`, its default loop, backlog and access log set-up).

`python -m benchmarks.bare_endpoint PORT`: every POST reads its body and is answered 200.
"""

from __future__ import annotations

import sys

from aiohttp import web


async def accept(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(text="ok")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def main(argv: list[str]) -> None:
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/{path:.*}", accept)
    web.run_app(app, host="127.0.0.1", port=int(argv[0]), print=None, handle_signals=True)


if __name__ == "__main__":
    main(sys.argv[1:])
