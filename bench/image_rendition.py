"""Cost of one rendition of an uploaded photo, by size: the pixel cap is chosen from this.

Each measurement runs in a fresh process (peak memory is the process's maximum resident set,
read with resource.getrusage, minus what Django alone takes): the re-encoding without
metadata that every upload goes through (home/images.py), and one
``width-1200|format-jpeg`` rendition of a JPEG and a PNG of the given size the way Wagtail does
(Filter.run: decode, auto-orient, crop, resize, encode) and prints a table. The CPU time is
the one to compare on a busy machine (the wall time waits for other processes too).

    .venv/bin/python bench/image_rendition.py [--megapixels 12 24 40 50 121]
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")


def make_photo(megapixels, image_format):
    """A photo-like picture (gradients and noise: a flat image would compress to nothing and
    decode unrealistically fast) of ``megapixels`` million pixels, 3:2."""
    from PIL import Image as PILImage

    width = int((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = int(megapixels * 1_000_000 / width)
    noise = PILImage.effect_noise((width, height), 40).convert("RGB")
    gradient = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    picture = PILImage.blend(noise, gradient, 0.5)
    output = BytesIO()
    picture.save(output, image_format, **({"quality": 90} if image_format == "JPEG" else {}))
    return width, height, output.getvalue()


def measure(megapixels, image_format):
    """Child process: make the photo, write it to a temporary file, print its size and path
    (the rendition is measured in another fresh process)."""
    width, height, data = make_photo(megapixels, image_format)
    path = Path(f"/tmp/cocity-bench-{os.getpid()}.{image_format.lower()}")
    path.write_bytes(data)
    print(width, height, len(data), path)


def render(path, step):
    """Child process: time one ``step`` on the file at ``path`` ("rendition": Wagtail's
    Filter.run; "upload": the re-encoding without metadata every upload goes through);
    print wall seconds, CPU seconds, peak MB above the process's start."""
    import django

    django.setup()
    from django.conf import settings

    from wagtail.images.models import Filter, Image

    from PIL import Image as PILImage

    from home.images import reencode_without_metadata

    PILImage.MAX_IMAGE_PIXELS = None  # measure the bomb too
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10**12
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "rb") as source:
        with PILImage.open(source) as probe:
            width, height = probe.size
        source.seek(0)
        image = Image(width=width, height=height, collection_id=1)  # no database needed
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        if step == "rendition":
            Filter("width-1200|format-jpeg").run(image, BytesIO(), source=source)
        else:
            reencode_without_metadata(source)
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"{seconds:.3f} {cpu:.3f} {(after.ru_maxrss - baseline) / 1024:.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", nargs="+", type=float, default=[12, 24, 40, 50, 121])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "make":
            measure(float(args.child[1]), args.child[2])
        else:
            render(args.child[1], args.child[0])
        return
    print("| format | pixels | file | step | wall | CPU | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for megapixels in args.megapixels:
        for image_format in ("JPEG", "PNG"):
            made = subprocess.run(
                [sys.executable, __file__, "--child", "make", str(megapixels), image_format],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            width, height, size, path = int(made[0]), int(made[1]), int(made[2]), made[3]
            try:
                for step in ("upload", "rendition"):
                    seconds, cpu, peak = subprocess.run(
                        [sys.executable, __file__, "--child", step, path],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.split()
                    print(
                        f"| {image_format} | {width} × {height} ({width * height / 1e6:.1f} MP) "
                        f"| {size / 1e6:.1f} MB | {step} | {float(seconds):.2f} s "
                        f"| {float(cpu):.2f} s | {peak} MB |"
                    )
            finally:
                os.unlink(path)


if __name__ == "__main__":
    main()
