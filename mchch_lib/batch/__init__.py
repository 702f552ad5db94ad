"""The batch behind ``mchch run``, in parts a newcomer can read one at a time:

- ``plan``: the jobs of a run (a report per district and the province) and their keys;
- ``record``: ``run.json``, what a run made and whether it is complete;
- ``worker``: what a worker process does with one job (execute the notebook, render it);
- ``progress``: bars on a terminal, a line per report otherwise;
- ``executor``: the interface the run hands its jobs to, implemented by ``pool`` (local worker
  processes) and ``dask_pool`` (dask.distributed workers).

``mchch_lib.batch.run`` puts them together. Nothing here is imported by the library's analysis or
documents modules.
"""
