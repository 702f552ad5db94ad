"""The planners' web app (``mchch app``): the explorer's tabs as ipywidgets, served by Voilà
and the same in JupyterLab; exports of the current selection to Excel and a one-page PDF."""
