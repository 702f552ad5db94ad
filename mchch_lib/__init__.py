"""mchch: analysis and reports for Thailand's Community Development Standards (มชช.).

The public surface is small and imported lazily, so the ``mchch`` command starts fast::

    import mchch_lib as m
    catalog = m.load_catalog("data/catalog/2561.yaml")
    ds = m.load_dataset(["data/sample/2561"], catalog, province_code=60)
    scores = m.applicant_scores(ds, catalog)

Importing ``mchch_lib`` also sets two notebook defaults (neither imports anything heavy):
matplotlib's default font becomes the bundled Sarabun as soon as matplotlib is imported
(``m.use_thai()`` does it explicitly), and in a Jupyter kernel DataFrames display as
interactive tables in JupyterLab and as house-style tables in PDFs
(``m.interactive_tables(False)`` turns the interactive part off).
"""

from mchch_lib.version import __version__

#: The stage subpackages, lowest first: each imports only from the ones before it (and from the
#: package's ground floor: ``version``, ``config``, ``errors``). ``sample`` makes test data beside
#: the analysis; ``cli`` sits on top. The layer test reads this and the folders, nothing else.
STAGES = (
    "common",
    "data",
    "analysis",
    "sample",
    "documents",
    "render",
    "deliverables",
    "batch",
    "app",
)

_EXPORTS = {
    "load_catalog": ("data.catalog", "load_catalog"),
    "load_params": ("data.params", "load_params"),
    "load_dataset": ("data.dataset", "load"),
    "indicator_scores": ("analysis.scoring", "indicator_scores"),
    "applicant_scores": ("analysis.scoring", "applicant_scores"),
    "summarize": ("analysis.scoring", "summarize"),
    "check_compliance": ("analysis.compliance", "check_all"),
    "district_context": ("documents.report", "district_context"),
    "province_context": ("documents.report", "province_context"),
    "run": ("batch.run", "run"),
    "write_template": ("data.blank_workbook", "write_template"),
    "MchchError": ("errors", "MchchError"),
    "use_thai": ("common.fonts", "use_thai"),
    "show": ("documents.report", "show"),
    "show_figure": ("documents.report", "show_figure"),
    "show_table": ("documents.display", "show_table"),
    "interactive_tables": ("documents.display", "interactive_tables"),
    "write_starter": ("documents.starter_notebook", "write_starter"),
}

#: Modules planners' notebooks import by their short name (``from mchch_lib import report, charts, maps``).
_MODULES = {
    "report": "documents.report",
    "charts": "documents.charts",
    "explore": "documents.explore",
    "maps": "documents.maps",
}

__all__ = ["__version__", *_EXPORTS, *_MODULES]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    if name in _MODULES:
        import importlib

        return importlib.import_module(f".{_MODULES[name]}", __name__)
    raise AttributeError(f"module 'mchch_lib' has no attribute {name!r}")


def _notebook_defaults() -> None:
    from mchch_lib.common import fonts
    from mchch_lib.documents import display

    fonts.default_to_sarabun()
    display.install_in_kernel()


_notebook_defaults()
