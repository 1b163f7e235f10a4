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

// A "tick all" box (data-check-all="group") ticks or unticks its group's boxes
// (data-check-all-member="group"); unticking one of them unticks the box, ticking the last ticks it.
document.addEventListener("change", function (event) {
  var box = event.target;
  var group = box.getAttribute && (box.getAttribute("data-check-all") || box.getAttribute("data-check-all-member"));
  if (!group || !box.form) {
    return;
  }
  var members = box.form.querySelectorAll('[data-check-all-member="' + group + '"]');
  var master = box.form.querySelector('[data-check-all="' + group + '"]');
  if (box === master) {
    members.forEach(function (member) {
      member.checked = master.checked;
    });
  } else if (master) {
    master.checked = Array.prototype.every.call(members, function (member) {
      return member.checked;
    });
  }
});
