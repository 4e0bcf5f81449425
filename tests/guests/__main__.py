"""``python -m tests.guests``: build the boot proof's guests into the cache (or find them there) and print
where they are and what each build step took."""

from __future__ import annotations

import time

from tests.guests.cache import cache_root, ensure_guests
from tests.guests.specs import GUESTS


def main() -> None:
    started = time.monotonic()
    built = ensure_guests()
    state = "built" if built.built_now else "found in the cache"
    print(f"guests {state} in {time.monotonic() - started:.1f} s: {built.folder} (cache {cache_root()})")
    for step, seconds in built.timings.items():
        print(f"  {step:<28} {seconds:7.1f} s{'' if built.built_now else ' (when built)'}")
    for g in GUESTS:
        print(f"  {g.name}: {built.vmx(g)}")


if __name__ == "__main__":
    main()
