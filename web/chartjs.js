// @ts-check
// Chart.js with only the parts the lesson charts use registered (line, bar and scatter charts; linear, log and category
// axes; legend, tooltip, decimation, filler). Not a wrapper: every chart kind imports Chart from here, nothing more.
import {
  Chart, LineController, BarController, ScatterController, LineElement, PointElement, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Decimation, Filler
} from 'chart.js';

Chart.register(LineController, BarController, ScatterController, LineElement, PointElement, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Decimation, Filler);

export { Chart };
