"""Chat pages: the customer's chat and history, the agent console, the embeddable widget."""

from .console import (
    chat_accept,
    chat_convert,
    chat_end,
    chat_extend,
    chat_transfer,
    console,
    console_availability,
)
from .embed import embed_page, embed_start, embed_token, embed_upload
from .portal import chat_detail, chat_file, chat_history, chat_start, chat_upload

__all__ = [
    "chat_accept",
    "chat_convert",
    "chat_detail",
    "chat_end",
    "chat_extend",
    "chat_file",
    "chat_history",
    "chat_start",
    "chat_transfer",
    "chat_upload",
    "console",
    "console_availability",
    "embed_page",
    "embed_start",
    "embed_token",
    "embed_upload",
]
