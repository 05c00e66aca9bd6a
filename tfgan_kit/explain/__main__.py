"""``python -m tfgan_kit.explain --keras_model PATH --layer NAME --concepts DIR --out report/``."""

from tfgan_kit.explain.cli import main

if __name__ == "__main__":
    main()
