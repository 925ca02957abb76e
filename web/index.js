// Course index page: language switch and embed mode only; the list of sections is static HTML written by the build.
// No training, no charts here.
(function (root) {
  'use strict';
  var R = root.LabRuntime;
  R.page.setupEmbed('index');
  R.page.setupLang(function () { R.page.writeHash([], {}); });
})(typeof self !== 'undefined' ? self : this);
