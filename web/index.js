// @ts-check
// Course index page: language switch and embed mode only; the list of sections is static HTML written by the build.
// No training, no charts here.
import * as page from './page.js';

page.setupEmbed('index');
page.setupLang(function () { page.writeHash([], {}); });
