/* The design system's behaviour on every page: the phone menu drawer, dropdowns, accordions, and
   tables that reflow on a phone (each cell titled by its column heading; without JavaScript the
   table scrolls sideways inside its own box instead, see jobunivers.css). */
(function () {
  "use strict";
  if (typeof DKFDS === "undefined") { return; }
  var tables = document.querySelectorAll("main table.table");
  for (var i = 0; i < tables.length; i++) {
    if (tables[i].tHead && !/responsive-headers/.test(tables[i].className)) {
      tables[i].classList.add("table-sm-responsive-headers");
    }
  }
  DKFDS.init();
  // The design system writes its overflow button ("Mere") in Danish only: the page's language names it.
  var menu = document.querySelector(".navigation-menu[data-more-label]");
  var more = menu && menu.querySelector(".more-button span");
  if (more) { more.textContent = menu.getAttribute("data-more-label"); }
})();
