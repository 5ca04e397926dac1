/* The design system's behaviour (mobile menu drawer, accordions, dropdowns) on every page. */
(function () {
  "use strict";
  if (typeof DKFDS !== "undefined") { DKFDS.init(); }
})();
