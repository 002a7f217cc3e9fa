"""A read-only, platform-neutral Canvas client and the diagnoses built on it.

`protocol` knows Canvas's REST conventions without I/O; `transport` makes the requests on an
aiohttp session; `api` reads the objects a diagnosis needs as dataclasses; `access` decides who
may see a course; `diagnoses` finds which documented cause of a passback error applies.
Nothing here imports Slack, Teams or the bot.
"""
