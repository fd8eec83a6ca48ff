"""A small server-rendered chart of the latest checks (inline SVG: no JavaScript needed)."""

WIDTH, HEIGHT, PADDING = 600, 160, 24
LEVEL_CLASS = {"success": "ok", "warning": "warn", "error": "bad"}


def trend_chart(runs: list) -> dict | None:
    """Bars of elements per run (usable part vs errors), for the template `sources/_chart.html`."""
    if not runs:
        return None
    top = max((run.counters or {}).get("elementsCount", 0) for run in runs) or 1
    slot = (WIDTH - 2 * PADDING) / len(runs)
    bars = []
    for index, run in enumerate(runs):
        counters = run.counters or {}
        total = counters.get("elementsCount", 0)
        errors = counters.get("elementsErrorsCount", 0)
        height = (HEIGHT - 2 * PADDING) * total / top
        error_height = (HEIGHT - 2 * PADDING) * errors / top
        x = PADDING + index * slot
        bars.append(
            {
                "x": round(x + slot * 0.1, 1),
                "width": round(slot * 0.8, 1),
                "y": round(HEIGHT - PADDING - height, 1),
                "height": round(max(height - error_height, 0), 1),
                "error_y": round(HEIGHT - PADDING - error_height, 1),
                "error_height": round(error_height, 1),
                "failed": run.state == "failed",
                "css": LEVEL_CLASS.get(run.level, "bad"),
                "run": run,
                "total": total,
                "errors": errors,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "padding": PADDING,
        "top": top,
        "bars": bars,
        "baseline": HEIGHT - PADDING,
    }
