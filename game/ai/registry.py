"""Every policy by name, for `simulate`, `tournament` and the new-game screen."""

from __future__ import annotations

from collections.abc import Callable

from game.ai.scripted import SCRIPTED, Scripted
from game.engine.driver import Policy
from game.engine.game import Game
from game.scenario.models import Scenario

Factory = Callable[[Game, int, int, int], Policy]

def _scripted(cls: type[Scripted]) -> Factory:
    def make(game: Game, role: int, seed: int, stream: int) -> Policy:
        policy: Policy = cls(game, role, seed, stream)
        return policy

    return make


_FACTORIES: dict[str, Factory] = {name: _scripted(cls) for name, cls in SCRIPTED.items()}


_LOADED = False


def _factories() -> dict[str, Factory]:
    """Every factory, the six AI personalities (partner, gatekeeper, ...) included.

    The personalities load on first need: a simulation of scripted policies
    never pays for importing the AI and reading its data.
    """
    global _LOADED
    if not _LOADED:
        from game.ai.counterpart import factories

        for name, factory in factories().items():
            _FACTORIES.setdefault(name, factory)
        _LOADED = True
    return _FACTORIES


def names(scenario: Scenario | None = None) -> list[str]:
    """Every policy name, with the personalities `scenario` defines, sorted."""
    defined = scenario.ai.personalities if scenario is not None else {}
    return sorted({*_factories(), *defined})


def known(name: str, scenario: Scenario | None = None) -> bool:
    """Whether `name` is a policy: built in, or a personality `scenario` defines."""
    return (name in _FACTORIES or name in _factories()
            or (scenario is not None and name in scenario.ai.personalities))


def make_policy(name: str, game: Game, role: int, seed: int, stream: int = 0) -> Policy:
    """Build the policy `name` for `role`, a personality the game's scenario defines
    included; KeyError names the known policies."""
    try:
        factory = _FACTORIES[name] if name in _FACTORIES else _factories()[name]
    except KeyError:
        if name in game.scenario.ai.personalities:
            from game.ai.counterpart import factory as personality

            made: Policy = personality(name)(game, role, seed, stream)
            return made
        raise KeyError(f"unknown policy '{name}' (known: {', '.join(names())})") from None
    return factory(game, role, seed, stream)


def title(name: str, scenario: Scenario | None = None) -> str:
    """The player-facing name of a policy: a personality's own title (built in, or as the
    scenario defines it), a scripted player's, else the name made readable."""
    if name in SCRIPTED:
        return SCRIPTED[name].title
    from game.ai.personalities import get

    try:
        return get(name, scenario).title
    except KeyError:
        return name.replace("-", " ").title()
