"""To-dos (待办): the work waiting for the signed-in user, on the home page
and as a count in the header.

Each app that has work for someone registers a function in its
AppConfig.ready() with `register`: it takes the user and returns
`[(label, count, url)]` for the to-dos of that user's roles, where `url`
opens the list the count was taken from (its filters in the query string),
so the number shown is the number of rows the user finds there. Front knows
the apps only through this registry.

Like the briefing draft sources, the registry holds code, not data: every
process fills it the same way when the apps load."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


_PROVIDERS = {}


def register(key, provider, *, order=0):
    """Registering a key again replaces it (Django may run ready() twice)."""
    _PROVIDERS[key] = (order, provider)


def todos_for(user):
    """The user's to-dos with something waiting, in the apps' order."""
    found = []
    for _, key in sorted((order, key) for key, (order, _) in _PROVIDERS.items()):
        for label, count, url in _PROVIDERS[key][1](user):
            if count:
                found.append(Todo(label, count, url))
    return found
