"""Product pictures for the demo marketplace, drawn at start-up (no image files in the repository)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

SIZE = 480


def product_picture(title: str, colour: tuple[int, int, int], emblem: str) -> bytes:
    """A flat, friendly product shot: a coloured card, a big emblem shape and the product's name."""
    image = Image.new("RGB", (SIZE, SIZE), _tint(colour, 0.82))
    draw = ImageDraw.Draw(image)
    centre, radius = SIZE // 2, SIZE // 4
    box = (centre - radius, centre - radius - 30, centre + radius, centre + radius - 30)
    if emblem == "circle":
        draw.ellipse(box, fill=colour)
    elif emblem == "square":
        draw.rounded_rectangle(box, radius=28, fill=colour)
    else:
        draw.polygon([(centre, box[1]), (box[2], box[3]), (box[0], box[3])], fill=colour)
    draw.ellipse((centre - radius // 3, box[1] + 20, centre, box[1] + 20 + radius // 3), fill=_tint(colour, 0.5))
    font = ImageFont.load_default(size=34)
    label = title if len(title) <= 22 else title[:21] + "…"
    width = draw.textlength(label, font=font)
    draw.rounded_rectangle((24, SIZE - 110, SIZE - 24, SIZE - 40), radius=18, fill=(255, 255, 255))
    draw.text(((SIZE - width) / 2, SIZE - 96), label, fill=(40, 40, 40), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _tint(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    r, g, b = colour
    return (int(r + (255 - r) * amount), int(g + (255 - g) * amount), int(b + (255 - b) * amount))
