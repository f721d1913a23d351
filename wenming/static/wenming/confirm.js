// Deletes ask first: a form with data-confirm="…" submits only after the
// user agrees. A static file because the CSP forbids inline scripts.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
