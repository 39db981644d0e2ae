"""Help Center, Talk and Chat as add-ons of one account: their data, built on first use and kept on the
account, and their mutations."""

from __future__ import annotations

import random

from . import help_center as help_center_data, talk as talk_data
from .chat import Chat
from .help_center import HelpCenter
from .talk import Talk


def _product(account, name: str, factory):
    attribute = f"_product_{name}"
    value = account.__dict__.get(attribute)
    if value is None:
        value = account.__dict__[attribute] = factory(account)
    return value


def help_center(account) -> HelpCenter:
    return _product(account, "help_center", HelpCenter)


def talk(account) -> Talk:
    return _product(account, "talk", Talk)


def chat(account) -> Chat:
    return _product(account, "chat", Chat)


def mutator(account, resource: str):
    """A handler(action, n, rng) for a product resource, or None when the resource is not a product's."""
    now = account.now
    series = {
        "articles": lambda: help_center(account).articles,
        "posts": lambda: help_center(account).posts,
        "calls": lambda: talk(account).calls,
        "chats": lambda: chat(account).chats,
    }.get(resource)
    if series is None:
        return None
    allowed = ("create", "update") if resource == "calls" else ("create", "update", "delete")
    ids_of = {
        "articles": lambda index: help_center_data.ARTICLE + index,
        "posts": lambda index: help_center_data.POST + index,
        "calls": lambda index: talk_data.CALL + index,
        "chats": lambda index: chat(account).chat_id(index),
    }[resource]

    def handle(action: str, n: int, rng: random.Random) -> list:
        return [ids_of(index) for index in series().mutate(action, n, rng, now(), allowed=allowed)]

    return handle
