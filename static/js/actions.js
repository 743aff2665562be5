/* Link actions that Oscar's templates wrote as inline onclick handlers, which the
   Content-Security-Policy refuses: "Print this page" (data-print) and "cancel" back to the
   previous page (data-history-back). */
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print], [data-history-back]");
  if (!link) { return; }
  event.preventDefault();
  if (link.hasAttribute("data-print")) {
    window.print();
  } else {
    window.history.back();
  }
});
