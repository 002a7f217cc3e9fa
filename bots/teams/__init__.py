"""Microsoft Teams: the Bot Framework endpoint, the bot, and what it says.

Every botbuilder import in the project lives in this package (activity.py, bot.py, web.py), so a
move to the Microsoft 365 Agents SDK, botbuilder-python's successor, touches only this folder.
`settings.py` and `replies.py` do not import botbuilder.
"""
