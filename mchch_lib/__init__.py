"""mchch: analysis and reports for Thailand's Community Development Standards (มชช.).

The public surface is small and imported lazily, so the ``mchch`` command starts fast::

    import mchch_lib as m
    ds = m.load_dataset(["data/sample/2561"])
    scores = m.applicant_scores(ds, m.load_catalog())
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
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'mchch_lib' has no attribute {name!r}")
