// mchch-thai: the extension is its stylesheet (style/index.css: Sarabun for Thai text).
// A plugin that does nothing keeps it a standard JupyterLab extension.
const plugin = {
  id: 'mchch-thai:fonts',
  description: 'Sarabun web font for Thai text (mchch)',
  autoStart: true,
  activate: () => {}
};

export default plugin;
