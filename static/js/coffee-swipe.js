/* Coffee-meeting cards: a swipe on a touch screen answers like the buttons (right: yes, left: no). The buttons
   are the answer; this only presses one of them, so keyboard and screen-reader users lose nothing and a
   browser without JavaScript posts the same form. Served as a file from static/ (the CSP allows 'self'
   scripts only). The card follows the finger and snaps back below the threshold. */
(function () {
  "use strict";
  if (!window.PointerEvent) { return; }
  var THRESHOLD = 0.35; // of the card's width
  var cards = document.querySelectorAll("[data-coffee-card]");
  for (var i = 0; i < cards.length; i++) { setUp(cards[i]); }

  function setUp(card) {
    var yes = card.querySelector("[data-coffee-yes]");
    var no = card.querySelector("[data-coffee-no]");
    if (!yes || !no) { return; }
    var hint = card.querySelector("[data-coffee-hint]");
    if (hint && window.matchMedia && window.matchMedia("(pointer: coarse)").matches) { hint.hidden = false; }
    var startX = null, startY = null, dx = 0, horizontal = false;

    card.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch" || event.target.closest("button, a, input, select, textarea")) { return; }
      startX = event.clientX; startY = event.clientY; dx = 0; horizontal = false;
    });
    card.addEventListener("pointermove", function (event) {
      if (startX === null) { return; }
      dx = event.clientX - startX;
      if (!horizontal && Math.abs(dx) > 12 && Math.abs(dx) > Math.abs(event.clientY - startY)) {
        horizontal = true;
        card.classList.add("is-swiping");
      }
      if (horizontal) {
        card.style.transform = "translateX(" + dx + "px) rotate(" + (dx / 40) + "deg)";
        card.setAttribute("data-swipe", dx > 0 ? "yes" : "no");
      }
    });
    function end() {
      if (startX === null) { return; }
      var width = card.getBoundingClientRect().width || 1;
      var chosen = horizontal && Math.abs(dx) / width >= THRESHOLD ? (dx > 0 ? yes : no) : null;
      startX = null;
      card.classList.remove("is-swiping");
      card.removeAttribute("data-swipe");
      if (chosen) {
        card.style.transform = "translateX(" + (dx > 0 ? "120%" : "-120%") + ")";
        chosen.click();
      } else {
        card.style.transform = "";
      }
    }
    card.addEventListener("pointerup", end);
    card.addEventListener("pointercancel", end);
  }
})();
