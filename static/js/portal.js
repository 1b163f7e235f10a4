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

// htmx swaps only 2xx answers. A form that was refused (400) comes back with its message
// and what the user typed; where the target opts in with data-swap-errors, show it in place.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.hasAttribute("data-swap-errors")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
