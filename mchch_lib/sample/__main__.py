"""``python -m mchch_lib.sample``: regenerate the sample workbooks (see ``main``)."""

from mchch_lib.sample import main

raise SystemExit(main())
