"""``python -m tfgan_kit.explain --keras_model PATH --layer NAME --concepts DIR --out report/``."""

# The package __init__ imports nothing heavy (its names load on first use), so this runs before
# TensorFlow starts: quiet_start filters TF's native start-up lines from stderr.
if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

from tfgan_kit.explain.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
