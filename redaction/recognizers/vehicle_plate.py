"""GB vehicle registration marks: "ZK19 TWE", "zt68rlm", "VRM AB12CDE".

A registration names one vehicle and, through the DVLA, its keeper; police notifications
quote it next to the people in the car. The current format (since 2001) is two letters,
two digits (the age identifier) and three letters, with or without the space. Written
in capitals it is distinctive (0.6); in lower case or run together it needs a word such
as "vehicle", "car" or "reg" nearby. Older suffix and prefix formats are left out: they
collide with case references and shorthand.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, words


class VehiclePlateRecognizer(PatternRecognizer):
    """Recognise current-format GB registration marks (entity ``VEHICLE_PLATE``)."""

    SPACED = r"(?<![\w/-])[A-Z]{2}\d{2} [A-Z]{3}(?![\w/-])"
    RUN_TOGETHER = r"(?<![\w/-])[A-Z]{2}\d{2}[A-Z]{3}(?![\w/-])"
    ANY_CASE = r"(?<![\w/-])(?i:[a-z]{2}\d{2} ?[a-z]{3})(?![\w/-])"
    CONTEXT: tuple[str, ...] = words(
        """
        vehicle vehicles car cars van lorry hatchback saloon taxi motorbike moped reg
        registration vrm plate plates index driver driving drove parked
        """
    )

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="VEHICLE_PLATE",
            name="VehiclePlateRecognizer",
            patterns=[
                Pattern("GB registration mark", self.SPACED, 0.6),
                Pattern("GB registration mark, no space", self.RUN_TOGETHER, 0.45),
                Pattern("GB registration mark, any case", self.ANY_CASE, 0.2),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
