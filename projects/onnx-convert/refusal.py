"""The one way a conversion stops: the step it stopped at and a sentence a user can act on."""

STEPS = ("load", "types", "convert", "verify", "upload")


class Refusal(Exception):
    def __init__(self, step: str, message: str):
        assert step in STEPS, step
        super().__init__(message)
        self.step = step
        self.message = message
