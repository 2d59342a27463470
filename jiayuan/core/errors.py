"""Collecting field errors so a service reports every problem at once, then writes nothing."""

from django.core.exceptions import ValidationError


class FieldErrors:
    def __init__(self):
        self.errors: dict[str, list] = {}

    def add(self, field: str, message) -> None:
        self.errors.setdefault(field, []).append(message)

    def merge(self, exc: ValidationError, default_field: str = "__all__") -> None:
        if hasattr(exc, "error_dict"):
            for field, errs in exc.message_dict.items():
                for m in errs:
                    self.add(field, m)
        else:
            for m in exc.messages:
                self.add(default_field, m)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
