"""The table ``Sequential.summary()`` prints, drawn as Keras draws it."""

from __future__ import annotations

WIDTHS = (33, 24, 15)


def summary_table(name: str, rows, total: int, nbytes: int) -> str:
    """The summary as text.

    Args:
        name: the model's name.
        rows: one ``(layer, output shape, weight count)`` tuple of strings per layer.
        total: the number of weights; nbytes: their size in memory.
    """
    out = [f'Model: "{name}"', _line("┏", "┳", "┓", "━"), _cells(("Layer (type)", "Output Shape", "Param #"), "┃"),
           _line("┡", "╇", "┩", "━")]
    for i, row in enumerate(rows):
        if i:
            out.append(_line("├", "┼", "┤", "─"))
        out.append(_cells(row, "│"))
    out.append(_line("└", "┴", "┘", "─"))
    size = readable_size(nbytes)
    out += [f" Total params: {total:,} ({size})", f" Trainable params: {total:,} ({size})",
            " Non-trainable params: 0 (0.00 B)"]
    return "\n".join(out)


def _line(left, middle, right, fill):
    return left + middle.join(fill * (w + 2) for w in WIDTHS) + right


def _cells(texts, edge):
    left, mid, right = texts[0].ljust(WIDTHS[0]), texts[1].ljust(WIDTHS[1]), texts[2].rjust(WIDTHS[2])
    return f"{edge} {left} {edge} {mid} {edge} {right} {edge}"


def readable_size(nbytes: int) -> str:
    """``2.51 KB``: bytes in B, KB, MB or GB (1 KB = 1024 B), as Keras prints them."""
    size, unit = float(nbytes), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    return f"{size:.2f} {unit}"
