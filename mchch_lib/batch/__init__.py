"""The batch behind ``mchch run``, in parts a newcomer can read one at a time:

- ``run``: a run of one province (``national_run``: of several), in order: preflight, gate,
  plan, execute, record, bundle;
- ``context``: the run's context (params, province or provinces, catalog, year, output
  folder, options), built once and handed down;
- ``preflight``: the checks before any work (output folder, inputs, lock, years, scheduler);
- ``gate``: the one "nothing changed" path and the one data gate of both runs;
- ``plan``: the jobs of a run (a report per district and the province, deliverables) and
  their keys;
- ``executor``: the interface the run hands its jobs to, implemented by ``pool`` (local worker
  processes) and ``dask_pool`` (dask.distributed workers);
- ``worker``: what a worker does with one job (``engine``: a notebook executed in-process);
- ``record``: ``run.json``, what a run made and whether it is complete;
- ``progress`` and ``console``: what the terminal shows.

Nothing here is imported by the library's data, analysis or documents modules.
"""
