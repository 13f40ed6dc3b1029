"""Optional, subtle sounds made from sine tones: no audio files, nothing to license.

Off when the audio driver is the dummy one (tests, headless), and muted with M.
"""

from __future__ import annotations

import os

import pygame


class Sound:
    def __init__(self, enabled: bool) -> None:
        self.muted = not enabled
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.available = False
        if os.environ.get("SDL_AUDIODRIVER", "") == "dummy":
            return
        try:
            import numpy as np

            pygame.mixer.init(frequency=22050, size=-16, channels=1)
            rate = 22050

            def tone(freqs: list[float], ms: int, volume: float) -> pygame.mixer.Sound:
                t = np.arange(int(rate * ms / 1000)) / rate
                wave = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
                env = np.minimum(1.0, t * 200) * np.exp(-t * 12)
                data = (wave * env * volume * 32767).astype(np.int16)
                return pygame.sndarray.make_sound(data)

            self.sounds = {
                "click": tone([880.0], 60, 0.12),
                "curtain": tone([523.25, 659.25], 400, 0.18),
                "quarter": tone([392.0, 523.25, 659.25], 600, 0.18),
                "alert": tone([311.13, 415.3], 450, 0.2),
            }
            self.available = True
        except (pygame.error, ImportError, ValueError):
            self.available = False

    def toggle(self) -> bool:
        self.muted = not self.muted
        return not self.muted

    def play(self, name: str) -> None:
        if self.available and not self.muted and name in self.sounds:
            self.sounds[name].play()
