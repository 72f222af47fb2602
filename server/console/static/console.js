// The customs console: after an htmx update, move the keyboard focus to what changed (the
// updated part's heading, the filled answer box, or the message shown), so that keyboard
// and screen-reader users follow the change.
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("[data-focus]") || document.querySelector("#flash [role=alert]");
  if (!target) { return; }
  target.removeAttribute("data-focus");
  if (!/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(target.tagName) && !target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
});
