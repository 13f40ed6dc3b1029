"""The room: a server on the facilitator's laptop that every pair's game reports to.

It replays each pair's record with the engine (same scenario, same seed for all), shows
the public figures on a projector page, relays the facilitator's controls to the games,
and debriefs the room. Layer 4: it may import session, report, engine, scenario and ai,
never the game's window (ui).
"""
