/*
 * The worked solutions stay closed in JupyterLab.
 *
 * A worked solution is stored with its source and its output collapsed (cell metadata
 * jupyter.source_hidden and jupyter.outputs_hidden), so the answer is not on screen until the
 * learner clicks. But JupyterLab opens a cell's output whenever it runs the cell
 * (CodeCell.execute sets outputHidden = false), so Run All, or Shift+Enter through the notebook,
 * would put every solution's answer right under its exercise. After each run of a cell tagged
 * "solution" whose source is still collapsed, this collapses its output again. A learner who
 * opened the solution's source and runs it sees the output as usual.
 */
import { NotebookActions } from '@jupyterlab/notebook';

const plugin = {
  id: 'relu-course-lab:closed-solutions',
  description: 'Keeps a worked solution closed when Run All runs it.',
  autoStart: true,
  activate: () => {
    NotebookActions.executed.connect((_, { cell }) => {
      const tags = cell.model.getMetadata('tags') || [];
      if (tags.includes('solution') && cell.inputHidden) {
        cell.outputHidden = true;
      }
    });
  }
};

export default plugin;
