"""mchch: analysis and reports for Thailand's Community Development Standards (มชช.).

The public surface is small and imported lazily, so the ``mchch`` command starts fast::

    import mchch_lib as m
    ds = m.load_dataset(["data/sample/2561"])
    scores = m.applicant_scores(ds, m.load_catalog())

Importing ``mchch_lib`` also sets two notebook defaults (neither imports anything heavy):
matplotlib's default font becomes the bundled Sarabun as soon as matplotlib is imported
(``m.use_thai()`` does it explicitly), and in a Jupyter kernel DataFrames display as
interactive tables in JupyterLab and as house-style tables in PDFs
(``m.interactive_tables(False)`` turns the interactive part off).
"""

__version__ = "0.1.0"

_EXPORTS = {
    "load_catalog": ("catalog", "load_catalog"),
    "load_params": ("params", "load_params"),
    "load_dataset": ("dataset", "load"),
    "indicator_scores": ("scoring", "indicator_scores"),
    "applicant_scores": ("scoring", "applicant_scores"),
    "summarize": ("scoring", "summarize"),
    "check_compliance": ("compliance", "check_all"),
    "district_context": ("report", "district_context"),
    "province_context": ("report", "province_context"),
    "run": ("runner", "run"),
    "write_template": ("template", "write_template"),
    "MchchError": ("errors", "MchchError"),
    "use_thai": ("fonts", "use_thai"),
    "show": ("report", "show"),
    "show_figure": ("report", "show_figure"),
    "show_table": ("display", "show_table"),
    "interactive_tables": ("display", "interactive_tables"),
    "write_starter": ("starter", "write_starter"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'mchch_lib' has no attribute {name!r}")


def _notebook_defaults() -> None:
    from . import display, fonts

    fonts.default_to_sarabun()
    display.install_in_kernel()


_notebook_defaults()
