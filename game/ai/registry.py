"""Every policy by name, for `simulate`, `tournament` and the new-game screen."""

from __future__ import annotations

from collections.abc import Callable

from game.ai.scripted import SCRIPTED, Scripted
from game.engine.game import Game
from game.engine.runner import Policy

Factory = Callable[[Game, int, int, int], Policy]

def _scripted(cls: type[Scripted]) -> Factory:
    def make(game: Game, role: int, seed: int, stream: int) -> Policy:
        policy: Policy = cls(game, role, seed, stream)  # type: ignore[assignment]
        return policy

    return make


_FACTORIES: dict[str, Factory] = {name: _scripted(cls) for name, cls in SCRIPTED.items()}


def _personalities() -> dict[str, Factory]:
    """The six AI personalities (partner, gatekeeper, ...) at the default level."""
    from game.ai.counterpart import factories

    return factories()


_FACTORIES.update(_personalities())


def register(name: str, factory: Factory) -> None:
    """Add a policy (the AI personalities register themselves here)."""
    _FACTORIES[name] = factory


def names() -> list[str]:
    return sorted(_FACTORIES)


def make_policy(name: str, game: Game, role: int, seed: int, stream: int = 0) -> Policy:
    """Build the policy `name` for `role`; KeyError names the known policies."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise KeyError(f"unknown policy '{name}' (known: {', '.join(names())})") from None
    return factory(game, role, seed, stream)
