"""Turning bytes into stored files with Telegram-like ids and paths."""

from __future__ import annotations

import mimetypes

from sandbox.imaging import image_size
from sandbox.state import StoredFile, World

# Used when an uploaded "photo" is not an image format we can measure.
PLACEHOLDER_PHOTO_SIZE = (320, 320)


def store_bytes(
    world: World, data: bytes, *, file_name: str | None, mime_type: str | None, as_photo: bool
) -> StoredFile:
    guessed = mimetypes.guess_type(file_name or "")[0]
    mime = mime_type if mime_type and mime_type != "application/octet-stream" else guessed
    if as_photo:
        width, height = image_size(data) or PLACEHOLDER_PHOTO_SIZE
        return world.add_file(
            data,
            mime_type=mime or "image/jpeg",
            file_name=file_name or "photo.jpg",
            folder="photos",
            width=width,
            height=height,
        )
    return world.add_file(data, mime_type=mime or "application/octet-stream", file_name=file_name, folder="documents")


def store_url(world: World, url: str, *, as_photo: bool) -> StoredFile:
    """A file sent by URL: the sandbox has no network, so it is known by reference only."""
    name = url.rsplit("/", 1)[-1] or "file"
    width, height = PLACEHOLDER_PHOTO_SIZE if as_photo else (0, 0)
    mime = mimetypes.guess_type(name)[0] or ("image/jpeg" if as_photo else "application/octet-stream")
    return world.add_file(
        b"",
        mime_type=mime,
        file_name=name,
        folder="photos" if as_photo else "documents",
        width=width,
        height=height,
        url=url,
    )
