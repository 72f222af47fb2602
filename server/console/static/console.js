// The customs console: after an htmx update, move the keyboard focus to the updated part's
// heading (or the message shown), so that keyboard and screen-reader users follow the change.
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.detail.target || document;
  var target = root.querySelector ? root.querySelector("[data-focus]") : null;
  if (!target && root.matches && root.matches("#flash")) { target = root.querySelector("[role=alert]"); }
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
});
