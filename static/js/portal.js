// The portal's own script. No inline scripts anywhere: the CSP forbids them.
document.addEventListener("htmx:responseError", function (event) {
  var target = event.detail.target;
  if (target) {
    target.insertAdjacentHTML(
      "afterbegin",
      '<div class="alert alert-danger" role="alert">The page could not be updated. Please reload and try again.</div>'
    );
  }
});
