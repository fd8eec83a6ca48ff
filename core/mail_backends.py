"""Development mail backend: prints each message and keeps a copy in var/outbox/ so links can be opened."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(ConsoleBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_backend = FileBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        self.file_backend.send_messages(email_messages)
        return super().send_messages(email_messages)
